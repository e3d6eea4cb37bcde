#!/usr/bin/env bash
# Article reading speed per format on real pages, one thread, then on hostile pages made here
# (each at 640 KB and 1,280 KB: the time should double, not quadruple).
# usage: bench/read-speed.sh [WIKIPEDIA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-../shared/data/wikipedia}
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"
cargo build --release -q --example read_speed
$PIN ./target/release/examples/read_speed "$DIR"/*.wikitext "$DIR"/*.html

HOSTILE=$(mktemp -d)
trap 'rm -rf "$HOSTILE"' EXIT
# hostile NAME.EXT UNIT: UNIT repeated to 640 KB and to 1,280 KB, with no newline
hostile() {
  for kb in 640 1280; do
    (set +o pipefail; yes "$2" | tr -d '\n' | head -c $((kb * 1024)) > "$HOSTILE/${1%.*}-${kb}k.${1##*.}")
  done
}
hostile unclosed-cite.wikitext 'Text.{{cite web|url=https://example.org/a|title=T '
hostile unclosed-ref.wikitext 'Claim.<ref name=a>'
hostile repeated-ref-definition.wikitext 'Claim.<ref name=a>{{cite web|url=https://example.org/a}}</ref> '
hostile repeated-ref-reuse.wikitext 'Claim.<ref name=a/> '
hostile unclosed-file.wikitext '[[File:a.jpg|thumb|'
hostile unclosed-sup.html 'Claim.<sup class="reference"><a href="#cite_note-1">[1]'
hostile unclosed-note-list.html '<ol class="references"><li id="cite_note-1">Note '
# one place cited again and again, the markers set apart by spaces or brackets
hostile spaced-markers.md '[^a] '
hostile bracketed-markers.md '[^a]('
hostile bracketed-refs.wikitext '<ref name=a/>('
$PIN ./target/release/examples/read_speed "$HOSTILE"/*

# A whole offline check (claims, findings, the review of every reference) of an article with
# 1,000 and then 4,000 footnotes, each citing its own URL: the time should grow about 4x, not
# 16x (the review once scanned the whole article for each reference's line).
PROJECT=$(mktemp -d)
trap 'rm -rf "$HOSTILE" "$PROJECT"' EXIT
cargo build --release -q
for n in 1000 4000; do
  python3 - "$PROJECT/a$n.md" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
text = "".join(f"Claim {i} says what source {i} says.[^{i}]\n\n" for i in range(n))
text += "".join(f"[^{i}]: <https://source{i}.example/page>\n" for i in range(n))
open(path, "w").write(text)
PY
  printf 'articles = ["a%s.md"]\n' "$n" > "$PROJECT/sources.toml"
  times=""
  for r in 1 2 3 4 5; do
    /usr/bin/env time -f "%e" -o "$PROJECT/t" $PIN ./target/release/ibid --config "$PROJECT/sources.toml" check --offline --format json > /dev/null 2>&1 || true
    # time(1) writes "Command exited with non-zero status 1" first: check exits 1 on findings
    times="$times $(tail -1 "$PROJECT/t")"
  done
  echo "check --offline, $n footnotes: median $(printf '%s\n' $times | sort -n | sed -n 3p) s (runs:$times)"
done

# The text report's code frames for 300 and then 1,200 claims on one line of 1 and 4 MB: about
# 4x, not 16x (each frame once counted the whole line's characters: 1.36 s and 19.8 s).
for n in 300 1200; do
  python3 - "$PROJECT/line$n.md" "$n" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
claims = "".join(f"Springfield had 31,000 people in 2011 and claim {i} is here.[^a] " for i in range(n))
open(path, "w").write("word " * (200000 * n // 300) + claims + "\n\n[^a]: <https://example.org/a>\n")
PY
  printf 'articles = ["line%s.md"]\n' "$n" > "$PROJECT/sources.toml"
  /usr/bin/env time -f "%e" -o "$PROJECT/t" $PIN ./target/release/ibid --config "$PROJECT/sources.toml" check --offline --format text > /dev/null 2>&1 || true
  echo "check --offline --format text, $n claims on one line: $(tail -1 "$PROJECT/t") s"
done
