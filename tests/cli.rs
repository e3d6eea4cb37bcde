//! The binary as users run it: readers, errors, reports (golden files), judge, extract.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use support::repo;

fn ibid() -> Command {
    let mut c = Command::cargo_bin("ibid").unwrap();
    c.env("NO_COLOR", "1");
    c
}

/// Compare with tests/golden/NAME; IBID_UPDATE_GOLDEN=1 rewrites it.
fn golden(name: &str, actual: &str) {
    let path = repo().join("tests/golden").join(name);
    if std::env::var_os("IBID_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with IBID_UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if want != actual {
        let first = want
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n want: {:?}\n  got: {:?}",
            first + 1,
            want.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

/// `ibid judge -` on `input`, which must succeed: its output lines as JSON.
fn judge_lines(input: impl Into<Vec<u8>>) -> Vec<serde_json::Value> {
    judge_lines_exiting(input, 0)
}

/// `ibid judge -` on `input`, which must exit with `code`: its output lines as JSON.
fn judge_lines_exiting(input: impl Into<Vec<u8>>, code: i32) -> Vec<serde_json::Value> {
    let out = ibid()
        .args(["judge", "-"])
        .write_stdin(input.into())
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    json_lines(&out)
}

/// Output of a JSON Lines command, parsed.
fn json_lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(out.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn check(format: &str) -> String {
    let out = ibid()
        .current_dir(repo())
        .args(["check", "--offline", "--format", format])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn reports_match_golden_files() {
    golden("check.txt", &check("text"));
    golden("check.json", &check("json"));
    golden("check.md", &check("markdown"));
    golden("check.junit.xml", &check("junit"));
    golden("check.github.txt", &check("github"));
}

#[test]
fn exit_codes_and_fail_on() {
    ibid()
        .current_dir(repo())
        .args(["check", "--offline", "--summary"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("checked 31 claims"));
    // notes alone never fail at the error level; with --fail-on note everything fails
    ibid()
        .current_dir(repo())
        .args(["check", "--offline", "--summary", "--fail-on", "note"])
        .assert()
        .code(1);
    ibid()
        .current_dir(repo())
        .args(["check", "--offline", "--fail-on", "fatal"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--fail-on"));
    ibid()
        .current_dir(repo())
        .args(["check", "--format", "pdf"])
        .assert()
        .code(2);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "All good here.[^1]\n\n[^1]: https://example.org/x\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("sources.toml"), "articles = [\"a.md\"]\n").unwrap();
    // offline with no snapshot: snapshot-missing is an error
    ibid()
        .current_dir(dir.path())
        .args(["check", "--offline"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("snapshot-missing"));
    ibid()
        .current_dir(dir.path())
        .args(["check", "--offline", "--format", "json", "-o", "r.json"])
        .assert()
        .code(1);
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(r["schema_version"], 1);
}

/// `command` run with this sources.toml exits 2 with an error naming `place` and saying `says`.
fn config_error(dir: &std::path::Path, toml: &str, command: &[&str], place: &str, says: &str) {
    std::fs::write(dir.join("sources.toml"), toml).unwrap();
    ibid()
        .current_dir(dir)
        .args(command)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(place).and(predicate::str::contains(says)));
}

#[test]
fn config_errors_name_file_line_column() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let head = "articles = [\"a.md\"]\n\n";
    let check = ["check", "--offline"];
    config_error(
        d,
        &format!("{head}[[source]]\nid = \"1\"\nurll = \"https://example.org\"\n"),
        &check,
        "sources.toml:5:1",
        "urll",
    );
    config_error(
        d,
        &format!("{head}[store]\ngzip_level = 12\n"),
        &["fetch"],
        "sources.toml:4:1",
        "gzip_level must be 0 to 9",
    );
    config_error(
        d,
        &format!("{head}[fetch]\nresolve = {{ \"x.example\" = \"notanaddr\" }}\n"),
        &["fetch"],
        "sources.toml:4:1",
        "\"notanaddr\"",
    );
    assert!(
        !d.join("snapshots").exists(),
        "a bad setting stops the run before the store is made"
    );
    for bad in ["2024-13-45", "yesterday-ish"] {
        config_error(
            d,
            &format!("{head}[[source]]\nid = \"1\"\naccessed = \"{bad}\"\n"),
            &check,
            "sources.toml:5:1",
            &format!("accessed {bad:?} is not a day"),
        );
    }
    // a ca_file that is a device or a FIFO would hang every command if it were read
    #[cfg(unix)]
    for ca in ["/dev/zero", "fifo"] {
        if ca == "fifo" && !mkfifo(&d.join("fifo")) {
            continue;
        }
        config_error(
            d,
            &format!("{head}[fetch]\nca_file = \"{ca}\"\n"),
            &check,
            "sources.toml:4:1",
            "not a regular file",
        );
    }
    ibid()
        .current_dir(d)
        .args(["fetch", "--gzip-level", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--gzip-level"));
    ibid()
        .current_dir(d)
        .args(["check"])
        .env("X", "1")
        .arg("--config")
        .arg("missing.toml")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn claims_json_keeps_the_documented_names() {
    let out = ibid()
        .current_dir(repo())
        .args(["claims", "secret-speech.md", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["article"], "secret-speech.md");
    assert_eq!(v["format"], "markdown");
    let c = &v["claims"][0];
    for k in ["text", "line", "column", "start", "end", "citations"] {
        assert!(c.get(k).is_some(), "claims[].{k}");
    }
    let r = &v["references"][0];
    for k in ["label", "text", "title", "urls", "archive_urls", "quote"] {
        assert!(r.get(k).is_some(), "references[].{k}");
    }
    assert!(v["claims"].as_array().unwrap().len() >= 25);
    assert!(v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "citation-undefined"));
}

#[test]
fn bad_articles_give_clear_errors_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("bad.md"), b"Fine line.\nBroken \xff byte.[^1]\n").unwrap();
    ibid()
        .arg("claims")
        .arg(p("bad.md"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.md:2:8").and(predicate::str::contains("UTF-8")));
    std::fs::write(p("empty.md"), b"").unwrap();
    ibid()
        .arg("claims")
        .arg(p("empty.md"))
        .assert()
        .success()
        .stdout(predicate::str::contains("article-malformed"));
    std::fs::write(
        p("ref.wiki"),
        "Text.<ref>never closed\n\nMore.<ref>ok</ref>\n",
    )
    .unwrap();
    ibid()
        .arg("claims")
        .arg(p("ref.wiki"))
        .assert()
        .success()
        .stdout(predicate::str::contains("unterminated <ref>"));
    std::fs::write(p("dup.md"), "A.[^1]\n\n[^1]: one\n[^1]: two\n").unwrap();
    ibid()
        .arg("claims")
        .arg(p("dup.md"))
        .assert()
        .success()
        .stdout(predicate::str::contains("reference-duplicate"));
    ibid()
        .arg("claims")
        .arg(p("nope.md"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.md"));
    // a 20 MB article
    let para = "The congress met in Moscow and heard a long report.[^1] Delegates listened in silence.\n\n";
    let big = para.repeat(20_000_000 / para.len()) + "[^1]: https://example.org/x\n";
    std::fs::write(p("big.md"), &big).unwrap();
    let t = std::time::Instant::now();
    ibid()
        .arg("claims")
        .arg(p("big.md"))
        .arg("--format")
        .arg("json")
        .assert()
        .success();
    eprintln!("20 MB article read in {:?}", t.elapsed());
}

#[test]
fn html_report_keeps_source_markup_inert() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "The page says <b>bold</b> things.[^1]\n\n[^1]: https://example.org/x\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("sources.toml"), "articles = [\"a.md\"]\n").unwrap();
    let out = ibid()
        .current_dir(dir.path())
        .args(["check", "--offline", "--format", "html"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let html = String::from_utf8(out).unwrap();
    let data = html
        .split("id=\"ibid-data\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    assert!(!data.contains('<'), "data block must not contain a raw '<'");
    // the report from the example renders evidence from sources through textContent only
    let rep = String::from_utf8(
        ibid()
            .current_dir(repo())
            .args(["check", "--offline", "--format", "html"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(!rep.contains("innerHTML"));
    assert!(rep.contains("Content-Security-Policy"));
}

#[test]
fn judge_jsonl_in_order_with_bad_lines() {
    let input = concat!(
        "{\"id\": \"a\", \"claim\": \"The session lasted four hours.\", \"source\": \"The closed session lasted four hours in all.\"}\n",
        "not json\n",
        "{\"id\": \"c\", \"claim\": \"It lasted five hours.\", \"source\": \"It lasted four hours.\"}\n",
        "{\"id\": \"d\"}\n",
    );
    // the good lines are judged, and the exit code says two were not
    let lines = judge_lines_exiting(input, 2);
    // a byte-order mark is no part of the first line; a line that is not UTF-8 is one error
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(input.lines().next().unwrap().as_bytes());
    bytes.extend_from_slice(b"\r\n{\"id\": \"x\", \"claim\": \"caf\xe9\"}\n");
    bytes.extend_from_slice(input.lines().nth(2).unwrap().as_bytes());
    let odd = judge_lines_exiting(bytes, 2);
    assert_eq!(odd.len(), 3, "{odd:?}");
    assert_eq!(odd[0]["verdict"], "supported", "{odd:?}");
    assert!(odd[1]["error"]
        .as_str()
        .unwrap()
        .ends_with(":2: not UTF-8 text"));
    assert_eq!(odd[2]["id"], "c");
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["verdict"], "supported");
    assert!(lines[0]["evidence"][0]["text"]
        .as_str()
        .unwrap()
        .contains("four hours"));
    assert!(lines[1]["error"].as_str().unwrap().contains(":2:"));
    assert_eq!(lines[2]["id"], "c");
    assert!(lines[2]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "number-mismatch"));
    assert!(lines[3]["error"].as_str().unwrap().contains("claim"));
}

#[test]
fn judge_gives_severities_and_reads_the_publication_line() {
    let source = "(meta data) TITLE: Tour news\n(meta data) PUBLISHED DATETIME: 2007-05-22T19:02:00Z\nThe band says the trek kicks off in August and will run through October.";
    let line = |id: &str, claim: &str| {
        serde_json::json!({"id": id, "claim": claim, "source": source}).to_string() + "\n"
    };
    let input = line("a", "The band toured from August through October 2007.")
        + &line("b", "The band toured from August through October 2009.");
    let lines = judge_lines(input);
    let codes = |v: &serde_json::Value| -> Vec<(String, String)> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert!(
        !codes(&lines[0]).iter().any(|(c, _)| c == "date-mismatch"),
        "the page of May 2007 dates its October: {:?}",
        lines[0]
    );
    assert!(
        codes(&lines[1]).contains(&("date-mismatch".into(), "error".into())),
        "{:?}",
        lines[1]
    );
    // a "published" field dates the page when its text does not; a bad one is a line's error
    let dated = |id: &str, published: serde_json::Value| {
        serde_json::json!({"id": id, "claim": "The storm hit the coast in June 2018.",
            "source": "The storm hit the coast this week.", "published": published})
        .to_string()
            + "\n"
    };
    let lines = judge_lines_exiting(
        dated("d", "2018-06-30".into())
            + &dated("e", serde_json::Value::Null)
            + &dated("f", 12345.into()),
        2,
    );
    assert!(
        !codes(&lines[0]).iter().any(|(c, _)| c == "date-mismatch"),
        "{:?}",
        lines[0]
    );
    assert!(
        codes(&lines[1]).iter().any(|(c, _)| c == "date-mismatch"),
        "{:?}",
        lines[1]
    );
    let err = lines[2]["error"].as_str().unwrap();
    assert!(
        err.contains(":3:") && err.contains("\"published\""),
        "{err}"
    );
    // bad settings are a usage error naming the setting
    ibid()
        .args(["judge", "-"])
        .env("IBID_JUDGE_RULES", "supported=high")
        .write_stdin(line("c", "x"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("supported"));
}

#[test]
fn extract_prints_jsonl() {
    let out = ibid()
        .current_dir(repo())
        .args([
            "extract",
            "--format",
            "jsonl",
            "tests/example/sources/chronicle.html",
            "tests/example/sources/ru.html",
            "tests/example/sources/cpusa-membership.pdf",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["path"], "tests/example/sources/chronicle.html");
    assert_eq!(lines[0]["main"], true);
    let text = lines[0]["text"].as_str().unwrap();
    assert!(
        text.contains("shortly after midnight")
            && !text.contains("cookies")
            && !text.contains("Chess championship")
    );
    assert!(lines[1]["text"]
        .as_str()
        .unwrap()
        .contains("закрытом заседании"));
    assert!(lines[2]["text"].as_str().unwrap().contains("30,000"));
}

#[test]
fn init_writes_a_config_that_check_reads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.wiki"),
        "Fact.<ref>{{cite web|url=https://example.org/f|title=F}}</ref>\n",
    )
    .unwrap();
    ibid()
        .current_dir(dir.path())
        .args(["init", "a.wiki"])
        .assert()
        .success();
    let cfg = std::fs::read_to_string(dir.path().join("sources.toml")).unwrap();
    assert!(cfg.contains("url = \"https://example.org/f\""), "{cfg}");
    ibid()
        .current_dir(dir.path())
        .args(["init", "a.wiki"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sources.toml")).unwrap(),
        cfg,
        "a second init changes nothing"
    );
}

#[test]
fn init_keeps_the_files_mode_and_says_added_only_once_written() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("sources.toml");
    std::fs::write(
        dir.path().join("a.md"),
        "One.[^a] Two.[^b]\n\n[^a]: https://example.org/a\n[^b]: https://example.org/b\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::write(&cfg, "articles = [\"a.md\"]\n").unwrap();
        std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o600)).unwrap();
        ibid()
            .current_dir(dir.path())
            .args(["init", "a.md"])
            .assert()
            .success()
            .stderr(predicate::str::contains("2 sources added"));
        let mode = std::fs::metadata(&cfg).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a private sources.toml stays private");
    }
    // a file that does not load: the error as check gives it, and no "added" line
    let broken = "articles = [\"a.md\"]\n[[source]]\nid = \"a\"\n[[source]]\nid = \"a\"\n";
    std::fs::write(&cfg, broken).unwrap();
    let out = ibid()
        .current_dir(dir.path())
        .args(["init", "a.md"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sources.toml:5:1"), "{err}");
    assert!(!err.contains("added"), "{err}");
    assert_eq!(std::fs::read_to_string(&cfg).unwrap(), broken);
    #[cfg(unix)]
    {
        std::fs::remove_file(&cfg).unwrap();
        std::fs::write(dir.path().join("real.toml"), "articles = [\"a.md\"]\n").unwrap();
        std::os::unix::fs::symlink("real.toml", &cfg).unwrap();
        ibid()
            .current_dir(dir.path())
            .args(["init", "a.md"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "is a symbolic link; init replaces",
            ));
        assert!(cfg.is_symlink(), "the link is left as it was");
    }
}

#[cfg(unix)]
#[test]
fn an_article_path_with_a_newline_stays_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x\n::error::nl.md";
    std::fs::write(
        dir.path().join(name),
        "One claim.[^a]\n\n[^a]: https://example.org/a\n",
    )
    .unwrap();
    for args in [vec!["claims", name], vec!["check", "--offline", name]] {
        let out = ibid().current_dir(dir.path()).args(&args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("x\\n::error::nl.md"), "{args:?}: {text}");
        assert!(
            !text.lines().any(|l| l.starts_with("::error::nl.md")),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn judge_names_the_line_that_is_not_utf8_and_judges_the_others() {
    let out = ibid()
        .args(["judge", "-"])
        .write_stdin(b"{\"id\":1,\"claim\":\"a b\",\"source\":\"c d\"}\n\xff\n".to_vec())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("1 of 2 lines could not be judged"))
        .get_output()
        .stdout
        .clone();
    let lines = json_lines(&out);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[1]["error"], "-:2: not UTF-8 text");
}

/// Make a FIFO at `p`; false where mkfifo is missing (the case is then skipped).
fn mkfifo(p: &std::path::Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .is_ok_and(|s| s.success())
}

/// What `ibid ARGS` run in `dir` prints on stderr, exiting 2 within 20 s.
fn usage_error(dir: &std::path::Path, args: &[&str]) -> String {
    let out = ibid()
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn an_archive_or_input_that_is_no_regular_file_is_refused_and_each_cause_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let err = usage_error(dir.path(), &["judge", "missing.jsonl"]);
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
    #[cfg(unix)]
    for name in ["/dev/zero", "fifo.warc.gz"] {
        if name.starts_with("fifo") && !mkfifo(&dir.path().join(name)) {
            continue;
        }
        let err = usage_error(dir.path(), &["index", name]);
        assert_eq!(err.matches("not a regular file").count(), 1, "{err}");
    }
    // a WARC cut short does not verify as "all match"
    let warc = std::fs::read_dir(repo().join("snapshots/archive"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .unwrap();
    let bytes = std::fs::read(&warc).unwrap();
    std::fs::write(
        dir.path().join("cut.warc.gz"),
        &bytes[..bytes.len() * 2 / 5],
    )
    .unwrap();
    ibid()
        .current_dir(dir.path())
        .args(["index", "--verify", "cut.warc.gz"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("ends early").and(predicate::str::contains("problem")));
}
