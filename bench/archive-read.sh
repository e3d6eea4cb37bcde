#!/usr/bin/env bash
# Reading speed of another tool's WARC: warcio (Python) writes a WARC of SIZE_MB (default 1024)
# in a temporary folder under /tmp (never in the repository): responses with their requests,
# HTML pages of generated words and binary "images" of random bytes, gzip per record, sha1
# digests as warcio writes them. Then, alternating in one run: `ibid index` (reads every record
# to build the index `check --archive` uses), `warcio index` (the same file, its default
# fields), and once `ibid index --verify` (also loads every capture and checks its digests).
# Prints records/s and MB/s (of the file) for each.
# usage: bench/archive-read.sh [SIZE_MB] [ROUNDS]   needs python3 with warcio; GNU time
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
ROUNDS=${2:-3}
W=$(mktemp -d /tmp/ibid-archive-read.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
cargo build --release -q
python3 -m pip install --quiet --disable-pip-version-check warcio
echo "writing a ${SIZE_MB} MB WARC with warcio in $W ..."
python3 - "$W/foreign.warc.gz" "$SIZE_MB" <<'PY'
import io, os, random, sys
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders
path, size_mb = sys.argv[1], int(sys.argv[2])
random.seed(11)
words = ("the congress delegates report session speech party central committee text published press "
         "secret closed hall minutes record history leader members city army protest").split()
n = 0
with open(path, "wb") as fh:
    w = WARCWriter(fh, gzip=True)
    while fh.tell() < size_mb * 1_000_000:
        if n % 3 == 0:
            body = os.urandom(random.randint(20_000, 120_000))
            ctype, url = "image/jpeg", f"http://img{n % 97}.example/{n}.jpg"
        else:
            paras = "".join("<p>" + " ".join(random.choice(words) for _ in range(80)) + ".</p>\n" for _ in range(random.randint(10, 60)))
            body = f"<!doctype html><html><head><title>Page {n}</title></head><body>{paras}</body></html>".encode()
            ctype, url = "text/html; charset=utf-8", f"http://site{n % 97}.example/article/{n}.html"
        req = StatusAndHeaders("GET /x HTTP/1.1", [("Host", url.split("/")[2]), ("User-Agent", "bench")], is_http_request=True)
        w.write_record(w.create_warc_record(url, "request", http_headers=req))
        head = StatusAndHeaders("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=head))
        n += 1
print(f"{n} captures ({2 * n} records), {os.path.getsize(path) / 1e6:.0f} MB")
PY
F="$W/foreign.warc.gz"
MB=$(python3 -c "import os; print(os.path.getsize('$F') / 1e6)")
run() { # name, command...: seconds
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/time.txt" "$@" > "$W/$name.out" 2> "$W/$name.err" || true
  read -r secs kb < <(tail -1 "$W/time.txt")
  echo "$name $secs $kb" >> "$W/results.txt"
}
for r in $(seq "$ROUNDS"); do
  run ibid-index ./target/release/ibid index "$F"
  run warcio-index warcio index "$F"
done
run ibid-index-verify ./target/release/ibid index --verify "$F"
tail -1 "$W/ibid-index-verify.err"
RECORDS=$(wc -l < "$W/warcio-index.out")
CAPTURES=$(wc -l < "$W/ibid-index.out")
python3 - "$W/results.txt" "$MB" "$RECORDS" "$CAPTURES" <<'PY'
import statistics, sys, collections
path, mb, records, captures = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
res = collections.defaultdict(list)
for line in open(path):
    n, s, kb = line.split(); res[n].append((float(s), int(kb)))
print(f"file: {mb:.0f} MB, {records} records ({captures} captures indexed by ibid)")
for n, v in res.items():
    med = statistics.median(s for s, _ in v)
    print(f"{n:18s} median {med:6.2f} s over {len(v)} run(s) ({', '.join(f'{s:.2f}' for s, _ in v)}): "
          f"{records / med:9.0f} records/s, {mb / med:6.0f} MB/s; peak RSS {max(k for _, k in v) / 1024:.0f} MiB")
PY
