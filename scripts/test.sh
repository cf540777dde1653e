#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests, then the Kotlin (JVM)
# and Swift (Linux) binding tests. Installs what it needs when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-tools.sh
echo "== cargo test"
mkdir -p target
set +e
cargo test --workspace > target/cargo-test.log 2>&1
rc=$?
set -e
grep -E "^(running|test result)|FAILED|panicked" target/cargo-test.log || true
if [ $rc -ne 0 ]; then
  tail -60 target/cargo-test.log
  echo "cargo test failed" >&2
  exit 1
fi
passed=$(grep -oE "[0-9]+ passed" target/cargo-test.log | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE "[0-9]+ failed" target/cargo-test.log | awk '{s+=$1} END {print s+0}')
echo "cargo: $passed passed, $failed failed"
echo "== kotlin bindings (JVM)"
bash scripts/binding-tests.sh kotlin
echo "== swift bindings (Linux)"
bash scripts/binding-tests.sh swift
