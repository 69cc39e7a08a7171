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

# the demo must not pick up this machine's pip or actpip settings, TLS or proxy variables,
# nor an active venv
unset $(python3 tests/support/scrub_env.py)

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

now_ms() { date +%s%3N; }

install_into() {  # $1 = venv: a fresh one, requests and flask installed, imported; sets $took
    python3 -m venv --without-pip "$1"
    local t0
    t0=$(now_ms)
    "$actpip" install --python "$1/bin/python" --index-url "$BASE/simple" --cache-dir "$tmp/cache" requests flask
    took=$(($(now_ms) - t0))
    "$1/bin/python" -c 'import importlib.metadata as m, requests, flask; print("    imported requests", requests.__version__, "and flask", m.version("flask"))'
}

echo "==> actpip install requests flask (fresh venv, cold cache)"
install_into "$tmp/venv"
cold=$took
echo "==> actpip list"
"$actpip" list --python "$tmp/venv/bin/python"

echo "==> actpip install requests flask again (second fresh venv, warm cache)"
install_into "$tmp/venv2"

echo "==> cold install $cold ms, warm install $took ms; $(grep -c . "$tmp/access.log") index requests in all"
