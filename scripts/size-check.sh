#!/usr/bin/env bash
# Phone library size: builds `cargo build -p parasol-ffi --profile
# release-mobile` for the host and fails if it outgrows the budget (the
# reasoning behind the numbers: docs/performance.md, "Library size").
#
#   as built  : the release-mobile .so (symbol table kept: uniffi-bindgen reads
#               its metadata from it)
#   shipped   : the same after `strip --strip-unneeded` (what Android Gradle
#               and Xcode package)
#   gzip -9   : roughly the download
#
# Also checks that the test-only `loopback-receiver` feature of parasol-core
# is not in the library.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_BUILT=${PARASOL_SIZE_BUDGET_BUILT:-15000000}
BUDGET_SHIPPED=${PARASOL_SIZE_BUDGET_SHIPPED:-11400000}
BUDGET_GZIP=${PARASOL_SIZE_BUDGET_GZIP:-4400000}
LIB=target/release-mobile/libparasol_ffi.so
echo "== cargo build -p parasol-ffi --profile release-mobile"
cargo build -q -p parasol-ffi --profile release-mobile
mkdir -p target/size
cp "$LIB" target/size/shipped.so
strip --strip-unneeded target/size/shipped.so
built=$(stat -c %s "$LIB")
shipped=$(stat -c %s target/size/shipped.so)
gz=$(gzip -9c target/size/shipped.so | wc -c)
fail=0
row() { # name bytes budget
  local verdict=ok
  [ "$2" -le "$3" ] || { verdict="OVER BUDGET"; fail=1; }
  printf "%-10s %12d bytes (%5.2f MB)   budget %12d   %s\n" "$1" "$2" \
    "$(echo "$2 / 1000000" | bc -l)" "$3" "$verdict"
}
row "as built" "$built" "$BUDGET_BUILT"
row "shipped" "$shipped" "$BUDGET_SHIPPED"
row "gzip -9" "$gz" "$BUDGET_GZIP"
echo "largest sections (shipped):"
size -A target/size/shipped.so | sort -k2 -n -r | awk 'NR>1 && NR<=8 {printf "  %-20s %9.0f KiB\n", $1, $2/1024}'
# The loopback receiver (a test HTTP server) must never reach a phone.
if nm -C "$LIB" | grep -q "alerts::receiver::"; then
  echo "the release-mobile library contains parasol_core::alerts::receiver (feature loopback-receiver)" >&2
  fail=1
else
  echo "loopback-receiver: absent (ok)"
fi
if cargo tree -q -p parasol-ffi -e features -i parasol-core 2>/dev/null | grep -q loopback-receiver; then
  echo "parasol-ffi's dependency tree enables parasol-core/loopback-receiver" >&2
  fail=1
fi
exit $fail
