//! Hostile and unlucky inputs, through the binary (issue 15): nothing is read outside the
//! store or the project folder, no output line can be read as a CI command, every address
//! that is not globally reachable is refused, a kill during the first commit is repaired,
//! settings out of range and full outputs are errors (exit 2) rather than panics, and no
//! outcome is silent or misleading.

mod support;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::server::{Route, Server};

fn ibid(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("ibid").unwrap();
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CI", "1")
        .timeout(Duration::from_secs(60));
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = ibid(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A project in a temporary folder: `a.md` citing `pages` (path, route) of `srv`, with the
/// sources fetched. The server is reached through `resolve` (a stated address is trusted),
/// so `allow_private` stays off and the address rules stay in force.
fn project(rt: &tokio::runtime::Runtime, pages: Vec<(&str, Route)>) -> (tempfile::TempDir, Server) {
    let srv = rt.block_on(Server::start());
    let dir = tempfile::tempdir().unwrap();
    let mut article = String::new();
    let mut notes = String::new();
    for (i, (path, route)) in pages.into_iter().enumerate() {
        srv.route("*", path, route);
        article.push_str(&format!(
            "The committee published the report number {i}.[^{i}]\n\n"
        ));
        notes.push_str(&format!(
            "[^{i}]: http://news.example:{}{path}\n",
            srv.addr.port()
        ));
    }
    std::fs::write(dir.path().join("a.md"), article + &notes).unwrap();
    std::fs::write(
        dir.path().join("sources.toml"),
        format!(
            "articles = [\"a.md\"]\n[fetch]\nretries = 0\nresolve = {{ \"news.example\" = \"{}\" }}\n",
            srv.addr
        ),
    )
    .unwrap();
    (dir, srv)
}

fn page(n: usize) -> Route {
    Route::html(&format!(
        "<html><body><p>The committee published the report number {n}.</p></body></html>"
    ))
}

fn fetched(rt: &tokio::runtime::Runtime, n: usize) -> (tempfile::TempDir, Server) {
    let pages = (0..n)
        .map(|i| {
            (
                Box::leak(format!("/p{i}").into_boxed_str()) as &str,
                page(i),
            )
        })
        .collect();
    let (dir, srv) = project(rt, pages);
    let f = run(dir.path(), &["fetch"]);
    assert_eq!(f.code, 0, "{}", f.stderr);
    (dir, srv)
}

fn only_warc(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir.join("snapshots/archive"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .unwrap()
}

fn sha256(data: &[u8]) -> String {
    ibid::snapshot::warc::digest(data)
}

// ---- 1. store paths confined --------------------------------------------------------------

#[test]
fn a_manifest_or_journal_naming_a_file_outside_the_store_is_refused() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (dir, _srv) = fetched(&rt, 1);
    let d = dir.path();
    // a valid WARC outside the store: were the path followed, reindex would take it in
    std::fs::create_dir_all(d.join("x")).unwrap();
    std::fs::copy(only_warc(d), d.join("x/creds.warc.gz")).unwrap();
    std::fs::write(d.join("x/creds.txt"), "TOKEN=hunter2-secret\n").unwrap();
    let mpath = d.join("snapshots/manifest.json");
    let original = std::fs::read_to_string(&mpath).unwrap();
    for evil in [
        "archive/../../x/creds.warc.gz",
        "archive/../../x/creds.txt",
        "/etc/hostname",
    ] {
        let mut m: serde_json::Value = serde_json::from_str(&original).unwrap();
        m["resources"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "path": evil, "hash": "sha256:00", "bytes": 1
            }));
        let evil_manifest = serde_json::to_vec_pretty(&m).unwrap();
        std::fs::write(&mpath, &evil_manifest).unwrap();
        let v = run(d, &["verify"]);
        assert_eq!(v.code, 1, "{evil}: {}", v.stdout);
        assert!(
            v.stdout
                .contains("a store file may name only files of the store"),
            "{evil}: {}",
            v.stdout
        );
        // a writer that must recover (an interrupted commit's journal) rebuilds from the
        // manifest: it refuses the path instead of reading the file
        std::fs::write(d.join("snapshots/journal.json"), b"{}").unwrap();
        let r = run(d, &["fetch"]);
        assert_eq!(
            r.code, 2,
            "{evil}: fetch must refuse the store: {}",
            r.stderr
        );
        assert!(
            r.stderr
                .contains("a store file may name only files of the store"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("hunter2"), "{}", r.stderr);
        let _ = std::fs::remove_file(d.join("snapshots/journal.json"));
        // reindex takes the WARCs of archive/ as the truth: the outside file is not taken in
        std::fs::write(&mpath, &evil_manifest).unwrap();
        let r = run(d, &["reindex"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains("index rebuilt with 1 entries"),
            "{}",
            r.stderr
        );
        assert!(!std::fs::read_to_string(&mpath).unwrap().contains("x/creds"));
        assert_eq!(run(d, &["verify"]).code, 0);
    }
    std::fs::write(&mpath, &original).unwrap();
    // a journal naming another file is reported, never followed
    std::fs::write(
        d.join("snapshots/journal.json"),
        r#"{"warc":{"path":"archive/../../x/creds.txt","hash":"sha256:00","bytes":1},"index_hash":"sha256:00"}"#,
    )
    .unwrap();
    let v = run(d, &["verify"]);
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(v.stdout.contains("journal.json: path"), "{}", v.stdout);
    assert!(!v.stdout.contains("hunter2"));
}

#[cfg(unix)]
#[test]
fn devices_fifos_and_links_in_the_store_are_refused_without_hanging() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (dir, _srv) = fetched(&rt, 1);
    let d = dir.path();
    let index = d.join("snapshots/indexes/index.cdxj");
    let saved = std::fs::read(&index).unwrap();
    // the index replaced by a FIFO: nobody writes to it, so a blocking read would hang
    std::fs::remove_file(&index).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&index)
        .status()
        .unwrap();
    assert!(made.success());
    let c = run(d, &["check", "--offline"]);
    assert_eq!(c.code, 2, "{}", c.stderr);
    assert!(c.stderr.contains("not a regular file"), "{}", c.stderr);
    let v = run(d, &["verify"]);
    assert_eq!(v.code, 1);
    assert!(v.stdout.contains("not a regular file"), "{}", v.stdout);
    std::fs::remove_file(&index).unwrap();
    // ... and by a link to /dev/zero, which would read forever
    std::os::unix::fs::symlink("/dev/zero", &index).unwrap();
    let c = run(d, &["check", "--offline"]);
    assert_eq!(c.code, 2, "{}", c.stderr);
    assert!(c.stderr.contains("symbolic link"), "{}", c.stderr);
    std::fs::remove_file(&index).unwrap();
    std::fs::write(&index, &saved).unwrap();
    assert_eq!(run(d, &["verify"]).code, 0);
    // an unlisted link or FIFO in archive/: verify fails where fetch and reindex refuse
    let link = d.join("snapshots/archive/zero.warc.gz");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let v = run(d, &["verify"]);
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(
        v.stdout.contains("zero.warc.gz: is a symbolic link"),
        "{}",
        v.stdout
    );
    let r = run(d, &["reindex"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    std::fs::remove_file(&link).unwrap();
    let fifo = d.join("snapshots/archive/pipe.warc.gz");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let v = run(d, &["verify"]);
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(
        v.stdout.contains("pipe.warc.gz: is not a regular file"),
        "{}",
        v.stdout
    );
    // a writer sets it aside, says so, and never opens it
    let r = run(d, &["reindex"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("pipe.warc.gz was unreadable"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_indexes_folder_fails_verify_as_reindex_refuses_it() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (dir, _srv) = fetched(&rt, 1);
    let d = dir.path();
    std::fs::rename(d.join("snapshots/indexes"), d.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(d.join("elsewhere"), d.join("snapshots/indexes")).unwrap();
    let v = run(d, &["verify"]);
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(v.stdout.contains("symbolic link"), "{}", v.stdout);
    assert_eq!(run(d, &["reindex"]).code, 2);
    // a linked lock, which fetch refuses, fails verify too
    std::fs::remove_file(d.join("snapshots/indexes")).unwrap();
    std::fs::rename(d.join("elsewhere"), d.join("snapshots/indexes")).unwrap();
    assert_eq!(run(d, &["verify"]).code, 0);
    std::fs::remove_file(d.join("snapshots/.lock")).unwrap();
    std::os::unix::fs::symlink(d.join("outside.lock"), d.join("snapshots/.lock")).unwrap();
    let v = run(d, &["verify"]);
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(
        v.stdout.contains(".lock: is a symbolic link"),
        "{}",
        v.stdout
    );
}

// ---- 2. articles confined; the HTML report embeds only what the view needs -------------------

#[test]
fn articles_listed_in_sources_toml_stay_in_the_project_folder() {
    let root = tempfile::tempdir().unwrap();
    let proj = root.path().join("proj");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(
        root.path().join("secret.md"),
        "The key is hunter2.[^1]\n\n[^1]: http://x.example/\n",
    )
    .unwrap();
    for articles in ["[\"../secret.md\"]", "[\"/etc/hostname\"]", "[\"link.md\"]"] {
        #[cfg(unix)]
        if articles.contains("link") {
            let _ = std::os::unix::fs::symlink(root.path().join("secret.md"), proj.join("link.md"));
        }
        std::fs::write(
            proj.join("sources.toml"),
            format!("articles = {articles}\n"),
        )
        .unwrap();
        for cmd in [&["check", "--offline"][..], &["claims"], &["fetch"]] {
            let r = run(&proj, cmd);
            assert_eq!(r.code, 2, "{articles} {cmd:?}: {}", r.stderr);
            assert!(
                r.stderr.contains("inside the project folder"),
                "{}",
                r.stderr
            );
            assert!(!r.stdout.contains("hunter2"));
        }
    }
    // named on the command line, it is the user's choice and is read
    let r = run(&proj, &["claims", "../secret.md"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("hunter2"));
}

#[test]
fn the_html_report_carries_only_the_paragraphs_around_claims() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "---\nsecret_token: FRONT-MATTER-SECRET\n---\n\nAn aside without any footnote mentions PRIVATE-NOTE.\n\nThe committee met in 1956.[^1] It met again.\n\n<!-- COMMENT-SECRET -->\n\n[^1]: http://x.example/\n",
    )
    .unwrap();
    let r = run(
        dir.path(),
        &["check", "--offline", "--format", "html", "a.md"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("The committee met in 1956."),
        "the claim's paragraph is shown"
    );
    for secret in ["FRONT-MATTER-SECRET", "PRIVATE-NOTE", "COMMENT-SECRET"] {
        assert!(
            !r.stdout.contains(secret),
            "{secret} must not travel into the report"
        );
    }
    // the claim's span points at its text inside what is embedded
    let start = r.stdout.find("id=\"ibid-data\">").unwrap() + "id=\"ibid-data\">".len();
    let end = start + r.stdout[start..].find("</script>").unwrap();
    let data: serde_json::Value = serde_json::from_str(&r.stdout[start..end]).unwrap();
    let art = &data["articles"][0];
    let source = art["source"].as_str().unwrap();
    let c = &art["claims"][0];
    let (s, e) = (
        c["start"].as_u64().unwrap() as usize,
        c["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &source.as_bytes()[s..e],
        c["text"].as_str().unwrap().as_bytes()
    );
}

// ---- 3. no output line begins with input; no CI command from input ---------------------

/// No line may be read by GitHub Actions as a command: nothing but blanks before `::`, and
/// no legacy `##[` anywhere (`allowed` lists line starts that ibid itself writes).
fn assert_no_commands(what: &str, text: &str, allowed: &[&str]) {
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("::") {
            assert!(
                allowed.iter().any(|a| t.starts_with(a)),
                "{what}: a line reads as a workflow command: {line:?}"
            );
        }
        assert!(!line.contains("##["), "{what}: legacy command in {line:?}");
        assert!(
            !line.contains('\u{202e}'),
            "{what}: bidi override in {line:?}"
        );
    }
}

#[test]
fn input_never_starts_a_line_or_a_ci_command_in_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // a cite template spanning lines puts a newline into the URL; claim text and titles carry
    // the legacy form and a bidi override
    std::fs::write(
        d.join("a.wiki"),
        "The committee said ##[error]boom in 1956.<ref>{{cite web|url=http://x.example/a\n::error file=a.md::pwned\u{202e}|title=T ##[warning]t}}</ref>\n\n== References ==\n{{reflist}}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("sources.toml"),
        "articles = [\"a.wiki\"]\n[fetch]\nretries = 0\nconnect_timeout_secs = 0.5\n",
    )
    .unwrap();
    std::fs::write(
        d.join("page.txt"),
        "first line\n::error file=x::pwned from a source\n  ::warning::pwned indented\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::fs::write(
        d.join("::warning::pwned.md"),
        "A claim.[^1]\n\n[^1]: http://x.example/\n",
    )
    .unwrap();
    let mut runs = vec![
        ("claims", run(d, &["claims"])),
        ("claims json", run(d, &["claims", "--format", "json"])),
        ("extract", run(d, &["extract", "page.txt"])),
        (
            "extract jsonl",
            run(d, &["extract", "--format", "jsonl", "page.txt"]),
        ),
        ("fetch", run(d, &["fetch"])),
    ];
    #[cfg(unix)]
    runs.push((
        "claims of a hostile file name",
        run(d, &["claims", "::warning::pwned.md"]),
    ));
    for format in [
        "text", "json", "sarif", "junit", "github", "markdown", "html",
    ] {
        runs.push((format, run(d, &["check", "--offline", "--format", format])));
    }
    for (what, r) in &runs {
        assert!(
            r.code == 0 || r.code == 1,
            "{what}: exit {}: {}",
            r.code,
            r.stderr
        );
        // ibid's own annotations name the article and a finding code; an injected one names
        // a.md and no title
        let own: &[&str] = if *what == "github" {
            &[
                "::error file=a.wiki,",
                "::warning file=a.wiki,",
                "::notice file=a.wiki,",
                "::error title=ibid ",
                "::warning title=ibid ",
                "::notice title=ibid ",
            ]
        } else {
            &[]
        };
        assert_no_commands(what, &r.stdout, own);
        assert_no_commands(what, &r.stderr, &[]);
    }
    // the JSON outputs still carry the text as it is
    let json = &runs[1].1.stdout;
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert!(v.to_string().contains("##[error]boom"), "{json}");
    // and a newline in an error message (a URL quoted from input) stays on its line
    std::fs::write(
        d.join("sources.toml"),
        "[[source]]\nid = \"1\"\nurl = \"http://x.example/\\n::error::pwned\"\n",
    )
    .unwrap();
    let r = run(d, &["check", "--offline", "a.wiki"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_no_commands("config error", &r.stderr, &[]);
    assert!(r.stderr.contains("sources.toml:3:1"), "{}", r.stderr);
}

// ---- 4. addresses that are not globally reachable ----------------------------------------

#[test]
fn embedded_and_special_purpose_addresses_are_refused_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    for (url, why) in [
        ("http://[::127.0.0.1]/", "IPv4-compatible"),
        ("http://[::ffff:0:7f00:1]/", "IPv4-translated"),
        ("http://[::ffff:127.0.0.1]/", "IPv4-mapped"),
        ("http://[2001::1]/", "Teredo"),
        ("http://[100::1]/", "discard-only"),
        ("http://[64:ff9b::7f00:1]/", "NAT64"),
        ("http://[64:ff9b:1::1]/", "local-use IPv4/IPv6 translation"),
        ("http://[2002:7f00:1::1]/", "6to4"),
        ("http://192.88.99.1/", "6to4 relay anycast"),
        ("http://198.18.0.1/", "benchmarking"),
    ] {
        let r = run(dir.path(), &["extract", "--connect-timeout", "0.5", url]);
        assert_eq!(r.code, 1, "{url}: {}", r.stderr);
        assert!(
            r.stderr.contains(why) && r.stderr.contains("allow_private"),
            "{url}: {}",
            r.stderr
        );
    }
}

// ---- 5. a kill during the first commit into an empty store -------------------------------

#[test]
fn a_kill_at_the_manifest_rename_of_the_first_commit_is_repaired() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (dir, _srv) = fetched(&rt, 2);
    let d = dir.path();
    // the state a kill just before the manifest's rename leaves on the first commit: the WARC
    // and the new index in place, the journal naming them, no manifest yet
    let store = d.join("snapshots");
    let warc = only_warc(d);
    let data = std::fs::read(&warc).unwrap();
    let index = std::fs::read(store.join("indexes/index.cdxj")).unwrap();
    let journal = serde_json::json!({
        "warc": {
            "path": format!("archive/{}", warc.file_name().unwrap().to_string_lossy()),
            "hash": sha256(&data),
            "bytes": data.len(),
        },
        "index_hash": sha256(&index),
    });
    std::fs::remove_file(store.join("manifest.json")).unwrap();
    std::fs::write(
        store.join("journal.json"),
        serde_json::to_vec(&journal).unwrap(),
    )
    .unwrap();
    std::fs::write(store.join(".tmp-manifest.json"), b"{\"partial").unwrap();
    let v = run(d, &["verify"]);
    assert_eq!(
        v.code, 0,
        "verify must accept the interrupted commit: {}",
        v.stdout
    );
    let f = run(d, &["fetch"]);
    assert_eq!(f.code, 0, "{}", f.stderr);
    assert!(
        f.stderr.contains("interrupted commit finished"),
        "{}",
        f.stderr
    );
    assert!(
        store.join("manifest.json").exists(),
        "the next fetch completes the store"
    );
    assert!(!store.join("journal.json").exists());
    let v = run(d, &["verify"]);
    assert_eq!(v.code, 0, "{}", v.stdout);
    assert!(
        v.stdout.contains("2 records") || v.stdout.contains("records"),
        "{}",
        v.stdout
    );
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        m["resources"].as_array().unwrap().len(),
        2,
        "the WARC and the index: {m}"
    );
}

// ---- 6. settings in range; panics and full outputs ------------------------------------------

#[test]
fn numeric_settings_out_of_range_are_errors_with_their_position() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.md"), "A claim.[^1]\n\n[^1]: http://x.example/\n").unwrap();
    for (line, want) in [
        (
            "timeout_secs = inf",
            "timeout_secs must be 0.1 to 3600 seconds, not inf",
        ),
        (
            "timeout_secs = nan",
            "timeout_secs must be 0.1 to 3600 seconds, not NaN",
        ),
        (
            "connect_timeout_secs = 1e300",
            "connect_timeout_secs must be 0.1 to 300 seconds",
        ),
        ("concurrency = 4e18", "invalid type: floating point"),
        (
            "per_host = 4000000000000000000",
            "per_host must be 1 to 256",
        ),
        (
            "host_delay_ms = 9223372036854775807",
            "host_delay_ms must be 0 to 60000",
        ),
        ("retries = 4000000000", "retries must be 0 to 10"),
        ("max_redirects = 1000", "max_redirects must be 0 to 50"),
        ("max_body_bytes = 0", "max_body_bytes must be 1 to"),
        ("concurrency = 0", "concurrency must be 1 to 1024"),
        (
            "user_agent = \"ibid\\r\\nX-Injected: 1\"",
            "user_agent must be one line",
        ),
    ] {
        std::fs::write(
            d.join("sources.toml"),
            format!(
                "articles = [\"a.md\"]\n# {line} in a comment is not the key\n[fetch]\n{line}\n"
            ),
        )
        .unwrap();
        for cmd in [&["fetch"][..], &["check"]] {
            let r = run(d, cmd);
            assert_eq!(r.code, 2, "{line}: {}", r.stderr);
            assert!(r.stderr.contains("sources.toml:4:"), "{line}: {}", r.stderr);
            assert!(r.stderr.contains(want), "{line}: {}", r.stderr);
            assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        }
    }
    std::fs::write(d.join("sources.toml"), "articles = [\"a.md\"]\n").unwrap();
    for flags in [
        &["--timeout", "inf"][..],
        &["--timeout", "NaN"],
        &["--connect-timeout", "1e300"],
        &["--concurrency", "4000000000000000000"],
        &["--per-host", "0"],
        &["--host-delay-ms", "18446744073709551615"],
        &["--max-body", "0"],
        &["--retries", "4000000000"],
    ] {
        let mut args = vec!["fetch"];
        args.extend_from_slice(flags);
        let r = run(d, &args);
        assert_eq!(r.code, 2, "{flags:?}: {}", r.stderr);
        assert!(r.stderr.contains(flags[0]), "{flags:?}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    let r = run(d, &["judge", "--threads", "4000000000000000000"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn a_duplicate_id_bad_utf8_and_a_control_in_a_url_are_reported_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.md"), "A claim.[^1]\n\n[^1]: http://x.example/\n").unwrap();
    let cases: [(&[u8], &str); 3] = [
        (
            b"[[source]]\nid = \"x\"\nurl = \"http://a.example/\"\n\n[[source]]\nid = \"x\"\nurl = \"http://b.example/\"\n",
            "sources.toml:6:1: source id \"x\" is listed twice",
        ),
        (b"articles = [\"a.md\"]\n\n# caf\xe9\n", "sources.toml:3:6: invalid UTF-8"),
        (
            b"[[source]]\nid = \"x\"\nurl = \"http://a.example/\\u0000\"\n",
            "sources.toml:3:1: source \"x\"",
        ),
    ];
    for (src, want) in cases {
        std::fs::write(d.join("sources.toml"), src).unwrap();
        let r = run(d, &["check", "--offline", "a.md"]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(want), "want {want:?}: {}", r.stderr);
    }
}

#[cfg(unix)]
#[test]
fn a_full_stdout_or_stderr_is_exit_2_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.md"), "A claim.[^1]\n\n[^1]: http://x.example/\n").unwrap();
    let full = || {
        std::fs::File::options()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let bin = assert_cmd::cargo::cargo_bin("ibid");
    let out = std::process::Command::new(&bin)
        .current_dir(d)
        .args(["claims", "a.md"])
        .stdout(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write to standard output"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for args in [
        &["verify", "--store", "no-such-store"][..],
        &["check", "--offline", "a.md"],
        &["--help"],
    ] {
        let out = std::process::Command::new(&bin)
            .current_dir(d)
            .args(args)
            .stdout(full())
            .stderr(full())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

// ---- 7. waits are capped -----------------------------------------------------------------

#[test]
fn a_long_retry_after_is_reported_not_waited_for() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (dir, _srv) = project(
        &rt,
        vec![(
            "/busy",
            Route::status(503).with_header("Retry-After", "120"),
        )],
    );
    let d = dir.path();
    std::fs::write(
        d.join("sources.toml"),
        std::fs::read_to_string(d.join("sources.toml"))
            .unwrap()
            .replace("retries = 0", "retries = 3"),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let r = run(d, &["fetch"]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("asked to retry after 120 s, longer than the 30 s ibid waits"),
        "{}",
        r.stderr
    );
}

// ---- 8. misleading or silent outcomes ----------------------------------------------------

#[test]
fn verify_of_a_missing_or_empty_store_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = run(d, &["verify", "--store", "snapshot"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
    assert!(!r.stdout.contains("all digests match"));
    std::fs::create_dir(d.join("empty")).unwrap();
    let r = run(d, &["verify", "--store", "empty"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is empty"), "{}", r.stderr);
    let r = run(d, &["reindex", "--store", "snapshot"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        !d.join("snapshot").exists(),
        "reindex must not create a store from a typo"
    );
}

#[test]
fn reindex_says_when_it_quarantines_a_warc() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (dir, _srv) = fetched(&rt, 1);
    let d = dir.path();
    std::fs::write(
        d.join("snapshots/archive/zz-broken.warc.gz"),
        b"\x1f\x8bnot gzip at all",
    )
    .unwrap();
    let r = run(d, &["reindex"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("zz-broken.warc.gz was unreadable as WARC and was renamed to .corrupt"),
        "{}",
        r.stderr
    );
    assert!(d.join("snapshots/archive/zz-broken.warc.corrupt").exists());
    assert_eq!(run(d, &["verify"]).code, 0);
}

#[test]
fn a_blocked_redirect_is_not_reported_as_a_missing_snapshot() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (dir, srv) = project(&rt, vec![("/moved", Route::status(200))]);
    // the cited page redirects to a loopback address stated as such: refused
    srv.route(
        "*",
        "/moved",
        Route::redirect(
            302,
            &format!("http://127.0.0.1:{}/internal", srv.addr.port()),
        ),
    );
    let d = dir.path();
    let f = run(d, &["fetch"]);
    assert_eq!(f.code, 1, "{}", f.stderr);
    assert!(f.stderr.contains("loopback"), "{}", f.stderr);
    let c = run(d, &["check", "--offline"]);
    assert_eq!(c.code, 1, "{}", c.stdout);
    assert!(!c.stdout.contains("snapshot-missing"), "{}", c.stdout);
    assert!(
        c.stdout.contains("127.0.0.1"),
        "the report says where the chain stopped: {}",
        c.stdout
    );
    let again = run(d, &["fetch"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again.stderr.contains("1 without a usable copy"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_redirect_loop_or_a_chain_past_max_redirects_is_said_as_such() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (dir, srv) = project(
        &rt,
        vec![
            ("/loop-a", Route::status(200)),
            ("/long0", Route::status(200)),
        ],
    );
    srv.route("*", "/loop-a", Route::redirect(302, "/loop-b"));
    srv.route("*", "/loop-b", Route::redirect(302, "/loop-a"));
    for i in 0..6 {
        srv.route(
            "*",
            &format!("/long{i}"),
            Route::redirect(301, &format!("/long{}", i + 1)),
        );
    }
    srv.route("*", "/long6", page(6));
    let d = dir.path();
    std::fs::write(
        d.join("sources.toml"),
        std::fs::read_to_string(d.join("sources.toml"))
            .unwrap()
            .replace("retries = 0", "retries = 0\nmax_redirects = 3"),
    )
    .unwrap();
    let f = run(d, &["fetch"]);
    assert_eq!(f.code, 1, "{}", f.stderr);
    let c = run(d, &["check", "--offline"]);
    assert_eq!(c.code, 1, "{}", c.stdout);
    assert!(!c.stdout.contains("snapshot-missing"), "{}", c.stdout);
    assert!(c.stdout.contains("loop"), "{}", c.stdout);
    assert!(c.stdout.contains("max_redirects"), "{}", c.stdout);
    let again = run(d, &["fetch"]);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert!(
        again.stderr.contains("2 without a usable copy"),
        "{}",
        again.stderr
    );
}

/// A capture lost to a panicking task (the encoder, inline for a small page and on the blocking
/// pool for a large one) fails the run with exit 2 and says so; what was committed verifies and
/// the next fetch completes. The panic comes from a switch that only debug builds have.
#[test]
fn a_capture_task_that_panics_fails_the_run_and_leaves_a_store_that_verifies() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let large = "<p>The committee published the report in full.</p>".repeat(8_000);
    for (tag, body) in [("small", page(0)), ("large", Route::html(&large))] {
        let (dir, _srv) = project(&rt, vec![("/p1", page(1)), ("/panic", body)]);
        let out = ibid(dir.path())
            .env("IBID_FAILPOINT", "encode-panic")
            .arg("fetch")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{tag}: {stderr}");
        assert!(
            stderr.contains("failed") && stderr.contains("panic"),
            "{tag}: the error says a task failed: {stderr}"
        );
        let v = run(dir.path(), &["verify"]);
        assert_eq!(v.code, 0, "{tag}: {}{}", v.stdout, v.stderr);
        let f = run(dir.path(), &["fetch"]);
        assert_eq!(f.code, 0, "{tag}: {}", f.stderr);
        let index =
            std::fs::read_to_string(dir.path().join("snapshots/indexes/index.cdxj")).unwrap();
        assert!(
            index.contains("/panic"),
            "{tag}: the next fetch captured it"
        );
        assert_eq!(run(dir.path(), &["verify"]).code, 0, "{tag}");
    }
}
