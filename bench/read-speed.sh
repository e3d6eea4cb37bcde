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
$PIN ./target/release/examples/read_speed "$HOSTILE"/*
