#!/usr/bin/env bash
# How completely ibid reads real Wikipedia articles: footnote markers and references found by
# `ibid claims --format json`, against the independent counts in DATA_DIR/counts.json
# (mwparserfromhell for wikitext, BeautifulSoup for HTML), and the citation-undefined,
# reference-unresolved and source-unused findings raised.
# usage: bench/reading-eval.sh [DATA_DIR]   (default ../shared/data/wikipedia)
#
# Expected markers = counts.markers + sfn_markers + r_template_markers (ibid reads {{sfn}} and
# {{R}}). Expected references = counts.references + the distinct works the page's {{sfn}}
# markers name (each is one reference in ibid's list; counts.json leaves them out).
# ibid's markers are the claims' citations: a reference cited twice at one point (`[2][2]`,
# `<ref name=a/><ref name=a/>`) is one citation, where counts.json counts two tags; and the
# oracle counts definitions placed in {{reflist}}'s positional argument (not `refs=`) as markers.
# Both show up as a few markers "missing" here without any reference being lost.
# Language is guessed from the text (kana: ja, Han without kana: zh, German function words: de,
# else en), format from the extension.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/wikipedia}
# IBID=path/to/ibid measures another build (e.g. the one before a change)
IBID=${IBID:-}
if [ -z "$IBID" ]; then cargo build --release -q; IBID=./target/release/ibid; fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for f in "$DATA"/*.wikitext "$DATA"/*.html; do
  [ -e "$f" ] || continue
  "$IBID" --config "$OUT/none.toml" claims --format json "$f" > "$OUT/$(basename "$f").json" 2> "$OUT/$(basename "$f").json.err" || true
done
python3 - "$DATA" "$OUT" <<'PY'
import json, os, re, sys
from collections import defaultdict

data, out = sys.argv[1], sys.argv[2]
counts = json.load(open(os.path.join(data, "counts.json")))

def language(text):
    letters = max(1, len(re.findall(r"\w", text)))
    if len(re.findall(r"[\u3040-\u30ff]", text)) > 0.02 * letters:
        return "ja"
    if len(re.findall(r"[\u4e00-\u9fff]", text)) > 0.05 * letters:
        return "zh"
    words = re.findall(r"[A-Za-zäöüß]+", text)
    de = sum(w in ("und", "der", "die", "das", "nicht", "mit") for w in words)
    en = sum(w in ("and", "the", "of", "with", "not", "was") for w in words)
    return "de" if de > en else "en"

def sfn_works(text):
    """Distinct works the {{sfn}}-family footnotes name (authors and year), outside <ref>."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"<ref(?:\s[^>]*)?(?<!/)>.*?</ref\s*>", "", text, flags=re.S | re.I)
    keys = set()
    for m in re.finditer(r"\{\{\s*sfnm?p?\s*\|([^{}]*)\}\}", text, re.I):
        vals = [v.strip() for v in m.group(1).split("|") if "=" not in v and v.strip()]
        if vals:
            keys.add(" ".join(vals).lower())
    return len(keys)

rows = []
failed = []
for name in sorted(counts):
    path = os.path.join(data, name)
    res = os.path.join(out, name + ".json")
    if not os.path.exists(path) or not os.path.exists(res):
        continue
    text = open(path, encoding="utf-8").read()
    try:
        doc = json.load(open(res))
    except ValueError:
        err = open(res + ".err", errors="replace").read().strip().splitlines()[:3]
        print(f"{name}: ibid failed: {' / '.join(err)}", file=sys.stderr)
        failed.append(name)
        doc = {"claims": [], "references": [], "findings": []}
    c = counts[name]
    exp_m = c["markers"] + c.get("sfn_markers", 0) + c.get("r_template_markers", 0)
    exp_r = c["references"] + (sfn_works(text) if name.endswith(".wikitext") else 0)
    got_m = sum(len(cl["citations"]) for cl in doc["claims"])
    got_r = len(doc["references"])
    codes = defaultdict(int)
    for f in doc.get("findings", []):
        codes[f["code"]] += 1
    fmt = "wikitext" if name.endswith(".wikitext") else ("parsoid" if "parsoid" in name or "mob_pagelib" in name else "html")
    rows.append(dict(page=name, lang=language(text), fmt=fmt, got_m=got_m, exp_m=exp_m,
                     got_r=got_r, exp_r=exp_r, undef=codes["citation-undefined"],
                     unres=codes["reference-unresolved"], unused=codes["source-unused"],
                     claims=len(doc["claims"])))

def pct(a, b):
    return 100.0 * a / b if b else 100.0

hdr = f"{'page':34} {'lang':4} {'format':8} {'claims':>6} {'markers':>13} {'m%':>6} {'references':>13} {'r%':>6} {'undef':>5} {'unres':>5} {'unused':>6}"
print(hdr)
print("-" * len(hdr))
def line(label, lang, fmt, rs):
    gm, em = sum(r["got_m"] for r in rs), sum(r["exp_m"] for r in rs)
    gr, er = sum(r["got_r"] for r in rs), sum(r["exp_r"] for r in rs)
    print(f"{label:34} {lang:4} {fmt:8} {sum(r['claims'] for r in rs):6} {gm:6}/{em:<6} {pct(gm, em):6.1f} {gr:6}/{er:<6} {pct(gr, er):6.1f} "
          f"{sum(r['undef'] for r in rs):5} {sum(r['unres'] for r in rs):5} {sum(r['unused'] for r in rs):6}")
for r in rows:
    line(r["page"], r["lang"], r["fmt"], [r])
print("-" * len(hdr))
groups = defaultdict(list)
for r in rows:
    groups[(r["lang"], r["fmt"])].append(r)
for (lang, fmt) in sorted(groups):
    line(f"  {len(groups[(lang, fmt)])} pages", lang, fmt, groups[(lang, fmt)])
line(f"total {len(rows)} pages", "", "", rows)
off = [r["page"] for r in rows if abs(r["got_m"] - r["exp_m"]) > 0.02 * r["exp_m"] or abs(r["got_r"] - r["exp_r"]) > 0.02 * r["exp_r"]]
print(f"pages off by more than 2% (markers or references): {len(off)} {' '.join(off)}")
if failed:
    print(f"ibid FAILED on {len(failed)} pages: {' '.join(failed)}")
    sys.exit(1)
PY
