#!/usr/bin/env bash
# Copies every libparasol_ffi.so / .a under IN to the same place under OUT with
# uniffi's metadata removed (bindings/meta-strip: docstrings, field, variant
# and type names), then checks the copies. Run it after the bindings were
# generated from IN: uniffi-bindgen reads that metadata, the app does not.
# Used by android/core/build.gradle.kts (after cargo-ndk) and ios/build-xcframework.sh.
# Usage: scripts/meta-strip.sh <in-dir> <out-dir>
set -euo pipefail
in=$(cd "$1" && pwd)
mkdir -p "$2" && out=$(cd "$2" && pwd)
cd "$(dirname "$0")/.."
cargo build -q -p parasol-meta-strip
tool=$PWD/target/debug/meta-strip
n=0
while IFS= read -r -d '' lib; do
  rel=${lib#"$in"/}
  mkdir -p "$out/$(dirname "$rel")"
  "$tool" "$lib" -o "$out/$rel"
  "$tool" --check "$out/$rel" >/dev/null
  n=$((n + 1))
done < <(find "$in" -type f \( -name 'libparasol_ffi.so' -o -name 'libparasol_ffi.a' \) -print0)
[ "$n" -gt 0 ] || { echo "meta-strip.sh: no libparasol_ffi.so or .a under $in" >&2; exit 1; }
