#!/usr/bin/env bash
# Runs ../shared/conformance/vectors (expected outputs from `packaging`) against
# `actpip debug vectors`. Needs ../shared: ACTPIP_SHARED, else the folder beside the checkout.
set -u
actpip=$1
source_dir=$2
shared=${ACTPIP_SHARED:-$source_dir/../shared}
checker=$shared/conformance/vectors/check_vectors.py
if [ ! -f "$checker" ]; then
    echo "!!! SKIPPED: $checker not found; set ACTPIP_SHARED to the shared folder !!!" >&2
    exit 77
fi
exec python3 "$checker" --cmd "'$actpip' debug vectors" --show 10
