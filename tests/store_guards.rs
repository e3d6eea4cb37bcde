//! What `merge`, `export --wacz`, `fetch` and `reindex` do with a store that is not what ibid
//! wrote (a tampered manifest, a linked folder, records that fail their digests, a WARC whose
//! bytes changed) or with a package path inside the store: every such store is refused before
//! anything is written, or (reindex) the change is said, never taken in silently.

mod support;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::server::{Route, Server};

struct Run {
    code: i32,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("ibid")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CI", "1")
        .timeout(Duration::from_secs(60))
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A loopback server with pages `/p0` .. `/p5`, each saying its own number.
fn server(rt: &tokio::runtime::Runtime) -> Server {
    let srv = rt.block_on(Server::start());
    for n in 0..6 {
        srv.route(
            "*",
            &format!("/p{n}"),
            Route::html(&format!(
                "<html><body><p>The committee published the report number {n}.</p></body></html>"
            )),
        );
    }
    srv
}

/// A project in `dir` citing `pages` of `srv`, fetched into `dir/snapshots`.
fn fetched(srv: &Server, dir: &Path, pages: &[usize]) {
    std::fs::create_dir_all(dir).unwrap();
    let mut article = String::new();
    let mut notes = String::new();
    for n in pages {
        article.push_str(&format!(
            "The committee published the report number {n}.[^{n}]\n\n"
        ));
        notes.push_str(&format!(
            "[^{n}]: http://news.example:{}/p{n}\n",
            srv.addr.port()
        ));
    }
    std::fs::write(dir.join("a.md"), article + &notes).unwrap();
    std::fs::write(
        dir.join("sources.toml"),
        format!(
            "articles = [\"a.md\"]\n[fetch]\nretries = 0\nresolve = {{ \"news.example\" = \"{}\" }}\n",
            srv.addr
        ),
    )
    .unwrap();
    let f = run(dir, &["fetch"]);
    assert_eq!(f.code, 0, "{}", f.stderr);
}

fn warcs(store: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(store.join("archive"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    v.sort();
    v
}

/// Every file of a store folder with its bytes: a refused command must leave them as they were.
fn snapshot(store: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for sub in ["", "archive", "indexes"] {
        for e in std::fs::read_dir(store.join(sub)).unwrap().flatten() {
            if e.file_type().unwrap().is_file() && e.file_name() != ".lock" {
                out.push((e.path(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The store's manifest with each WARC resource's path replaced by `path`, or `path` added.
fn set_manifest_path(store: &Path, path: &str, replace: bool) {
    let mpath = store.join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&mpath).unwrap()).unwrap();
    let res = m["resources"].as_array_mut().unwrap();
    if replace {
        for r in res.iter_mut() {
            if r["path"].as_str().unwrap().starts_with("archive/") {
                r["path"] = path.into();
            }
        }
    } else {
        res.push(serde_json::json!({"path": path, "hash": "sha256:00", "bytes": 100}));
    }
    std::fs::write(&mpath, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
}

#[test]
fn merge_refuses_a_shard_whose_manifest_climbs_out_with_dotdot_before_writing() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = server(&rt);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fetched(&srv, &root.join("project"), &[0, 1]);
    fetched(&srv, &root.join("shards/shard-1"), &[2, 3]);
    let shard = root.join("shards/shard-1/snapshots");
    // a WARC beside the shard, and a user's file beside the target store, at the same relative
    // place: were the path followed, merge would copy the one over the other
    std::fs::create_dir_all(root.join("shards/shard-1/x")).unwrap();
    std::fs::copy(
        &warcs(&shard)[0],
        root.join("shards/shard-1/x/evil.warc.gz"),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("project/x")).unwrap();
    std::fs::write(root.join("project/x/evil.warc.gz"), "precious user file\n").unwrap();
    set_manifest_path(&shard, "archive/../../x/evil.warc.gz", true);
    let target = root.join("project/snapshots");
    let before = snapshot(&target);
    let m = run(
        &root.join("project"),
        &["merge", "../shards/shard-1/snapshots"],
    );
    assert_eq!(m.code, 2, "{}", m.stderr);
    assert!(m.stderr.contains("manifest.json"), "{}", m.stderr);
    assert!(
        m.stderr
            .contains("\"archive/../../x/evil.warc.gz\" climbs out of the store with .."),
        "{}",
        m.stderr
    );
    assert_eq!(
        std::fs::read_to_string(root.join("project/x/evil.warc.gz")).unwrap(),
        "precious user file\n"
    );
    assert_eq!(snapshot(&target), before, "the target store was written to");
    assert_eq!(run(&root.join("project"), &["verify"]).code, 0);
}

#[cfg(unix)]
#[test]
fn merge_refuses_a_shard_whose_archive_folder_is_a_symbolic_link() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = server(&rt);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fetched(&srv, &root.join("target"), &[0]);
    fetched(&srv, &root.join("shard"), &[3]);
    let shard = root.join("shard/snapshots");
    std::fs::rename(shard.join("archive"), root.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(root.join("elsewhere"), shard.join("archive")).unwrap();
    let v = run(root, &["verify", "--store", "shard/snapshots"]);
    assert_eq!(v.code, 1);
    let before = snapshot(&root.join("target/snapshots"));
    let m = run(
        root,
        &["merge", "--store", "target/snapshots", "shard/snapshots"],
    );
    assert_eq!(m.code, 2, "{}", m.stderr);
    assert!(
        m.stderr
            .contains("shard/snapshots/archive: is a symbolic link"),
        "{}",
        m.stderr
    );
    assert_eq!(snapshot(&root.join("target/snapshots")), before);
}

/// The WARC at `p` with `from` replaced by `to` (same length) in every record, each record
/// recompressed as its own gzip member: the records no longer match their digests.
fn tamper_records(p: &Path, from: &[u8], to: &[u8]) {
    use std::io::{Read, Write};
    let data = std::fs::read(p).unwrap();
    let mut rest: &[u8] = &data;
    let mut out = Vec::new();
    let mut hits = 0;
    while !rest.is_empty() {
        let mut dec = flate2::bufread::GzDecoder::new(rest);
        let mut rec = Vec::new();
        dec.read_to_end(&mut rec).unwrap();
        rest = dec.into_inner();
        if let Some(i) = rec.windows(from.len()).position(|w| w == from) {
            rec[i..i + from.len()].copy_from_slice(to);
            hits += 1;
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        enc.write_all(&rec).unwrap();
        out.extend(enc.finish().unwrap());
    }
    assert!(hits > 0, "nothing to tamper with in {}", p.display());
    std::fs::write(p, out).unwrap();
}

#[test]
fn merge_refuses_a_shard_whose_records_fail_their_digests_and_leaves_the_target_as_it_was() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = server(&rt);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fetched(&srv, &root.join("target"), &[0]);
    fetched(&srv, &root.join("good"), &[2]);
    fetched(&srv, &root.join("bad"), &[4]);
    let bad = root.join("bad/snapshots");
    let w = warcs(&bad)[0].clone();
    tamper_records(&w, b"report number 4", b"report number 9");
    // reindex records the damaged file's hash, so only the records' own digests tell
    let r = run(root, &["reindex", "--store", "bad/snapshots"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(run(root, &["verify", "--store", "bad/snapshots"]).code, 1);
    let before = snapshot(&root.join("target/snapshots"));
    // the good shard is copied first, then taken back when the bad one is refused
    let m = run(
        root,
        &[
            "merge",
            "--store",
            "target/snapshots",
            "good/snapshots",
            "bad/snapshots",
        ],
    );
    assert_eq!(m.code, 2, "{}", m.stderr);
    let name = w.file_name().unwrap().to_string_lossy().to_string();
    assert!(m.stderr.contains(&name), "{}", m.stderr);
    assert!(
        m.stderr.contains("offset ") && m.stderr.contains("digest does not match"),
        "{}",
        m.stderr
    );
    assert_eq!(snapshot(&root.join("target/snapshots")), before);
    assert_eq!(
        run(root, &["verify", "--store", "target/snapshots"]).code,
        0
    );
    // without the bad shard the merge goes through and the result verifies
    let m = run(
        root,
        &["merge", "--store", "target/snapshots", "good/snapshots"],
    );
    assert_eq!(m.code, 0, "{}", m.stderr);
    assert_eq!(
        run(root, &["verify", "--store", "target/snapshots"]).code,
        0
    );
}

#[test]
fn export_and_fetch_refuse_a_manifest_path_outside_the_store() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = server(&rt);
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fetched(&srv, d, &[0]);
    let store = d.join("snapshots");
    let original = std::fs::read(store.join("manifest.json")).unwrap();
    // a copy of the store's WARC outside it, listed with its true hash and size: followed, it
    // would be packaged as if it were the store's
    let w = warcs(&store)[0].clone();
    std::fs::copy(&w, d.join("outside.warc.gz")).unwrap();
    let mpath = store.join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&original).unwrap();
    let res = m["resources"].as_array_mut().unwrap();
    let mut extra = res
        .iter()
        .find(|r| r["path"].as_str().unwrap().starts_with("archive/"))
        .unwrap()
        .clone();
    extra["path"] = "archive/../../outside.warc.gz".into();
    res.push(extra);
    std::fs::write(&mpath, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    for evil in [
        "archive/../../outside.warc.gz",
        "archive/../../../../../../../../dev/zero",
    ] {
        if evil.ends_with("zero") {
            std::fs::write(&mpath, &original).unwrap();
            set_manifest_path(&store, evil, false);
        }
        let e = run(d, &["export", "--wacz", "out.wacz"]);
        assert_eq!(e.code, 2, "{evil}: {}", e.stderr);
        assert!(
            e.stderr.contains("manifest.json") && e.stderr.contains(evil),
            "{}",
            e.stderr
        );
        assert!(!d.join("out.wacz").exists());
        let left: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
            .collect();
        assert!(left.is_empty(), "a temporary package was left: {left:?}");
        // fetch refuses the store rather than carrying the path into its next manifest, and
        // says how to repair it
        let f = run(d, &["fetch"]);
        assert_eq!(f.code, 2, "{}", f.stderr);
        assert!(
            f.stderr.contains(evil) && f.stderr.contains("ibid reindex"),
            "{}",
            f.stderr
        );
        assert!(std::fs::read_to_string(&mpath).unwrap().contains(evil));
    }
    // reindex is the repair: the path is left out, and said
    let r = run(d, &["reindex"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: manifest.json") && r.stderr.contains("left out"),
        "{}",
        r.stderr
    );
    assert!(!std::fs::read_to_string(&mpath).unwrap().contains(".."));
    assert_eq!(run(d, &["export", "--wacz", "out.wacz"]).code, 0);
    assert_eq!(run(d, &["verify"]).code, 0);
}

#[test]
fn export_reads_no_more_than_the_manifest_size_of_a_warc() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = server(&rt);
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fetched(&srv, d, &[0]);
    let w = warcs(&d.join("snapshots"))[0].clone();
    let mut data = std::fs::read(&w).unwrap();
    data.extend_from_slice(&[0u8; 4096]);
    std::fs::write(&w, data).unwrap();
    let e = run(d, &["export", "--wacz", "out.wacz"]);
    assert_eq!(e.code, 2, "{}", e.stderr);
    assert!(
        e.stderr.contains("changed since it was written") && e.stderr.contains("bytes"),
        "{}",
        e.stderr
    );
    assert!(!d.join("out.wacz").exists());
}

#[test]
fn export_refuses_a_package_path_inside_the_store() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = server(&rt);
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fetched(&srv, d, &[0, 1]);
    let store = d.join("snapshots");
    let before = snapshot(&store);
    let w = warcs(&store)[0].clone();
    let rel = format!(
        "snapshots/archive/{}",
        w.file_name().unwrap().to_string_lossy()
    );
    for out in [
        rel.as_str(),
        "snapshots/package.wacz",
        "./snapshots/../snapshots/indexes/x.wacz",
    ] {
        let e = run(d, &["export", "--wacz", out]);
        assert_eq!(e.code, 2, "{out}: {}", e.stderr);
        assert!(
            e.stderr.contains("is inside the snapshot store"),
            "{}",
            e.stderr
        );
        assert_eq!(snapshot(&store), before, "{out}: the store was written to");
    }
    assert_eq!(run(d, &["verify"]).code, 0);
    let e = run(d, &["export", "--wacz", "package.wacz"]);
    assert_eq!(e.code, 0, "{}", e.stderr);
}

#[test]
fn reindex_says_which_warcs_changed_since_they_were_recorded() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = server(&rt);
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fetched(&srv, d, &[0]);
    let w = warcs(&d.join("snapshots"))[0].clone();
    let name = w.file_name().unwrap().to_string_lossy().to_string();
    // the gzip header's time: the records still read and index the same
    let mut b = std::fs::read(&w).unwrap();
    b[4] ^= 0xff;
    std::fs::write(&w, b).unwrap();
    assert_eq!(run(d, &["verify"]).code, 1);
    let r = run(d, &["reindex"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "archive/{name}: its bytes changed since they were recorded"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(run(d, &["verify"]).code, 0);
    // nothing changed since: nothing said
    let r = run(d, &["reindex"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}
