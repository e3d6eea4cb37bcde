#!/usr/bin/env bash
# Article reading speed per format on real pages, one thread. usage: bench/read-speed.sh [WIKIPEDIA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-../shared/data/wikipedia}
PIN=""; command -v taskset >/dev/null && PIN="taskset -c 0"
cargo build --release -q --example read_speed
$PIN ./target/release/examples/read_speed "$DIR"/*.wikitext "$DIR"/*.html
