#!/usr/bin/env bash
# The main job: set up, build actpip, then install two real dependency trees (requests and
# flask, 12 packages) into a fresh virtual environment from a local PyPI-like index served by
# nginx on loopback (demo/wheels, no internet needed), check that they import, and install
# them again into a second fresh environment from the warm cache.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "${ACTPIP_JOBS:-$(nproc)}" --target actpip
actpip=$repo/build/cli/actpip
"$actpip" --version

# the demo must not pick up this machine's pip or actpip settings, nor an active venv
unset $(compgen -e | grep -E '^(PIP_|ACTPIP_)' || true) VIRTUAL_ENV

tmp=$(mktemp -d)
cleanup() {
    local rc=$?
    bash "$repo/scripts/serve_index.sh" stop "$tmp" >/dev/null 2>&1 || true
    [ $rc -eq 0 ] || { echo "demo: FAILED (exit $rc); last index requests:" >&2; tail -n 5 "$tmp/access.log" 2>/dev/null | cut -c1-160 >&2 || true; }
    rm -rf "$tmp"
}
trap cleanup EXIT

echo "==> index: demo/wheels laid out as a PEP 503/691/658 simple index, served by nginx"
python3 scripts/make_index.py "$tmp/www" demo/wheels
BASE=$(bash scripts/serve_index.sh start "$tmp")
echo "    $BASE/simple/"

check_imports() {  # $1 = venv
    "$1/bin/python" -c 'import importlib.metadata as m, requests, flask; print("    imported requests", requests.__version__, "and flask", m.version("flask"))'
}

now_ms() { date +%s%3N; }

echo "==> actpip install requests flask (fresh venv, cold cache)"
python3 -m venv --without-pip "$tmp/venv"
t0=$(now_ms)
"$actpip" install --python "$tmp/venv/bin/python" --index-url "$BASE/simple" --cache-dir "$tmp/cache" requests flask
t1=$(now_ms)
check_imports "$tmp/venv"
echo "==> actpip list"
"$actpip" list --python "$tmp/venv/bin/python"

echo "==> actpip install requests flask again (second fresh venv, warm cache)"
python3 -m venv --without-pip "$tmp/venv2"
t2=$(now_ms)
"$actpip" install --python "$tmp/venv2/bin/python" --index-url "$BASE/simple" --cache-dir "$tmp/cache" requests flask
t3=$(now_ms)
check_imports "$tmp/venv2"

echo "==> cold install $((t1 - t0)) ms, warm install $((t3 - t2)) ms; $(grep -c . "$tmp/access.log") index requests in all"
