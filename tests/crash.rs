//! Crash safety: `ibid fetch` killed with SIGKILL at random moments leaves a store that
//! `ibid verify` accepts and that the next `ibid fetch` completes.

mod support;

use std::process::Command;
use std::time::Duration;
use support::server::{Route, Server};

#[test]
fn killed_fetch_leaves_a_consistent_store() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = rt.block_on(Server::start());
    let n = 120;
    let mut article = String::new();
    for i in 0..n {
        srv.route(
            "*",
            &format!("/p{i}"),
            Route::Slow {
                chunk: format!("<p>Page {i}. ").into_bytes(),
                chunks: 3,
                delay: Duration::from_millis(10 + (i % 7) as u64 * 5),
            },
        );
        article.push_str(&format!("Claim number {i}.[^{i}]\n\n"));
    }
    for i in 0..n {
        article.push_str(&format!("[^{i}]: {}\n", srv.url(&format!("/p{i}"))));
    }
    let rounds: u64 = std::env::var("IBID_KILL_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let bin = assert_cmd::cargo::cargo_bin("ibid");
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut interrupted = 0;
    for round in 0..rounds {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), &article).unwrap();
        std::fs::write(
            dir.path().join("sources.toml"),
            "articles = [\"a.md\"]\n[fetch]\nallow_private = true\nconcurrency = 8\n",
        )
        .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_millis(seed % 900);
        let mut child = Command::new(&bin)
            .current_dir(dir.path())
            .args(["fetch"])
            .env("CI", "1")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let killed = child.try_wait().unwrap().is_none();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        interrupted += u64::from(killed);
        let v = Command::new(&bin)
            .current_dir(dir.path())
            .arg("verify")
            .output()
            .unwrap();
        // killed before the store existed (process start, reading the article: the first tens
        // of milliseconds): verify must say there is no store, and nothing may be half made
        let err = String::from_utf8_lossy(&v.stderr);
        let no_store = err.contains("the folder does not exist") || err.contains("is empty");
        assert!(
            v.status.success() || no_store && !dir.path().join("snapshots/.lock").exists(),
            "round {round} (killed after {delay:?}): verify failed:\n{}{err}",
            String::from_utf8_lossy(&v.stdout)
        );
        let f = Command::new(&bin)
            .current_dir(dir.path())
            .arg("fetch")
            .env("CI", "1")
            .output()
            .unwrap();
        assert!(
            f.status.success(),
            "round {round}: the next fetch failed: {}",
            String::from_utf8_lossy(&f.stderr)
        );
        let v = Command::new(&bin)
            .current_dir(dir.path())
            .arg("verify")
            .output()
            .unwrap();
        assert!(
            v.status.success(),
            "round {round}: verify after completion failed"
        );
        let index =
            std::fs::read_to_string(dir.path().join("snapshots/indexes/index.cdxj")).unwrap();
        let urls: std::collections::HashSet<&str> = index
            .lines()
            .filter_map(|l| l.split("\"url\":\"").nth(1)?.split('"').next())
            .collect();
        assert_eq!(urls.len(), n, "round {round}: the store was not completed");
    }
    eprintln!(
        "{rounds} rounds, {interrupted} killed mid-run; every store verified and was completed"
    );
    drop(rt);
}
