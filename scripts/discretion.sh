#!/usr/bin/env bash
# Discretion check of the phone library (see scripts/discretion.py), on the
# host build as a stand-in for the phone ones, made the way the apps ship it:
# the Kotlin bindings are generated from the release-mobile library, then a
# copy is stripped (`strip --strip-unneeded`, as Android Gradle does) and its
# uniffi metadata removed (bindings/meta-strip, as android/core/build.gradle.kts
# and ios/build-xcframework.sh do). Fails if any metadata is left, if any line
# of the FFI surface's docs is in the library (scripts/doc-leak.sh), or on any
# unreviewed purpose-revealing string or exported name (scripts/discretion.py).
# Usage: scripts/discretion.sh [--update]   (builds release-mobile if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p parasol-ffi --profile release-mobile
cargo build -q -p uniffi-bindgen -p parasol-meta-strip
LIB=target/release-mobile/libparasol_ffi.so
OUT=target/discretion
rm -rf "$OUT" && mkdir -p "$OUT"
target/debug/uniffi-bindgen generate --no-format --library "$LIB" --language kotlin \
  --out-dir "$OUT/kotlin" >/dev/null
cp "$LIB" "$OUT/shipped.so"
strip --strip-unneeded "$OUT/shipped.so"
target/debug/meta-strip "$OUT/shipped.so"
target/debug/meta-strip --check "$OUT/shipped.so"
bash scripts/doc-leak.sh "$OUT/kotlin" "$OUT/shipped.so"
python3 scripts/discretion.py "$OUT/shipped.so" "$@"
