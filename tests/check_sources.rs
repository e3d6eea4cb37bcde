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
