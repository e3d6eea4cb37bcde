//! The bundled example end to end: its snapshots are reproducible from the pages in
//! tests/example, `ibid verify` accepts them, and `ibid check` reports exactly the planted
//! faults.

mod support;

use assert_cmd::Command;
use std::collections::BTreeSet;
use support::*;

fn ibid() -> Command {
    Command::cargo_bin("ibid").unwrap()
}

/// Payload digests per URL (response and revisit records) of a store's index.
fn digests(store: &std::path::Path) -> BTreeSet<(String, String, String)> {
    let text = std::fs::read_to_string(store.join("indexes/index.cdxj")).unwrap();
    text.lines()
        .map(|l| {
            let json: serde_json::Value =
                serde_json::from_str(l.splitn(3, ' ').nth(2).unwrap()).unwrap();
            (
                json["url"].as_str().unwrap().to_string(),
                json["status"].as_str().unwrap().to_string(),
                json["digest"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Capture the example twice (the second time with --refresh) into `dir`.
fn capture_example(dir: &std::path::Path) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(example_server());
    let _guard = rt.enter();
    for refresh in [false, true] {
        if refresh {
            // WARC-Date has whole seconds: keep the two captures apart
            std::thread::sleep(std::time::Duration::from_millis(1100));
        }
        let mut cmd = ibid();
        cmd.current_dir(dir)
            .arg("fetch")
            .args(resolve_flags(&server))
            .env("CI", "1");
        if refresh {
            cmd.arg("--refresh");
        }
        // the dead source makes fetch exit 0 (rescued by its archive copy)
        cmd.assert().success();
    }
    drop(rt);
}

#[test]
fn committed_snapshots_are_reproducible_and_verify() {
    let repo = repo();
    ibid().current_dir(&repo).arg("verify").assert().success();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("sources.toml"), tmp.path().join("sources.toml")).unwrap();
    std::fs::copy(
        repo.join("secret-speech.md"),
        tmp.path().join("secret-speech.md"),
    )
    .unwrap();
    capture_example(tmp.path());
    ibid()
        .current_dir(tmp.path())
        .arg("verify")
        .assert()
        .success();
    assert_eq!(
        digests(&tmp.path().join("snapshots")),
        digests(&repo.join("snapshots")),
        "re-captured payloads differ from the committed ones"
    );
}

/// Rebuild ./snapshots from the pages: `cargo test --test example -- --ignored regenerate`.
#[test]
#[ignore]
fn regenerate() {
    let repo = repo();
    let _ = std::fs::remove_dir_all(repo.join("snapshots"));
    capture_example(&repo);
}

#[test]
fn check_reports_exactly_the_planted_faults() {
    let out = ibid()
        .current_dir(repo())
        .args(["check", "--offline", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let art = &v["articles"][0];
    let mut found = BTreeSet::new();
    for c in art["claims"].as_array().unwrap() {
        for f in c["findings"].as_array().unwrap() {
            found.insert((
                f["code"].as_str().unwrap().to_string(),
                c["line"].as_u64().unwrap(),
                f["source_id"].as_str().unwrap_or("").to_string(),
            ));
        }
    }
    for f in art["findings"].as_array().unwrap() {
        found.insert((
            f["code"].as_str().unwrap().to_string(),
            f["location"]["line"].as_u64().unwrap_or(0),
            f["source_id"].as_str().unwrap_or("").to_string(),
        ));
    }
    let article = std::fs::read_to_string(repo().join("secret-speech.md")).unwrap();
    let line_of =
        |needle: &str| article.lines().position(|l| l.contains(needle)).unwrap() as u64 + 1;
    let expected: BTreeSet<(String, u64, String)> = [
        (
            "number-mismatch",
            line_of("spoke for about five hours"),
            "chronicle",
        ),
        (
            "quote-mismatch",
            line_of("fell into a stunned silence"),
            "memoir",
        ),
        (
            "claim-unsupported",
            line_of("broadcast live on Soviet radio"),
            "memoir",
        ),
        (
            "date-mismatch",
            line_of("put down by the army on 15 March"),
            "courier",
        ),
        ("name-missing", line_of("Yuri Andropov"), "intel"),
        ("citation-undefined", line_of("[^debate]"), "debate"),
        (
            "source-archived",
            line_of("[^gazette] Historians"),
            "gazette",
        ),
        ("source-changed", line_of("[^party]"), "party"),
    ]
    .into_iter()
    .map(|(c, l, s)| (c.to_string(), l, s.to_string()))
    .collect();
    assert_eq!(found, expected);
    // every other claim is supported
    let verdicts: Vec<(&str, u64)> = art["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["findings"].as_array().unwrap().is_empty())
        .map(|c| (c["verdict"].as_str().unwrap(), c["line"].as_u64().unwrap()))
        .collect();
    assert!(
        verdicts.iter().all(|(v, _)| *v == "supported"),
        "{verdicts:?}"
    );
    assert!(verdicts.len() >= 20, "{}", verdicts.len());
}
