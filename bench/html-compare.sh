#!/usr/bin/env bash
# ibid's own HTML parser (src/html/) against scraper / html5ever (the WHATWG tree builder).
# usage: bench/html-compare.sh [DATA_DIR]   (default ../shared/data)
#   DATA_DIR/extraction/html/*.html.gz      the extraction pages (ground truth beside them)
#   DATA_DIR/wikipedia/*.html               rendered Wikipedia pages
# Env: RUNS (speed runs, default 11), OUT (keep outputs there; default a temp dir, removed),
#      SKIP_DEEP=1 (skip the 1M-nesting runs), SKIP_BUILD_COST=1 (skip the cold builds),
#      DEEP_TIMEOUT (seconds for one html5ever deep-nesting run, default 600).
# The comparison crate is bench/html-compare (its own workspace: ibid's build never sees
# scraper). It is built with ibid's target directory so ibid's dependencies are reused.
# Method and figures: bench/html-compare.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data}
RUNS=${RUNS:-11}
DEEP_TIMEOUT=${DEEP_TIMEOUT:-600}
KEEP=${OUT:-}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
[ -z "$KEEP" ] && trap 'rm -rf "$OUT"' EXIT
ROOT=$(pwd)
TOOLS=${TOOLS:-$DATA/../tools}
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"

shopt -s nullglob
PAGES=("$DATA"/extraction/html/*.html.gz)
WIKI=("$DATA"/wikipedia/*.html)
if [ ${#PAGES[@]} -eq 0 ]; then
  echo "no pages under $DATA/extraction/html" >&2
  exit 2
fi

CARGO_TARGET_DIR="$ROOT/target" cargo build --release -q --manifest-path bench/html-compare/Cargo.toml
B="$ROOT/target/release/html-compare"

echo "## 1. Speed, one core, median of $RUNS runs"
echo "### the ${#PAGES[@]} extraction pages"
$PIN "$B" speed "$RUNS" "${PAGES[@]}"
if [ ${#WIKI[@]} -gt 0 ]; then
  echo "### the ${#WIKI[@]} Wikipedia pages"
  $PIN "$B" speed "$RUNS" "${WIKI[@]}"
fi

echo
echo "## 2-3. Visible text, word placement and tree shape (html5ever scripting off)"
"$B" compare scripting-off "$OUT/compare" "${PAGES[@]}" "${WIKI[@]}" > "$OUT/compare.tsv"
python3 - "$OUT/compare.tsv" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
head, body = rows[0], [r for r in rows[1:] if not r[0].startswith("TOTAL")]
col = {h: i for i, h in enumerate(head)}
n = len(body)
same = sum(r[col["same_words"]] == "true" for r in body)
f1 = [float(r[col["f1_4gram"]]) for r in body]
tree_same = sum(r[col["tree_nodes_off"]] == "0" for r in body)
implied = sum(r[col["implied_added"]] != "0" for r in body)
print(f"pages: {n}; same visible words: {same}; mean 4-gram F1: {sum(f1)/n:.4f}; min: {min(f1):.4f}")
print(f"trees identical outside script/style/svg/math and implied html/head/body/tbody: {tree_same}/{n}; pages where html5ever adds implied elements: {implied}")
print("pages that differ:")
for r in body:
    if r[col["same_words"]] != "true" or r[col["tree_nodes_off"]] != "0" or r[col["chain_moved"]] != "0":
        print("  " + "  ".join(f"{h}={r[col[h]]}" for h in ("page", "f1_4gram", "words_ibid", "words_h5e", "tree_nodes_off", "implied_added", "container_moved", "chain_moved")))
PY
grep TOTAL "$OUT/compare.tsv"

echo
echo "## 1b/2. ibid's extractor on each tree"
for mode in scripting-off scripting-on; do
  "$B" extract "$mode" "$OUT/extract-$mode" "${PAGES[@]}" "${WIKI[@]}" > "$OUT/extract-$mode.tsv"
  python3 - "$OUT/extract-$mode.tsv" "$mode" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
head, body = rows[0], rows[1:]
col = {h: i for i, h in enumerate(head)}
n = len(body)
main_same = sum(float(r[col["main_f1"]]) == 1.0 for r in body)
whole_diff = [r for r in body if float(r[col["whole_f1"]]) < 1.0]
art_diff = [r for r in body if r[col["markers_ibid"]] != r[col["markers_h5e"]] or r[col["refs_ibid"]] != r[col["refs_h5e"]]]
print(f"html5ever {sys.argv[2]}: main text 4-gram F1 = 1 on {main_same}/{n} pages; whole text differs on {len(whole_diff)}/{n}"
      + (f" (mean F1 there {sum(float(r[col['whole_f1']]) for r in whole_diff)/len(whole_diff):.3f})" if whole_diff else "")
      + f"; article reader markers/references differ on {len(art_diff)}/{n}")
PY
  if [ -f "$TOOLS/extract-metrics.py" ] && [ -f "$DATA/extraction/ground-truth.json" ]; then
    echo -n "  vs ground truth, ibid's tree:      "; python3 "$TOOLS/extract-metrics.py" "$DATA/extraction/ground-truth.json" "$OUT/extract-$mode/extract-ibid.json"
    echo -n "  vs ground truth, html5ever's tree: "; python3 "$TOOLS/extract-metrics.py" "$DATA/extraction/ground-truth.json" "$OUT/extract-$mode/extract-h5e.json"
  fi
done

echo
echo "## Classes of difference, constructed examples"
"$B" classes > "$OUT/classes.md"
grep -c '^### ' "$OUT/classes.md" | sed 's/^/examples: /'

echo
echo "## 4. Robustness (one parse per process; peak_rss after the parse)"
if [ -z "${SKIP_DEEP:-}" ]; then
  for tag in span div; do
    $PIN "$B" deep ibid "$tag" 1000000
  done
  $PIN "$B" deep scraper span 1000000
  for n in 10000 20000 40000; do $PIN "$B" deep scraper div "$n"; done
  s=$(date +%s)
  if ! $PIN timeout "$DEEP_TIMEOUT" "$B" deep scraper div 1000000; then
    echo "scraper	1000000 nested <div>	not finished after $(( $(date +%s) - s )) s (stopped)"
  fi
fi
for p in ibid scraper; do
  $PIN "$B" big "$p" 50
  $PIN "$B" big "$p" 50 "${PAGES[@]}"
done

if [ -z "${SKIP_BUILD_COST:-}" ]; then
  echo
  echo "## 5. Build cost: a trivial binary with and without scraper (cold release builds, ibid's profile)"
  W="$OUT/build"
  mkdir -p "$W"
  for v in base scraper; do
    mkdir -p "$W/$v/src"
    {
      echo "[package]"; echo "name = \"bc-$v\""; echo "version = \"0.0.0\""; echo "edition = \"2021\""
      echo "[workspace]"
      echo "[dependencies]"
      [ "$v" = scraper ] && echo 'scraper = { version = "0.29", default-features = false }'
      echo "[profile.release]"; echo 'debug = "line-tables-only"'; echo "codegen-units = 16"
    } > "$W/$v/Cargo.toml"
    if [ "$v" = scraper ]; then
      cat > "$W/$v/src/main.rs" <<'RS'
use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let html = scraper::Html::parse_document(&s);
    println!("{} nodes, {} bytes", html.tree.nodes().count(), s.len());
}
RS
    else
      cat > "$W/$v/src/main.rs" <<'RS'
use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    println!("{} bytes", s.len());
}
RS
    fi
    (cd "$W/$v" && cargo generate-lockfile -q && cargo fetch -q)
    (cd "$W/$v" && /usr/bin/time -f "$v: cold release build wall %e s, CPU %U+%S s" cargo build --release -q --timings 2>&1 | grep -v '^ *Timing report' || true)
    ls -l "$W/$v/target/release/bc-$v" | awk -v v="$v" '{print v ": binary " $5 " bytes"}'
    strip -o "$W/$v/stripped" "$W/$v/target/release/bc-$v" && ls -l "$W/$v/stripped" | awk -v v="$v" '{print v ": stripped " $5 " bytes"}'
  done
  # crates scraper brings that ibid's lock does not have, and their compile time
  python3 - "$W/scraper/Cargo.lock" Cargo.lock "$W/scraper/target/cargo-timings/cargo-timing.html" <<'PY'
import json, re, sys, tomllib
def pkgs(p):
    return {(x["name"], x["version"]) for x in tomllib.load(open(p, "rb")).get("package", [])}
new = sorted(pkgs(sys.argv[1]) - pkgs(sys.argv[2]) - {("bc-scraper", "0.0.0")})
names_new = {n for n, _ in new}
html = open(sys.argv[3]).read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
units = json.loads(m.group(1)) if m else []
secs = sum(u["duration"] for u in units if u["name"] in names_new)
total = sum(u["duration"] for u in units)
print(f"crates scraper adds to ibid's lock: {len(new)}: " + ", ".join(f"{n} {v}" for n, v in new))
print(f"their compile time (sum of units, --timings): {secs:.1f} s of {total:.1f} s for the whole scraper build")
PY
fi
[ -n "$KEEP" ] && echo "outputs kept in $OUT"
exit 0
