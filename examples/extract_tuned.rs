//! Main-text extraction with chosen constants, for `bench/extract-eval.sh`'s 2-fold figure.
//! Usage: extract_tuned DIR < CONFIGS
//!
//! Reads every `*.html` or `*.html.gz` page of DIR once, then for each line of stdin (a tuning
//! such as `anchors=off,sibling_share=0.3`; an empty line is the defaults) prints one JSON line
//! `{"config": LINE, "pred": {ID: TEXT, ...}}` where ID is the file name without `.html[.gz]`.
//! A line that names an unknown constant prints `{"config": LINE, "error": ...}`.
//! `extract_tuned --defaults` prints ibid's default tuning as one `key=value,...` line.
use std::io::{BufRead, Write};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--defaults") {
        println!("{}", ibid::extract::Tuning::default().spec());
        return;
    }
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: extract_tuned DIR < CONFIGS");
        std::process::exit(2);
    };
    let mut pages = Vec::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        eprintln!("extract_tuned: {dir}: {e}");
        std::process::exit(2);
    });
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let (id, gz) = if let Some(id) = name.strip_suffix(".html.gz") {
            (id.to_string(), true)
        } else if let Some(id) = name.strip_suffix(".html") {
            (id.to_string(), false)
        } else {
            continue;
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("extract_tuned: {}: {e}", path.display());
                std::process::exit(2);
            }
        };
        let encoding = gz.then_some("gzip");
        let bytes = match ibid::extract::decode::content_decode(&bytes, encoding) {
            Ok((b, _)) => b,
            Err(e) => {
                eprintln!("extract_tuned: {}: {e}", path.display());
                std::process::exit(2);
            }
        };
        let (html, _) = ibid::extract::decode::to_text(&bytes, Some("text/html"), true);
        pages.push((id, html.into_owned()));
    }
    pages.sort();
    let stdout = std::io::stdout();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let config = line.trim();
        let out = match ibid::extract::Tuning::parse(config) {
            Ok(tuning) => {
                let pred: serde_json::Map<String, serde_json::Value> = pages
                    .iter()
                    .map(|(id, html)| {
                        let st = ibid::extract::from_html_with(html, &tuning);
                        (id.clone(), st.text.into())
                    })
                    .collect();
                serde_json::json!({"config": config, "pred": pred})
            }
            Err(e) => serde_json::json!({"config": config, "error": e.to_string()}),
        };
        let mut lock = stdout.lock();
        if writeln!(lock, "{out}").and_then(|_| lock.flush()).is_err() {
            break;
        }
    }
}
