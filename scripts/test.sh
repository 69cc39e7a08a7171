#!/usr/bin/env bash
# Sets up the machine, builds actpip twice (optimized, and with AddressSanitizer +
# UndefinedBehaviorSanitizer) and runs the tests of both. Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=${ACTPIP_JOBS:-$(nproc)}

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DACTPIP_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
# the hygiene tests (layering, headers compiling alone) do not depend on the build type
ctest --test-dir build-asan --output-on-failure -j "$jobs" -L "unit|shared|e2e" -LE hygiene
