//! Shared test support: the loopback server and the bundled example's routes.
#![allow(dead_code)]

pub mod mediawiki;
pub mod server;
pub mod tls;

use server::{Route, Server};
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Hosts of the example's URLs.
pub fn example_hosts() -> Vec<String> {
    let mut hosts: Vec<String> = example_routes()
        .into_iter()
        .map(|(u, _)| u.split('/').nth(2).unwrap_or("").to_string())
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// (url, route) pairs from tests/example/routes.toml.
pub fn example_routes() -> Vec<(String, Route)> {
    let dir = repo().join("tests/example");
    let text = std::fs::read_to_string(dir.join("routes.toml")).expect("routes.toml");
    let v: toml::Value = toml::from_str(&text).expect("routes.toml parses");
    let mut out = Vec::new();
    for r in v["route"].as_array().expect("[[route]]") {
        let url = r["url"].as_str().expect("url").to_string();
        let route = if let Some(st) = r.get("status") {
            Route::status(st.as_integer().unwrap_or(404) as u16)
        } else {
            let ct = r
                .get("type")
                .and_then(|t| t.as_str())
                .unwrap_or("text/html");
            let files: Vec<Route> = r["files"]
                .as_array()
                .expect("files")
                .iter()
                .map(|f| {
                    Route::ok(
                        ct,
                        std::fs::read(dir.join("sources").join(f.as_str().unwrap()))
                            .expect("source file"),
                    )
                })
                .collect();
            if files.len() == 1 {
                files.into_iter().next().unwrap()
            } else {
                Route::Sequence(files)
            }
        };
        out.push((url, route));
    }
    out
}

/// Start a server answering every example URL.
pub async fn example_server() -> Server {
    let s = Server::start().await;
    for (url, route) in example_routes() {
        let rest = url.split_once("://").unwrap().1;
        let (host, path) = rest.split_at(rest.find('/').unwrap());
        s.route(host, path, route);
    }
    s
}

/// `--resolve` flags mapping every example host to the server.
pub fn resolve_flags(s: &Server) -> Vec<String> {
    example_hosts()
        .into_iter()
        .flat_map(|h| vec!["--resolve".to_string(), format!("{h}={}", s.addr)])
        .collect()
}

/// Copy a file tree (for a scratch copy of the example).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}
