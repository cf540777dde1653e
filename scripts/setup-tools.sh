#!/usr/bin/env bash
# Installs what the binding tests need when it is missing, and nothing else:
#   - JNA and JUnit from Debian (for the Kotlin tests on the JVM),
#   - the Kotlin compiler from the npm package `kotlin-compiler` into .tools/,
#   - a Debian trixie chroot with Swift 6 at $PARASOL_SWIFT_ROOT (for the Swift tests),
#   - Synapse (Matrix homeserver) from PyPI in a cached virtualenv (scripts/synapse.sh).
# Every step is idempotent: a warm machine skips it in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

KOTLIN_VERSION=2.4.20
SWIFT_ROOT=${PARASOL_SWIFT_ROOT:-/var/cache/parasol/swift-trixie}

need_apt=()
[ -f /usr/share/java/jna.jar ] || need_apt+=(libjna-java)
command -v debootstrap >/dev/null 2>&1 || need_apt+=(debootstrap)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x .tools/node_modules/kotlin-compiler/bin/kotlinc ]; then
  echo "setup: npm install kotlin-compiler@$KOTLIN_VERSION"
  npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund --silent \
    "kotlin-compiler@$KOTLIN_VERSION" >/dev/null
fi

if [ "${PARASOL_SKIP_SWIFT:-0}" != 1 ] && [ ! -f "$SWIFT_ROOT/.parasol-ready" ]; then
  echo "setup: Swift chroot at $SWIFT_ROOT (Debian trixie + swiftlang)"
  rm -rf "$SWIFT_ROOT"
  mkdir -p "$(dirname "$SWIFT_ROOT")"
  debootstrap --variant=minbase trixie "$SWIFT_ROOT" http://deb.debian.org/debian >/dev/null
  chroot "$SWIFT_ROOT" bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends swiftlang libc6-dev >/dev/null && apt-get clean'
  touch "$SWIFT_ROOT/.parasol-ready"
fi
if [ "${PARASOL_SKIP_SYNAPSE:-0}" != 1 ]; then
  bash scripts/synapse.sh install
fi
echo "setup: tools ready"
