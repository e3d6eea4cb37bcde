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
                &format!(
                    "{} ({}, {} claims)",
                    one_line(&a.path),
                    a.format,
                    a.claims.len()
                )
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
                one_line(&a.path),
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
                let frame = Frame::around(&a.source, line, &c.claim.location, 120);
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{num} | {}", frame.shown);
                let _ = writeln!(
                    out,
                    "{pad} | {}{}",
                    " ".repeat(frame.lead),
                    st.sev(sev, &"^".repeat(frame.under))
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

/// A code frame: at most `width` characters of a claim's line around the claim, control
/// characters shown escaped, and where the claim's underline goes. Only the window is read, so a
/// long line holding many claims costs each claim its window, not the whole line (a 4 MB line
/// of 1,200 claims took 26 s when each frame counted the line's characters).
struct Frame {
    shown: String,
    /// Characters shown before the claim.
    lead: usize,
    /// Length of the underline, at least 1.
    under: usize,
}

impl Frame {
    fn around(source: &str, line: &str, loc: &crate::findings::Location, width: usize) -> Frame {
        // `line` is a slice of `source`: where the claim starts in it
        let line_at = (line.as_ptr() as usize).saturating_sub(source.as_ptr() as usize);
        let mut at = loc.start.saturating_sub(line_at).min(line.len());
        while !line.is_char_boundary(at) {
            at -= 1;
        }
        let back = |from: usize, n: usize| {
            line[..from]
                .char_indices()
                .rev()
                .take(n)
                .last()
                .map_or(from, |(i, _)| i)
        };
        let forward = |from: usize, n: usize| {
            line[from..]
                .char_indices()
                .nth(n)
                .map_or(line.len(), |(i, _)| from + i)
        };
        let (mut start, mut end) = (0, forward(0, width));
        if end < line.len() {
            // a long line: from 10 characters before the claim, or its last `width` characters
            start = back(at, 10);
            end = forward(start, width);
            if end == line.len() {
                start = back(end, width).min(start);
            }
        }
        let span_end = source
            .get(loc.start..loc.end)
            .map_or(0, |s| s.lines().next().unwrap_or("").len());
        let mut claim_end = (at + span_end).min(end).max(at);
        while !line.is_char_boundary(claim_end) {
            claim_end -= 1;
        }
        let shown = strip_controls(&line[start..end]);
        let lead = strip_controls(&line[start..at]).chars().count();
        let under = strip_controls(&line[at..claim_end]).chars().count().max(1);
        Frame { shown, lead, under }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Location;

    fn frame(source: &str, claim: &str, width: usize) -> Frame {
        let start = source.find(claim).unwrap();
        let loc = Location {
            file: "a.md".into(),
            line: 1,
            column: 1,
            start,
            end: start + claim.len(),
        };
        Frame::around(source, source.lines().next().unwrap(), &loc, width)
    }

    #[test]
    fn a_frame_shows_a_short_line_whole_and_a_long_one_around_the_claim() {
        let f = frame("Intro. The claim here.", "The claim", 120);
        assert_eq!(
            (f.shown.as_str(), f.lead, f.under),
            ("Intro. The claim here.", 7, 9)
        );
        let long = format!("{}The claim is here.{}", "x".repeat(500), "y".repeat(500));
        let f = frame(&long, "The claim", 40);
        assert_eq!(
            f.shown,
            format!("{}The claim is here.{}", "x".repeat(10), "y".repeat(12))
        );
        assert_eq!((f.lead, f.under), (10, 9));
        let end = format!("{}The end.", "x".repeat(500));
        let f = frame(&end, "The end.", 40);
        assert_eq!(f.shown.chars().count(), 40, "the line's last 40 characters");
        assert_eq!((f.lead, f.under), (32, 8));
    }

    #[test]
    fn a_frame_escapes_controls_and_underlines_where_the_claim_is_shown() {
        let f = frame("\u{1b}[31m Sé claim.", "claim.", 120);
        assert!(!f.shown.contains('\u{1b}'), "{:?}", f.shown);
        let col = f.shown.find("claim.").unwrap();
        assert_eq!(f.lead, f.shown[..col].chars().count());
        assert_eq!(f.under, 6);
    }
}
