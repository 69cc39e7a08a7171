#!/usr/bin/env bash
# Sets up the machine, builds actpip twice (optimized, and with AddressSanitizer +
# UndefinedBehaviorSanitizer) and runs the tests of both. Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=${ACTPIP_JOBS:-$(nproc)}

# Formatting first, so that CI fails in seconds rather than after the builds: every tracked
# *.cpp and *.hpp as .clang-format says (clang-format 14, Debian 12's; setup.sh installs it).
command -v clang-format >/dev/null || { echo "clang-format is missing (setup.sh)" >&2; exit 1; }
format_rc=0 # xargs: 123 when clang-format found unformatted files, other codes when it failed
format_log=$(git ls-files -z '*.cpp' '*.hpp' |
    xargs -0 clang-format --dry-run --Werror 2>&1) || format_rc=$?
violation='^(.*):[0-9]+:[0-9]+: error: code should be clang-formatted'
if { [ $format_rc -ne 0 ] && [ $format_rc -ne 123 ]; } ||
    grep -E ': error: ' <<<"$format_log" | grep -qvE "$violation"; then
    echo "$format_log" >&2; echo "clang-format failed to run (exit $format_rc)" >&2; exit 1
fi
mapfile -t failed < <(sed -nE "s/$violation.*/\1/p" <<<"$format_log" | sort -u)
if [ ${#failed[@]} -gt 0 ]; then
    echo "clang-format: not formatted as .clang-format says ($(clang-format --version)):" >&2
    printf '  %s\n' "${failed[@]}" >&2
    echo "fix: clang-format -i ${failed[*]}" >&2
    exit 1
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DACTPIP_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
# the hygiene tests (layering, headers compiling alone) do not depend on the build type
ctest --test-dir build-asan --output-on-failure -j "$jobs" -L "unit|shared|e2e" -LE hygiene
