#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 600) with cargo-fuzz (libFuzzer).
# Only the stable toolchain exists here, so RUSTC_BOOTSTRAP=1 unlocks -Z flags cargo-fuzz needs.
# usage: bench/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECS=${1:-600}; shift || true
command -v cargo-fuzz > /dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
TARGETS=${*:-$(cargo fuzz list)}
mkdir -p logs
# seeds for the archive readers: the example's own WARCs, and its store exported as a WACZ
# (the wacz_package target adds the zip magic itself, so the seed goes without it)
seed() {
  local t=$1
  [ -z "$(ls -A "corpus/$t" 2>/dev/null)" ] || return 0
  case $t in
    foreign_warc) cp ../snapshots/archive/*.warc.gz "corpus/$t/" ;;
    wacz_package) (cd .. && cargo run -q --release -- export --wacz "fuzz/corpus/$t/seed.wacz") && tail -c +5 "corpus/$t/seed.wacz" > "corpus/$t/seed" && rm "corpus/$t/seed.wacz" ;;
    foreign_index) cp ../snapshots/indexes/index.cdxj "corpus/$t/" ;;
  esac
}
for t in $TARGETS; do
  mkdir -p "corpus/$t"
  seed "$t"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=20 -max_len=262144 > "logs/$t.log" 2>&1 || { echo "$t: CRASH (see fuzz/logs/$t.log and fuzz/artifacts/$t)"; continue; }
  echo "$t: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "logs/$t.log" | tail -1)"
done
