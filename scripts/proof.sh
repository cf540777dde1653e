#!/usr/bin/env bash
# The proof checks for CI (issue 8), each bounded, each timed:
#   1. size-check    phone library size budget + no test-only code in it
#   2. discretion    no unreviewed purpose-revealing strings in it
#   3. supply-chain  cargo-deny: licences, bans, sources (+ advisories if reachable)
#   4. fuzz          the property-based fuzz targets, bounded case counts
#   5. log-canary    the test suite's whole output scanned for canaries
#   6. bench --quick the benchmark suite as a smoke test (optional: PARASOL_PROOF_BENCH=1)
# Usage: bash scripts/proof.sh   (PARASOL_PROOF_SKIP="log-canary ..." skips steps)
set -uo pipefail
cd "$(dirname "$0")/.."
SKIP=" ${PARASOL_PROOF_SKIP:-} "
failed=()
summary=()
step() { # name command...
  local name=$1; shift
  if [[ "$SKIP" == *" $name "* ]]; then summary+=("$(printf '%-13s skipped' "$name")"); return; fi
  echo "==== $name"
  local t0=$SECONDS
  if "$@"; then
    summary+=("$(printf '%-13s ok      %4ds' "$name" $((SECONDS - t0)))")
  else
    summary+=("$(printf '%-13s FAILED  %4ds' "$name" $((SECONDS - t0)))")
    failed+=("$name")
  fi
}
step size-check bash scripts/size-check.sh
step discretion bash scripts/discretion.sh
step supply-chain bash scripts/supply-chain.sh
step fuzz cargo test -q -p parasol-core --test fuzz
step log-canary bash scripts/log-canary.sh
if [ "${PARASOL_PROOF_BENCH:-0}" = 1 ]; then step bench bash scripts/bench.sh --quick; fi
echo "==== summary"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then echo "failed: ${failed[*]}" >&2; exit 1; fi
