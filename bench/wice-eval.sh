#!/usr/bin/env bash
# Claim checking on WiCE (real claims with their cited pages and human labels): accuracy
# in-sample and by nested cross-validation, the confusion table, each finding's false alarms and
# precision, the severity trade-off, the partially supported sub-claims of
# unsupported-tokens.jsonl, and speed.
# usage: bench/wice-eval.sh [WICE_DEV_JSONL]   (default ../shared/data/wice/dev.jsonl)
#   REPEATS=10      nested cross-validation repeats
#   BEFORE=path     another ibid binary (an older build) whose findings are tabled for comparison
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/wice/dev.jsonl}
TOKENS=$(dirname "$DATA")/unsupported-tokens.jsonl
TOOLS=${TOOLS:-$(dirname "$DATA")/../../tools}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cargo build --release -q
BIN=./target/release/ibid

echo "== verdict rules: chosen and measured by nested cross-validation (bench/wice_cv.py)"
python3 bench/wice_cv.py "$DATA" "$BIN" --repeats "${REPEATS:-10}" --fixed names

echo
echo "== the shipped rules on dev, scored by the benchmark's own tool"
$BIN judge "$DATA" > "$OUT/pred.jsonl"
python3 "$TOOLS/judge-metrics.py" "$DATA" "$OUT/pred.jsonl"
python3 bench/wice_stats.py findings "$DATA" "$OUT/pred.jsonl"
if [ -n "${BEFORE:-}" ]; then
  echo "-- before ($BEFORE)"
  "$BEFORE" judge "$DATA" > "$OUT/before.jsonl"
  python3 "$TOOLS/judge-metrics.py" "$DATA" "$OUT/before.jsonl" | tail -1
  python3 bench/wice_stats.py findings "$DATA" "$OUT/before.jsonl"
fi

if [ -f "$TOKENS" ]; then
  echo
  echo "== $(basename "$TOKENS"): partially supported sub-claims with their unsupported tokens"
  $BIN judge "$TOKENS" > "$OUT/tokens.jsonl"
  python3 bench/wice_stats.py tokens "$TOKENS" "$OUT/tokens.jsonl"
  if [ -n "${BEFORE:-}" ]; then
    echo "-- before ($BEFORE)"
    "$BEFORE" judge "$TOKENS" > "$OUT/tokens-before.jsonl"
    python3 bench/wice_stats.py tokens "$TOKENS" "$OUT/tokens-before.jsonl"
  fi
fi

echo
echo "== speed: dev repeated 10 times, median of 5 runs"
n=$(grep -c . "$DATA")
for i in $(seq 10); do cat "$DATA"; done > "$OUT/big.jsonl"
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"
for mode in one all; do
  walls=""; cpus=""
  for r in 1 2 3 4 5; do
    if [ $mode = one ]; then args="--threads 1"; pin=$PIN; else args=""; pin=""; fi
    # wall time, and CPU seconds (user + system): on a busy machine the CPU figure is what one
    # idle core would take
    /usr/bin/env time -f "%e %U %S" -o "$OUT/time" $pin $BIN judge $args "$OUT/big.jsonl" > /dev/null
    read -r wall user sys < "$OUT/time"
    walls="$walls $wall"; cpus="$cpus $(python3 -c "print($user + $sys)")"
  done
  python3 - "$mode" "$((10 * n))" "$walls" "$cpus" <<'PY'
import sys
mode, pairs, walls, cpus = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split()
med = lambda xs: sorted(map(float, xs))[len(xs) // 2]
w, c = med(walls), med(cpus)
if mode == "one":
    print(f"one core: {pairs / w:,.0f} pairs/s wall clock, {pairs / c:,.0f} pairs per CPU-second ({pairs} pairs)")
else:
    print(f"all cores: {pairs / w:,.0f} pairs/s wall clock ({pairs} pairs)")
PY
done
