//! Markdown for a pull-request comment or a job summary: counts, a table of findings per
//! article, and the claims behind them in a collapsed section.

use super::escape::{clip, md};
use super::{verdict_label, ClaimReport, Renderer, Report};
use crate::findings::Finding;
use std::fmt::Write;

pub struct Markdown;

impl Renderer for Markdown {
    fn render(&self, r: &Report) -> String {
        markdown(r)
    }
}

fn markdown(r: &Report) -> String {
    let s = &r.summary;
    let mut out = String::from("## ibid citation check\n\n");
    let _ = writeln!(out, "| claims | supported | partially | not supported | unverifiable | errors | warnings | notes |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
        s.claims,
        s.supported,
        s.partially_supported,
        s.not_supported,
        s.unverifiable,
        s.errors,
        s.warnings,
        s.notes
    );
    for a in &r.articles {
        let _ = writeln!(out, "### `{}`\n", md(&a.path));
        let rows: Vec<&Finding> = a.all_findings().collect();
        if rows.is_empty() {
            out.push_str("No findings.\n\n");
            continue;
        }
        out.push_str("| severity | code | where | source | message |\n|---|---|---|---|---|\n");
        let mut rows = rows;
        rows.sort_by_key(|f| {
            (
                std::cmp::Reverse(f.severity),
                f.location.as_ref().map(|l| l.line).unwrap_or(0),
            )
        });
        for f in rows {
            let loc = f
                .location
                .as_ref()
                .map(|l| format!("{}:{}", l.line, l.column))
                .unwrap_or_default();
            let src = f
                .source_id
                .as_ref()
                .map(|s| format!("[{}]", s))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                f.severity.as_str(),
                f.code,
                loc,
                md(&src),
                md(&clip(&f.message, 200))
            );
        }
        out.push('\n');
        let details: Vec<&ClaimReport> =
            a.claims.iter().filter(|c| !c.findings.is_empty()).collect();
        if !details.is_empty() {
            out.push_str("<details><summary>Claims with findings</summary>\n\n");
            for c in details {
                let _ = writeln!(
                    out,
                    "- **line {}** {}: {} ({} {:.2})",
                    c.claim.location.line,
                    c.claim
                        .citations
                        .iter()
                        .map(|l| format!("[{}]", md(l)))
                        .collect::<String>(),
                    md(&clip(&c.claim.text, 200)),
                    verdict_label(c.verdict),
                    c.score
                );
                if let Some(e) = c.evidence.first() {
                    let _ = writeln!(
                        out,
                        "  > evidence [{}]: {}",
                        md(&e.source_id),
                        md(&clip(&e.text, 240))
                    );
                }
            }
            out.push_str("\n</details>\n\n");
        }
    }
    let _ = writeln!(out, "_{}_", r.summary_line());
    out
}
