#!/usr/bin/env bash
# Log canary check: no passphrase, key or journal text in any output.
#
# Runs `cargo test --workspace -- --nocapture` (so the output of passing tests
# is kept too) and, unless PARASOL_SKIP_BINDINGS=1, the Kotlin binding tests,
# capturing stdout and stderr to target/log-canary/*.log, then fails if any
# canary below appears: the passphrases, journal texts and keys the journal
# and alert tests use. The test names themselves never contain them.
#   bash scripts/log-canary.sh            # about 3-4 minutes warm
#   bash scripts/log-canary.sh --scan     # only scan logs already captured
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/log-canary
mkdir -p "$OUT"
if [ "${1:-}" != "--scan" ]; then
  rm -f "$OUT"/*.log
  echo "== cargo test --workspace -- --nocapture (output to $OUT/cargo-test.log)"
  cargo test --workspace -- --nocapture > "$OUT/cargo-test.log" 2>&1 \
    || { tail -40 "$OUT/cargo-test.log"; echo "cargo test failed" >&2; exit 1; }
  if [ "${PARASOL_SKIP_BINDINGS:-0}" != 1 ]; then
    echo "== kotlin binding tests (output to $OUT/kotlin.log)"
    bash scripts/binding-tests.sh kotlin > "$OUT/kotlin.log" 2>&1 \
      || { tail -40 "$OUT/kotlin.log"; echo "kotlin tests failed" >&2; exit 1; }
  fi
fi
# Canaries: distinctive values from the tests (core/src/journal/tests.rs,
# core/src/alerts/tests.rs, core/tests/fuzz.rs, tests/ffi, tests/kotlin).
CANARIES=(
  "correct horse battery staple"
  "open sesame for visitors"
  "visitor passphrase"
  "CANARYtitleQX7" "CANARYbodyQX7" "CANARYtagQX7" "CANARYpersonQX7"
  "CANARYattachQX7" "CANARYupdateQX7"
  "SECRETTITLE" "SECRETBODY" "Zorana Secretname" "tk_secret"
  "fuzz canary entry" "fuzzing journal passphrase" "corpus backup passphrase"
  "kotlin pässphrase"
  "0707070707070707070707070707070707070707070707070707070707070707"
  "0909090909090909090909090909090909090909090909090909090909090909"
)
logs=("$OUT"/*.log)
[ -e "${logs[0]}" ] || { echo "no logs in $OUT" >&2; exit 1; }
lines=$(cat "${logs[@]}" | wc -l)
found=0
for c in "${CANARIES[@]}"; do
  if grep -F -n -- "$c" "${logs[@]}" >/dev/null; then
    echo "CANARY FOUND: \"$c\"" >&2
    grep -F -n -- "$c" "${logs[@]}" | head -3 >&2
    found=1
  fi
done
echo "log canaries: scanned ${#logs[@]} log(s), $lines lines, ${#CANARIES[@]} canaries: $([ $found = 0 ] && echo none found || echo FOUND)"
exit $found
