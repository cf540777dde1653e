#!/usr/bin/env bash
# The whole benchmark suite, one command. Every figure is measured next to a
# baseline in the same run on the same machine; the results land in
# target/bench/figures.md, ready to paste into docs/performance.md.
#
#   bash scripts/bench.sh            # full run (about 3 minutes warm)
#   bash scripts/bench.sh --quick    # smoke run with tiny counts (CI)
#   bash scripts/bench.sh --peers    # Parasol against SQLCipher and plain SQLite
#                                    # (tests/peers; target/bench/peers.md)
#
# Benches: core/benches/{profile,content,journal,alerts,app}.rs (cargo bench,
# release profile), tests/benches/ffi.rs (FFI calls made from Rust) and
# tests/kotlin-bench/Bench.kt (the same calls from Kotlin on the JVM).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=target/bench

if [ "${1:-}" = "--peers" ]; then
  # Parasol, SQLCipher and plain SQLite on the same workloads, interleaved.
  # SQLCipher cannot share a build graph with the bundled SQLite, so
  # tests/peers is a crate of its own (own Cargo.lock, own target/), built
  # twice: with SQLCipher and a vendored OpenSSL (several minutes the first
  # time, cached in tests/peers/target), and with plain SQLite. Extra
  # arguments go to the driver (--quick, --only list,add, --alerts 10,1000 ...).
  # CI never runs this. How it works: tests/peers/README.md.
  shift
  for tool in perl make cc; do
    command -v $tool >/dev/null || { echo "--peers needs $tool (OpenSSL is built from source)" >&2; exit 1; }
  done
  PEERS=$ROOT/tests/peers
  peers_build() { CARGO_TARGET_DIR=$PEERS/target cargo build -q --release --locked --manifest-path "$PEERS/Cargo.toml" "$@"; }
  echo "== building Parasol's runner (release)"
  cargo build -q --release -p parasol-core --example peers_runner
  echo "== building the SQLCipher runner (vendored OpenSSL: minutes the first time)"
  peers_build --features sqlcipher --bin sqlcipher-runner
  echo "== building the plain SQLite runner and the driver"
  peers_build --features sqlite --bins
  T=$PEERS/target/release
  exec "$T/peers" --parasol target/release/examples/peers_runner \
    --sqlcipher "$T/sqlcipher-runner" --sqlite "$T/sqlite-runner" \
    --out "$OUT/peers.md" --command "bash scripts/bench.sh --peers${*:+ $*}" "$@"
fi

QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
mkdir -p "$OUT"
rm -f "$OUT"/*.txt

run_bench() { # package bench
  echo "== cargo bench -p $1 --bench $2"
  if [ $QUICK = 1 ]; then
    # Without --bench the bench mains use their quick settings.
    cargo test -q --release -p "$1" --bench "$2" 2>/dev/null | tee "$OUT/$2.txt"
  else
    PARASOL_BENCH_ENTRIES=${PARASOL_BENCH_ENTRIES:-10000} \
      cargo bench -q -p "$1" --bench "$2" 2>/dev/null | tee "$OUT/$2.txt"
  fi
}

# Build everything first so that no compiler runs while something is timed.
echo "== building (release)"
if [ $QUICK = 1 ]; then
  cargo test -q --release -p parasol-core -p parasol-binding-tests --benches --no-run
else
  cargo bench -q -p parasol-core -p parasol-binding-tests --no-run
fi
cargo build -q --release -p parasol-ffi
cargo build -q -p uniffi-bindgen

[ $QUICK = 1 ] && export PARASOL_BENCH_ENTRIES=500
run_bench parasol-core profile
run_bench parasol-core content
run_bench parasol-core journal
# The Matrix round trips need a homeserver: a temporary Synapse when installed.
if [ -z "${PARASOL_SYNAPSE_URL:-}" ] && bash scripts/synapse.sh installed; then
  BENCH_SYNAPSE=$ROOT/target/bench-synapse
  rm -rf "$BENCH_SYNAPSE"
  trap 'bash scripts/synapse.sh stop "$BENCH_SYNAPSE"' EXIT
  eval "$(bash scripts/synapse.sh start "$BENCH_SYNAPSE")"
fi
run_bench parasol-core alerts
run_bench parasol-core app
run_bench parasol-binding-tests ffi

echo "== FFI from Kotlin (JVM)"
K=$ROOT/.tools/node_modules/kotlin-compiler
JNA=/usr/share/java/jna.jar
if [ ! -x "$K/bin/kotlinc" ] || [ ! -f "$JNA" ]; then
  PARASOL_SKIP_SWIFT=1 bash scripts/setup-tools.sh
fi
KB=target/kotlin-bench
rm -rf "$KB/bindings" && mkdir -p "$KB"
target/debug/uniffi-bindgen generate --no-format --library target/release/libparasol_ffi.so \
  --language kotlin --config tests/kotlin/uniffi-jvm.toml --out-dir "$KB/bindings" >/dev/null
sum=$(cat $(find "$KB/bindings" -name '*.kt' | sort) tests/kotlin-bench/*.kt | sha256sum | cut -c1-16)
if [ ! -f "$KB/bench-$sum.jar" ]; then
  rm -f "$KB"/bench-*.jar
  "$K/bin/kotlinc" -J-Xmx2g -nowarn -cp "$JNA" $(find "$KB/bindings" -name '*.kt') \
    tests/kotlin-bench/*.kt -d "$KB/bench-$sum.jar" 2>&1 | grep -v '^warning' || true
  [ -f "$KB/bench-$sum.jar" ] || { echo "kotlin bench did not compile" >&2; exit 1; }
fi
java -Djna.library.path="$ROOT/target/release" \
  -cp "$KB/bench-$sum.jar:$JNA:$K/lib/kotlin-stdlib.jar" org.parasol.bench.BenchKt \
  $([ $QUICK = 1 ] && echo --quick) | tee "$OUT/kotlin.txt"

# ---- figures.md
{
  echo "# Benchmark figures"
  echo
  echo "Command: \`bash scripts/bench.sh$([ $QUICK = 1 ] && echo ' --quick')\`, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')."
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr), rustc $(rustc --version | cut -d' ' -f2), $(java -version 2>&1 | head -1)."
  echo
  echo "| figure | Parasol | baseline | baseline value | ratio |"
  echo "|---|---|---|---|---|"
  cat "$OUT"/profile.txt "$OUT"/content.txt "$OUT"/journal.txt "$OUT"/alerts.txt "$OUT"/app.txt \
    | grep '^FIGURE|' | awk -F'|' '{printf "| %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6}'
  grep '^FFI|' "$OUT/ffi.txt" "$OUT/kotlin.txt" | cut -d: -f2- | awk -F'|' '
    $3 == "rust" { rust[$2] = $4 }
    $3 == "kotlin" { kt[$2] = $4; order[++n] = $2 }
    END { for (i = 1; i <= n; i++) { c = order[i];
      printf "| FFI: %s from Kotlin (JVM) | %.2f us/call | same call from Rust | %.2f us/call | %.1fx |\n",
        c, kt[c] / 1000, rust[c] / 1000, kt[c] / rust[c] } }'
  echo
  echo "Full output: target/bench/*.txt"
} > "$OUT/figures.md"
echo
cat "$OUT/figures.md"
