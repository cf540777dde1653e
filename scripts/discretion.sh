#!/usr/bin/env bash
# Discretion check of the phone library (see scripts/discretion.py).
# Usage: scripts/discretion.sh [--update]   (builds release-mobile if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p parasol-ffi --profile release-mobile
mkdir -p target/size
cp target/release-mobile/libparasol_ffi.so target/size/shipped.so
strip --strip-unneeded target/size/shipped.so
python3 scripts/discretion.py target/size/shipped.so "$@"
