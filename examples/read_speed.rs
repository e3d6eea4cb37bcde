//! Article reading speed: each file read (claims and references) repeatedly on one thread;
//! prints the median time and MB/s. Usage: read_speed FILE... [--format-in FMT]
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    for path in args {
        let bytes = std::fs::read(&path).expect("read file");
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..21 {
            let t = Instant::now();
            let a = ibid::article::read_bytes(&path, &bytes, None).expect("article");
            times.push(t.elapsed().as_secs_f64());
            last = Some(a);
        }
        times.sort_by(f64::total_cmp);
        let med = times[times.len() / 2];
        let a = last.expect("ran");
        let markers: usize = a.claims.iter().map(|c| c.citations.len()).sum();
        let with_url = a
            .references
            .iter()
            .filter(|r| !r.urls.is_empty() || !r.archive_urls.is_empty())
            .count();
        println!(
            "{path}: {} {:.0} KB, median {:.2} ms ({:.1} MB/s); claims {}, markers {}, references {}, with URL {}",
            a.format.as_str(),
            bytes.len() as f64 / 1024.0,
            med * 1e3,
            bytes.len() as f64 / med / 1e6,
            a.claims.len(),
            markers,
            a.references.len(),
            with_url
        );
    }
}
