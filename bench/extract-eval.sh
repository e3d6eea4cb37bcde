#!/usr/bin/env bash
# Main-content extraction quality and speed on a folder of real pages with human ground truth.
# usage: bench/extract-eval.sh [DATA_DIR]   (default ../shared/data/extraction)
# Prints, from one run:
# - F1, precision, recall of `ibid extract` on every page, from the benchmark's own scorer;
# - the 2-fold figure: constants and rule switches chosen on one half of the pages (sorted ids,
#   odd/even), scored on the other, both directions pooled (bench/extract_folds.py);
# - pages/s and MB/s on one core: median of 5 runs of `ibid extract` over all pages, by wall
#   clock and by the CPU time the process used (the fair figure when other work shares the core).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/extraction}
TOOLS=${TOOLS:-$(dirname "$DATA")/../tools}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cargo build --release -q --bin ibid --example extract_tuned
# decompress once so the timing measures extraction, not gzip
mkdir -p "$OUT/html"
for f in "$DATA"/html/*.html.gz; do gzip -dc "$f" > "$OUT/html/$(basename "${f%.gz}")"; done
n=$(ls "$OUT"/html/*.html | wc -l)
bytes=$(cat "$OUT"/html/*.html | wc -c)
# one core: taskset when available, and rayon limited to one thread
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"
TIMEFORMAT="%R %U %S"
for i in 1 2 3 4 5; do
  { time RAYON_NUM_THREADS=1 $PIN ./target/release/ibid extract --format jsonl "$OUT"/html/*.html > "$OUT/out.jsonl"; } 2>> "$OUT/times"
done
python3 - "$OUT/out.jsonl" "$OUT/pred.json" <<'PY'
import json, os, sys
out = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    key = os.path.basename(r.get("path", "")).replace(".html", "")
    out[key] = {"articleBody": r.get("text", "")}
json.dump(out, open(sys.argv[2], "w"))
PY
echo "all pages:"
python3 "$TOOLS/extract-metrics.py" "$DATA/ground-truth.json" "$OUT/pred.json"
python3 bench/extract_folds.py "$TOOLS/extract-metrics.py" "$DATA/ground-truth.json" \
  ./target/release/examples/extract_tuned "$OUT/html"
# ABLATION=1: each rule and constant of issue 18 set back alone, in-sample and 2-fold (~8 min)
if [ "${ABLATION:-0}" = 1 ]; then
  python3 bench/extract_ablation.py "$TOOLS/extract-metrics.py" "$DATA/ground-truth.json" \
    ./target/release/examples/extract_tuned "$OUT/html"
fi
python3 - "$n" "$bytes" "$OUT/times" <<'PY'
import statistics, sys
n, b = int(sys.argv[1]), int(sys.argv[2])
runs = [tuple(map(float, l.split())) for l in open(sys.argv[3]) if l.strip()]
wall = statistics.median(r[0] for r in runs)
cpu = statistics.median(r[1] + r[2] for r in runs)
print(f"pages: {n}, bytes: {b}, runs (wall s): {' '.join(f'{r[0]:.3f}' for r in runs)}")
print(f"speed, one core, median of {len(runs)}: {n / wall:.0f} pages/s, {b / wall / 1e6:.1f} MB/s by wall clock;"
      f" {n / cpu:.0f} pages/s, {b / cpu / 1e6:.1f} MB/s by CPU time")
PY
