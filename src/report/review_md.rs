//! The editor's review as Markdown, for a talk page, an issue or a pull request: the revision
//! checked, a count per standing, then each group of references with the copy checked, the
//! line that cites it, and the claims citing it with verdicts and evidence.

use super::escape::{clip, md};
use super::review::{ReferenceReview, Standing};
use super::{verdict_label, ArticleReport, Renderer, Report};
use std::fmt::Write;

pub struct ReviewMarkdown;

impl Renderer for ReviewMarkdown {
    fn render(&self, r: &Report) -> String {
        let mut out = String::new();
        for a in &r.articles {
            article(&mut out, a);
        }
        let _ = writeln!(out, "_{}_", md(&r.summary_line()));
        out
    }
}

/// `[text](url)` when `url` is an http(s) address; the text alone otherwise.
fn link(text: &str, url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        // a URL inside (...) must not close it or break the line
        let u: String = url
            .chars()
            .map(|c| match c {
                '(' => "%28".to_string(),
                ')' => "%29".to_string(),
                ' ' => "%20".to_string(),
                c if c.is_control() => String::new(),
                c => c.to_string(),
            })
            .collect();
        format!("[{}]({u})", md(text))
    } else {
        md(text)
    }
}

fn article(out: &mut String, a: &ArticleReport) {
    match &a.wiki {
        Some(w) => {
            let _ = writeln!(out, "## ibid review: {}\n", md(&w.title));
            let _ = writeln!(
                out,
                "Revision {} of {}, saved {} ({}){}.\n",
                link(&w.revid.to_string(), &w.revision_url),
                link(&w.title, &w.page),
                md(&w.timestamp),
                link("edit", &w.edit_url),
                w.redirected_from
                    .as_ref()
                    .map(|f| format!("; redirected from {}", md(f)))
                    .unwrap_or_default()
            );
        }
        None => {
            let _ = writeln!(out, "## ibid review: `{}`\n", md(&a.path));
        }
    }
    out.push_str("| standing | references |\n|---|---:|\n");
    for s in Standing::ALL {
        let n = a.references.iter().filter(|r| r.standing == s).count();
        let _ = writeln!(out, "| {} | {n} |", s.heading());
    }
    out.push('\n');
    for s in Standing::ALL {
        let refs: Vec<&ReferenceReview> = a.references.iter().filter(|r| r.standing == s).collect();
        if refs.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {} ({})\n", s.heading(), refs.len());
        for r in refs {
            reference(out, a, r);
        }
        out.push('\n');
    }
}

fn reference(out: &mut String, a: &ArticleReport, r: &ReferenceReview) {
    let u = &r.source;
    let name = u
        .title
        .as_deref()
        .or(u.url.as_deref())
        .unwrap_or("(no URL)");
    let shown = match &u.url {
        Some(url) => link(&clip(name, 120), url),
        None => md(&clip(name, 120)),
    };
    let line = r
        .line
        .map(|n| {
            format!(
                " \u{b7} {} line {n}",
                if a.wiki.is_some() {
                    "wikitext"
                } else {
                    "article"
                }
            )
        })
        .unwrap_or_default();
    let _ = writeln!(out, "- **[{}]** {shown}{line}", md(&u.id));
    let _ = writeln!(out, "  - {}", md(&clip(&r.why, 300)));
    if let (Some(copy), Some(checked)) = (u.copy, &u.checked_url) {
        if copy != crate::fetch::CopyKind::Live {
            let archived = u
                .archived
                .as_ref()
                .map(|d| format!(", archived {}", md(d)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  - checked the {copy} copy {}{archived}",
                link(&clip(checked, 100), checked)
            );
        }
    }
    for c in &r.claims {
        let _ = writeln!(
            out,
            "  - line {}: {} ({} {:.2})",
            c.line,
            md(&clip(&c.text, 200)),
            verdict_label(c.verdict),
            c.score
        );
        if let Some(e) = c.evidence.first() {
            let _ = writeln!(out, "    > {}", md(&clip(e, 240)));
        }
        for f in &c.findings {
            let _ = writeln!(out, "    - `{}` {}", f.code, md(&clip(&f.message, 200)));
        }
    }
}
