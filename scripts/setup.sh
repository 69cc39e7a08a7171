#!/usr/bin/env bash
# Installs the Debian packages that actpip's build, tests and main job need.
# Idempotent and quiet on success: it does nothing when everything is already there.
set -euo pipefail

packages=(
    cmake g++ make pkg-config git ca-certificates
    libgtest-dev libgmock-dev
    libssl-dev zlib1g-dev libzstd-dev rapidjson-dev
    libboost-dev libcaf-dev
    libcli11-dev
    libzip-dev zipcmp zipmerge ziptool
    nginx-light openssl python3 python3-venv
    curl
    clang-format             # the formatting check of test.sh (Debian 12: 14)
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup: installing ${missing[*]} failed" >&2
    rm -f "$log"
    exit 1
fi
rm -f "$log"
