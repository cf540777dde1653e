#!/usr/bin/env bash
# Builds the host library, generates Kotlin and Swift with the workspace's
# uniffi-bindgen, then compiles and runs tests/kotlin on the JVM and
# tests/swift on Linux (in the Debian trixie chroot that setup-tools.sh makes).
# The `kotlin` and `swift` targets also compile and run the mobile shells'
# platform-independent code against the same library: android/shared (wrapper
# over the core's App, plain Kotlin/JVM) and ios/Sources/ParasolKit (Foundation only).
# Usage: scripts/binding-tests.sh [kotlin|swift|kotlin-shared|swift-kit|all]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHAT=${1:-all}
SWIFT_ROOT=${PARASOL_SWIFT_ROOT:-/var/cache/parasol/swift-trixie}
K=$ROOT/.tools/node_modules/kotlin-compiler
JNA=/usr/share/java/jna.jar
# Bindings are generated from LIB; the tests load LIBDIR's copy of it with
# uniffi's metadata removed (bindings/meta-strip), as the phone apps ship it.
LIB=target/debug/libparasol_ffi.so
LIBDIR=target/debug/meta-stripped

cargo build -q -p parasol-ffi
cargo build -q -p uniffi-bindgen -p parasol-cli -p parasol-meta-strip
BINDGEN=target/debug/uniffi-bindgen
mkdir -p "$LIBDIR"
if [ ! "$LIBDIR/libparasol_ffi.so" -nt "$LIB" ] || [ ! "$LIBDIR/libparasol_ffi.so" -nt target/debug/meta-strip ]; then
  target/debug/meta-strip "$LIB" -o "$LIBDIR/libparasol_ffi.so" >/dev/null
fi
target/debug/meta-strip --check "$LIBDIR/libparasol_ffi.so" >/dev/null

# Signed content packs for the update tests, made with the maintainers' own
# tools: a throw-away key, a newer NL pack, and the key's public half.
fixtures() {
  local f=target/fixtures
  rm -rf "$f" && mkdir -p "$f"
  target/debug/parasol --json content keygen --out "$f" --name test-key >/dev/null
  # A version is the release date as YYYYMMDDNN: today's is newer than the
  # bundled pack's and within the bound the app accepts.
  local version; version="$(date -u +%Y%m%d)50"
  echo "$version" > "$f/nl-update.version"
  target/debug/parasol --json content build --src content --out "$f/payloads" \
    --only NL --pack-version "$version" >/dev/null
  target/debug/parasol --json content sign --key "$f/test-key.secret" \
    "$f/payloads/NL.json" "$f/nl-update.pack" >/dev/null
  sed -n 2p "$f/test-key.pub" > "$f/test-key.hex"
}
fixtures

# Matrix users for one suite (when the test run's Synapse is up): the user
# who signs in and a contact, in PARASOL_SYNAPSE_{USER,PASSWORD,CONTACT}.
matrix_users() {
  [ -n "${PARASOL_SYNAPSE_URL:-}" ] || return 0
  local worker friend
  worker=$(bash scripts/synapse.sh register "$PARASOL_SYNAPSE_URL" "$1-worker")
  friend=$(bash scripts/synapse.sh register "$PARASOL_SYNAPSE_URL" "$1-friend")
  export PARASOL_SYNAPSE_USER=${worker% *} PARASOL_SYNAPSE_PASSWORD=${worker#* }
  export PARASOL_SYNAPSE_CONTACT=${friend% *}
}

# Generates the JVM Kotlin bindings and compiles them into a jar (cached by
# content hash); sets KT_JAR.
kotlin_bindings() {
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
  KT_JAR=$out/bindings-$sum.jar
  if [ ! -f "$KT_JAR" ]; then
    rm -f "$out"/bindings-*.jar
    "$K/bin/kotlinc" -J-Xmx2g -nowarn -cp "$JNA" $(find "$out/bindings" -name '*.kt') \
      -d "$KT_JAR" 2>&1 | grep -v '^warning' || true
    [ -f "$KT_JAR" ] || { echo "kotlin: bindings did not compile" >&2; exit 1; }
  fi
  # The docs of the FFI surface: in the library the bindings came from (so
  # the check can fail), in no library a test loads.
  if bash scripts/doc-leak.sh "$out/bindings" "$LIB" >/dev/null; then
    echo "kotlin: doc-leak finds no docs even in the unfiltered library: check is broken" >&2
    exit 1
  fi
  bash scripts/doc-leak.sh "$out/bindings" "$LIBDIR/libparasol_ffi.so"
}

kotlin() {
  local out=target/kotlin
  [ -n "${KT_JAR:-}" ] || kotlin_bindings
  rm -rf "$out/classes"
  matrix_users kotlin
  "$K/bin/kotlinc" -J-Xmx2g -nowarn -cp "$KT_JAR:$JNA" \
    $(find tests/kotlin -name '*.kt') -d "$out/classes"
  java -Djna.library.path="$ROOT/$LIBDIR" \
    -cp "$out/classes:$KT_JAR:$JNA:$K/lib/kotlin-stdlib.jar" \
    org.parasol.tests.MainKt
}

# android/shared: the Android app's host over the core's App, compiled as plain
# Kotlin/JVM with the JVM bindings and run against the host library. Anything
# Android-only in there is a build error on purpose.
kotlin_shared() {
  local out=target/kotlin-shared src=android/shared/src
  if grep -rnE '^import (android|androidx)\.' "$src"; then
    echo "kotlin-shared: android/shared must not import android.* or androidx.*" >&2
    exit 1
  fi
  [ -n "${KT_JAR:-}" ] || kotlin_bindings
  # The app ships the Android flavour of the bindings (from android/core) while
  # android/shared compiles against the JVM flavour: their declarations must
  # match (only the private memory cleaner differs).
  rm -rf "$out" && mkdir -p "$out"
  "$BINDGEN" generate --no-format --library "$LIB" --language kotlin --out-dir "$out/android-bindings" >/dev/null
  decls() {
    cat $(find "$1" -name '*.kt' | sort) \
      | grep -E '^\s*((public|open|abstract|data|sealed|enum|override|inline|suspend|internal) )*(class|interface|object|fun|val|var) ' \
      | grep -vE '\bprivate\b|Cleaner|Cleanable' || true
  }
  if ! diff <(decls "$out/android-bindings") <(decls target/kotlin/bindings) >/dev/null; then
    echo "kotlin-shared: the Android and JVM flavours of the bindings declare different APIs" >&2
    exit 1
  fi
  local cp="$KT_JAR:$JNA:$K/lib/kotlinx-coroutines-core-jvm.jar"
  "$K/bin/kotlinc" -J-Xmx2g -nowarn -cp "$cp" \
    $(find "$src/main/kotlin" "$src/jvmChecks/kotlin" -name '*.kt' | sort) -d "$out/classes"
  java -Djna.library.path="$ROOT/$LIBDIR" \
    -cp "$out/classes:$cp:$K/lib/kotlin-stdlib.jar" \
    org.parasol.shared.checks.MainKt
}

swift() {
  if [ ! -f "$SWIFT_ROOT/.parasol-ready" ]; then
    echo "swift: no Swift chroot at $SWIFT_ROOT; run scripts/setup-tools.sh" >&2
    exit 1
  fi
  local out=target/swift
  matrix_users swift
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
      -L $LIBDIR -lparasol_ffi $out/bindings/ParasolCore.swift \
      \$(find tests/swift -name '*.swift' | sort) -o $out/swift-tests 2>&1 \
      | grep -v 'warning:' || true
    test -x $out/swift-tests && LD_LIBRARY_PATH=$LIBDIR ./$out/swift-tests"
}

# ios/Sources/ParasolKit: the iOS app's host over the core's App (Foundation
# only), built as the Swift package builds them (ParasolCore from the
# generated bindings, ParasolKit importing it), then its checks, on Linux.
swift_kit() {
  if [ ! -f "$SWIFT_ROOT/.parasol-ready" ]; then
    echo "swift-kit: no Swift chroot at $SWIFT_ROOT; run scripts/setup-tools.sh" >&2
    exit 1
  fi
  if grep -rnE '^import (UIKit|SwiftUI|CoreLocation|MessageUI|BackgroundTasks|Security|Combine)' \
      ios/Sources/ParasolKit ios/Tests/ParasolKitChecks; then
    echo "swift-kit: ParasolKit must stay Foundation-only" >&2
    exit 1
  fi
  local out=target/swift-kit
  rm -rf "$out" && mkdir -p "$out/bindings" "$out/modules"
  "$BINDGEN" generate --library "$LIB" --language swift --out-dir "$out/bindings" >/dev/null
  local ws; ws=/ws-$(printf %s "$ROOT" | sha256sum | cut -c1-12)
  mkdir -p "$SWIFT_ROOT/proc" "$SWIFT_ROOT$ws"
  mountpoint -q "$SWIFT_ROOT/proc" || mount -t proc proc "$SWIFT_ROOT/proc"
  mountpoint -q "$SWIFT_ROOT$ws" || mount --bind "$ROOT" "$SWIFT_ROOT$ws"
  trap "umount '$SWIFT_ROOT$ws' 2>/dev/null || true" EXIT
  local ffi="-I $out/bindings -Xcc -fmodule-map-file=$out/bindings/ParasolCoreFFI.modulemap"
  chroot "$SWIFT_ROOT" bash -c "set -e; cd $ws
    filter() { grep -v 'warning:' | grep -vE '^\s*(\||[0-9]+ \||\`)' || true; }
    swiftc -module-name ParasolCore -parse-as-library -emit-library -emit-module \
      -emit-module-path $out/modules/ParasolCore.swiftmodule $ffi \
      -L $LIBDIR -lparasol_ffi $out/bindings/ParasolCore.swift -o $out/libParasolCore.so 2>&1 | filter
    swiftc -module-name ParasolKit -parse-as-library -emit-library -emit-module \
      -emit-module-path $out/modules/ParasolKit.swiftmodule -I $out/modules $ffi \
      -L $out -lParasolCore -L $LIBDIR -lparasol_ffi \
      \$(find ios/Sources/ParasolKit -name '*.swift' | sort) -o $out/libParasolKit.so 2>&1 | filter
    test -f $out/libParasolKit.so
    swiftc -module-name ParasolKitChecks -emit-executable -I $out/modules $ffi \
      -L $out -lParasolKit -lParasolCore -L $LIBDIR -lparasol_ffi \
      \$(find ios/Tests/ParasolKitChecks -name '*.swift' | sort) -o $out/kit-checks 2>&1 | filter
    test -x $out/kit-checks
    LD_LIBRARY_PATH=$LIBDIR:$out ./$out/kit-checks"
}

case "$WHAT" in
  kotlin) kotlin; kotlin_shared ;;
  kotlin-shared) kotlin_shared ;;
  swift) swift; swift_kit ;;
  swift-kit) swift_kit ;;
  all) kotlin; kotlin_shared; swift; swift_kit ;;
  *) echo "usage: $0 [kotlin|swift|kotlin-shared|swift-kit|all]" >&2; exit 2 ;;
esac
