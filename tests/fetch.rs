//! Fetching and snapshotting against real HTTP servers on 127.0.0.1: every case ends in a
//! capture or a clear finding, the store verifies, and the WARCs are kept for warcio in CI.

mod support;

use ibid::fetch::FetchSettings;
use ibid::fetch::{CopyKind, Fetcher};
use ibid::findings::Code;
use ibid::snapshot::capture::{capture_all, Job, JobResult, Rescuers};
use ibid::snapshot::Store;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::server::{Route, Server};

fn settings() -> FetchSettings {
    FetchSettings {
        allow_private: true,
        timeout_secs: 5.0,
        connect_timeout_secs: 2.0,
        retries: 2,
        ..Default::default()
    }
}

fn job(url: &str) -> Job {
    Job {
        ids: vec!["t".into()],
        url: url.to_string(),
        archive_url: None,
        accessed: None,
    }
}

async fn run(store: &mut Store, s: &FetchSettings, jobs: Vec<Job>) -> Vec<JobResult> {
    let f = Arc::new(Fetcher::new(s).unwrap());
    capture_all(
        store,
        f,
        jobs,
        false,
        Rescuers::from_settings(s),
        &|_, _, _, _| {},
    )
    .await
    .unwrap()
}

/// Keep this test's WARCs for the outside validator in CI.
fn keep_warcs(store: &std::path::Path, tag: &str) {
    if let Ok(dir) = std::env::var("IBID_ARTIFACTS") {
        let dest = std::path::Path::new(&dir).join("warcs");
        std::fs::create_dir_all(&dest).unwrap();
        for e in std::fs::read_dir(store.join("archive")).unwrap().flatten() {
            std::fs::copy(
                e.path(),
                dest.join(format!("{tag}-{}", e.file_name().to_string_lossy())),
            )
            .unwrap();
        }
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Brotli of a small page, made with Python's brotli package (no encoder crate needed).
const BROTLI_PAGE: &str = "1b5500c82d0eec9834f0a1eaf62a23547ac2b5bd148f50fabcc92508195dbbe8a4b1810d3870e86db0016cc1430036e054a7681dd6692f6764c9c1fbc47f912e1000c88c5eaa816000";

fn codes(r: &JobResult) -> Vec<Code> {
    r.findings.iter().map(|f| f.code).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_source_ends_in_a_capture_or_a_finding() {
    let srv = Server::start().await;
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("<html><head><meta charset=windows-1251></head><body><p>Доклад был прочитан на закрытом заседании.</p></body></html>");
    let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..80 {
        bomb.write_all(&zeros).unwrap();
    }
    let bomb = bomb.finish().unwrap();
    let pdf =
        std::fs::read(support::repo().join("tests/example/sources/cpusa-membership.pdf")).unwrap();
    let routes: Vec<(&str, Route)> = vec![
        (
            "/ok",
            Route::html("<p>An ordinary page about the closed session.</p>"),
        ),
        ("/404", Route::status(404)),
        ("/410", Route::status(410)),
        (
            "/flaky",
            Route::Sequence(vec![
                Route::status(500),
                Route::html("<p>Second try worked.</p>"),
            ]),
        ),
        (
            "/busy",
            Route::Sequence(vec![
                Route::status(429).with_header("Retry-After", "1"),
                Route::html("<p>After waiting.</p>"),
            ]),
        ),
        ("/r1", Route::redirect(301, "/r2")),
        ("/r2", Route::redirect(302, "/r3")),
        ("/r3", Route::html("<p>End of the chain.</p>")),
        ("/loop-a", Route::redirect(302, "/loop-b")),
        ("/loop-b", Route::redirect(302, "/loop-a")),
        (
            "/gzip",
            Route::ok(
                "text/html",
                gzip(b"<p>Gzipped body about the congress.</p>"),
            )
            .with_header("Content-Encoding", "gzip"),
        ),
        (
            "/br",
            Route::ok("text/html", hex(BROTLI_PAGE)).with_header("Content-Encoding", "br"),
        ),
        (
            "/bomb",
            Route::ok("text/html", bomb).with_header("Content-Encoding", "gzip"),
        ),
        ("/big", Route::ok("text/plain", vec![b'a'; 300_000])),
        ("/doc.pdf", Route::ok("application/pdf", pdf)),
        (
            "/img.png",
            Route::ok("image/png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        ),
        ("/cp1251", Route::ok("text/html", cp1251.to_vec())),
        (
            "/reset",
            Route::Reset {
                total: 100_000,
                sent: 1000,
            },
        ),
        (
            "/slow",
            Route::Slow {
                chunk: b"slow ".to_vec(),
                chunks: 40,
                delay: Duration::from_millis(100),
            },
        ),
        ("/hang", Route::Hang),
    ];
    for (p, r) in routes {
        srv.route("*", p, r);
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = Store::open(dir.path()).unwrap();
    let mut s = settings();
    s.max_body_bytes = 200_000;
    s.timeout_secs = 2.0;
    let urls = [
        "/ok", "/404", "/410", "/flaky", "/busy", "/r1", "/loop-a", "/gzip", "/br", "/bomb",
        "/big", "/doc.pdf", "/img.png", "/cp1251", "/reset", "/slow", "/hang",
    ];
    let started = Instant::now();
    let results = run(
        &mut store,
        &s,
        urls.iter().map(|u| job(&srv.url(u))).collect(),
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the run must not hang"
    );
    let by = |p: &str| results.iter().find(|r| r.url == srv.url(p)).unwrap();
    for ok in [
        "/ok", "/flaky", "/busy", "/r1", "/gzip", "/br", "/bomb", "/big", "/doc.pdf", "/img.png",
        "/cp1251",
    ] {
        assert_eq!(
            by(ok).copy,
            Some(CopyKind::Live),
            "{ok}: {:?}",
            by(ok).findings
        );
    }
    assert_eq!(srv.hits("*", "/flaky"), 2, "500 then 200: one retry");
    assert_eq!(srv.hits("*", "/busy"), 2);
    for dead in ["/404", "/410"] {
        assert!(codes(by(dead)).contains(&Code::SourceUnreachable), "{dead}");
    }
    assert!(by("/loop-a").findings[0].message.contains("redirect loop"));
    for broken in ["/reset", "/slow", "/hang"] {
        assert_eq!(
            codes(by(broken)),
            vec![Code::SourceUnreachable],
            "{broken}: {:?}",
            by(broken).findings
        );
    }
    assert!(
        by("/hang").findings[0].message.contains("timed out"),
        "{:?}",
        by("/hang").findings
    );

    // what the store holds
    let store = Store::open_read(dir.path()).unwrap();
    let chain: Vec<String> = ["/r1", "/r2", "/r3"]
        .iter()
        .map(|p| store.history(&srv.url(p))[0].status.clone())
        .collect();
    assert_eq!(chain, vec!["301", "302", "200"]);
    let big = store.load(store.history(&srv.url("/big"))[0]).unwrap();
    assert!(big.truncated && big.payload.len() == 200_000);
    let text_of = |p: &str| {
        let st = store
            .load(store.history(&srv.url(p)).last().unwrap())
            .unwrap();
        ibid::extract::extract(&st.payload, &st.headers, &st.url)
    };
    assert!(text_of("/gzip").unwrap().text.contains("Gzipped body"));
    assert!(text_of("/br").unwrap().text.contains("Brotli body"));
    assert!(
        text_of("/bomb").unwrap().truncated,
        "the bomb is cut at the decompression cap"
    );
    assert!(text_of("/cp1251")
        .unwrap()
        .text
        .contains("закрытом заседании"));
    assert!(text_of("/doc.pdf").unwrap().text.contains("30,000"));
    assert!(matches!(
        text_of("/img.png"),
        Err(ibid::extract::ExtractError::NotText(_))
    ));
    // the 404 capture is kept: it proves the source was dead
    assert_eq!(store.history(&srv.url("/404"))[0].status, "404");
    let rep = ibid::snapshot::verify(dir.path());
    assert!(rep.ok(), "{:?}", rep.problems);
    keep_warcs(dir.path(), "cases");
    // the user agent names ibid
    assert!(srv.log().iter().all(|r| r
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("user-agent") && v.starts_with("ibid/"))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_addresses_are_refused_on_every_hop() {
    let srv = Server::start().await;
    srv.route(
        "*",
        "/to-loopback",
        Route::redirect(302, &srv.url("/secret")),
    );
    srv.route("*", "/secret", Route::html("<p>internal</p>"));
    let mut s = settings();
    s.allow_private = false;
    // the user's --resolve makes public.example a trusted name; its redirect to 127.0.0.1 is not
    s.resolve
        .insert("public.example".into(), srv.addr.to_string());
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = Store::open(dir.path()).unwrap();
    let port = srv.addr.port();
    let jobs = vec![
        job("http://public.example/to-loopback"),
        job(&format!("http://localhost:{port}/secret")),
        job(&format!("http://127.0.0.1:{port}/secret")),
        job("http://169.254.169.254/latest/meta-data/"),
        job(&format!("http://[::1]:{port}/secret")),
        job("ftp://example.org/file"),
    ];
    let results = run(&mut store, &s, jobs).await;
    for r in &results {
        assert_eq!(
            codes(r),
            vec![Code::SourceBlocked],
            "{}: {:?}",
            r.url,
            r.findings
        );
    }
    let msg = |u: &str| {
        results.iter().find(|r| r.url == u).unwrap().findings[0]
            .message
            .clone()
    };
    assert!(msg(&format!("http://localhost:{port}/secret")).contains("loopback"));
    assert!(msg("http://169.254.169.254/latest/meta-data/").contains("link-local"));
    assert_eq!(
        srv.hits("*", "/secret"),
        0,
        "no request may reach a refused address"
    );
    assert_eq!(srv.hits("*", "/to-loopback"), 1);
}

/// The `fetch-settings` field of every metadata record in the store's WARC files.
fn recorded_settings(store: &std::path::Path) -> Vec<serde_json::Value> {
    let mut out = vec![];
    for f in std::fs::read_dir(store.join("archive")).unwrap() {
        let data = std::fs::read(f.unwrap().path()).unwrap();
        for rec in ibid::snapshot::warc::read_all(&data).unwrap() {
            if rec.kind() != "metadata" {
                continue;
            }
            let text = String::from_utf8(rec.block).unwrap();
            let json = text
                .lines()
                .find_map(|l| l.strip_prefix("fetch-settings: "))
                .expect("a metadata record names the fetch settings");
            out.push(serde_json::from_str(json).unwrap());
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_records_the_host_overrides_it_used_not_the_whole_table() {
    let srv = Server::start().await;
    srv.route("*", "/page", Route::html("<p>page</p>"));
    let mut s = settings();
    let port = srv.addr.port();
    for host in ["a.example", "b.example"] {
        s.resolve
            .insert(format!("{host}:{port}"), srv.addr.to_string());
    }
    // a long table of overrides for hosts this run never asks for
    for i in 0..500 {
        s.resolve
            .insert(format!("unused{i}.example"), srv.addr.to_string());
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = Store::open(dir.path()).unwrap();
    let jobs = vec![
        job(&format!("http://a.example:{port}/page")),
        job(&format!("http://b.example:{port}/page")),
    ];
    for r in run(&mut store, &s, jobs).await {
        assert!(r.findings.is_empty(), "{}: {:?}", r.url, r.findings);
    }
    let recorded = recorded_settings(dir.path());
    assert_eq!(recorded.len(), 2);
    let mut named: Vec<Vec<String>> = recorded
        .iter()
        .map(|v| v["resolve"].as_object().unwrap().keys().cloned().collect())
        .collect();
    named.sort();
    assert_eq!(
        named,
        vec![
            vec![format!("a.example:{port}")],
            vec![format!("b.example:{port}")]
        ]
    );
    // the rest of the policy is recorded whole
    for v in &recorded {
        assert_eq!(v["retries"], 2);
        assert!(v["user_agent"].as_str().unwrap().starts_with("ibid/"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_source_falls_back_to_archive_and_timegate() {
    let srv = Server::start().await;
    srv.route("*", "/gone", Route::status(404));
    srv.route(
        "*",
        "/archived/gone",
        Route::html("<p>The archived copy of the page.</p>"),
    );
    srv.route(
        "*",
        "/tg/http://dead.example/page",
        Route::redirect(302, "/mementos/2019/page"),
    );
    srv.route(
        "*",
        "/mementos/2019/page",
        Route::html("<p>Memento from 2019.</p>"),
    );
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = Store::open(dir.path()).unwrap();
    let mut s = settings();
    s.resolve
        .insert("dead.example".into(), "127.0.0.1:9".into());
    s.connect_timeout_secs = 1.0;
    s.retries = 0;
    s.timegate = Some(srv.url("/tg/"));
    let mut j = job(&srv.url("/gone"));
    j.archive_url = Some(srv.url("/archived/gone"));
    let mut j2 = job("http://dead.example/page");
    j2.accessed = Some("2019-05-01".into());
    let results = run(&mut store, &s, vec![j, j2]).await;
    let a = results.iter().find(|r| r.url.ends_with("/gone")).unwrap();
    assert_eq!(a.copy, Some(CopyKind::Archive));
    assert_eq!(codes(a), vec![Code::SourceArchived]);
    let t = results
        .iter()
        .find(|r| r.url.contains("dead.example"))
        .unwrap();
    assert_eq!(t.copy, Some(CopyKind::Timegate), "{:?}", t.findings);
    let tg_req = srv
        .log()
        .into_iter()
        .find(|r| r.path.starts_with("/tg/"))
        .unwrap();
    assert!(
        tg_req
            .headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("accept-datetime") && v.contains("2019")),
        "{:?}",
        tg_req.headers
    );
    assert!(ibid::snapshot::verify(dir.path()).ok());
    keep_warcs(dir.path(), "fallback");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeats_are_revisits_and_refresh_is_conditional() {
    let srv = Server::start().await;
    srv.route(
        "*",
        "/a",
        Route::html("<p>Same bytes.</p>").with_header("ETag", "\"v1\""),
    );
    srv.route("*", "/b", Route::html("<p>Same bytes.</p>"));
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = Store::open(dir.path()).unwrap();
    let s = settings();
    run(&mut store, &s, vec![job(&srv.url("/a"))]).await;
    run(&mut store, &s, vec![job(&srv.url("/b"))]).await;
    let f = Arc::new(Fetcher::new(&s).unwrap());
    capture_all(
        &mut store,
        f,
        vec![job(&srv.url("/a"))],
        true,
        Rescuers::default(),
        &|_, _, _, _| {},
    )
    .await
    .unwrap();
    let b = &store.history(&srv.url("/b"))[0];
    assert!(b.is_revisit(), "an identical payload is stored once");
    assert_eq!(store.load(b).unwrap().payload, b"<p>Same bytes.</p>");
    let refresh = srv
        .log()
        .into_iter()
        .filter(|r| r.path == "/a")
        .nth(1)
        .unwrap();
    assert!(refresh
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("if-none-match") && v == "\"v1\""));
    let rep = ibid::snapshot::verify(dir.path());
    assert!(rep.ok(), "{:?}", rep.problems);
    keep_warcs(dir.path(), "revisit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connect_that_gets_no_answer_hits_the_connect_timeout() {
    // A listener whose accept queue is full: Linux drops further SYNs without answering, so
    // the client's connect hangs as it does for a host that drops packets.
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = sock.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = vec![];
    for _ in 0..4 {
        // these complete or hang at the SYN; either way the queue ends up full
        if let Ok(Ok(c)) = tokio::time::timeout(
            Duration::from_millis(300),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            fillers.push(c);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = Store::open(dir.path()).unwrap();
    let s = FetchSettings {
        connect_timeout_secs: 1.0,
        timeout_secs: 20.0,
        retries: 1,
        ..settings()
    };
    let t = Instant::now();
    let res = run(&mut store, &s, vec![job(&format!("http://{addr}/page"))]).await;
    let took = t.elapsed();
    assert_eq!(codes(&res[0]), vec![Code::SourceUnreachable]);
    let msg = &res[0].findings[0].message;
    assert!(
        msg.contains("could not connect: timed out after 1 s"),
        "{msg}"
    );
    // two attempts of one second each plus a backoff, far below the 20 s total timeout
    assert!(took < Duration::from_secs(8), "took {took:?}");
    assert!(
        took >= Duration::from_secs(2),
        "both attempts waited: {took:?}"
    );
    assert!(ibid::snapshot::verify(dir.path()).ok());
    drop(listener);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_gzip_level_stores_the_exact_bytes() {
    let srv = Server::start().await;
    // a large page goes through the blocking pool and spans several stored blocks at level 0
    let big: String = (0..12_000)
        .map(|i| format!("<p>Paragraph {i} of the speech as printed.</p>\n"))
        .collect();
    srv.route("*", "/big", Route::html(&big));
    srv.route("*", "/small", Route::html("<p>A short page.</p>"));
    let mut sizes = vec![];
    for level in [0, 1, 9] {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::open(dir.path()).unwrap();
        store.configure(ibid::snapshot::StoreSettings { gzip_level: level });
        let res = run(
            &mut store,
            &settings(),
            vec![job(&srv.url("/big")), job(&srv.url("/small"))],
        )
        .await;
        assert!(
            res.iter().all(|r| r.copy == Some(CopyKind::Live)),
            "{res:?}"
        );
        let e = store.history(&srv.url("/big"))[0].clone();
        assert_eq!(
            store.load(&e).unwrap().payload,
            big.as_bytes(),
            "level {level}"
        );
        let rep = ibid::snapshot::verify(dir.path());
        assert!(rep.ok(), "level {level}: {:?}", rep.problems);
        let bytes: u64 = std::fs::read_dir(dir.path().join("archive"))
            .unwrap()
            .flatten()
            .map(|f| f.metadata().unwrap().len())
            .sum();
        sizes.push(bytes);
        keep_warcs(dir.path(), &format!("gzip{level}"));
    }
    assert!(sizes[0] > big.len() as u64, "level 0 stores: {sizes:?}");
    assert!(sizes[1] * 4 < sizes[0], "level 1 compresses: {sizes:?}");
    assert!(
        sizes[2] <= sizes[1],
        "level 9 is no larger than 1: {sizes:?}"
    );
}

/// Minimal xorshift, seeded from the clock and printed, for reproducible random positions.
struct Rng(u64);
impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("IBID_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("random seed {seed} (set IBID_SEED to repeat)");
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_flipped_byte_is_caught_by_verify() {
    let srv = Server::start().await;
    for i in 0..6 {
        srv.route(
            "*",
            &format!("/p{i}"),
            Route::html(&format!(
                "<p>Page {i} with some text to store and hash.</p>"
            )),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = Store::open(dir.path()).unwrap();
    run(
        &mut store,
        &settings(),
        (0..6).map(|i| job(&srv.url(&format!("/p{i}")))).collect(),
    )
    .await;
    drop(store);
    assert!(ibid::snapshot::verify(dir.path()).ok());
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path().join("archive"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.push(dir.path().join("indexes/index.cdxj"));
    let mut rng = Rng::new();
    let rounds: usize = std::env::var("IBID_TAMPER_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    for _ in 0..rounds {
        let f = &files[rng.below(files.len() as u64) as usize];
        let orig = std::fs::read(f).unwrap();
        let pos = rng.below(orig.len() as u64) as usize;
        let mut bad = orig.clone();
        bad[pos] ^= 1 << rng.below(8);
        std::fs::write(f, &bad).unwrap();
        let rep = ibid::snapshot::verify(dir.path());
        std::fs::write(f, &orig).unwrap();
        assert!(
            !rep.ok(),
            "flipping byte {pos} of {} went unnoticed",
            f.display()
        );
    }
    assert!(ibid::snapshot::verify(dir.path()).ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_ids_and_symlinks_cannot_move_writes_outside_the_store() {
    let srv = Server::start().await;
    srv.route("*", "/x", Route::html("<p>page</p>"));
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("snapshots");
    let (mut store, _) = Store::open(&dir).unwrap();
    let mut j = job(&srv.url("/x?name=../../../../etc/passwd"));
    j.ids = vec!["../../../../tmp/evil".into(), "/etc/passwd".into()];
    run(&mut store, &settings(), vec![j]).await;
    drop(store);
    // only the store's own files exist, named from timestamps and digests
    let mut names: Vec<String> = walk(outer.path());
    names.sort();
    assert!(
        names.iter().all(|n| n.starts_with("snapshots/")),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .filter(|n| n.starts_with("snapshots/archive/"))
            .all(|n| n
                .trim_start_matches("snapshots/archive/ibid-")
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')),
        "{names:?}"
    );
    // a symbolic link planted in the store is refused, not followed
    #[cfg(unix)]
    {
        let target = outer.path().join("elsewhere");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::remove_file(dir.join("manifest.json")).unwrap();
        std::os::unix::fs::symlink(target.join("manifest.json"), dir.join("manifest.json"))
            .unwrap();
        assert!(
            Store::open(&dir).is_err(),
            "a symlinked manifest must be refused"
        );
        assert!(!ibid::snapshot::verify(&dir).ok());
        assert!(
            !target.join("manifest.json").exists(),
            "nothing was written through the link"
        );
    }
}

fn walk(root: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_string_lossy().to_string());
            }
        }
    }
    out
}
