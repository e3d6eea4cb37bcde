#!/usr/bin/env bash
# Peak memory (GNU time's maximum resident set size) of `ibid verify`, `ibid reindex` and
# `ibid check --offline` on two generated projects served from 127.0.0.1:
#   many: 2,000 captures of ~20 KB pages (one article citing each),
#   big:  one 50 MiB plain-text source cited by one claim,
#   bomb: a 1.4 MB WARC of 24 records that each decompress to 60 MiB (reindex, then verify).
# usage: bench/memory.sh [IBID_BINARY]   (default: target/release/ibid, built here)
# needs python3 (the server) and /usr/bin/time
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-}
if [ -z "$BIN" ]; then
  cargo build --release -q
  BIN=$PWD/target/release/ibid
fi
BIN=$(realpath "$BIN")
W=$(mktemp -d)
PORT=$((20000 + RANDOM % 20000))
python3 - "$W" "$PORT" <<'PY'
import os, random, sys
w, port = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{w}/www/pages", exist_ok=True)
random.seed(7)
words = "the congress delegates report session speech party central committee text published press secret closed hall minutes record history leader members city army protest".split()
for i in range(2000):
    paras = "".join("<p>" + " ".join(random.choice(words) for _ in range(60)) + ".</p>\n" for _ in range(45))
    open(f"{w}/www/pages/{i}.html", "w").write(f"<!doctype html><html><head><title>Page {i}</title></head><body><article><h1>Article {i}</h1>{paras}</article></body></html>")
line = " ".join(random.choice(words) for _ in range(40)) + ".\n"
with open(f"{w}/www/big.txt", "w") as f:
    n = 50 * 1024 * 1024 // len(line)
    f.write(line * n)
for name, urls in [("many", [f"http://127.0.0.1:{port}/pages/{i}.html" for i in range(2000)]),
                   ("big", [f"http://127.0.0.1:{port}/big.txt"])]:
    os.makedirs(f"{w}/{name}", exist_ok=True)
    art = "".join(f"The congress delegates read the report {i}.[^{i}]\n\n" for i in range(len(urls)))
    art += "".join(f"[^{i}]: {u}\n" for i, u in enumerate(urls))
    open(f"{w}/{name}/a.md", "w").write(art)
    open(f"{w}/{name}/sources.toml", "w").write('articles = ["a.md"]\n[fetch]\nallow_private = true\nretries = 0\ntimeout_secs = 120\n')
PY
(cd "$W/www" && exec python3 -m http.server --bind 127.0.0.1 "$PORT" >/dev/null 2>&1) &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 50); do
  python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/pages/0.html')" 2>/dev/null && break
  sleep 0.2
done
peak() { # label, then the command; prints label, exit code, seconds, peak RSS in MiB
  local label=$1; shift
  local code=0
  /usr/bin/time -v -o "$W/time.txt" "$@" >/dev/null 2>"$W/err.txt" || code=$?
  local kb sec
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$W/time.txt")
  sec=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$W/time.txt")
  printf '%-28s exit %s  %8s  peak %6d MiB\n' "$label" "$code" "$sec" $((kb / 1024))
}
for name in many big; do
  (cd "$W/$name" && "$BIN" fetch >/dev/null 2>&1) || { echo "fetch of $name failed" >&2; (cd "$W/$name" && "$BIN" fetch) || true; exit 1; }
  recs=$(cd "$W/$name" && "$BIN" verify | tail -1)
  echo "$name: $recs"
  (cd "$W/$name" && peak "$name verify" "$BIN" verify)
  (cd "$W/$name" && peak "$name reindex" "$BIN" reindex)
  (cd "$W/$name" && peak "$name check --offline" "$BIN" check --offline)
done
mkdir -p "$W/bomb/snapshots/archive"
python3 - "$W/bomb/snapshots/archive/bomb.warc.gz" <<'PY'
import gzip, hashlib, sys
body = b"\0" * (60 * 1024 * 1024)
with open(sys.argv[1], "wb") as out:
    for i in range(24):
        block = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body
        head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{i:08d}-0000-4000-8000-000000000000>\r\n"
                f"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: http://x.example/{i}\r\n"
                f"WARC-Payload-Digest: sha256:{hashlib.sha256(body).hexdigest()}\r\n"
                f"WARC-Block-Digest: sha256:{hashlib.sha256(block).hexdigest()}\r\nContent-Length: {len(block)}\r\n\r\n").encode()
        out.write(gzip.compress(head + block + b"\r\n\r\n", 9))
PY
echo "bomb: $(du -k "$W/bomb/snapshots/archive/bomb.warc.gz" | cut -f1) KB of WARC, 24 records of 60 MiB"
(cd "$W/bomb" && peak "bomb reindex" "$BIN" reindex)
(cd "$W/bomb" && peak "bomb verify" "$BIN" verify)
