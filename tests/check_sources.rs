//! What `ibid check` reports about the sources themselves, driven through the binary against a
//! loopback server: a source that is not text, one cut at the body cap, one that is dead, one
//! whose snapshot was damaged after the fetch, and one that changed between two fetches.

mod support;

use assert_cmd::Command;
use support::server::{Route, Server};

fn ibid() -> Command {
    Command::cargo_bin("ibid").unwrap()
}

/// (source id, finding code) of every finding in a JSON report.
fn findings(report: &[u8]) -> Vec<(String, String, String)> {
    let r: serde_json::Value = serde_json::from_slice(report).unwrap();
    let mut out = vec![];
    for a in r["articles"].as_array().unwrap() {
        let claim_findings = a["claims"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|c| c["findings"].as_array().unwrap().iter());
        for f in a["findings"]
            .as_array()
            .unwrap()
            .iter()
            .chain(claim_findings)
        {
            out.push((
                f["source_id"].as_str().unwrap_or("").to_string(),
                f["code"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            ));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn has(f: &[(String, String, String)], id: &str, code: &str) -> bool {
    f.iter().any(|(i, c, _)| i == id && c == code)
}

#[test]
fn each_kind_of_bad_source_gets_its_own_finding() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = rt.block_on(Server::start());
    let png: Vec<u8> = [&b"\x89PNG\r\n\x1a\n"[..], &[0u8; 200]].concat();
    srv.route("*", "/img.png", Route::ok("image/png", png));
    let long: String = (0..400)
        .map(|i| format!("<p>The delegates heard the report in closed session, part {i}.</p>"))
        .collect();
    srv.route(
        "*",
        "/long.html",
        Route::html(&format!(
            "<html><body><article>{long}</article></body></html>"
        )),
    );
    srv.route("*", "/gone.html", Route::status(410));
    srv.route(
        "*",
        "/fine.html",
        Route::html("<html><body><article><p>Khrushchev read the report on 25 February 1956 to the delegates of the Twentieth Congress.</p></article></body></html>"),
    );
    srv.route(
        "*",
        "/moving.html",
        Route::html("<html><body><article><p>The speech was published in 1989 in the Soviet Union.</p></article></body></html>"),
    );
    let dir = tempfile::tempdir().unwrap();
    let article = format!(
        "# Test\n\nThe report has a picture.[^img]\n\nThe delegates heard the report in closed session.[^long]\n\nThe page is gone now.[^gone]\n\nKhrushchev read the report on 25 February 1956.[^fine]\n\nThe speech was published in 1989.[^moving]\n\n[^img]: {}\n[^long]: {}\n[^gone]: {}\n[^fine]: {}\n[^moving]: {}\n",
        srv.url("/img.png"),
        srv.url("/long.html"),
        srv.url("/gone.html"),
        srv.url("/fine.html"),
        srv.url("/moving.html"),
    );
    std::fs::write(dir.path().join("a.md"), article).unwrap();
    std::fs::write(
        dir.path().join("sources.toml"),
        "articles = [\"a.md\"]\n[fetch]\nallow_private = true\nretries = 0\nmax_body_bytes = 4096\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        ibid()
            .current_dir(dir.path())
            .env("CI", "1")
            .args(args)
            .output()
            .unwrap()
    };

    // first fetch, then the moving page changes and is fetched again
    let out = run(&["fetch"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the dead source fails the fetch"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fetch FAIL") && err.contains("/gone.html"),
        "{err}"
    );
    std::thread::sleep(std::time::Duration::from_millis(1100)); // WARC-Date has whole seconds
    srv.route(
        "*",
        "/moving.html",
        Route::html("<html><body><article><p>The speech was first published in 1989.</p></article></body></html>"),
    );
    run(&["fetch", "--refresh"]);

    let out = run(&["check", "--offline", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let f = findings(&out.stdout);
    assert!(has(&f, "img", "source-not-text"), "{f:#?}");
    assert!(has(&f, "long", "source-truncated"), "{f:#?}");
    assert!(has(&f, "gone", "source-unreachable"), "{f:#?}");
    assert!(has(&f, "moving", "source-changed"), "{f:#?}");
    let changed = &f
        .iter()
        .find(|(i, c, _)| i == "moving" && c == "source-changed")
        .unwrap()
        .2;
    assert!(
        changed.contains("changed between the captures of"),
        "{changed}"
    );
    assert!(
        !f.iter().any(|(i, _, _)| i == "fine"),
        "a good source has no findings: {f:#?}"
    );

    // flip one byte inside the fine page's response record: that source, and only it, is
    // reported corrupt; verify names the record
    let index = std::fs::read_to_string(dir.path().join("snapshots/indexes/index.cdxj")).unwrap();
    let line = index
        .lines()
        .find(|l| l.contains("/fine.html") && !l.contains("warc/revisit"))
        .unwrap();
    let e: serde_json::Value = serde_json::from_str(line.splitn(3, ' ').nth(2).unwrap()).unwrap();
    let warc = dir
        .path()
        .join("snapshots/archive")
        .join(e["filename"].as_str().unwrap());
    let off: usize = e["offset"].as_str().unwrap().parse().unwrap();
    let len: usize = e["length"].as_str().unwrap().parse().unwrap();
    let mut bytes = std::fs::read(&warc).unwrap();
    bytes[off + len / 2] ^= 0x20;
    std::fs::write(&warc, bytes).unwrap();
    let out = run(&["check", "--offline", "--format", "json"]);
    let f = findings(&out.stdout);
    assert!(has(&f, "fine", "snapshot-corrupt"), "{f:#?}");
    assert!(
        has(&f, "img", "source-not-text") && has(&f, "long", "source-truncated"),
        "the other sources are still read: {f:#?}"
    );
    let out = run(&["verify"]);
    assert_eq!(out.status.code(), Some(1));
    let v = String::from_utf8_lossy(&out.stdout);
    assert!(
        v.contains(e["filename"].as_str().unwrap()) && v.contains(&format!("{off}")),
        "{v}"
    );
}

/// The copy each claim's source was checked against, by source id, from a JSON report.
fn copies(report: &[u8]) -> Vec<(String, String, String)> {
    let r: serde_json::Value = serde_json::from_slice(report).unwrap();
    let mut out = vec![];
    for a in r["articles"].as_array().unwrap() {
        for c in a["claims"].as_array().unwrap() {
            for s in c["sources"].as_array().unwrap() {
                out.push((
                    s["id"].as_str().unwrap().to_string(),
                    s["copy"].as_str().unwrap_or("none").to_string(),
                    s["checked_url"].as_str().unwrap_or("").to_string(),
                ));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Fetch decides nothing that check decides differently: a live page, a dead page rescued by
/// its archive_url, a dead page rescued by the TimeGate, and a dead page with no rescue are
/// fetched, then checked offline (and again after `reindex`, which rebuilds the index from
/// the capture records): each claim names the copy fetch said it would use.
#[test]
fn check_reads_the_copy_fetch_rescued() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = rt.block_on(Server::start());
    let page = |t: &str| {
        Route::html(&format!(
            "<html><body><article><p>{t}</p></article></body></html>"
        ))
    };
    srv.route(
        "*",
        "/live.html",
        page("The congress met in February 1956 in Moscow."),
    );
    srv.route("*", "/dead-a.html", Route::status(404));
    srv.route(
        "*",
        "/web/2019/dead-a.html",
        page("The delegates were called back for a closed session."),
    );
    srv.route("*", "/dead-t.html", Route::status(410));
    let dead_t = srv.url("/dead-t.html");
    srv.route(
        "*",
        &format!("/tg/{dead_t}"),
        Route::redirect(302, "/mementos/2018/dead-t.html"),
    );
    srv.route(
        "*",
        "/mementos/2018/dead-t.html",
        page("Journalists were excluded from the closed session."),
    );
    srv.route("*", "/dead-n.html", Route::status(404));
    let dir = tempfile::tempdir().unwrap();
    let article = format!(
        "# Test\n\nThe congress met in February 1956.[^live]\n\nThe delegates were called back for a closed session.[^arch]\n\nJournalists were excluded from the closed session.[^tg]\n\nThe session was filmed.[^none]\n\n[^live]: {}\n[^arch]: {}\n[^tg]: {}\n[^none]: {}\n",
        srv.url("/live.html"),
        srv.url("/dead-a.html"),
        dead_t,
        srv.url("/dead-n.html"),
    );
    std::fs::write(dir.path().join("a.md"), article).unwrap();
    std::fs::write(
        dir.path().join("sources.toml"),
        format!(
            "articles = [\"a.md\"]\n[fetch]\nallow_private = true\nretries = 0\ntimegate = \"{}\"\n\n[[source]]\nid = \"arch\"\narchive_url = \"{}\"\n",
            srv.url("/tg/"),
            srv.url("/web/2019/dead-a.html")
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        ibid()
            .current_dir(dir.path())
            .env("CI", "1")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["fetch"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the unrescued page fails: {err}"
    );
    assert!(err.contains("checked the TimeGate's memento"), "{err}");
    assert!(err.contains("1 without a usable copy"), "{err}");

    let want = vec![
        (
            "arch".to_string(),
            "archive".to_string(),
            srv.url("/web/2019/dead-a.html"),
        ),
        (
            "live".to_string(),
            "live".to_string(),
            srv.url("/live.html"),
        ),
        ("none".to_string(), "none".to_string(), String::new()),
        (
            "tg".to_string(),
            "timegate".to_string(),
            srv.url("/mementos/2018/dead-t.html"),
        ),
    ];
    for pass in ["after fetch", "after reindex"] {
        let out = run(&["check", "--offline", "--format", "json"]);
        assert_eq!(copies(&out.stdout), want, "{pass}");
        let f = findings(&out.stdout);
        assert!(has(&f, "arch", "source-archived"), "{pass}: {f:#?}");
        assert!(has(&f, "tg", "source-archived"), "{pass}: {f:#?}");
        assert!(has(&f, "none", "source-unreachable"), "{pass}: {f:#?}");
        assert!(!has(&f, "tg", "source-unreachable"), "{pass}: {f:#?}");
        assert!(!f.iter().any(|(i, _, _)| i == "live"), "{pass}: {f:#?}");
        let out = run(&["reindex"]);
        assert_eq!(out.status.code(), Some(0));
    }
}
