#!/usr/bin/env bash
# Fetch benchmark on loopback: nginx (started here on 127.0.0.1) serves 2,000 generated ~20 KB
# article pages, 50 URLs that 404 and 20 redirects. In one run, alternating: `ibid fetch` into an
# empty store (storing and hashing everything; again with --gzip-level 0), lychee on a Markdown file of the same links
# (status only, stores nothing), and `wget --warc-file` on the same list.
# usage: bench/fetch-bench.sh [ROUNDS]   needs nginx, wget and lychee (cargo install lychee); GNU time (/usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
LYCHEE=${LYCHEE:-$(command -v lychee || echo /tmp/lychee/bin/lychee)}
# lychee installed with pip sits behind a pyenv shim, a bash script that starts pyenv before
# lychee: about 0.1 s a run, which was counted as lychee's until issue 17. Time the program.
if [ -x "$LYCHEE" ] && [[ $(head -c 300 "$LYCHEE" | tr -d '\0') == *pyenv* ]]; then
  LYCHEE=$(pyenv which lychee 2>/dev/null || echo "$LYCHEE")
fi
W=$(mktemp -d)
# mktemp makes the folder 0700; nginx workers run as another user and would answer 403 to everything
chmod 755 "$W"
PORT=$((20000 + RANDOM % 20000))
cargo build --release -q
cargo build --release -q --example sha_speed
python3 - "$W" "$PORT" <<'PY'
import os, random, sys
w, port = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{w}/www/pages", exist_ok=True)
random.seed(7)
words = "the congress delegates report session speech party central committee text published press secret closed hall minutes record history leader members city army protest".split()
urls = []
for i in range(2000):
    paras = "".join("<p>" + " ".join(random.choice(words) for _ in range(60)) + ".</p>\n" for _ in range(45))
    html = f"<!doctype html><html><head><title>Page {i}</title></head><body><nav><a href='/'>Home</a></nav><article><h1>Article {i}</h1>{paras}</article><footer>Footer</footer></body></html>"
    open(f"{w}/www/pages/{i}.html", "w").write(html)
    urls.append(f"http://127.0.0.1:{port}/pages/{i}.html")
urls += [f"http://127.0.0.1:{port}/missing/{i}.html" for i in range(50)]
urls += [f"http://127.0.0.1:{port}/r/{i}.html" for i in range(20)]
open(f"{w}/urls.txt", "w").write("\n".join(urls) + "\n")
open(f"{w}/links.md", "w").write("\n".join(f"- <{u}>" for u in urls) + "\n")
art = "".join(f"Claim {i}.[^{i}]\n\n" for i in range(len(urls))) + "".join(f"[^{i}]: {u}\n" for i, u in enumerate(urls))
os.makedirs(f"{w}/ibid", exist_ok=True)
open(f"{w}/ibid/a.md", "w").write(art)
open(f"{w}/ibid/sources.toml", "w").write('articles = ["a.md"]\n[fetch]\nallow_private = true\nconcurrency = 32\nper_host = 32\nretries = 0\n')
PY
cat > "$W/nginx.conf" <<NG
worker_processes 2;
pid $W/nginx.pid;
error_log $W/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$PORT;
    root $W/www;
    location /r/ { rewrite ^/r/(.*)\$ /pages/\$1 permanent; }
  }
}
NG
nginx -c "$W/nginx.conf"
trap 'nginx -c "$W/nginx.conf" -s stop 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
sleep 0.5
for path in pages/0.html missing/0.html r/0.html; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/$path")
  case "$path:$code" in pages/*:200|missing/*:404|r/*:301) ;; *) echo "nginx answered $code for /$path; not benchmarking" >&2; exit 1 ;; esac
done
bytes=$(cat "$W"/www/pages/*.html | wc -c)
echo "lychee: $LYCHEE"
echo "corpus: 2000 pages ($((bytes / 2000)) bytes each on average), 50 x 404, 20 redirects on 127.0.0.1:$PORT"
run() { # name, command...; prints seconds and peak RSS
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/time.txt" "$@" > /dev/null 2>&1 || true
  # time(1) prints "Command exited with non-zero status N" first when the command fails
  read -r secs kb < <(tail -1 "$W/time.txt")
  echo "$name $secs $kb" >> "$W/results.txt"
}
for r in $(seq "$ROUNDS"); do
  rm -rf "$W/ibid/snapshots"
  (cd "$W/ibid" && run ibid env CI=1 "$OLDPWD/target/release/ibid" fetch)
  ibid_kib=$(du -sk "$W/ibid/snapshots/archive" | cut -f1)
  # the same with stored (uncompressed) gzip members: what deflate costs
  rm -rf "$W/ibid/snapshots"
  (cd "$W/ibid" && run ibid-gzip0 env CI=1 "$OLDPWD/target/release/ibid" fetch --gzip-level 0)
  ibid0_kib=$(du -sk "$W/ibid/snapshots/archive" | cut -f1)
  [ -x "$LYCHEE" ] && run lychee "$LYCHEE" --no-progress --max-concurrency 32 --host-concurrency 32 --host-request-interval 0ms --max-retries 0 "$W/links.md"
  rm -f "$W"/wget.warc.gz; (cd "$W" && run wget wget -q --tries=1 --warc-file=wget -i urls.txt -O /dev/null)
done
idx="$W/ibid/snapshots/indexes/index.cdxj"
echo "captured by the last ibid run (--gzip-level 0): $(grep -c . "$idx") index lines: $(grep -c '"status":"200"' "$idx") x 200, $(grep -c '"status":"404"' "$idx") x 404, $(grep -c '"status":"301"' "$idx") x 301; verify: $(cd "$W/ibid" && "$OLDPWD/target/release/ibid" verify | tail -1)"
echo "archive size: ibid $ibid_kib KiB (gzip level 1), $ibid0_kib KiB (level 0); wget $(du -k "$W/wget.warc.gz" | cut -f1) KiB"
python3 - "$W/results.txt" <<'PY'
import statistics, sys, collections
res = collections.defaultdict(list)
for line in open(sys.argv[1]):
    n, s, kb = line.split(); res[n].append((float(s), int(kb)))
med = {n: statistics.median(s for s, _ in v) for n, v in res.items()}
for n, v in res.items():
    print(f"{n:10s} median {med[n]:.2f} s over {len(v)} runs (runs: {', '.join(f'{s:.2f}' for s, _ in v)}); peak RSS {max(k for _, k in v) / 1024:.0f} MiB")
if "ibid" in med:
    for n in med:
        if n != "ibid":
            print(f"ratio {n}/ibid: {med[n] / med['ibid']:.1f}x")
PY
./target/release/examples/sha_speed
command -v openssl > /dev/null && openssl speed -evp sha256 -bytes 16384 -seconds 3 2>/dev/null | tail -1
