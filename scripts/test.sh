#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests (with every test's
# output kept), the Kotlin (JVM) and Swift (Linux) binding tests including the
# shells' hosts over the core's App, then a scan of all that output for the
# tests' canary secrets. Installs what it needs when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-tools.sh
LOGS=target/log-canary
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log

# run NAME COMMAND...: runs a test runner with its output kept in $LOGS/NAME.log.
run() {
  local name=$1; shift
  echo "== $name"
  set +e
  "$@" > "$LOGS/$name.log" 2>&1
  local rc=$?
  set -e
  if [ $rc -ne 0 ]; then
    tail -60 "$LOGS/$name.log"
    echo "$name failed" >&2
    exit 1
  fi
}

# One Synapse (Matrix homeserver) on 127.0.0.1 for the whole run, stopped
# on exit; the Matrix tests fail (rather than skip) without it.
SYNAPSE_DIR=$PWD/target/synapse-run
bash scripts/synapse.sh stop "$SYNAPSE_DIR" 2>/dev/null || true
rm -rf "$SYNAPSE_DIR"
trap 'bash scripts/synapse.sh stop "$SYNAPSE_DIR"' EXIT
t0=$SECONDS
eval "$(bash scripts/synapse.sh start "$SYNAPSE_DIR")"
export PARASOL_REQUIRE_SYNAPSE=1
echo "== synapse ready in $((SECONDS - t0)) s at $PARASOL_SYNAPSE_URL"

run cargo-test cargo test --workspace -- --nocapture
grep -E "^test result" "$LOGS/cargo-test.log" || true
passed=$(grep -E "^test result" "$LOGS/cargo-test.log" | grep -oE "[0-9]+ passed" | awk '{s+=$1} END {print s+0}')
failed=$(grep -E "^test result" "$LOGS/cargo-test.log" | grep -oE "[0-9]+ failed" | awk '{s+=$1} END {print s+0}')
echo "cargo: $passed passed, $failed failed"
total=$passed

# `kotlin` also runs the Android shell's shared module, `swift` the iOS kit.
for target in kotlin swift; do
  run "$target" bash scripts/binding-tests.sh "$target"
  grep -E "^(FAIL|[a-z-]+: [0-9]+ passed, [0-9]+ failed)" "$LOGS/$target.log"
  n=$(grep -E "^[a-z-]+: [0-9]+ passed, 0 failed" "$LOGS/$target.log" | grep -oE "[0-9]+ passed" | awk '{s+=$1} END {print s+0}')
  total=$((total + n))
done

# Build, packaging and store-policy checks of the apps (issue 12).
run platform bash scripts/platform-checks.sh
grep -E "^(FAIL|platform-checks: [0-9]+ passed, [0-9]+ failed)" "$LOGS/platform.log"
n=$(grep -E "^platform-checks: [0-9]+ passed, 0 failed" "$LOGS/platform.log" | grep -oE "[0-9]+ passed" | awk '{s+=$1} END {print s+0}')
total=$((total + n))

echo "== log canaries"
bash scripts/log-canary.sh --scan
echo "all: $total passed, 0 failed" | tee "$LOGS/summary.txt"
