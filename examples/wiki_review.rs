//! The editor's loop on a real wiki page, end to end on loopback (run by `bench/wiki-review.sh`):
//! a fake MediaWiki API serves the page; every URL it cites is served by one loopback server
//! (http and https, through a CA made here and trusted with `ca_file`), one in five answering
//! 404, and for half of those an archived copy (the reference's own archive-url when it has
//! one, else a capture the fake Wayback availability API names). Then
//! `ibid check PAGE_URL --format review-html --patch rescue.diff` runs ROUNDS times on a fresh
//! store, and the figures are printed: end-to-end time, references per second, what the review
//! found, and whether `patch` applies the rescue patch.
//!
//! The source pages are written here from the claims that cite them (the real pages are not
//! available offline), so verdicts are not what this measures; time and the rescue are.
//!
//! usage: wiki_review PAGE.wikitext OUT_DIR [ROUNDS]

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;
use support::mediawiki::{decode, FakeWiki};
use support::server::{Route, Server};
use support::tls::TlsFront;

/// A cited URL and what the benchmark serves for it.
struct Cited {
    url: String,
    archive_url: Option<String>,
    accessed: Option<String>,
    ids: Vec<String>,
}

fn host_and_path(url: &str) -> Option<(String, String, bool)> {
    let u = reqwest::Url::parse(url).ok()?;
    let host = u.host_str()?.to_string();
    let mut path = u.path().to_string();
    if let Some(q) = u.query() {
        path.push('?');
        path.push_str(q);
    }
    Some((host, path, u.port().is_some()))
}

fn page_for(claims: &[String]) -> Route {
    let mut body = String::from("<html><head><title>Source</title></head><body><article>");
    for c in claims {
        body.push_str(&format!("<p>{}</p>", c.replace('<', "&lt;")));
    }
    for i in 0..6 {
        body.push_str(&format!("<p>Paragraph {i} of the surrounding page: the club, the ground, the town and the seasons it has seen, as reported at the time.</p>"));
    }
    body.push_str("</article></body></html>");
    Route::html(&body)
}

fn wayback_timestamp(accessed: Option<&str>) -> String {
    accessed
        .and_then(|a| {
            // the access date's digits when it is ISO; otherwise a fixed day
            let d: String = a.chars().filter(char::is_ascii_digit).collect();
            (a.len() == 10 && d.len() == 8).then(|| format!("{d}000000"))
        })
        .unwrap_or_else(|| "20200101000000".into())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: wiki_review PAGE.wikitext OUT_DIR [ROUNDS]");
        std::process::exit(2);
    }
    let page_path = Path::new(&args[1]);
    let out = PathBuf::from(&args[2]);
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5);
    let text = std::fs::read_to_string(page_path).expect("the page");
    let stem = page_path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("Page")
        .to_string();
    let title = stem.replace('_', " ");

    // what ibid will cite: its own reading of the page
    let article = ibid::article::read_str(&args[1], &text, Some(ibid::article::Format::Wikitext));
    let resolution = ibid::resolve_sources(&article, &[]);
    let mut claims_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &article.claims {
        for id in &c.citations {
            claims_of
                .entry(id.clone())
                .or_default()
                .push(c.text.clone());
        }
    }
    let mut cited: BTreeMap<String, Cited> = BTreeMap::new();
    for s in resolution.sources.values() {
        let Some(url) = &s.url else { continue };
        let e = cited.entry(url.clone()).or_insert_with(|| Cited {
            url: url.clone(),
            archive_url: s.archive_url.clone(),
            accessed: s.accessed.clone(),
            ids: vec![],
        });
        e.ids.push(s.id.clone());
    }

    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = rt.block_on(Server::start());
    let wiki = FakeWiki::new();
    let revid = wiki.edit(&title, &text);
    srv.route("en.wikipedia.org", "/w/api.php", wiki.route());
    let mut hosts: BTreeSet<String> = ["en.wikipedia.org", "archive.org", "web.archive.org"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    let (mut live, mut dead, mut rescued, mut explicit_port) = (0, 0, 0, 0);
    let mut wayback: BTreeMap<String, String> = BTreeMap::new();
    for (k, c) in cited.values().enumerate() {
        let Some((host, path, port)) = host_and_path(&c.url) else {
            continue;
        };
        explicit_port += usize::from(port);
        hosts.insert(host.clone());
        let claims: Vec<String> = c
            .ids
            .iter()
            .flat_map(|id| claims_of.get(id).cloned().unwrap_or_default())
            .collect();
        if k % 5 != 4 {
            live += 1;
            srv.route(&host, &path, page_for(&claims));
            continue;
        }
        dead += 1;
        srv.route(&host, &path, Route::status(404));
        if (k / 5) % 2 == 1 {
            continue; // dead with no copy anywhere
        }
        rescued += 1;
        let copy = match &c.archive_url {
            Some(a) => a.clone(),
            None => {
                let m = format!(
                    "https://web.archive.org/web/{}/{}",
                    wayback_timestamp(c.accessed.as_deref()),
                    c.url
                );
                wayback.insert(c.url.clone(), m.clone());
                m
            }
        };
        if let Some((ah, ap, _)) = host_and_path(&copy) {
            hosts.insert(ah.clone());
            srv.route(
                &ah,
                &ap,
                page_for(&claims).with_header("Memento-Datetime", "Wed, 01 Jan 2020 00:00:00 GMT"),
            );
        }
    }
    srv.route(
        "archive.org",
        "/wayback/available",
        Route::handler(move |req| {
            let q = req.path.split_once('?').map(|x| x.1).unwrap_or("");
            let asked = q
                .split('&')
                .find_map(|kv| kv.strip_prefix("url="))
                .map(decode)
                .unwrap_or_default();
            let body = match wayback.get(&asked) {
                Some(m) => serde_json::json!({"url": asked, "archived_snapshots": {"closest": {"available": true, "status": "200", "url": m, "timestamp": "20200101000000"}}}),
                None => serde_json::json!({"url": asked, "archived_snapshots": {}}),
            };
            Route::ok("application/json", serde_json::to_vec(&body).unwrap())
        }),
    );
    let names: Vec<&str> = hosts.iter().map(String::as_str).collect();
    let front = rt.block_on(TlsFront::start(srv.addr, &names));

    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("ca.pem"), &front.ca_pem).unwrap();
    let resolve: Vec<String> = hosts
        .iter()
        .map(|h| format!("{:?} = \"{}\"", h, front.addr))
        .collect();
    std::fs::write(
        out.join("sources.toml"),
        format!(
            "[fetch]\nretries = 0\ntimeout_secs = 10.0\nca_file = \"ca.pem\"\nwayback_available = \"https://archive.org/wayback/available\"\nresolve = {{ {} }}\n\n[wiki]\ncontact = \"bench@example.org\"\n",
            resolve.join(", ")
        ),
    )
    .unwrap();
    let page_url = format!("https://en.wikipedia.org/wiki/{stem}");
    let ibid_bin = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("ibid");
    let run = |args: &[&str]| {
        std::process::Command::new(&ibid_bin)
            .current_dir(&out)
            .env("CI", "1")
            .args(args)
            .output()
            .expect("run ibid")
    };
    let mut times = Vec::new();
    for _ in 0..rounds {
        let _ = std::fs::remove_dir_all(out.join("snapshots"));
        let t = Instant::now();
        let o = run(&[
            "check",
            &page_url,
            "--format",
            "review-html",
            "-o",
            "review.html",
            "--patch",
            "rescue.diff",
        ]);
        times.push(t.elapsed().as_secs_f64());
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let median = times[times.len() / 2];

    // what the review found, read from the JSON report of the same (stored) revision
    let o = run(&["check", "--offline", &page_url, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    let a = &report["articles"][0];
    let refs = a["references"].as_array().unwrap();
    let mut standing: BTreeMap<String, usize> = BTreeMap::new();
    for r in refs {
        *standing
            .entry(r["standing"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let checked = a["wiki"]["revid"].as_u64() == Some(revid);

    // the patch, applied by patch(1) to the page as the API served it
    let file = format!("{stem}.wikitext");
    std::fs::write(out.join("original.wikitext"), &text).unwrap();
    std::fs::write(out.join(&file), &text).unwrap();
    let p = std::process::Command::new("patch")
        .current_dir(&out)
        .args(["-p0", "-i", "rescue.diff"])
        .output()
        .expect("patch(1)");
    let patch_says = String::from_utf8_lossy(&p.stdout).to_string();
    let clean =
        p.status.success() && !patch_says.contains("offset") && !patch_says.contains("fuzz");
    let diff = std::fs::read_to_string(out.join("rescue.diff")).unwrap_or_default();
    let hunks = diff.lines().filter(|l| l.starts_with("@@")).count();

    println!("page: {} ({} bytes), revision {revid} served by the fake API; checked revision pinned: {checked}", page_path.display(), text.len());
    println!(
        "cited URLs served: {} ({live} live, {dead} answering 404 of which {rescued} with an archived copy; {explicit_port} with an explicit port)",
        cited.len()
    );
    println!(
        "claims: {}; references in the review: {} ({})",
        a["claims"].as_array().map_or(0, Vec::len),
        refs.len(),
        standing
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "end to end (revision + {} sources fetched over http/https, checked, review and patch written), {rounds} rounds on a fresh store: median {:.3} s (min {:.3}, max {:.3}); {:.1} references/s",
        cited.len(),
        median,
        times[0],
        times[times.len() - 1],
        refs.len() as f64 / median
    );
    println!(
        "rescue patch: {hunks} hunks; patch(1) {}: {}",
        if clean {
            "applied cleanly"
        } else {
            "FAILED or needed offset/fuzz"
        },
        patch_says.trim()
    );
    if !clean || !checked {
        std::process::exit(1);
    }
}
