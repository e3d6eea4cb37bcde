#!/usr/bin/env bash
# Main-content extraction quality and speed on a folder of real pages with human ground truth.
# usage: bench/extract-eval.sh [DATA_DIR]   (default ../shared/data/extraction)
# Prints the F1 from the benchmark's own scorer and pages/s, MB/s on one core.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/extraction}
TOOLS=${TOOLS:-$(dirname "$DATA")/../tools}
OUT=$(mktemp -d)
cargo build --release -q
# decompress once so the timing measures extraction, not gzip
mkdir -p "$OUT/html"
for f in "$DATA"/html/*.html.gz; do gzip -dc "$f" > "$OUT/html/$(basename "${f%.gz}")"; done
n=$(ls "$OUT"/html/*.html | wc -l)
bytes=$(cat "$OUT"/html/*.html | wc -c)
# one core: taskset when available, and rayon limited to one thread
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"
for i in 1 2 3 4 5; do
  s=$(date +%s.%N)
  RAYON_NUM_THREADS=1 $PIN ./target/release/ibid extract --format jsonl "$OUT"/html/*.html > "$OUT/out.jsonl"
  e=$(date +%s.%N)
  times="${times:-} $(python3 -c "print(round($e - $s, 4))")"
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
python3 "$TOOLS/extract-metrics.py" "$DATA/ground-truth.json" "$OUT/pred.json"
median=$(echo $times | tr ' ' '\n' | sort -n | sed -n 3p)
echo "pages: $n, bytes: $bytes, runs (s):$times"
python3 -c "import sys; n,b,m=int(sys.argv[1]),int(sys.argv[2]),float(sys.argv[3]); print(f'speed (median of 5, one core): {n/m:.0f} pages/s, {b/m/1e6:.1f} MB/s')" "$n" "$bytes" "$median"
rm -rf "$OUT"
