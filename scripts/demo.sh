#!/usr/bin/env bash
# The main job, for now: set up, build actpip, and show its standards code at work against
# this machine's Python (the end-to-end install replaces this once it exists).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "${ACTPIP_JOBS:-$(nproc)}" --target actpip
./build/cli/actpip --version
./build/cli/actpip debug tags --python python3 --limit 8
./build/cli/actpip debug requirement --python python3 --extra socks \
    'Requests[socks,security] >=2.8.1, ==2.*; python_version >= "3.7" and (sys_platform == "linux" or extra == "socks")'
