#!/usr/bin/env bash
# Does a library still spell out the docs of its FFI surface? Takes the
# Kotlin bindings generated from it (their KDoc is uniffi's copy of every `///`
# of the bindings crate) and looks for each doc line of 20+ characters in
# `strings` of the library. Prints the count and the first few; exits 1 if
# any is found. scripts/binding-tests.sh runs it on the unfiltered library
# (must find some: the check can fail) and on the filtered one (must find none).
# Usage: scripts/doc-leak.sh <kotlin-bindings-dir> <library>
set -euo pipefail
dir=$1 lib=$2
docs=$(mktemp) && trap 'rm -f "$docs"' EXIT
find "$dir" -name '*.kt' -print0 | xargs -0 sed -n 's/^[[:space:]]*\* \(.*[^[:space:]]\)[[:space:]]*$/\1/p' \
  | grep -v '^@' | awk 'length($0) >= 20' | sort -u > "$docs"
total=$(wc -l < "$docs")
[ "$total" -gt 0 ] || { echo "doc-leak: no doc lines in $dir" >&2; exit 2; }
found=$(strings -n 20 "$lib" | grep -F -f "$docs" | sort -u || true)
n=$(printf '%s' "$found" | grep -c . || true)
echo "doc-leak: $n of $total doc lines of the FFI surface in $(basename "$lib")"
if [ "$n" -gt 0 ]; then
  printf '%s\n' "$found" | head -5 | sed 's/^/  /'
  exit 1
fi
