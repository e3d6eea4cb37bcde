#!/usr/bin/env bash
# The editor's loop on a real Wikipedia page, on loopback only: a fake MediaWiki API serves the
# page, a loopback server every URL it cites (http and https through a CA made for the run; one
# in five answering 404, an archived copy for half of those), then
# `ibid check URL --format review-html --patch rescue.diff` is timed over ROUNDS fresh runs.
# Then: the patch is applied with patch(1) and compared line by line with Python's difflib
# (only insertions, or a url-status value, may differ), and the review is screenshot in
# headless Chromium.
# usage: bench/wiki-review.sh [WIKIPEDIA_DIR] [PAGE] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-../shared/data/wikipedia}
PAGE=${2:-Bootham_Crescent.wikitext}
ROUNDS=${3:-5}
OUT=target/wiki-review
[ -f "$DIR/$PAGE" ] || { echo "no $DIR/$PAGE: give the folder of the Wikipedia pages"; exit 2; }
cargo build --release -q --bin ibid --example wiki_review
rm -rf "$OUT"; mkdir -p "$OUT"
./target/release/examples/wiki_review "$DIR/$PAGE" "$OUT" "$ROUNDS"

python3 - "$OUT/original.wikitext" "$OUT/${PAGE%.wikitext}.wikitext" <<'PY'
import difflib, re, sys
old = open(sys.argv[1], encoding="utf-8").read().splitlines(keepends=True)
new = open(sys.argv[2], encoding="utf-8").read().splitlines(keepends=True)
# lines first (fast on a whole page), then characters inside each changed block
inserted, other = [], []
for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
    if op == "equal":
        continue
    a, b = "".join(old[a1:a2]), "".join(new[b1:b2])
    for cop, c1, c2, d1, d2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if cop == "insert":
            inserted.append(b[d1:d2])
        elif cop != "equal":
            other.append((cop, a[c1:c2], b[d1:d2]))
param = r"\s*\|\s*(archive-url|archive-date|url-status)\s*=\s*[^|{}\n]*"
allowed = re.compile(rf"^({param})+\s*$|^ \{{\{{Webarchive \|url=\S+ \|date=[^{{}}|]+\}}\}}$")
bad = [s for s in inserted if not allowed.match(s)]
# a url-status value may be replaced (live -> dead); nothing else
other_bad = [o for o in other if not (o[0] == "replace" and o[2] == "dead")]
print(f"difflib: {len(inserted)} insertions ({sum(map(len, inserted))} characters), "
      f"{len(other)} replacements; insertions not archive parameters or a Webarchive: {len(bad)}; "
      f"other changes: {len(other_bad)}")
for s in bad[:5]: print("  unexpected insertion:", repr(s[:160]))
for o in other_bad[:5]: print("  unexpected change:", o)
sys.exit(1 if bad or other_bad else 0)
PY

if command -v chromium > /dev/null; then
  (cd tests/browser && npm install --silent --no-audit --no-fund > /dev/null)
  node tests/browser/check-review.mjs "$PWD/$OUT/review.html" "$PWD/$OUT/review.png"
else
  echo "chromium not installed: no screenshot (apt-get install chromium)"
fi
