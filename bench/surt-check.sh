#!/usr/bin/env bash
# Do ibid's CDXJ keys match pywb's? Takes every URL cited by the real Wikipedia pages (and
# their archive copies), computes the key with ibid and with the surt package pywb uses
# (pip install pywb), and prints the URLs whose keys differ.
# usage: bench/surt-check.sh [DATA_DIR]   (default ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data}
cargo build --release -q --example surt_keys
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
for f in "$DATA"/wikipedia/*; do
  case "$f" in *.wikitext|*.html) ./target/release/ibid claims "$f" --format json 2>/dev/null || true ;; esac
done | python3 -c '
import json, sys
dec = json.JSONDecoder()
text = sys.stdin.read(); i = 0
while i < len(text):
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    v, i = dec.raw_decode(text, i)
    for r in v.get("references", []):
        for u in r.get("urls", []) + r.get("archive_urls", []):
            if u.startswith(("http://", "https://")): print(u)
' | sort -u > "$W/urls.txt"
./target/release/examples/surt_keys < "$W/urls.txt" > "$W/ibid.txt"
python3 -c '
import sys, surt
for u in open(sys.argv[1]):
    print(surt.surt(u.rstrip("\n")))
' "$W/urls.txt" > "$W/pywb.txt"
n=$(wc -l < "$W/urls.txt")
paste -d '\t' "$W/urls.txt" "$W/ibid.txt" "$W/pywb.txt" | awk -F '\t' '$2 != $3 { print "differs: " $1 "\n  ibid: " $2 "\n  pywb: " $3; d++ } END { print d+0 " of '"$n"' URLs differ" }'
