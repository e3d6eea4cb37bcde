"""The GitHub Action's own steps, run in a shell against the bundled example (issue 19).

Every scenario runs action.yml's steps through .ci/action_runner.py (the runner's step wiring,
GITHUB_OUTPUT, GITHUB_PATH, job summary, the cache) with the release archives that
action/package.sh makes, served on 127.0.0.1 in GitHub's URL layout:

  /OWNER/ibid/releases/latest                   -> 302 /OWNER/ibid/releases/tag/vVERSION
  /OWNER/ibid/releases/download/vVERSION/FILE   the archives and their .sha256

Nothing leaves the machine. The local build stands in for the release binaries (one Linux
binary packed under each target's name: the tests check names, layout, digests and wiring, not
the cross builds, which only the release workflow can make).

usage: python3 .ci/action-test.py [IBID_BINARY]   (default target/release/ibid)
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tomllib
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from action_runner import ActionRun  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REPO = "OWNER/ibid"
TARGETS = [  # (RUNNER_OS, RUNNER_ARCH) of every runner a release binary is built for
    ("Linux", "X64"), ("Linux", "ARM64"), ("macOS", "X64"), ("macOS", "ARM64"), ("Windows", "X64"),
]
# what ibid itself reports on the bundled example (its JSON summary), read in main(): the action
# must pass these on unchanged; .ci/run checks separately that the planted faults are found
PLANTED: dict = {}
SUMMARY: dict = {}

passed = failed = 0
START = time.monotonic()


def section(title: str) -> None:
    print(f"== {title} ({time.monotonic() - START:.1f} s)")


def check(ok: bool, what: str, detail: str = "") -> None:
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {what}")
    else:
        failed += 1
        print(f"FAIL - {what}" + (f"\n{detail}" if detail else ""))


def lib(function: str, *args: str) -> str:
    """Call a function of action/lib.sh, the one definition of release names."""
    return subprocess.run(
        ["bash", "-c", f'. action/lib.sh; {function} "$@"', "lib", *args],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Releases(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder; answers /releases/latest with GitHub's redirect."""

    version = ""
    requests: list = []

    def do_GET(self):
        Releases.requests.append(self.path)
        if self.path == f"/{REPO}/releases/latest":
            self.send_response(302)
            self.send_header("Location", f"/{REPO}/releases/tag/v{Releases.version}")
            self.end_headers()
        elif self.path.startswith(f"/{REPO}/releases/tag/"):
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            super().do_GET()

    def do_HEAD(self):
        self.do_GET()

    def log_message(self, *args):
        pass


def summary_row() -> str:
    """The job summary's counts row, as `--format markdown` writes it for the example."""
    keys = ("claims", "supported", "partially_supported", "not_supported", "unverifiable",
            "errors", "warnings", "notes")
    return "| " + " | ".join(str(SUMMARY[k]) for k in keys) + " |"


def downloads() -> int:
    return sum("/releases/download/" in p for p in Releases.requests)


def main() -> int:
    built = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target/release/ibid").resolve()
    own = subprocess.run([str(built), "check", "--offline", "--format", "json"], cwd=ROOT,
                         capture_output=True, text=True)
    SUMMARY.update(json.loads(own.stdout)["summary"])
    PLANTED.update({k: SUMMARY[k] for k in ("claims", "errors", "warnings", "notes")})
    work = Path(tempfile.mkdtemp(prefix="ibid-action-test-"))
    # the release workflow strips its binaries (CARGO_PROFILE_RELEASE_STRIP): pack one alike
    binary = work / "ibid"
    shutil.copy(built, binary)
    if shutil.which("strip"):
        subprocess.run(["strip", binary], check=True)
    version = lib("cargo_version", "Cargo.toml")
    Releases.version = version
    site = work / "site"
    release_dir = site / REPO / "releases/download" / f"v{version}"

    section("release archives: names and layout agree with Cargo.toml's binstall metadata")
    meta = tomllib.loads((ROOT / "Cargo.toml").read_text())["package"]["metadata"]["binstall"]
    for runner_os, arch in TARGETS:
        target = lib("release_target", runner_os, arch)
        archive = Path(subprocess.run(
            ["bash", "action/package.sh", target, str(binary), str(release_dir)],
            cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip())
        fmt = meta.get("overrides", {}).get(target, {}).get("pkg-fmt", meta["pkg-fmt"])
        suffix = {"tgz": ".tar.gz", "zip": ".zip"}[fmt]
        exe = ".exe" if "windows" in target else ""
        fill = {"{ repo }": f"https://github.com/{REPO}", "{ version }": version,
                "{ name }": "ibid", "{ target }": target, "{ archive-suffix }": suffix,
                "{ bin }": "ibid", "{ binary-ext }": exe}
        url, bin_dir = meta["pkg-url"], meta["bin-dir"]
        for k, v in fill.items():
            url, bin_dir = url.replace(k, v), bin_dir.replace(k, v)
        action_url = f"https://github.com/{REPO}/releases/download/v{version}/{archive.name}"
        check(url == action_url, f"{runner_os}/{arch}: binstall pkg-url is the archive the action downloads ({archive.name})",
              f"binstall: {url}\naction:   {action_url}")
        if fmt == "zip":
            names = zipfile.ZipFile(archive).namelist()
        else:
            names = tarfile.open(archive).getnames()
        check(bin_dir in names, f"{target}: archive holds binstall's bin-dir {bin_dir}", str(names))
        want = archive.with_name(archive.name + ".sha256").read_text().split()
        got = subprocess.run(["sha256sum", archive], capture_output=True, text=True).stdout.split()[0]
        check(want == [got, archive.name], f"{target}: .sha256 names the archive and its digest")

    port = free_port()
    handler = lambda *a: Releases(*a, directory=str(site))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    github = f"http://127.0.0.1:{port}"
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens: a download that cannot happen
    cache = work / "cache"  # stands for GitHub's cache service, shared by the "jobs" below
    cache.mkdir()
    stub_bin = work / "stub-bin"  # a cargo that records its arguments and installs nothing
    stub_bin.mkdir()
    (stub_bin / "cargo").write_text(f'#!/bin/sh\necho "$@" > "{work}/cargo-args"\nexit 1\n')
    (stub_bin / "cargo").chmod(0o755)
    jobs = iter(range(1000))
    last_runner = [work]

    def job(inputs: dict, *, os_="Linux", arch="X64", url=github, workspace=ROOT,
            path=None, env=None, cache_store=cache):
        """One fresh runner: its own tool cache and temp folder, the shared cache service."""
        n = next(jobs)
        runner = work / f"runner{n}"
        last_runner[0] = runner
        (runner / "tool-cache").mkdir(parents=True)
        (runner / "temp").mkdir()
        e = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
        e.update({"RUNNER_OS": os_, "RUNNER_ARCH": arch, "RUNNER_TEMP": str(runner / "temp"),
                  "RUNNER_TOOL_CACHE": str(runner / "tool-cache"), "IBID_GITHUB_URL": url,
                  "GITHUB_REPOSITORY": "someone/project", "NO_COLOR": "1"})
        if path is not None:
            e["PATH"] = path
        e.update(env or {})
        return ActionRun(ROOT / "action.yml", inputs, e, workspace, cache_store,
                         action_repository=REPO).run()

    def report_counts(r) -> dict:
        s = json.loads(Path(r.outputs["report"]).read_text())["summary"]
        return {k: s[k] for k in PLANTED}

    def outputs_counts(r) -> dict:
        return {k: int(r.outputs[k]) for k in PLANTED}

    section('1. a fresh runner, version latest: redirect, download, digest, extract, run')
    r = job({"args": "check --offline", "sarif": "true"})
    check(r.steps["resolve"].outputs.get("version") == version
          and r.steps["resolve"].outputs.get("mode") == "release",
          f"latest resolves through the /releases/latest redirect to {version}",
          str(r.steps["resolve"].outputs) + r.log)
    check(r.steps["install"].outputs.get("installed-by") == "release",
          "no cache: the release archive is downloaded and installed", r.log)
    check(r.outputs["exit-code"] == "1", "exit-code output is 1 (planted faults)", r.log)
    check(r.outcome == "failure" and r.exit_code == 1 and r.failed_step == "exit"
          and all(r.steps[s].outcome == "success" for s in ("resolve", "install", "run")),
          "the action's last step fails with ibid's exit code 1, after the reports",
          f"{r.outcome} {r.exit_code} {r.failed_step}")
    check(report_counts(r) == outputs_counts(r) == PLANTED,
          f"claims/errors/warnings/notes outputs match the JSON report: {outputs_counts(r)}",
          f"report {report_counts(r)}")
    sarif = json.loads(Path(r.outputs["sarif"]).read_text())
    results = sum(len(run["results"]) for run in sarif["runs"])
    check(results == sum(PLANTED[k] for k in ("errors", "warnings", "notes")),
          f"SARIF report holds one result per finding ({results})")
    check(any(u[0].startswith("github/codeql-action/upload-sarif") and u[1]["sarif_file"] == r.outputs["sarif"]
              for u in r.uses), "the SARIF report is uploaded to code scanning", str(r.uses))
    check("::error file=secret-speech.md,line=11,col=370,title=ibid number-mismatch::" in r.log,
          "annotations in the log (format github): the number mismatch on line 11", r.log[-3000:])
    check(r.summary.startswith("## ibid citation check") and summary_row() in r.summary,
          "the Markdown report is in the job summary", r.summary[:500])
    check(Path(r.outputs["markdown"]).read_text() == r.summary, "markdown output is the summary written")
    check(any(u[0].startswith("actions/cache/save") for u in r.uses), "the install is saved to the cache")
    check(r.outputs["ibid-path"].endswith("/bin/ibid") and Path(r.outputs["ibid-path"]).is_file(),
          "ibid-path output names the installed binary")

    section('2. the next job: the cache restores the binary, nothing is downloaded')
    before = downloads()
    r = job({"args": "check --offline"})
    check(r.steps["install"].outputs.get("installed-by") == "cache" and downloads() == before,
          "binary already present (cache hit): installed without a download",
          f"{r.steps['install'].outputs} downloads {downloads() - before}\n{r.log}")
    check(not any(u[0].startswith("actions/cache/save") for u in r.uses), "a cache hit is not saved again")
    check(r.outputs["exit-code"] == "1" and outputs_counts(r) == PLANTED, "same outputs from the cached binary")

    section('3. an archive whose digest does not match is refused, not installed')
    archive = release_dir / f"{lib('release_stem', version, 'x86_64-unknown-linux-musl')}.tar.gz"
    digest_file = archive.with_name(archive.name + ".sha256")
    good = digest_file.read_text()
    digest_file.write_text("0" * 64 + good[64:])
    r = job({"args": "check --offline"}, cache_store=work / "empty-cache")
    digest_file.write_text(good)
    check(r.outcome == "failure" and r.failed_step == "install" and "does not match the published" in r.log,
          "a tampered download fails the install step", r.log)
    check(not list(last_runner[0].rglob("bin/ibid")), "and leaves no binary behind")

    section("4. no release can be downloaded: cargo install --locked from the action's source")
    r = job({"args": "check --offline", "version": version}, url=closed, cache_store=work / "cache4")
    check("could not download" in r.log and r.steps["install"].outputs.get("installed-by") == "cargo",
          f"download impossible: falls back to cargo install --locked --path (version {version})", r.log[-3000:])
    check(r.outputs["exit-code"] == "1" and outputs_counts(r) == PLANTED,
          "and the binary cargo built reports the planted faults", r.log[-2000:])

    section('5. which cargo install each fallback runs (a stub cargo records it)')
    stub_path = f"{stub_bin}{os.pathsep}{os.environ['PATH']}"
    r = job({"version": "9.9.9"}, url=closed, path=stub_path, cache_store=work / "cache5")
    args = (work / "cargo-args").read_text().split()
    check(args[:4] == ["install", "--locked", "--git", f"{closed}/{REPO}"] and args[4:6] == ["--tag", "v9.9.9"]
          and args[-1] == "ibid" and r.failed_step == "install",
          "another version than the action's: cargo install --locked --git REPO --tag vX", " ".join(args))
    before = downloads()
    r = job({}, arch="ARM", path=stub_path, cache_store=work / "cache5")
    args = (work / "cargo-args").read_text().split()
    check("no release binary for Linux/ARM" in r.log and args[:4] == ["install", "--locked", "--path", str(ROOT)]
          and downloads() == before,
          "a runner no release binary fits (Linux/ARM): no download, cargo install --locked --path",
          " ".join(args) + "\n" + r.log)
    r = job({}, url=closed, path=stub_path, cache_store=work / "cache5")
    check(r.steps["resolve"].outputs.get("mode") == "source"
          and r.steps["resolve"].outputs.get("key", "").startswith("ibid-source-")
          and "no release of OWNER/ibid found" in r.log,
          "latest with no release reachable: the action's own source, cached by a digest of it",
          str(r.steps["resolve"].outputs) + r.log)
    no_cargo = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                               if not (Path(p) / "cargo").exists())
    r = job({"version": version}, url=closed, path=no_cargo, cache_store=work / "cache5")
    check(r.failed_step == "install" and "cargo is not installed: add a Rust toolchain step" in r.log,
          "no binary and no cargo: the error says to add a Rust toolchain", r.log)

    section('6. Windows: the .zip archive, ibid.exe')
    r = job({"args": "check --offline"}, os_="Windows")
    check(r.steps["install"].outputs.get("installed-by") == "release"
          and r.outputs["ibid-path"].endswith("ibid.exe") and r.outputs["exit-code"] == "1",
          "Windows/X64: the .zip release is unpacked to ibid.exe", r.log[-2000:])

    section('7. inputs the action refuses, with the reason')
    for inputs, message in [
        ({"args": "check --format json"}, "leave out --format"),
        ({"args": "check -o x.json"}, "leave out -o"),
        ({"args": "--offline check"}, "start with the command"),
        ({"args": 'check "secret-speech.md'}, "unmatched quote"),
        ({"fail-on": "fatal"}, "fail-on: expected error, warning or note"),
        ({"sarif": "maybe"}, "expected true or false"),
        ({"version": "newest"}, "version: expected latest, source or a version"),
    ]:
        r = job(inputs)
        check(r.outcome == "failure" and message in r.log, f"refuses {inputs}: {message}", r.log[-1500:])
    r = job({"args": "check --offline --format-in markdown 'secret-speech.md'"})
    check(r.outputs["exit-code"] == "1" and outputs_counts(r) == PLANTED,
          "--format-in and quoted words pass through args")

    section('8. exit codes 2 and 0, other commands, summary off')
    r = job({"args": "check --offline --config missing.toml"})
    check(r.outputs["exit-code"] == "2" and r.exit_code == 2 and r.outputs["report"] == ""
          and r.failed_step == "exit" and "missing.toml" in r.log,
          "a configuration error: exit-code 2, the step fails with 2, no report", r.log[-1500:])
    clean = work / "clean"
    clean.mkdir()
    for name in ("sources.toml", "snapshots"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, clean / name)
    (clean / "session.md").write_text(SESSION)
    r = job({"args": "check --offline session.md", "fail-on": "note", "summary": "false"}, workspace=clean)
    check(r.outcome == "success" and r.outputs["exit-code"] == "0" and r.outputs["claims"] == "2"
          and r.outputs["errors"] == "0" and r.summary == "",
          "a clean article: exit-code 0, the action succeeds, summary off writes none",
          f"{r.outputs}\n{r.log[-1500:]}")
    r = job({"args": "verify"})
    check(r.outcome == "success" and r.outputs["exit-code"] == "0" and r.outputs["report"] == "",
          "another command (verify) runs as given, exit-code 0", r.log[-1500:])

    section("README: the Use in CI examples are ibid's own output on the bundled example")
    readme = (ROOT / "README.md").read_text()
    use_in_ci = readme[readme.index("## Use in CI"):readme.index("### pre-commit")]
    shown = [line.strip() for line in use_in_ci.splitlines()]
    ran = {fmt: subprocess.run([str(built), "check", "--offline", "--format", fmt], cwd=ROOT,
                               capture_output=True, text=True).stdout
           for fmt in ("github", "markdown")}
    annotations = [line for line in shown if line.startswith("::")]
    rows = [line for line in shown if line.startswith(("| error |", "| warning |", "| 31 |"))]
    check(len(annotations) >= 3 and all(line in ran["github"].splitlines() for line in annotations),
          f"README's {len(annotations)} annotation lines are in `--format github`", "\n".join(annotations))
    check(len(rows) >= 4 and all(line in ran["markdown"].splitlines() for line in rows),
          f"README's {len(rows)} job-summary rows are in `--format markdown`", "\n".join(rows))

    server.shutdown()
    shutil.rmtree(work, ignore_errors=True)
    print(f"action steps: {time.monotonic() - START:.1f} s")
    print(f"action: {passed} passed, {failed} failed")
    return 1 if failed else 0


# A small article whose two claims the bundled snapshots support (written for this test).
SESSION = """# The closed session

The public part of the congress ended on 24 February 1956.[^chronicle] Khrushchev spoke for about four hours.[^chronicle]

[^chronicle]: "Delegates recalled to a closed session", *The Chronicle*, 1956. <http://chronicle.example/1956/02/closed-session.html>
"""

if __name__ == "__main__":
    sys.exit(main())
