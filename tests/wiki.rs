//! An article given as a wiki page URL, end to end through the binary against loopback
//! servers only: a fake MediaWiki API (tests/support/mediawiki.rs) serving a page written for
//! this project (tests/wiki/Grafton_Lane.wikitext), its sources over http and https (a CA made
//! by the test, trusted through `ca_file`), one live, one changed since its access date, one
//! dead with no copy, one rescued by its own archive-url, one rescued by the Wayback
//! availability API. Checks the report, the review, the rescue patch applied with `patch`, the
//! offline re-check of exactly the revision checked, and each way a wiki answer can fail.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use support::mediawiki::FakeWiki;
use support::server::{Route, Server};
use support::tls::TlsFront;

const PAGE: &str = include_str!("wiki/Grafton_Lane.wikitext");
const PAGE_URL: &str = "http://wiki.example/wiki/Grafton_Lane";
const WAYBACK_POST: &str =
    "https://web.archive.org/web/20200601000000/http://post.example/2020/leaving.html";

/// The servers of one test: sources, archives and the wiki on `srv`, https sources through
/// `tls`.
struct Site {
    srv: Server,
    wiki: FakeWiki,
    dir: tempfile::TempDir,
}

fn html(body: &str) -> Route {
    Route::html(&format!(
        "<html><head><title>t</title></head><body><article><p>{body}</p></article></body></html>"
    ))
}

fn site(rt: &tokio::runtime::Runtime) -> Site {
    let srv = rt.block_on(Server::start());
    let tls = rt.block_on(TlsFront::start(
        srv.addr,
        &["news.example", "web.archive.org"],
    ));
    let wiki = FakeWiki::new();
    srv.route("wiki.example", "/w/api.php", wiki.route());
    srv.route(
        "news.example",
        "/1932/opening.html",
        html("Grafton Lane, the new football ground of Exampleton Town, opened on 31 August 1932 before a crowd of 8,000. The club played there until 2020."),
    );
    srv.route(
        "gazette.example",
        "/capacity.html",
        html("The capacity of Grafton Lane has been raised to 12,000 spectators.")
            .with_header("Last-Modified", "Tue, 01 Mar 2022 10:00:00 GMT"),
    );
    srv.route("statues.example", "/founder.html", Route::status(404));
    srv.route("stands.example", "/hollis.html", Route::status(404));
    srv.route(
        "web.archive.org",
        "/web/20130101000000/http://stands.example/hollis.html",
        html("The main stand at Grafton Lane was renamed the Hollis Stand in 2012.")
            .with_header("Memento-Datetime", "Tue, 01 Jan 2013 00:00:00 GMT"),
    );
    srv.route("post.example", "/2020/leaving.html", Route::status(404));
    srv.route("plaque.example", "/site.html", Route::status(404));
    srv.route(
        "timetravel.example",
        "/timegate/http://plaque.example/site.html",
        Route::redirect(
            302,
            "http://timetravel.example/memento/20210501120000/http://plaque.example/site.html",
        ),
    );
    srv.route(
        "timetravel.example",
        "/memento/20210501120000/http://plaque.example/site.html",
        html("A plaque now marks the site of Grafton Lane, the old ground.")
            .with_header("Memento-Datetime", "Sat, 01 May 2021 12:00:00 GMT"),
    );
    srv.route(
        "web.archive.org",
        "/web/20200601000000/http://post.example/2020/leaving.html",
        html("Exampleton Town left Grafton Lane for their new stadium in 2020."),
    );
    let post = WAYBACK_POST.to_string();
    srv.route(
        "archive.org",
        "/wayback/available",
        Route::handler(move |req| {
            let found = req.path.contains("post.example");
            let body = if found {
                serde_json::json!({"url": "x", "archived_snapshots": {"closest": {"available": true, "url": post, "timestamp": "20200601000000", "status": "200"}}})
            } else {
                serde_json::json!({"url": "x", "archived_snapshots": {}})
            };
            Route::ok("application/json", serde_json::to_vec(&body).unwrap())
        }),
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), &tls.ca_pem).unwrap();
    let plain = srv.addr.to_string();
    let resolve: String = [
        "wiki.example",
        "gazette.example",
        "statues.example",
        "stands.example",
        "post.example",
        "plaque.example",
        "timetravel.example",
        "archive.org",
    ]
    .iter()
    .map(|h| format!("\"{h}\" = \"{plain}\", "))
    .collect::<String>()
        + &format!(
            "\"news.example\" = \"{0}\", \"web.archive.org\" = \"{0}\"",
            tls.addr
        );
    std::fs::write(
        dir.path().join("sources.toml"),
        format!(
            "[fetch]\nretries = 0\nca_file = \"ca.pem\"\ntimegate = \"http://timetravel.example/timegate/\"\nwayback_available = \"http://archive.org/wayback/available\"\nresolve = {{ {resolve} }}\n\n[wiki]\ncontact = \"tester@example.org\"\n"
        ),
    )
    .unwrap();
    Site { srv, wiki, dir }
}

fn ibid(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("ibid")
        .unwrap()
        .current_dir(dir)
        .env("CI", "1")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// (source id, standing, copy) of every reference of the first article.
fn standings(report: &Value) -> Vec<(String, String, String)> {
    report["articles"][0]["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["standing"].as_str().unwrap().to_string(),
                r["copy"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

/// The page after the rescue: the two dead sources with an archived copy, changed as an editor
/// would; every other byte as before.
fn expected_patched() -> String {
    let stand = " | access-date = 3 March 2013\n}}";
    let post = "[http://post.example/2020/leaving.html Town leave Grafton Lane],";
    assert!(PAGE.contains(stand) && PAGE.contains(post));
    PAGE.replace(
        stand,
        " | access-date = 3 March 2013\n | url-status = dead\n}}",
    )
    .replace(
        post,
        &format!("[http://post.example/2020/leaving.html Town leave Grafton Lane] {{{{Webarchive |url={WAYBACK_POST} |date=1 June 2020}}}},"),
    )
    .replace(
        "|access-date=2021-05-01}}",
        "|access-date=2021-05-01|archive-url=http://timetravel.example/memento/20210501120000/http://plaque.example/site.html|archive-date=2021-05-01|url-status=dead}}",
    )
}

#[test]
fn the_editors_loop_review_patch_and_offline_recheck() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = site(&rt);
    let revid = s.wiki.edit("Grafton Lane", PAGE);
    let dir = s.dir.path();

    let out = ibid(
        dir,
        &[
            "check",
            PAGE_URL,
            "--format",
            "json",
            "-o",
            "report.json",
            "--patch",
            "rescue.diff",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    let a = &report["articles"][0];
    assert_eq!(a["path"], PAGE_URL);
    assert_eq!(a["format"], "wikitext");
    assert_eq!(a["wiki"]["revid"], revid);
    assert_eq!(a["wiki"]["title"], "Grafton Lane");
    assert!(a["wiki"]["timestamp"]
        .as_str()
        .unwrap()
        .starts_with("2024-05-"));
    assert_eq!(
        a["wiki"]["revision_url"],
        format!("http://wiki.example/w/index.php?title=Grafton_Lane&oldid={revid}")
    );
    let st = standings(&report);
    let want = |id: &str, standing: &str, copy: &str| {
        (id.to_string(), standing.to_string(), copy.to_string())
    };
    assert!(st.contains(&want("opening", "live", "live")), "{st:?}");
    assert!(st.contains(&want("2", "changed", "live")), "{st:?}");
    assert!(st.contains(&want("3", "dead", "-")), "{st:?}");
    assert!(st.contains(&want("4", "rescued", "archive")), "{st:?}");
    assert!(st.contains(&want("5", "rescued", "wayback")), "{st:?}");
    assert!(st.contains(&want("6", "rescued", "timegate")), "{st:?}");
    assert_eq!(st.len(), 6, "{st:?}");
    let opening = &a["references"][0];
    assert_eq!(opening["claims"].as_array().unwrap().len(), 2, "{opening}");
    assert!(opening["line"].as_u64().unwrap() == 3, "{opening}");

    // Wikimedia's User-Agent policy: the contact goes to the wiki, never to the sources
    assert!(s
        .wiki
        .agents()
        .iter()
        .all(|a| a.contains("tester@example.org") && a.starts_with("ibid/")));
    let to_sources: Vec<_> = s
        .srv
        .log()
        .into_iter()
        .filter(|r| r.host != "wiki.example")
        .collect();
    assert!(!to_sources.is_empty());
    for r in &to_sources {
        let ua = r
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        assert!(!ua.contains("tester@example.org"), "{} got {ua}", r.host);
    }
    assert!(
        s.srv.hits("news.example", "/1932/opening.html") > 0,
        "https through the CA"
    );
    let asked = s
        .srv
        .log()
        .into_iter()
        .find(|r| r.path.starts_with("/timegate/http://plaque.example"))
        .expect("the TimeGate was asked");
    assert!(asked
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("accept-datetime") && v.contains("01 May 2021")));

    // the rescue patch, applied by patch(1), changes only what it says
    let diff = std::fs::read_to_string(dir.join("rescue.diff")).unwrap();
    assert!(diff.starts_with("--- Grafton_Lane.wikitext\t"), "{diff}");
    assert!(
        !diff.contains("statues.example"),
        "no copy, no patch:\n{diff}"
    );
    assert!(!diff.contains("news.example"), "live, no patch:\n{diff}");
    std::fs::write(dir.join("Grafton_Lane.wikitext"), PAGE).unwrap();
    let applied = std::process::Command::new("patch")
        .current_dir(dir)
        .args(["-p0", "--quiet", "-i", "rescue.diff"])
        .output()
        .expect("patch(1) is installed");
    assert!(
        applied.status.success(),
        "{}{}",
        String::from_utf8_lossy(&applied.stdout),
        stderr(&applied)
    );
    let patched = std::fs::read_to_string(dir.join("Grafton_Lane.wikitext")).unwrap();
    assert_eq!(patched, expected_patched());

    // the patched page reads back with the archived copies, and the same claims
    let before = ibid(dir, &["claims", PAGE_URL, "--format", "json"]);
    let after = ibid(
        dir,
        &["claims", "Grafton_Lane.wikitext", "--format", "json"],
    );
    let (before, after): (Value, Value) = (
        serde_json::from_slice(&before.stdout).unwrap(),
        serde_json::from_slice(&after.stdout).unwrap(),
    );
    let texts = |v: &Value| -> Vec<String> {
        v["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(texts(&before), texts(&after));
    let archived = |v: &Value, label: &str| -> Vec<String> {
        v["references"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["label"] == label)
            .map(|r| {
                r["archive_urls"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u.as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(archived(&before, "5"), Vec::<String>::new());
    assert_eq!(archived(&after, "5"), vec![WAYBACK_POST.to_string()]);

    // a new revision is saved; --offline still checks exactly the revision stored, online the
    // new one
    let newer = s.wiki.edit("Grafton Lane", &patched);
    let out = ibid(dir, &["check", "--offline", PAGE_URL, "--format", "json"]);
    let offline: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    assert_eq!(
        offline["articles"][0]["wiki"]["revid"],
        revid,
        "{}",
        stderr(&out)
    );
    assert_eq!(standings(&offline), st, "the same verdicts offline");
    let out = ibid(
        dir,
        &[
            "check",
            PAGE_URL,
            "--format",
            "json",
            "--patch",
            "again.diff",
        ],
    );
    let online: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(online["articles"][0]["wiki"]["revid"], newer);
    assert_eq!(
        std::fs::read_to_string(dir.join("again.diff")).unwrap(),
        "",
        "nothing left to rescue once the patch is saved"
    );
    let pinned = format!("http://wiki.example/w/index.php?title=Grafton_Lane&oldid={revid}");
    let out = ibid(dir, &["check", "--offline", &pinned, "--format", "json"]);
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    assert_eq!(v["articles"][0]["wiki"]["revid"], revid, "{}", stderr(&out));

    // the review, for people
    let out = ibid(
        dir,
        &["check", "--offline", &pinned, "--format", "review-markdown"],
    );
    let md = String::from_utf8_lossy(&out.stdout);
    if let Ok(art) = std::env::var("IBID_ARTIFACTS") {
        let _ = std::fs::write(Path::new(&art).join("review-wiki.md"), md.as_bytes());
        let _ = std::fs::copy(dir.join("rescue.diff"), Path::new(&art).join("rescue.diff"));
    }
    assert!(md.contains("## ibid review: Grafton Lane"), "{md}");
    assert!(
        md.contains(&format!(
            "[{revid}](http://wiki.example/w/index.php?title=Grafton_Lane&oldid={revid})"
        )),
        "{md}"
    );
    assert!(md.contains("### Dead, no archived copy (1)"), "{md}");
    assert!(
        md.contains("### Dead, rescued by an archived copy (3)"),
        "{md}"
    );
    assert!(
        md.contains("### Live, changed since the access date (1)"),
        "{md}"
    );
    assert!(md.contains("checked the wayback copy"), "{md}");
    let out = ibid(
        dir,
        &[
            "check",
            "--offline",
            &pinned,
            "--format",
            "review-html",
            "-o",
            "review.html",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let page = std::fs::read_to_string(dir.join("review.html")).unwrap();
    assert!(
        page.contains("id=\"a0-L3\""),
        "the wikitext is listed by line"
    );
    assert!(
        page.contains("href=\"#a0-L3\""),
        "references link their line"
    );
    assert!(page.contains(&format!("action=edit&amp;oldid={revid}")));
    assert!(!page.contains("<script"), "the review runs no script");
    if let Ok(art) = std::env::var("IBID_ARTIFACTS") {
        let _ = std::fs::copy(
            dir.join("review.html"),
            Path::new(&art).join("review-wiki.html"),
        );
    }
}

#[test]
fn wiki_answers_that_are_not_a_revision() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = site(&rt);
    let dir = s.dir.path();
    let base = "http://wiki.example";
    s.wiki.edit("Grafton Lane", PAGE);
    let fail = |url: &str, needle: &str| {
        let out = ibid(dir, &["check", url, "--format", "json"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert!(err.contains(needle), "{url}: expected {needle:?} in {err}");
        assert!(!err.contains("panicked"), "{err}");
    };
    fail(
        &format!("{base}/wiki/No_such_page"),
        "the wiki has no page \"No such page\"",
    );
    fail(
        &format!("{base}/w/index.php?title=Grafton_Lane&oldid=99999"),
        "revision 99999 does not exist",
    );
    let hidden = s.wiki.edit("Hidden", "Text.<ref>http://x.example/</ref>");
    s.wiki.hide(hidden);
    fail(
        &format!("{base}/wiki/Hidden?oldid={hidden}"),
        "has been deleted",
    );
    s.wiki.error_for(
        "Broken",
        "internal_api_error_DBQueryError",
        "A database query error has occurred",
    );
    fail(
        &format!("{base}/wiki/Broken"),
        "internal_api_error_DBQueryError",
    );
    s.wiki.edit("Loop A", "#REDIRECT [[Loop B]]");
    s.wiki.edit("Loop B", "#REDIRECT [[Grafton Lane]]");
    fail(&format!("{base}/wiki/Loop_A"), "ibid follows one redirect");
    fail(
        "https://news.example/1932/opening.html",
        "not a wiki page URL",
    );
    // replication lag that does not end: four tries, then a clear error
    s.wiki.lag(10);
    fail(&format!("{base}/wiki/Grafton_Lane"), "replicas lag behind");
    s.wiki.lag(0);
    let out = ibid(
        dir,
        &["check", "--offline", &format!("{base}/wiki/Never_fetched")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("run without --offline"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn lag_is_waited_out_redirects_followed_once_and_one_request_at_a_time() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = site(&rt);
    let dir = s.dir.path();
    let revid = s.wiki.edit("Grafton Lane", PAGE);
    s.wiki.edit(
        "Grafton Road",
        "#REDIRECT [[Grafton Lane#History]]\n{{R from move}}",
    );
    s.wiki.edit(
        "Other ground",
        "The ground was used once.<ref>http://gazette.example/capacity.html</ref>",
    );
    // every answer of the API takes a while, so two requests at once would overlap
    let slow = s.wiki.route();
    s.srv.route(
        "wiki.example",
        "/w/api.php",
        Route::Delayed(std::time::Duration::from_millis(150), Box::new(slow)),
    );
    s.wiki.lag(2);
    let out = ibid(
        dir,
        &[
            "check",
            "http://wiki.example/wiki/Grafton_Road",
            "http://wiki.example/wiki/Other_ground",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = &v["articles"][0];
    assert_eq!(a["wiki"]["revid"], revid);
    assert_eq!(a["wiki"]["redirected_from"], "Grafton Road");
    let notes: Vec<&Value> = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "wiki-redirect")
        .collect();
    assert_eq!(notes.len(), 1, "{a}");
    assert!(notes[0]["message"]
        .as_str()
        .unwrap()
        .contains("\"Grafton Road\" is a redirect to \"Grafton Lane\""));
    // two lag answers, then the redirect page, its target and the second page
    assert_eq!(s.srv.hits("wiki.example", "/w/api.php"), 5);
    assert_eq!(
        s.srv.most_in_flight("wiki.example"),
        1,
        "one request at a time to the wiki"
    );
}

#[test]
fn https_sources_are_trusted_through_ca_file_only() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = rt.block_on(Server::start());
    srv.route("secure.example", "/page.html", html("Served over TLS."));
    let tls = rt.block_on(TlsFront::start(srv.addr, &["secure.example"]));
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &tls.ca_pem).unwrap();
    let mut s = ibid::FetchSettings {
        retries: 0,
        ..Default::default()
    };
    s.resolve
        .insert("secure.example".into(), tls.addr.to_string());
    let url = "https://secure.example/page.html";
    let without = rt
        .block_on(
            ibid::Fetcher::new(&s)
                .unwrap()
                .fetch(url, ibid::CopyKind::Live, &[]),
        )
        .unwrap_err();
    assert!(
        without.message.to_lowercase().contains("certificate")
            || without.message.contains("UnknownIssuer"),
        "{}",
        without.message
    );
    s.ca_file = Some(ca.display().to_string());
    let with = rt
        .block_on(
            ibid::Fetcher::new(&s)
                .unwrap()
                .fetch(url, ibid::CopyKind::Live, &[]),
        )
        .unwrap();
    assert_eq!(with.final_exchange().unwrap().status, 200);
    // a file that is not a CA is an error naming it, before any request
    std::fs::write(&ca, "hello\n").unwrap();
    let e = ibid::Fetcher::new(&s).err().unwrap().to_string();
    assert!(
        e.contains("ca.pem") && e.contains("no PEM certificate"),
        "{e}"
    );
    std::fs::write(
        dir.path().join("a.md"),
        format!("Served over TLS.[^1]\n\n[^1]: {url}\n"),
    )
    .unwrap();
    let out = ibid(
        dir.path(),
        &["check", "a.md", "--ca-file", ca.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no PEM certificate"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn wiki_pages_listed_in_sources_toml_with_their_own_api() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = site(&rt);
    let dir = s.dir.path();
    let revid = s.wiki.edit("Grafton Lane", PAGE);
    // the page is named on another host; [wiki] api says where its API is
    let toml = std::fs::read_to_string(dir.join("sources.toml")).unwrap();
    std::fs::write(
        dir.join("sources.toml"),
        format!(
            "articles = [\"https://mirror.example/wiki/Grafton_Lane\"]\n{}",
            toml.replace(
                "[wiki]\n",
                "[wiki]\napi = \"http://wiki.example/w/api.php\"\n"
            )
        ),
    )
    .unwrap();
    let out = ibid(dir, &["fetch"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "one source is dead: {}",
        stderr(&out)
    );
    let out = ibid(dir, &["check", "--offline", "--format", "json"]);
    let v: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    let a = &v["articles"][0];
    assert_eq!(a["path"], "https://mirror.example/wiki/Grafton_Lane");
    assert_eq!(a["wiki"]["revid"], revid);
    assert_eq!(
        a["wiki"]["revision_url"],
        format!("http://wiki.example/w/index.php?title=Grafton_Lane&oldid={revid}")
    );
    assert_eq!(standings(&v).len(), 6);
    assert_eq!(
        s.srv.hits("wiki.example", "/w/api.php"),
        1,
        "fetched once, then offline"
    );
}
