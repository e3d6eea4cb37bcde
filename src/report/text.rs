//! The terminal report: a header per article, a code frame per claim that needs attention
//! (rustc-style), its findings, the source copy used and the evidence, then the summary line.

use super::escape::clip;
use super::{verdict_label, Renderer, Report};
use crate::findings::{Finding, Severity};
use crate::text::{one_line, strip_controls};
use crate::verify::Verdict;
use std::fmt::Write;

/// Plain text, coloured when `color` (a terminal without NO_COLOR).
pub struct Text {
    pub color: bool,
}

impl Renderer for Text {
    fn render(&self, r: &Report) -> String {
        text(r, self.color)
    }
}

fn text(r: &Report, color: bool) -> String {
    let st = Style { on: color };
    let mut out = String::new();
    for a in &r.articles {
        let lines: Vec<&str> = a.source.lines().collect();
        let _ = writeln!(
            out,
            "{}",
            st.paint(
                "1",
                &format!("{} ({}, {} claims)", a.path, a.format, a.claims.len())
            )
        );
        if let Some(w) = &a.wiki {
            let _ = writeln!(
                out,
                "revision {} of {} saved {}: {}",
                w.revid,
                one_line(&w.title),
                one_line(&w.timestamp),
                one_line(&w.revision_url)
            );
        }
        for f in &a.findings {
            let _ = writeln!(out, "{}", finding_line(&st, f));
            if let Some(ev) = &f.evidence {
                let _ = writeln!(out, "    evidence: \"{}\"", one_line(&clip(ev, 240)));
            }
        }
        for c in &a.claims {
            if c.findings.is_empty() && c.verdict == Verdict::Supported {
                continue;
            }
            out.push('\n');
            let cites = c
                .claim
                .citations
                .iter()
                .map(|l| format!("[{l}]"))
                .collect::<String>();
            let head = format!(
                "{}:{}:{} {} {} (score {:.2})",
                a.path,
                c.claim.location.line,
                c.claim.location.column,
                cites,
                verdict_label(c.verdict),
                c.score
            );
            let sev = c
                .findings
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(Severity::Note);
            let _ = writeln!(out, "{}", st.sev(sev, &head));
            // code frame
            if let Some(line) = lines.get(c.claim.location.line.saturating_sub(1)) {
                let num = c.claim.location.line.to_string();
                let pad = " ".repeat(num.len());
                let line_clean = strip_controls(line);
                let start_col = c.claim.location.column.saturating_sub(1);
                let line_chars = line_clean.chars().count();
                let span_chars = a
                    .source
                    .get(c.claim.location.start..c.claim.location.end)
                    .map(|s| s.lines().next().unwrap_or("").chars().count())
                    .unwrap_or(1)
                    .max(1);
                let (shown, offset) = window(&line_clean, start_col, 120);
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{num} | {shown}");
                let under = span_chars
                    .min(line_chars.saturating_sub(start_col))
                    .min(120usize.saturating_sub(start_col - offset))
                    .max(1);
                let _ = writeln!(
                    out,
                    "{pad} | {}{}",
                    " ".repeat(start_col - offset),
                    st.sev(sev, &"^".repeat(under))
                );
            }
            for f in &c.findings {
                let _ = writeln!(out, "  {}", finding_line(&st, f));
            }
            for s in &c.sources {
                let mut info = format!(
                    "  = source [{}] {}",
                    s.id,
                    s.url.as_deref().unwrap_or("(no url)")
                );
                if let Some(copy) = &s.copy {
                    let _ = write!(info, " ({copy} copy");
                    if let Some(u) = s
                        .checked_url
                        .as_ref()
                        .filter(|u| Some(*u) != s.url.as_ref())
                    {
                        let _ = write!(info, " {u}");
                    }
                    if let Some(t) = &s.captured {
                        let _ = write!(info, ", captured {t}");
                    }
                    if let Some(d) = &s.digest {
                        let _ = write!(info, ", {}", d.chars().take(19).collect::<String>());
                    }
                    info.push(')');
                }
                let _ = writeln!(out, "{}", one_line(&info));
            }
            for e in c.evidence.iter().take(2) {
                let _ = writeln!(
                    out,
                    "  = evidence [{}]: \"{}\"",
                    e.source_id,
                    mark_words(&st, &one_line(&clip(&e.text, 300)), &c.matched)
                );
            }
            if !c.unsupported.is_empty() && c.verdict != Verdict::Supported {
                let _ = writeln!(
                    out,
                    "  = not found in the evidence: {}",
                    st.paint("33", &one_line(&c.unsupported.join(", ")))
                );
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", st.paint("1", &r.summary_line()));
    out
}

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn sev(&self, sev: Severity, s: &str) -> String {
        self.paint(
            match sev {
                Severity::Error => "1;31",
                Severity::Warning => "1;33",
                Severity::Note => "1;36",
            },
            s,
        )
    }
}

fn finding_line(st: &Style, f: &Finding) -> String {
    let mut s = format!(
        "{}: {}",
        st.sev(f.severity, &format!("{}[{}]", f.severity.as_str(), f.code)),
        one_line(&f.message)
    );
    if let (Some(id), None) = (&f.source_id, &f.location) {
        if !f.message.contains(&format!("[{id}]")) {
            s.push_str(&format!(" (source [{}])", one_line(id)));
        }
    }
    s
}

/// Show `line` around character column `col`, at most `width` characters; returns the shown
/// text and the character offset where it starts.
fn window(line: &str, col: usize, width: usize) -> (String, usize) {
    let n = line.chars().count();
    if n <= width {
        return (line.to_string(), 0);
    }
    let start = col.saturating_sub(10).min(n.saturating_sub(width));
    (line.chars().skip(start).take(width).collect(), start)
}

/// Mark matched claim words in an evidence passage (bold on a terminal).
fn mark_words(st: &Style, text: &str, matched: &[String]) -> String {
    if !st.on || matched.is_empty() {
        return text.to_string();
    }
    let stems: Vec<String> = matched
        .iter()
        .map(|w| crate::text::tokens::stem(&crate::text::normalize::fold(w)))
        .collect();
    let mut out = String::new();
    for (i, w) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let f = crate::text::normalize::fold(w.trim_matches(|c: char| !c.is_alphanumeric()));
        if !f.is_empty() && stems.contains(&crate::text::tokens::stem(&f)) {
            out.push_str(&st.paint("1;32", w));
        } else {
            out.push_str(w);
        }
    }
    out
}
