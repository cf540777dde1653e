#!/usr/bin/env bash
# Builds the host library, generates Kotlin and Swift with the workspace's
# uniffi-bindgen, then compiles and runs tests/kotlin on the JVM and
# tests/swift on Linux (in the Debian trixie chroot that setup-tools.sh makes).
# Usage: scripts/binding-tests.sh [kotlin|swift|all]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHAT=${1:-all}
SWIFT_ROOT=${PARASOL_SWIFT_ROOT:-/var/cache/parasol/swift-trixie}
K=$ROOT/.tools/node_modules/kotlin-compiler
JNA=/usr/share/java/jna.jar
LIB=target/debug/libparasol_ffi.so

cargo build -q -p parasol-ffi
cargo build -q -p uniffi-bindgen -p parasol-cli
BINDGEN=target/debug/uniffi-bindgen

# Signed content packs for the update tests, made with the maintainers' own
# tools: a throw-away key, a newer NL pack, and the key's public half.
fixtures() {
  local f=target/fixtures
  rm -rf "$f" && mkdir -p "$f"
  target/debug/parasol --json content keygen --out "$f" --name test-key >/dev/null
  target/debug/parasol --json content build --src content --out "$f/payloads" \
    --only NL --pack-version 9999999999 >/dev/null
  target/debug/parasol --json content sign --key "$f/test-key.secret" \
    "$f/payloads/NL.json" "$f/nl-update.pack" >/dev/null
  sed -n 2p "$f/test-key.pub" > "$f/test-key.hex"
}
fixtures

kotlin() {
  local out=target/kotlin
  rm -rf "$out/bindings" && mkdir -p "$out"
  "$BINDGEN" generate --no-format --library "$LIB" --language kotlin \
    --config tests/kotlin/uniffi-jvm.toml --out-dir "$out/bindings" >/dev/null
  if grep -rq "import android\." "$out/bindings"; then
    echo "kotlin: generated bindings import android.*; the JVM config was not applied" >&2
    exit 1
  fi
  # Recompile the bindings jar only when the generated source changed.
  local sum; sum=$(cat $(find "$out/bindings" -name '*.kt' | sort) | sha256sum | cut -c1-16)
  if [ ! -f "$out/bindings-$sum.jar" ]; then
    rm -f "$out"/bindings-*.jar
    "$K/bin/kotlinc" -J-Xmx2g -nowarn -cp "$JNA" $(find "$out/bindings" -name '*.kt') \
      -d "$out/bindings-$sum.jar" 2>&1 | grep -v '^warning' || true
    [ -f "$out/bindings-$sum.jar" ] || { echo "kotlin: bindings did not compile" >&2; exit 1; }
  fi
  rm -rf "$out/classes"
  "$K/bin/kotlinc" -J-Xmx2g -nowarn -cp "$out/bindings-$sum.jar:$JNA" \
    $(find tests/kotlin -name '*.kt') -d "$out/classes"
  java -Djna.library.path="$ROOT/target/debug" \
    -cp "$out/classes:$out/bindings-$sum.jar:$JNA:$K/lib/kotlin-stdlib.jar" \
    org.parasol.tests.MainKt
}

swift() {
  if [ ! -f "$SWIFT_ROOT/.parasol-ready" ]; then
    echo "swift: no Swift chroot at $SWIFT_ROOT; run scripts/setup-tools.sh" >&2
    exit 1
  fi
  local out=target/swift
  rm -rf "$out" && mkdir -p "$out/bindings"
  "$BINDGEN" generate --library "$LIB" --language swift --out-dir "$out/bindings" >/dev/null
  # One mount point per checkout, so two checkouts can test at the same time.
  local ws; ws=/ws-$(printf %s "$ROOT" | sha256sum | cut -c1-12)
  mkdir -p "$SWIFT_ROOT/proc" "$SWIFT_ROOT$ws"
  mountpoint -q "$SWIFT_ROOT/proc" || mount -t proc proc "$SWIFT_ROOT/proc"
  mountpoint -q "$SWIFT_ROOT$ws" || mount --bind "$ROOT" "$SWIFT_ROOT$ws"
  trap "umount '$SWIFT_ROOT$ws' 2>/dev/null || true" EXIT
  chroot "$SWIFT_ROOT" bash -c "cd $ws && swiftc -module-name ParasolTests -emit-executable \
      -I $out/bindings -Xcc -fmodule-map-file=$out/bindings/ParasolCoreFFI.modulemap \
      -L target/debug -lparasol_ffi $out/bindings/ParasolCore.swift \
      \$(find tests/swift -name '*.swift' | sort) -o $out/swift-tests 2>&1 \
      | grep -v 'warning:' || true
    test -x $out/swift-tests && LD_LIBRARY_PATH=target/debug ./$out/swift-tests"
}

case "$WHAT" in
  kotlin) kotlin ;;
  swift) swift ;;
  all) kotlin; swift ;;
  *) echo "usage: $0 [kotlin|swift|all]" >&2; exit 2 ;;
esac
