//! How fast captures become WARC records (SHA-256 digests, gzip member per record) on one
//! core: the CPU work `ibid fetch` adds to each download.
//! usage: cargo run --release --example encode_speed -- DIR_OF_PAGES [GZIP_LEVEL]
use ibid::fetch::{Capture, CopyKind, Exchange};
use ibid::snapshot::prepare;
use ibid::time::Timestamp;
use std::time::Instant;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: encode_speed DIR_OF_PAGES");
        std::process::exit(2);
    };
    let mut caps = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{dir}: {e}");
            std::process::exit(2);
        }
    };
    for (i, e) in entries.flatten().enumerate() {
        let Ok(body) = std::fs::read(e.path()) else {
            continue;
        };
        let url = format!("http://127.0.0.1/pages/{i}.html");
        caps.push(Capture {
            requested: url.clone(),
            cited: url.clone(),
            hops: vec![Exchange {
                url,
                request_headers: vec![("User-Agent".into(), "ibid-bench".into())],
                http_version: "HTTP/1.1".into(),
                status: 200,
                reason: "OK".into(),
                response_headers: vec![
                    ("Content-Type".into(), "text/html".into()),
                    ("Content-Length".into(), body.len().to_string()),
                ],
                body,
                truncated: None,
                ip: None,
                time: Timestamp::now(),
            }],
            copy: CopyKind::Live,
            note: None,
            settings: "{}".into(),
        });
    }
    let level = std::env::args()
        .nth(2)
        .and_then(|l| l.parse().ok())
        .unwrap_or(ibid::snapshot::warc::DEFAULT_LEVEL);
    let bytes: usize = caps.iter().map(|c| c.hops[0].body.len()).sum();
    let mut times = Vec::new();
    let mut out = 0;
    for _ in 0..5 {
        let t = Instant::now();
        out = caps
            .iter()
            .map(|c| std::hint::black_box(prepare(c, level)).stored_bytes())
            .sum::<usize>();
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let med = times[2];
    println!(
        "gzip level {level}: {} captures, {:.1} MB of bodies -> {:.1} MB of records: median {:.3} s, {:.0} captures/s, {:.0} MB/s on one core",
        caps.len(),
        bytes as f64 / 1e6,
        out as f64 / 1e6,
        med,
        caps.len() as f64 / med,
        bytes as f64 / med / 1e6
    );
}
