#!/usr/bin/env python3
"""Replay ibid's snapshots in pywb: the store must work as a pywb collection as it is.

Copies a store (`archive/` + `indexes/index.cdxj`) into a fresh pywb collections folder (or
lets `wb-manager add --unpack-wacz` unpack a WACZ package ibid exported into one),
starts `wayback` on 127.0.0.1, asks it for every indexed capture in raw (`id_`) mode and checks
that the bytes served hash to the payload digest in the index. Revisit records must replay as
the payload they point to. Exits 1 naming each capture that failed.

usage: pywb-replay.py STORE_DIR|PACKAGE.wacz
"""
import hashlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    store = sys.argv[1]
    work = tempfile.mkdtemp()
    coll = os.path.join(work, "collections", "ibid")
    if store.endswith(".wacz"):
        # a package ibid exported: pywb's own manager unpacks its WARCs and index
        manager = [shutil.which("wb-manager")] if shutil.which("wb-manager") else [
            sys.executable, "-c", "import sys; from pywb.manager.manager import main; sys.exit(main())"]
        os.makedirs(os.path.join(coll, "archive"))
        os.makedirs(os.path.join(coll, "indexes"))
        subprocess.run(manager + ["add", "--unpack-wacz", "ibid", os.path.abspath(store)],
                       cwd=work, check=True, stdout=subprocess.DEVNULL)
    else:
        os.makedirs(coll)
        shutil.copytree(os.path.join(store, "archive"), os.path.join(coll, "archive"))
        shutil.copytree(os.path.join(store, "indexes"), os.path.join(coll, "indexes"))
    port = free_port()
    log = open(os.path.join(work, "wayback.log"), "w")
    # the `wayback` script pip installs, or the same entry point through this interpreter when
    # the script's folder is not on PATH
    launcher = [shutil.which("wayback")] if shutil.which("wayback") else [
        sys.executable, "-c", "import sys; from pywb.apps.cli import wayback; sys.exit(wayback())"]
    proc = subprocess.Popen(
        launcher + ["-p", str(port), "-b", "127.0.0.1"], cwd=work, stdout=log, stderr=log
    )
    bad = []
    checked = 0
    try:
        base = f"http://127.0.0.1:{port}"
        # wayback imports a lot before it listens: give a loaded CI machine a minute
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            sys.exit("wayback did not start; see its log in " + work)
        for line in open(os.path.join(coll, "indexes", "index.cdxj"), encoding="utf-8"):
            key, ts, js = line.rstrip("\n").split(" ", 2)
            e = json.loads(js)
            if e.get("status") != "200":
                continue
            url = f"{base}/ibid/{ts}id_/{e['url']}"
            try:
                # accepting every encoding asks for the payload as stored, not decoded
                req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, deflate, br"})
                got = urllib.request.urlopen(req, timeout=10).read()
            except urllib.error.HTTPError as err:
                bad.append(f"{ts} {e['url']}: pywb answered HTTP {err.code}")
                continue
            except http.client.IncompleteRead as err:
                # a record cut at the body cap (WARC-Truncated) keeps the server's original
                # Content-Length, which pywb passes on: the bytes it has are what must match
                got = err.partial
            digest = "sha256:" + hashlib.sha256(got).hexdigest()
            if digest != e["digest"]:
                bad.append(f"{ts} {e['url']}: replayed {len(got)} bytes hash to {digest}, index says {e['digest']}")
            checked += 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    for b in bad:
        print("BAD", b)
    print(f"pywb replay: {checked} captures served, {len(bad)} wrong")
    if bad or checked == 0:
        print("wayback log kept in", work)
        sys.exit(1)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
