#!/usr/bin/env bash
# Sharded fetch and merge on loopback, as the README's CI matrix runs it: nginx (started here on
# 127.0.0.1) serves SHARDS x PAGES generated ~20 KB pages spread over 80 host names (all mapped
# to 127.0.0.1 by sources.toml's `resolve`). A base store (200 pages every shard starts from, as
# matrix jobs start from the committed snapshots/) is copied to each shard, each shard runs
# `ibid fetch --shard K/N`, then `ibid merge` joins the shards into an empty store and
# `ibid verify` checks it. Prints each step's time and what merge and verify said.
# usage: bench/merge-bench.sh [PAGES_PER_SHARD] [SHARDS]   needs nginx, python3; GNU time
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${1:-2000}
SHARDS=${2:-4}
W=$(mktemp -d)
chmod 755 "$W"
PORT=$((20000 + RANDOM % 20000))
cargo build --release -q
IBID="$PWD/target/release/ibid"
python3 - "$W" "$PORT" "$PAGES" "$SHARDS" <<'PY'
import os, random, sys
w, port, pages, shards = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(f"{w}/www/pages", exist_ok=True)
random.seed(7)
words = "the congress delegates report session speech party central committee text published press secret closed hall minutes record history leader members city army protest".split()
total = pages * shards + 200
hosts = [f"h{i}.example" for i in range(80)]
for i in range(total):
    paras = "".join("<p>" + " ".join(random.choice(words) for _ in range(60)) + ".</p>\n" for _ in range(45))
    open(f"{w}/www/pages/{i}.html", "w").write(f"<!doctype html><html><head><title>Page {i}</title></head><body><article><h1>Article {i}</h1>{paras}</article></body></html>")
def project(name, ids):
    d = f"{w}/{name}"
    os.makedirs(d, exist_ok=True)
    refs = [f"http://{hosts[i % len(hosts)]}:{port}/pages/{i}.html" for i in ids]
    art = "".join(f"Claim {n}.[^{n}]\n\n" for n in range(len(refs))) + "".join(f"[^{n}]: {u}\n" for n, u in enumerate(refs))
    open(f"{d}/a.md", "w").write(art)
    resolve = ", ".join(f'"{h}" = "127.0.0.1:{port}"' for h in hosts)
    open(f"{d}/sources.toml", "w").write(f'articles = ["a.md"]\n[fetch]\nallow_private = true\nconcurrency = 32\nper_host = 8\nretries = 0\nresolve = {{ {resolve} }}\n')
project("base", range(200))
project("all", range(total))
PY
cat > "$W/nginx.conf" <<NG
worker_processes 2;
pid $W/nginx.pid;
error_log $W/error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$PORT; root $W/www; } }
NG
nginx -c "$W/nginx.conf"
trap 'nginx -c "$W/nginx.conf" -s stop 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
sleep 0.5
timed() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e" -o "$W/t" "$@" > "$W/out" 2> "$W/err" || true
  printf '%-34s %6.2f s   %s\n' "$label" "$(cat "$W/t" | tail -1)" "$(grep -E '^ibid: (fetched|merged|shard)|all digests|problem' "$W/err" "$W/out" | sed 's/^[^:]*://' | tail -1)"
}
(cd "$W/base" && timed "base store (200 pages)" env CI=1 "$IBID" fetch)
for k in $(seq "$SHARDS"); do
  mkdir -p "$W/all/shard-$k"
  cp -r "$W/base/snapshots/." "$W/all/shard-$k/"
  (cd "$W/all" && timed "fetch --shard $k/$SHARDS" env CI=1 "$IBID" fetch --store "shard-$k" --shard "$k/$SHARDS")
done
shards=$(for k in $(seq "$SHARDS"); do printf 'shard-%s ' "$k"; done)
(cd "$W/all" && timed "merge $SHARDS shards into an empty store" "$IBID" merge --store merged $shards)
(cd "$W/all" && timed "verify the merged store" "$IBID" verify --store merged)
(cd "$W/all" && timed "merge the same shards again" "$IBID" merge --store merged $shards)
lines=$(grep -c . "$W/all/merged/indexes/index.cdxj")
revisits=$(grep -c warc/revisit "$W/all/merged/indexes/index.cdxj" || true)
echo "merged store: $lines index lines ($revisits revisits), $(du -sk "$W/all/merged/archive" | cut -f1) KiB of WARCs; shards together $(du -skc "$W"/all/shard-*/archive | tail -1 | cut -f1) KiB"
