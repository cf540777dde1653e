#!/usr/bin/env bash
# Build, packaging and store-policy checks of the Android and iOS apps that can
# run without the SDKs (issue 12), each also run on deliberately broken copies
# (scripts/platform/selftest.py):
#   bindings-deps      every import of the Android-flavour bindings is provided
#                      by a dependency android/core declares
#   page-align-probe   .cargo/config.toml links Android libraries for 16 KB pages
#   elf-align          (the ELF check the Android build runs on what it ships)
#   format-keys        string-format keys of both apps vs their call sites
#   manifest-flavours  permissions vs the play/direct flavours, launcher entries
#   ios-submission     Info.plist, privacy manifest, icons, project settings
#   shell-safety       platform-call defects readable in the source: SMS
#                      delivery reports, location on API 26-29, FLAG_SECURE and
#                      recents, expedited wake-ups and re-arming, the network
#                      job's unique-work policy, export errors, iOS background
#                      task registration and privacy cover, platform strings
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/platform-checks
LIB=target/debug/libparasol_ffi.so
cargo build -q -p parasol-ffi -p uniffi-bindgen
BINDGEN=target/debug/uniffi-bindgen
rm -rf "$OUT" && mkdir -p "$OUT"
# The Android flavour exactly as android/core generates it (bindings/uniffi.toml),
# the JVM flavour and Swift for the format-key check's type lookups.
"$BINDGEN" generate --no-format --library "$LIB" --language kotlin --out-dir "$OUT/android-bindings" >/dev/null
"$BINDGEN" generate --no-format --library "$LIB" --language kotlin --config tests/kotlin/uniffi-jvm.toml \
  --out-dir "$OUT/jvm-bindings" >/dev/null
"$BINDGEN" generate --library "$LIB" --language swift --out-dir "$OUT/swift-bindings" >/dev/null 2>&1

python3 scripts/platform/bindings_deps.py . "$OUT/android-bindings"
python3 scripts/platform/page_align_probe.py .
python3 scripts/platform/format_keys.py .
python3 scripts/platform/manifest_flavours.py .
python3 scripts/platform/ios_submission.py . "$LIB"
python3 scripts/platform/shell_safety.py .
python3 scripts/platform/selftest.py . "$OUT/android-bindings"

# swift-parse: the iOS app target (UIKit/SwiftUI, not buildable here) at least
# parses: `swiftc -parse` in the Linux Swift chroot (syntax only, no types).
SWIFT_ROOT=${PARASOL_SWIFT_ROOT:-/var/cache/parasol/swift-trixie}
if [ -f "$SWIFT_ROOT/.parasol-ready" ]; then
  ws=/ws-$(printf %s "$PWD" | sha256sum | cut -c1-12)
  mkdir -p "$SWIFT_ROOT/proc" "$SWIFT_ROOT$ws"
  mountpoint -q "$SWIFT_ROOT/proc" || mount -t proc proc "$SWIFT_ROOT/proc"
  mounted=0
  mountpoint -q "$SWIFT_ROOT$ws" || { mount --bind "$PWD" "$SWIFT_ROOT$ws"; mounted=1; }
  status=0
  chroot "$SWIFT_ROOT" bash -c "cd $ws && for f in \$(find ios/App -name '*.swift' | sort); do swiftc -parse \"\$f\" || exit 1; done" || status=$?
  [ "$mounted" = 1 ] && umount "$SWIFT_ROOT$ws"
  [ "$status" = 0 ] || { echo "swift-parse: an ios/App source does not parse" >&2; exit 1; }
  echo "swift-parse: every ios/App source parses"
else
  echo "swift-parse: skipped (no Swift chroot at $SWIFT_ROOT; scripts/setup-tools.sh)"
fi
