//! Snapshots that travel: a WACZ that ibid exports, and web archives the real tools write of
//! the bundled example (wget, warcio, py-wacz), checked with `--archive` give the same verdicts
//! as ibid's own store; shards fetched apart merge into a store `ibid verify` accepts, with
//! every payload once; damaged archives are named, never a panic.
//!
//! The tests that run wget, warcio and `wacz` skip when those are not installed, unless
//! IBID_REAL_TOOLS=1 (set by .ci/run, which installs them) makes their absence a failure.

mod support;

use assert_cmd::Command;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use support::*;

fn ibid() -> Command {
    Command::cargo_bin("ibid").unwrap()
}

/// Per claim (line, column): verdict and finding codes; then the article's finding codes.
type Verdicts = (BTreeMap<(u64, u64), (String, Vec<String>)>, Vec<String>);

fn verdicts(report: &[u8]) -> Verdicts {
    let v: serde_json::Value = serde_json::from_slice(report).expect("a JSON report");
    let art = &v["articles"][0];
    let mut claims = BTreeMap::new();
    for c in art["claims"].as_array().unwrap() {
        let mut codes: Vec<String> = c["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect();
        codes.sort();
        claims.insert(
            (c["line"].as_u64().unwrap(), c["column"].as_u64().unwrap()),
            (c["verdict"].as_str().unwrap().to_string(), codes),
        );
    }
    let mut codes: Vec<String> = art["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    (claims, codes)
}

/// `ibid check --offline --format json` in the repository, with extra arguments.
fn check_example(extra: &[&str]) -> Verdicts {
    let out = ibid()
        .current_dir(repo())
        .args(["check", "--offline", "--format", "json"])
        .args(extra)
        .assert()
        .code(1)
        .get_output()
        .clone();
    verdicts(&out.stdout)
}

fn artifacts() -> Option<PathBuf> {
    std::env::var_os("IBID_ARTIFACTS").map(PathBuf::from)
}

#[test]
fn an_exported_wacz_gives_the_same_verdicts_as_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let wacz = tmp.path().join("example.wacz");
    ibid()
        .current_dir(repo())
        .args(["export", "--wacz"])
        .arg(&wacz)
        .assert()
        .success();
    let own = check_example(&[]);
    let empty = tmp.path().join("empty-store");
    let from_wacz = check_example(&[
        "--store",
        empty.to_str().unwrap(),
        "--archive",
        wacz.to_str().unwrap(),
    ]);
    assert_eq!(from_wacz, own);
    assert!(!empty.exists(), "an offline check creates no store");
    // the package lists every cited source as a page, with its title
    let listing = std::process::Command::new("unzip")
        .arg("-p")
        .arg(&wacz)
        .arg("pages/pages.jsonl")
        .output();
    if let Some(o) = listing.ok().filter(|o| o.status.success()) {
        let text = String::from_utf8(o.stdout).unwrap();
        assert_eq!(
            text.lines().count(),
            13,
            "header + 12 cited sources:\n{text}"
        );
        assert!(text.contains(r#""id":"gazette","url":"http://archive.example/web/20190301000000/http://gazette.example/1989/text-printed.html""#));
        assert!(text.contains(r#""title":"The text is printed at last""#));
    }
    if let Some(dir) = artifacts() {
        std::fs::copy(&wacz, dir.join("example.wacz")).unwrap();
    }
}

/// A pywb collection (`archive/` of WARCs, `indexes/` of CDXJ) is read as it is: here the
/// example's own store copied out of the project, so only its layout can differ.
#[test]
fn a_pywb_collection_gives_the_same_verdicts_as_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let coll = tmp.path().join("collections").join("example");
    for sub in ["archive", "indexes"] {
        std::fs::create_dir_all(coll.join(sub)).unwrap();
        for f in std::fs::read_dir(repo().join("snapshots").join(sub)).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_some_and(|x| x == "gz" || x == "cdxj") {
                std::fs::copy(&f, coll.join(sub).join(f.file_name().unwrap())).unwrap();
            }
        }
    }
    let own = check_example(&[]);
    let empty = tmp.path().join("empty-store");
    let from_collection = check_example(&[
        "--store",
        empty.to_str().unwrap(),
        "--archive",
        coll.to_str().unwrap(),
    ]);
    assert_eq!(from_collection, own);
    // with its index gone, the collection is read by scanning its WARCs: same verdicts
    std::fs::remove_dir_all(coll.join("indexes")).unwrap();
    let scanned = check_example(&[
        "--store",
        empty.to_str().unwrap(),
        "--archive",
        coll.to_str().unwrap(),
    ]);
    assert_eq!(scanned, own);
}

/// Copy the example project (article and sources.toml, no snapshots) into `dir`.
fn example_project(dir: &Path) {
    for f in ["sources.toml", "secret-speech.md"] {
        std::fs::copy(repo().join(f), dir.join(f)).unwrap();
    }
}

/// (url, digest) of every response (not revisit) in a store's index.
fn responses(store: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(store.join("indexes/index.cdxj")).unwrap();
    text.lines()
        .filter_map(|l| {
            let j: serde_json::Value = serde_json::from_str(l.splitn(3, ' ').nth(2)?).ok()?;
            (j["mime"] != "warc/revisit").then(|| {
                (
                    j["url"].as_str().unwrap().to_string(),
                    j["digest"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect()
}

fn urls(store: &Path) -> BTreeSet<String> {
    responses(store).into_iter().map(|(u, _)| u).collect()
}

#[test]
fn shards_fetched_apart_merge_into_one_store_that_verifies() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    example_project(dir);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(example_server());
    let fetch = |store: &str, extra: &[&str]| {
        ibid()
            .current_dir(dir)
            .args(["fetch", "--store", store])
            .args(extra)
            .args(resolve_flags(&server))
            .env("CI", "1")
            .assert()
            .get_output()
            .clone()
    };
    fetch("a", &["--shard", "1/2"]);
    fetch("b", &["--shard", "2/2"]);
    // a server of its own, so the page that changes on its second request is its first version
    // here too
    let fresh = rt.block_on(example_server());
    ibid()
        .current_dir(dir)
        .args(["fetch", "--store", "whole"])
        .args(resolve_flags(&fresh))
        .env("CI", "1")
        .assert()
        .success();
    let (a, b) = (urls(&dir.join("a")), urls(&dir.join("b")));
    assert!(
        !a.is_empty() && !b.is_empty(),
        "both shards have work: {a:?} {b:?}"
    );
    assert!(a.is_disjoint(&b), "a host is in one shard only");
    let hosts = |s: &BTreeSet<String>| -> BTreeSet<String> {
        s.iter()
            .map(|u| u.split('/').nth(2).unwrap().to_string())
            .collect()
    };
    assert!(hosts(&a).is_disjoint(&hosts(&b)));
    let merge = |into: &str, from: &[&str]| {
        ibid()
            .current_dir(dir)
            .args(["merge", "--store", into])
            .args(from)
            .assert()
            .success()
            .get_output()
            .stderr
            .clone()
    };
    let check = |store: &str| {
        let out = ibid()
            .current_dir(dir)
            .args(["check", "--offline", "--format", "json", "--store", store])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        verdicts(&out)
    };
    merge("merged", &["a", "b"]);
    ibid()
        .current_dir(dir)
        .args(["verify", "--store", "merged"])
        .assert()
        .success();
    let merged = urls(&dir.join("merged"));
    assert_eq!(merged, a.union(&b).cloned().collect());
    assert_eq!(merged, urls(&dir.join("whole")));
    // the whole fetch holds the same payloads again: merged in, each is kept once
    let before_whole = check("merged");
    let said = String::from_utf8(merge("merged", &["whole"])).unwrap();
    assert!(
        said.contains("made revisits of payloads already held"),
        "{said}"
    );
    ibid()
        .current_dir(dir)
        .args(["verify", "--store", "merged"])
        .assert()
        .success();
    let mut per_digest: BTreeMap<String, usize> = BTreeMap::new();
    for (_, d) in responses(&dir.join("merged")) {
        *per_digest.entry(d).or_default() += 1;
    }
    let empty_body = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    for (d, n) in &per_digest {
        assert!(n == &1 || d == empty_body, "payload {d} held {n} times");
    }
    // merging the same stores again changes nothing
    let index = std::fs::read(dir.join("merged/indexes/index.cdxj")).unwrap();
    let said = String::from_utf8(merge("merged", &["a", "b", "whole"])).unwrap();
    assert!(
        said.contains("0 WARC file(s) copied, 0 copied with 0"),
        "{said}"
    );
    assert_eq!(
        std::fs::read(dir.join("merged/indexes/index.cdxj")).unwrap(),
        index
    );
    // the merged store checks as it did, and like the store the whole fetch made
    assert_eq!(check("merged"), before_whole);
    assert_eq!(check("merged"), check("whole"));
    // a store cannot be merged into itself; a folder that is no store is named
    ibid()
        .current_dir(dir)
        .args(["merge", "--store", "merged", "merged"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is the store being merged into"));
    std::fs::create_dir(dir.join("nothing")).unwrap();
    ibid()
        .current_dir(dir)
        .args(["merge", "--store", "merged", "nothing"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not an ibid store"));
    drop(rt);
}

#[test]
fn check_shards_split_the_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for i in 0..6 {
        std::fs::write(
            dir.join(format!("a{i}.md")),
            format!("Claim {i}.[^1]\n\n[^1]: <http://x{i}.example/>\n"),
        )
        .unwrap();
    }
    let list: Vec<String> = (0..6).map(|i| format!("\"a{i}.md\"")).collect();
    std::fs::write(
        dir.join("sources.toml"),
        format!("articles = [{}]\n", list.join(", ")),
    )
    .unwrap();
    let mut seen = BTreeSet::new();
    for k in 1..=3 {
        let out = ibid()
            .current_dir(dir)
            .args([
                "check",
                "--offline",
                "--format",
                "json",
                "--shard",
                &format!("{k}/3"),
            ])
            .assert()
            .get_output()
            .stdout
            .clone();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        for a in v["articles"].as_array().unwrap() {
            assert!(
                seen.insert(a["path"].as_str().unwrap().to_string()),
                "checked twice"
            );
        }
    }
    assert_eq!(seen.len(), 6, "{seen:?}");
    ibid()
        .current_dir(dir)
        .args(["check", "--offline", "--shard", "4/3"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("expected K/N"));
}

#[test]
fn damaged_archives_are_named_never_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // a real capture, exported, then damaged in several ways
    let wacz = dir.join("good.wacz");
    ibid()
        .current_dir(repo())
        .args(["export", "--wacz"])
        .arg(&wacz)
        .assert()
        .success();
    let bytes = std::fs::read(&wacz).unwrap();
    let warc = std::fs::read(
        std::fs::read_dir(repo().join("snapshots/archive"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
            .min()
            .unwrap(),
    )
    .unwrap();
    let cases: Vec<(&str, Vec<u8>, i32, &str)> = vec![
        (
            "cut.wacz",
            bytes[..bytes.len() / 2].to_vec(),
            2,
            "not a readable zip file",
        ),
        (
            "noise.wacz",
            b"PK\x03\x04 this is not a zip file at all".to_vec(),
            2,
            "not a readable zip file",
        ),
        (
            "cut.warc.gz",
            warc[..warc.len() - 300].to_vec(),
            0,
            "the data ends early",
        ),
        ("empty.warc", vec![], 0, ""),
        (
            "text.warc",
            b"hello, this is not a WARC\r\n\r\n".to_vec(),
            0,
            "not a WARC record",
        ),
    ];
    for (name, data, code, says) in cases {
        let p = dir.join(name);
        std::fs::write(&p, &data).unwrap();
        let out = ibid()
            .args(["index"])
            .arg(&p)
            .assert()
            .code(code)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    // a changed byte inside a stored WARC: the record's digests say so on load
    let mut flipped = warc.clone();
    let text_at = flipped.len() / 3;
    flipped[text_at] ^= 0x01;
    std::fs::write(dir.join("flipped.warc.gz"), &flipped).unwrap();
    let out = ibid()
        .args(["index", "--verify"])
        .arg(dir.join("flipped.warc.gz"))
        .assert()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("gzip") || err.contains("digest") || err.contains("BAD"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

fn real_tools_required() -> bool {
    std::env::var_os("IBID_REAL_TOOLS").is_some_and(|v| v == "1")
}

/// Is `program --version`-style probe successful?
fn runs(program: &str, args: &[&str]) -> bool {
    std::process::Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn tool_or_skip(name: &str, ok: bool) -> bool {
    if !ok {
        assert!(
            !real_tools_required(),
            "{name} is required (IBID_REAL_TOOLS=1) but not installed"
        );
        eprintln!("skipped: {name} is not installed");
    }
    ok
}

/// Every example URL, twice (a second round a second later, when the changed page serves its
/// second version), fetched by `fetch(round, urls)`.
fn two_rounds(fetch: impl Fn(usize, &[String])) {
    let urls: Vec<String> = example_routes().into_iter().map(|(u, _)| u).collect();
    fetch(1, &urls);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    fetch(2, &urls);
}

#[test]
fn a_wget_warc_of_the_example_gives_the_same_verdicts() {
    if !tool_or_skip("wget", runs("wget", &["--version"])) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("wget");
    std::fs::create_dir(&dir).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(example_server());
    let proxy = format!("http_proxy=http://{}", server.addr);
    two_rounds(|round, urls| {
        let mut cmd = std::process::Command::new("wget");
        cmd.current_dir(&dir)
            .args([
                "-q",
                "--tries=1",
                "-e",
                "use_proxy=on",
                "-e",
                &proxy,
                "-O",
                "/dev/null",
            ])
            .arg(format!("--warc-file=wget-{round}"))
            .args(urls);
        if round == 1 {
            cmd.arg("--warc-cdx");
        }
        // wget exits 8 for the page that answers 404; the WARC is what counts
        let out = cmd.output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 8)), "{out:?}");
    });
    drop(rt);
    assert!(dir.join("wget-1.warc.gz").exists() && dir.join("wget-1.cdx").exists());
    let own = check_example(&[]);
    let empty = tmp.path().join("empty");
    let from_wget = check_example(&[
        "--store",
        empty.to_str().unwrap(),
        "--archive",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(from_wget, own);
    if let Some(a) = artifacts() {
        let _ = std::fs::create_dir_all(a.join("foreign"));
        std::fs::copy(dir.join("wget-1.warc.gz"), a.join("foreign/wget-1.warc.gz")).unwrap();
    }
}

const WARCIO_CAPTURE: &str = r#"
import sys
from warcio.capture_http import capture_http
import requests  # after capture_http, which patches http.client
out, proxy, urls = sys.argv[1], sys.argv[2], sys.argv[3:]
with capture_http(out):
    for u in urls:
        requests.get(u, proxies={"http": proxy}, timeout=10)
"#;

#[test]
fn warcio_warcs_and_a_py_wacz_package_of_the_example_give_the_same_verdicts() {
    let warcio = runs("python3", &["-c", "import warcio, requests"]);
    let wacz = runs("wacz", &["--help"]);
    if !tool_or_skip("python3 with warcio and requests", warcio)
        || !tool_or_skip("wacz (py-wacz)", wacz)
    {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("warcio");
    std::fs::create_dir(&dir).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(example_server());
    let proxy = format!("http://{}", server.addr);
    two_rounds(|round, urls| {
        let out = std::process::Command::new("python3")
            .current_dir(&dir)
            .args([
                "-c",
                WARCIO_CAPTURE,
                &format!("warcio-{round}.warc.gz"),
                &proxy,
            ])
            .args(urls)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
    drop(rt);
    let package = tmp.path().join("warcio.wacz");
    let out = std::process::Command::new("wacz")
        .args(["create", "-o"])
        .arg(&package)
        .arg(dir.join("warcio-1.warc.gz"))
        .arg(dir.join("warcio-2.warc.gz"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let own = check_example(&[]);
    let empty = tmp.path().join("empty");
    for archive in [&dir, &package] {
        let got = check_example(&[
            "--store",
            empty.to_str().unwrap(),
            "--archive",
            archive.to_str().unwrap(),
        ]);
        assert_eq!(got, own, "{}", archive.display());
    }
}
