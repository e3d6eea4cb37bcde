//! Hostile inputs: deep nesting and very large pages, one parse per process so the peak memory
//! reported (`VmHWM`) belongs to that parse alone.

use crate::pages::{self, peak_rss_mib, thread_cpu_secs};
use crate::tree;
use scraper::Html;
use std::time::Instant;

/// `<TAG>` N times, a word, `</TAG>` N times.
fn nested(tag: &str, n: usize) -> String {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut s = String::with_capacity(n * (open.len() + close.len()) + 64);
    s.push_str("<!doctype html><html><body>");
    for _ in 0..n {
        s.push_str(&open);
    }
    s.push_str("deep");
    for _ in 0..n {
        s.push_str(&close);
    }
    s.push_str("</body></html>");
    s
}

/// One parse: seconds, nodes, deepest nesting, visible text length, peak memory (MiB) taken
/// right after the parse, before anything else is built.
struct Outcome {
    secs: f64,
    cpu_secs: f64,
    nodes: usize,
    depth: usize,
    text: usize,
    peak_mib: f64,
}

fn parse_with(parser: &str, src: &str) -> Result<Outcome, String> {
    let t = Instant::now();
    let c = thread_cpu_secs();
    let (doc, secs, cpu_secs, nodes, peak_mib) = match parser {
        "ibid" => {
            let doc = ibid::html::parse(src);
            let (secs, cpu) = (t.elapsed().as_secs_f64(), thread_cpu_secs() - c);
            let peak = peak_rss_mib().unwrap_or(f64::NAN);
            let n = doc.nodes.len();
            (doc, secs, cpu, n, peak)
        }
        "scraper" => {
            let html = Html::parse_document(src);
            let (secs, cpu) = (t.elapsed().as_secs_f64(), thread_cpu_secs() - c);
            let peak = peak_rss_mib().unwrap_or(f64::NAN);
            // depth and text from the copy (the copy walks without recursion)
            let n = html.tree.nodes().count();
            (tree::from_scraper(&html), secs, cpu, n, peak)
        }
        other => return Err(format!("PARSER must be ibid or scraper, got {other:?}")),
    };
    Ok(Outcome {
        secs,
        cpu_secs,
        nodes,
        depth: tree::max_depth(&doc),
        text: tree::visible_text(&doc).len(),
        peak_mib,
    })
}

fn report(parser: &str, what: &str, bytes: usize, r: Outcome) {
    println!(
        "{parser}\t{what}\tbytes={bytes}\tcpu_s={:.3}\twall_s={:.3}\tMB/s(cpu)={:.1}\tnodes={}\tdepth={}\ttext_bytes={}\tpeak_rss_MiB={:.0}",
        r.cpu_secs,
        r.secs,
        bytes as f64 / r.cpu_secs / 1e6,
        r.nodes,
        r.depth,
        r.text,
        r.peak_mib
    );
}

pub fn deep(parser: &str, tag: &str, n: usize) -> Result<(), String> {
    if tag.is_empty() || !tag.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!("TAG must be a tag name, got {tag:?}"));
    }
    let src = nested(tag, n);
    let r = parse_with(parser, &src)?;
    report(parser, &format!("{n} nested <{tag}>"), src.len(), r);
    Ok(())
}

/// A page of about `mb` megabytes: the bodies of the given pages repeated inside one article
/// (real markup, with whatever each leaves unclosed), or, with no files, one paragraph repeated.
fn big_page(mb: usize, files: &[String]) -> Result<String, String> {
    let target = mb * 1_000_000;
    let mut s = String::with_capacity(target + 1_000_000);
    s.push_str("<!doctype html><html><head><title>big</title></head><body><article>");
    if files.is_empty() {
        while s.len() < target {
            s.push_str("<p>The delegates returned to the hall for a closed session, and the report went on for hours.</p>\n");
        }
    } else {
        let bodies: Vec<String> = pages::load(files)?
            .into_iter()
            .map(|p| body_of(&p.text).to_string())
            .collect();
        'fill: loop {
            for b in &bodies {
                if s.len() >= target {
                    break 'fill;
                }
                s.push_str(b);
            }
        }
    }
    s.push_str("</article></body></html>");
    Ok(s)
}

/// The markup between `<body ...>` and `</body>` (the whole page when there is none).
fn body_of(page: &str) -> &str {
    let lower = page.to_ascii_lowercase();
    let start = lower
        .find("<body")
        .and_then(|b| lower[b..].find('>').map(|e| b + e + 1))
        .unwrap_or(0);
    let end = lower
        .rfind("</body")
        .filter(|&e| e >= start)
        .unwrap_or(page.len());
    &page[start..end]
}

pub fn big(parser: &str, mb: usize, files: &[String]) -> Result<(), String> {
    let src = big_page(mb, files)?;
    let what = if files.is_empty() {
        "repeated <p>"
    } else {
        "real bodies repeated"
    };
    let r = parse_with(parser, &src)?;
    report(parser, what, src.len(), r);
    Ok(())
}
