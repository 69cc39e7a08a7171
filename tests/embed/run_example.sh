#!/usr/bin/env bash
# The embedding test (CTest `embed_example`, label `embed`): installs the built project into
# a temporary prefix, builds examples/embed_install (actpip/api.hpp) and examples/embed_caf
# (actpip/embed.hpp) against it with find_package(actpip), and runs each to install `requests`
# from demo/wheels (served by nginx on loopback) into a fresh venv.
#   run_example.sh SOURCE_DIR BUILD_DIR [CXX_COMPILER]
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 SOURCE_DIR BUILD_DIR [CXX_COMPILER]" >&2; exit 2; }
SRC=$(cd "$1" && pwd)
# nothing of this machine's pip or actpip settings, TLS or proxy variables, nor an active venv
unset $(python3 "$SRC/tests/support/scrub_env.py")
BUILD=$(cd "$2" && pwd)
CXX_COMPILER=${3:-${CXX:-c++}}

tmp=$(mktemp -d)
cleanup() {
    local rc=$?
    bash "$SRC/scripts/serve_index.sh" stop "$tmp" >/dev/null 2>&1 || true
    if [ $rc -ne 0 ]; then
        echo "embed_example: FAILED (exit $rc)" >&2
        [ -f "$tmp/out.txt" ] && { echo "--- example output (last 40 lines):" >&2; tail -n 40 "$tmp/out.txt" >&2; }
        [ -f "$tmp/access.log" ] && { echo "--- last index requests:" >&2; tail -n 5 "$tmp/access.log" | cut -c1-160 >&2; }
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

echo "==> cmake --install $BUILD --prefix <tmp>/prefix"
cmake --install "$BUILD" --prefix "$tmp/prefix" >"$tmp/install.log" || { cat "$tmp/install.log" >&2; exit 1; }
[ -f "$tmp/prefix/lib/cmake/actpip/actpipConfig.cmake" ] || { echo "no actpipConfig.cmake installed" >&2; exit 1; }

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
build_example() {  # $1 = folder under examples/: configure and build it against the prefix
    echo "==> build examples/$1 against the installed package"
    cmake -S "$SRC/examples/$1" -B "$tmp/$1" "${generator[@]}" \
          -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$CXX_COMPILER" \
          -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/configure.log" 2>&1 \
        || { cat "$tmp/configure.log" >&2; exit 1; }
    cmake --build "$tmp/$1" -j1 >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; exit 1; }
}
build_example embed_install   # actpip/api.hpp: callbacks
build_example embed_caf       # actpip/embed.hpp: the host's own CAF actor system, messages

echo "==> index of demo/wheels, served by nginx"
python3 "$SRC/scripts/make_index.py" "$tmp/www" "$SRC/demo/wheels" >/dev/null
BASE=$(bash "$SRC/scripts/serve_index.sh" start "$tmp")

echo "==> embed_install $BASE/simple <venv>/bin/python requests"
python3 -m venv --without-pip "$tmp/venv"
fail() { echo "embed_example: $*" >&2; exit 1; }
rc=0
timeout 300 "$tmp/embed_install/embed_install" --cache-dir "$tmp/cache" --report "$tmp/report.json" \
    "$BASE/simple" "$tmp/venv/bin/python" requests >"$tmp/out.txt" 2>&1 || rc=$?
[ $rc -eq 0 ] || { echo "embed_install exited with $rc" >&2; exit 1; }
grep -q '^progress 1: ' "$tmp/out.txt" || fail "no progress events reported"
events=$(sed -n 's/^events: //p' "$tmp/out.txt")
[ "${events:-0}" -gt 0 ] || fail "event counter is ${events:-missing}"
installed=$(sed -n 's/^installed://p' "$tmp/out.txt")
[[ " $installed " == *" requests=="* ]] || fail "installed list lacks requests: '$installed'"
"$tmp/venv/bin/python" -c 'import requests' || fail "requests does not import in the venv"
python3 - "$tmp/report.json" <<'PY' || fail "report.json is not pip's installation report"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["version"] == "1", report.get("version")
names = {item["metadata"]["name"].lower() for item in report["install"]}
assert "requests" in names, names
PY
echo "    ok: $events progress events; installed$installed"

echo "==> embed_caf $BASE/simple <venv2>/bin/python requests (warm cache)"
python3 -m venv --without-pip "$tmp/venv2"
timeout 300 "$tmp/embed_caf/embed_caf" --cache-dir "$tmp/cache" "$BASE/simple" "$tmp/venv2/bin/python" \
    requests >"$tmp/out.txt" 2>&1 || fail "embed_caf exited with $?"
grep -q '^progress 1: ' "$tmp/out.txt" || fail "embed_caf: no progress messages"
installed=$(sed -n 's/^installed://p' "$tmp/out.txt")
[[ " $installed " == *" requests=="* ]] || fail "embed_caf: installed list lacks requests: '$installed'"
"$tmp/venv2/bin/python" -c 'import requests' || fail "embed_caf: requests does not import"
echo "    ok: $(sed -n 's/^events: //p' "$tmp/out.txt") progress messages; installed$installed"
