#!/usr/bin/env bash
# Supply chain: cargo-deny over the whole dependency graph (deny.toml).
# Licences, bans and sources always; advisories when the RustSec database can
# be fetched (it needs github.com). Installs cargo-deny if missing (about 6
# minutes on 2 cores, once).
# Usage: scripts/supply-chain.sh   (PARASOL_REQUIRE_ADVISORIES=1 makes an
# unreachable advisory database a failure instead of a warning)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo deny --version >/dev/null 2>&1; then
  echo "== installing cargo-deny"
  cargo install cargo-deny --locked --version "^0.20" -q
fi
echo "== cargo deny check licenses bans sources ($(cargo deny --version))"
cargo deny --log-level error check licenses bans sources
echo "== cargo deny check advisories"
set +e
out=$(timeout 300 cargo deny --log-level error check advisories 2>&1)
rc=$?
set -e
if [ $rc -eq 0 ]; then
  echo "advisories ok"
elif grep -q "failed to fetch advisory database" <<<"$out"; then
  echo "advisories: SKIPPED, the RustSec database could not be fetched (no network to github.com)" >&2
  if [ "${PARASOL_REQUIRE_ADVISORIES:-0}" = 1 ]; then exit 1; fi
else
  echo "$out" >&2
  exit 1
fi
