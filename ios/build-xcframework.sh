#!/usr/bin/env bash
# Builds ParasolCoreFFI.xcframework (device + simulator static libraries with
# the uniffi headers and modulemap) and generates the Swift bindings into
# Sources/ParasolCore. The bindings come from the libraries as built; the
# framework gets copies without uniffi's metadata (the FFI surface's docs and
# type names: bindings/meta-strip, docs/security.md "Discretion").
# macOS with Xcode and rustup only.
#
# Usage: ios/build-xcframework.sh [--debug]
set -euo pipefail
cd "$(dirname "$0")"
IOS=$PWD
WS=$(cd .. && pwd)
PROFILE=release-mobile
[ "${1:-}" = "--debug" ] && PROFILE=dev
OUTDIR=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)

command -v xcodebuild >/dev/null || { echo "xcodebuild not found: this script needs macOS with Xcode" >&2; exit 1; }
rustup target add "${TARGETS[@]}"

cd "$WS"
export IPHONEOS_DEPLOYMENT_TARGET=16.0
for t in "${TARGETS[@]}"; do
  cargo build -p parasol-ffi --profile "$PROFILE" --target "$t"
done

# Bindings from the device library (uniffi metadata is kept by release-mobile).
GEN=$IOS/build/generated
rm -rf "$GEN" && mkdir -p "$GEN"
cargo run -q -p uniffi-bindgen -- generate \
  --library "target/aarch64-apple-ios/$OUTDIR/libparasol_ffi.a" \
  --language swift --out-dir "$GEN"
cp "$GEN/ParasolCore.swift" "$IOS/Sources/ParasolCore/ParasolCore.swift"

# The static libraries the framework ships: uniffi's metadata removed, checked.
cargo build -q -p parasol-meta-strip
STRIPPED=$IOS/build/stripped
rm -rf "$STRIPPED"
for t in "${TARGETS[@]}"; do
  mkdir -p "$STRIPPED/$t"
  target/debug/meta-strip "target/$t/$OUTDIR/libparasol_ffi.a" -o "$STRIPPED/$t/libparasol_ffi.a"
  target/debug/meta-strip --check "$STRIPPED/$t/libparasol_ffi.a"
done

# Headers: the C header and a modulemap named module.modulemap for the framework.
HDR=$IOS/build/headers
rm -rf "$HDR" && mkdir -p "$HDR"
cp "$GEN/ParasolCoreFFI.h" "$HDR/"
cp "$GEN/ParasolCoreFFI.modulemap" "$HDR/module.modulemap"

# One simulator library for both simulator architectures.
SIM=$IOS/build/sim
mkdir -p "$SIM"
lipo -create \
  "$STRIPPED/aarch64-apple-ios-sim/libparasol_ffi.a" \
  "$STRIPPED/x86_64-apple-ios/libparasol_ffi.a" \
  -output "$SIM/libparasol_ffi.a"

rm -rf "$IOS/ParasolCoreFFI.xcframework"
xcodebuild -create-xcframework \
  -library "$STRIPPED/aarch64-apple-ios/libparasol_ffi.a" -headers "$HDR" \
  -library "$SIM/libparasol_ffi.a" -headers "$HDR" \
  -output "$IOS/ParasolCoreFFI.xcframework"
echo "built $IOS/ParasolCoreFFI.xcframework and Sources/ParasolCore/ParasolCore.swift"
