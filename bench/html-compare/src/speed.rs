//! Parse and extraction speed over a set of pages held in memory: each variant parses every
//! page once per run (tree built and dropped), runs interleave the variants, medians are quoted.

use crate::pages::{self, thread_cpu_secs, Page};
use crate::tree;
use scraper::Html;
use std::hint::black_box;
use std::time::Instant;

type Variant = (&'static str, fn(&str));

/// What is timed: each closure takes one page's text.
const VARIANTS: &[Variant] = &[
    ("ibid html::parse", |s| {
        black_box(ibid::html::parse(black_box(s)));
    }),
    ("scraper Html::parse_document", |s| {
        black_box(Html::parse_document(black_box(s)));
    }),
    ("scraper parse + copy to ibid tree", |s| {
        black_box(tree::from_scraper(&Html::parse_document(black_box(s))));
    }),
    ("ibid extract::from_html (whole extraction)", |s| {
        black_box(ibid::extract::from_html(black_box(s)));
    }),
];

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// (wall, CPU) seconds one variant takes over all pages.
fn time_once(f: fn(&str), pages: &[Page]) -> (f64, f64) {
    let t = Instant::now();
    let c = thread_cpu_secs();
    for p in pages {
        f(&p.text);
    }
    (t.elapsed().as_secs_f64(), thread_cpu_secs() - c)
}

pub fn run(runs: usize, files: &[String]) -> Result<(), String> {
    if runs == 0 {
        return Err("RUNS must be at least 1".into());
    }
    let pages = pages::load(files)?;
    let bytes = pages::total_bytes(&pages) as f64;
    // warm-up: one pass of each, not counted
    for (_, f) in VARIANTS {
        time_once(*f, &pages);
    }
    let mut wall = vec![Vec::new(); VARIANTS.len()];
    let mut cpu = vec![Vec::new(); VARIANTS.len()];
    for r in 0..runs {
        // rotate the order so no variant always runs right after another
        for k in 0..VARIANTS.len() {
            let v = (k + r) % VARIANTS.len();
            let (w, c) = time_once(VARIANTS[v].1, &pages);
            wall[v].push(w);
            cpu[v].push(c);
        }
    }
    let pages_n = pages.len();
    drop(pages);
    print_table("CPU time (this thread)", pages_n, bytes, runs, &mut cpu);
    print_table("wall time", pages_n, bytes, runs, &mut wall);
    Ok(())
}

/// One table of medians, MB/s and pages/s, and the ratios the comparison is about.
fn print_table(what: &str, pages: usize, bytes: f64, runs: usize, times: &mut [Vec<f64>]) {
    println!(
        "{what}: {pages} pages, {:.2} MB decoded, {runs} runs",
        bytes / 1e6
    );
    println!(
        "{:<44} {:>10} {:>10} {:>10} {:>9} {:>9}",
        "variant", "median s", "min s", "max s", "MB/s", "pages/s"
    );
    let mut med = Vec::new();
    for ((name, _), t) in VARIANTS.iter().zip(times.iter_mut()) {
        let m = median(t);
        med.push(m);
        println!(
            "{name:<44} {m:>10.4} {:>10.4} {:>10.4} {:>9.1} {:>9.0}",
            t[0],
            t[t.len() - 1],
            bytes / m / 1e6,
            pages as f64 / m
        );
    }
    let est = med[3] - med[0] + med[2];
    println!(
        "{:<44} {est:>10.4} {:>10} {:>10} {:>9.1} {:>9.0}",
        "estimate: extraction on html5ever's tree",
        "",
        "",
        bytes / est / 1e6,
        pages as f64 / est
    );
    println!(
        "ratio scraper/ibid parse time: {:.2}x; parse share of ibid's extraction: {:.0}%; \
         extraction on html5ever / on ibid: {:.2}x",
        med[1] / med[0],
        100.0 * med[0] / med[3],
        est / med[3]
    );
}
