//! The editor's review as one self-contained HTML page: the revision checked (linked on the
//! wiki), then the references grouped by standing (dead, rescued, changed, live, not checked),
//! each with its copy, the line of the wikitext that cites it (linked to the page's own
//! listing of the wikitext), and the claims citing it with verdicts and evidence.
//!
//! Rendered on the server side with every text escaped and no script at all; only http(s)
//! addresses become links. A Content-Security-Policy forbids loading anything.

use super::escape::xml;
use super::review::{ReferenceReview, Standing};
use super::{verdict_label, ArticleReport, Renderer, Report};
use std::fmt::Write;

const CSS: &str = r#"
:root{--dead:#cf222e;--rescued:#8250df;--changed:#9a6700;--live:#1a7f37;--unchecked:#6e7781;--line:#d0d7de;--mut:#656d76}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#fff}
header{padding:12px 16px;border-bottom:1px solid var(--line)}h1{font-size:19px;margin:0 0 4px}
.rev,.sum{color:var(--mut);font-size:13px;margin:2px 0}nav{display:flex;flex-wrap:wrap;gap:6px 14px;margin-top:8px;font-size:13px}
main{padding:0 16px 16px;max-width:1100px}h2{font-size:16px;margin:20px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
.ref{border:1px solid var(--line);border-left:4px solid var(--unchecked);border-radius:6px;padding:8px 12px;margin:10px 0}
.ref.dead{border-left-color:var(--dead)}.ref.rescued{border-left-color:var(--rescued)}.ref.changed{border-left-color:var(--changed)}.ref.live{border-left-color:var(--live)}
.ref h3{font-size:15px;margin:0 0 2px}.why{margin:2px 0 6px}.meta{font-size:12px;color:var(--mut);word-break:break-all;margin:0}
.badge{display:inline-block;padding:0 7px;border-radius:10px;font-size:12px;color:#fff;background:var(--unchecked);vertical-align:1px}
.badge.dead,.badge.not_supported{background:var(--dead)}.badge.rescued{background:var(--rescued)}.badge.changed,.badge.partially_supported{background:var(--changed)}.badge.live,.badge.supported{background:var(--live)}
.claims{list-style:none;padding:0;margin:6px 0 0}.claims li{border-top:1px dashed var(--line);padding:6px 0}
blockquote{margin:4px 0 0 12px;padding-left:8px;border-left:3px solid var(--line);font-size:14px;color:#3a3f45}
.f{font-size:13px;margin:2px 0}.code{font:12px ui-monospace,monospace;background:#f6f8fa;padding:0 4px;border-radius:3px}
pre.wikitext{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;white-space:pre-wrap;word-wrap:break-word;border:1px solid var(--line);border-radius:6px;padding:8px;max-height:70vh;overflow:auto}
pre.wikitext span{display:block}pre.wikitext .ln{display:inline-block;min-width:4.5em;color:var(--mut);text-decoration:none;user-select:none}
pre.wikitext span:target{background:#fff8c5}
@media print{nav{display:none}pre.wikitext{max-height:none;overflow:visible}.ref{break-inside:avoid}}
"#;

pub struct ReviewHtml;

impl Renderer for ReviewHtml {
    fn render(&self, r: &Report) -> String {
        let title = r
            .articles
            .iter()
            .map(article_title)
            .collect::<Vec<_>>()
            .join(", ");
        let mut body = String::new();
        for (k, a) in r.articles.iter().enumerate() {
            article(&mut body, k, a);
        }
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<title>ibid review: {t}</title><style>{CSS}</style></head><body>{body}\
<footer class=\"meta\" style=\"padding:8px 16px\">{}</footer></body></html>\n",
            xml(&r.summary_line()),
            t = xml(&title),
        )
    }
}

/// The article's name for people: the wiki page title, else its path.
fn article_title(a: &ArticleReport) -> String {
    a.wiki
        .as_ref()
        .map(|w| w.title.clone())
        .unwrap_or_else(|| a.path.clone())
}

/// An `href` for `url` when it is an http(s) address (anything else stays text).
fn href(url: &str) -> Option<String> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then(|| xml(url.trim()))
}

fn link(url: &str, text: &str) -> String {
    match href(url) {
        Some(h) => format!(
            "<a href=\"{h}\" rel=\"noopener noreferrer\">{}</a>",
            xml(text)
        ),
        None => xml(text),
    }
}

/// The anchor of line `n` of article `k`'s text.
fn line_id(k: usize, n: usize) -> String {
    format!("a{k}-L{n}")
}

fn article(out: &mut String, k: usize, a: &ArticleReport) {
    let _ = write!(
        out,
        "<header><h1>ibid review: {}</h1>",
        xml(&article_title(a))
    );
    match &a.wiki {
        Some(w) => {
            let _ = write!(
                out,
                "<p class=\"rev\">Revision {} of {}, saved {} \u{b7} {}{}</p>",
                link(&w.revision_url, &w.revid.to_string()),
                link(&w.page, &w.title),
                xml(&w.timestamp),
                link(&w.edit_url, "edit this revision"),
                w.redirected_from
                    .as_ref()
                    .map(|f| format!(" \u{b7} redirected from {}", xml(f)))
                    .unwrap_or_default()
            );
        }
        None => {
            let _ = write!(
                out,
                "<p class=\"rev\">{} ({})</p>",
                xml(&a.path),
                xml(&a.format)
            );
        }
    }
    let counts: Vec<(Standing, usize)> = Standing::ALL
        .iter()
        .map(|&s| (s, a.references.iter().filter(|r| r.standing == s).count()))
        .collect();
    let _ = write!(
        out,
        "<p class=\"sum\">{} references cited by {} claims</p><nav>",
        a.references.len(),
        a.claims.len()
    );
    for (s, n) in &counts {
        let _ = write!(
            out,
            "<a href=\"#a{k}-{}\"><span class=\"badge {}\">{n}</span> {}</a>",
            s.as_str(),
            s.as_str(),
            xml(s.heading())
        );
    }
    out.push_str("</nav></header><main>");
    for &(s, n) in &counts {
        if n == 0 {
            continue;
        }
        let _ = write!(
            out,
            "<section id=\"a{k}-{}\"><h2>{} ({n})</h2>",
            s.as_str(),
            xml(s.heading())
        );
        for r in a.references.iter().filter(|r| r.standing == s) {
            reference(out, k, r);
        }
        out.push_str("</section>");
    }
    let others: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.source_id.is_none())
        .collect();
    if !others.is_empty() {
        out.push_str("<section><h2>About the article</h2>");
        for f in others {
            finding(out, f);
        }
        out.push_str("</section>");
    }
    listing(out, k, a);
    out.push_str("</main>");
}

fn reference(out: &mut String, k: usize, r: &ReferenceReview) {
    let u = &r.source;
    let _ = write!(
        out,
        "<article class=\"ref {s}\" id=\"a{k}-ref-{id}\"><h3><span class=\"badge {s}\">{s}</span> [{label}] {title}</h3>",
        s = r.standing.as_str(),
        id = xml(&anchor(&u.id)),
        label = xml(&u.id),
        title = xml(u.title.as_deref().unwrap_or("")),
    );
    if let Some(url) = &u.url {
        let _ = write!(out, "<p class=\"meta\">{}</p>", link(url, url));
    }
    let _ = write!(out, "<p class=\"why\">{}</p>", xml(&r.why));
    let mut meta = Vec::new();
    if let (Some(copy), Some(checked)) = (u.copy, &u.checked_url) {
        let archived = u
            .archived
            .as_ref()
            .map(|d| format!(", archived {}", xml(d)))
            .unwrap_or_default();
        meta.push(format!(
            "checked the {copy} copy {}{archived}",
            link(checked, checked)
        ));
    }
    if let Some(a) = &u.accessed {
        meta.push(format!("accessed {}", xml(a)));
    }
    if let Some(m) = &u.modified {
        meta.push(format!("last modified {}", xml(m)));
    }
    if let Some(c) = &u.captured {
        meta.push(format!("captured {}", xml(c)));
    }
    if let Some(d) = &u.digest {
        meta.push(xml(d));
    }
    if let Some(n) = r.line {
        meta.push(format!(
            "cited at <a href=\"#{}\">line {n}</a>",
            line_id(k, n)
        ));
    }
    if !meta.is_empty() {
        let _ = write!(out, "<p class=\"meta\">{}</p>", meta.join(" \u{b7} "));
    }
    for f in r.findings.iter().filter(|f| f.message != r.why) {
        finding(out, f);
    }
    out.push_str("<ul class=\"claims\">");
    for c in &r.claims {
        let _ = write!(
            out,
            "<li><span class=\"badge {}\">{} {:.2}</span> <a href=\"#{}\">line {}</a> {}",
            c.verdict.as_str(),
            xml(verdict_label(c.verdict)),
            c.score,
            line_id(k, c.line),
            c.line,
            xml(&c.text)
        );
        for e in &c.evidence {
            let _ = write!(out, "<blockquote>{}</blockquote>", xml(e));
        }
        for f in &c.findings {
            finding(out, f);
        }
        out.push_str("</li>");
    }
    out.push_str("</ul></article>");
}

/// One finding: its code and message.
fn finding(out: &mut String, f: &crate::findings::Finding) {
    let _ = write!(
        out,
        "<p class=\"f\"><span class=\"code\">{}</span> {}</p>",
        xml(f.code.as_str()),
        xml(&f.message)
    );
}

/// A label as an id fragment: letters and digits kept, anything else as `_`.
fn anchor(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect()
}

/// The article's text with a numbered, linkable line each.
fn listing(out: &mut String, k: usize, a: &ArticleReport) {
    let what = match &a.wiki {
        Some(w) => format!("Wikitext of revision {}", w.revid),
        None => format!("Text of {}", a.path),
    };
    let _ = write!(
        out,
        "<section><h2>{}</h2><pre class=\"wikitext\">",
        xml(&what)
    );
    for (i, line) in a.source.lines().enumerate() {
        let id = line_id(k, i + 1);
        let _ = write!(
            out,
            "<span id=\"{id}\"><a class=\"ln\" href=\"#{id}\">{}</a>{}</span>",
            i + 1,
            xml(line)
        );
    }
    out.push_str("</pre></section>");
}
