#!/usr/bin/env bash
# Claim-checking accuracy and speed on WiCE (claims with their cited pages and human labels).
# usage: bench/wice-eval.sh [WICE_JSONL]   (default ../shared/data/wice/dev.jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/wice/dev.jsonl}
TOOLS=${TOOLS:-$(dirname "$DATA")/../../tools}
OUT=$(mktemp -d)
cargo build --release -q
./target/release/ibid judge "$DATA" > "$OUT/pred.jsonl"
python3 "$TOOLS/judge-metrics.py" "$DATA" "$OUT/pred.jsonl"
n=$(grep -c . "$DATA")
# speed: the file repeated 10 times, median of 5 runs, on one core and on all cores
for i in $(seq 10); do cat "$DATA"; done > "$OUT/big.jsonl"
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"
for mode in one all; do
  ts=""
  for r in 1 2 3 4 5; do
    s=$(date +%s.%N)
    if [ $mode = one ]; then $PIN ./target/release/ibid judge --threads 1 "$OUT/big.jsonl" > /dev/null; else ./target/release/ibid judge "$OUT/big.jsonl" > /dev/null; fi
    e=$(date +%s.%N); ts="$ts $(python3 -c "print(round($e - $s, 4))")"
  done
  med=$(echo $ts | tr ' ' '\n' | sort -n | sed -n 3p)
  python3 -c "import sys; print(f'{sys.argv[1]} core(s): {10*int(sys.argv[2])/float(sys.argv[3]):.0f} pairs/s (median of 5 runs over {10*int(sys.argv[2])} pairs)')" $mode "$n" "$med"
done
rm -rf "$OUT"
