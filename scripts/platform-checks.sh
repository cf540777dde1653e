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
