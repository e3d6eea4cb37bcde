//! Findings rendered where people look: text and JSON for terminals and scripts, SARIF, JUnit
//! and GitHub annotations for CI, Markdown for pull requests, HTML for editors.
//!
//! Every renderer reads the same [`Report`]. Text from sources is untrusted: terminal output
//! strips control characters, XML and HTML escape everything, JSON is JSON.

mod html;
mod sarif;

use crate::findings::{Code, Finding, Severity};
use crate::text::strip_controls;
use crate::verify::{Evidence, Verdict};
use serde::Serialize;
use std::fmt::Write;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
    Markdown,
    Html,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "text" => Format::Text,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "junit" => Format::Junit,
            "github" => Format::Github,
            "markdown" | "md" => Format::Markdown,
            "html" => Format::Html,
            _ => return None,
        })
    }
}

/// A cited source as the check used it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceUse {
    pub id: String,
    pub url: Option<String>,
    /// live, archive or timegate
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy: Option<String>,
    /// The URL whose capture was read (after redirects, or the archive copy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimReport {
    pub text: String,
    pub line: usize,
    pub column: usize,
    pub start: usize,
    pub end: usize,
    pub citations: Vec<String>,
    pub verdict: Verdict,
    pub score: f64,
    pub sources: Vec<SourceUse>,
    pub evidence: Vec<Evidence>,
    pub matched: Vec<String>,
    pub unsupported: Vec<String>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleReport {
    pub path: String,
    pub format: String,
    pub claims: Vec<ClaimReport>,
    /// Findings not tied to one claim (unused references, unreachable sources ...).
    pub findings: Vec<Finding>,
    /// The article's text, for code frames and the HTML view.
    #[serde(skip)]
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Summary {
    pub articles: usize,
    pub claims: usize,
    pub supported: usize,
    pub partially_supported: usize,
    pub not_supported: usize,
    pub unverifiable: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub fail_on: Severity,
    pub summary: Summary,
    pub articles: Vec<ArticleReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Report {
    pub fn new(articles: Vec<ArticleReport>, fail_on: Severity) -> Report {
        let mut s = Summary {
            articles: articles.len(),
            ..Default::default()
        };
        for a in &articles {
            for c in &a.claims {
                s.claims += 1;
                match c.verdict {
                    Verdict::Supported => s.supported += 1,
                    Verdict::PartiallySupported => s.partially_supported += 1,
                    Verdict::NotSupported => s.not_supported += 1,
                    Verdict::Unverifiable => s.unverifiable += 1,
                }
            }
            for f in a.all_findings() {
                match f.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Note => s.notes += 1,
                }
            }
        }
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "ibid",
                version: env!("CARGO_PKG_VERSION"),
            },
            fail_on,
            summary: s,
            articles,
        }
    }

    /// Does any finding reach the fail level?
    pub fn fails(&self) -> bool {
        self.articles
            .iter()
            .flat_map(|a| a.all_findings())
            .any(|f| f.severity >= self.fail_on)
    }

    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.articles.iter().flat_map(|a| a.all_findings())
    }

    pub fn render(&self, format: Format, color: bool) -> String {
        match format {
            Format::Text => self.text(color),
            Format::Json => serde_json::to_string_pretty(self).unwrap_or_default() + "\n",
            Format::Sarif => sarif::render(self),
            Format::Junit => self.junit(),
            Format::Github => self.github(),
            Format::Markdown => self.markdown(),
            Format::Html => html::render(self),
        }
    }

    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        format!(
            "checked {} claim{} in {} article{}: {} supported, {} partially supported, {} not supported, {} unverifiable; {} error{}, {} warning{}, {} note{}",
            s.claims, plural(s.claims), s.articles, plural(s.articles), s.supported, s.partially_supported, s.not_supported, s.unverifiable, s.errors, plural(s.errors), s.warnings, plural(s.warnings), s.notes, plural(s.notes)
        )
    }
}

impl ArticleReport {
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .chain(self.claims.iter().flat_map(|c| c.findings.iter()))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
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

fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "supported",
        Verdict::PartiallySupported => "partially supported",
        Verdict::NotSupported => "NOT supported",
        Verdict::Unverifiable => "unverifiable",
    }
}

/// Cut a text to `n` characters on a char boundary, with an ellipsis.
pub fn clip(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        s.chars().take(n).collect::<String>() + "\u{2026}"
    }
}

impl Report {
    fn text(&self, color: bool) -> String {
        let st = Style { on: color };
        let mut out = String::new();
        for a in &self.articles {
            let lines: Vec<&str> = a.source.lines().collect();
            let _ = writeln!(
                out,
                "{}",
                st.paint(
                    "1",
                    &format!("{} ({}, {} claims)", a.path, a.format, a.claims.len())
                )
            );
            for f in &a.findings {
                let _ = writeln!(out, "{}", finding_line(&st, f));
                if let Some(ev) = &f.evidence {
                    let _ = writeln!(out, "    evidence: \"{}\"", strip_controls(&clip(ev, 240)));
                }
            }
            for c in &a.claims {
                if c.findings.is_empty() && c.verdict == Verdict::Supported {
                    continue;
                }
                out.push('\n');
                let cites = c
                    .citations
                    .iter()
                    .map(|l| format!("[{l}]"))
                    .collect::<String>();
                let head = format!(
                    "{}:{}:{} {} {} (score {:.2})",
                    a.path,
                    c.line,
                    c.column,
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
                if let Some(line) = lines.get(c.line.saturating_sub(1)) {
                    let num = c.line.to_string();
                    let pad = " ".repeat(num.len());
                    let line_clean = strip_controls(line);
                    let start_col = c.column.saturating_sub(1);
                    let line_chars = line_clean.chars().count();
                    let span_chars = a
                        .source
                        .get(c.start..c.end)
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
                    let _ = writeln!(out, "{}", strip_controls(&info));
                }
                for e in c.evidence.iter().take(2) {
                    let _ = writeln!(
                        out,
                        "  = evidence [{}]: \"{}\"",
                        e.source_id,
                        mark_words(&st, &strip_controls(&clip(&e.text, 300)), &c.matched)
                    );
                }
                if !c.unsupported.is_empty() && c.verdict != Verdict::Supported {
                    let _ = writeln!(
                        out,
                        "  = not found in the evidence: {}",
                        st.paint("33", &strip_controls(&c.unsupported.join(", ")))
                    );
                }
            }
            out.push('\n');
        }
        let _ = writeln!(out, "{}", st.paint("1", &self.summary_line()));
        out
    }

    fn github(&self) -> String {
        let mut out = String::new();
        for f in self.findings() {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            let mut props = Vec::new();
            if let Some(l) = &f.location {
                props.push(format!("file={}", gh_prop(&l.file)));
                props.push(format!("line={}", l.line));
                props.push(format!("col={}", l.column));
            }
            props.push(format!("title={}", gh_prop(&format!("ibid {}", f.code))));
            let mut msg = f.message.clone();
            if let Some(u) = &f.url {
                msg.push_str(&format!(
                    " (source [{}] {u})",
                    f.source_id.as_deref().unwrap_or("")
                ));
            }
            let _ = writeln!(
                out,
                "::{level} {}::{}",
                props.join(","),
                gh_data(&strip_controls(&msg))
            );
        }
        let _ = writeln!(out, "{}", self.summary_line());
        out
    }

    fn junit(&self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let total: usize = self
            .articles
            .iter()
            .map(|a| a.claims.len() + usize::from(!a.findings.is_empty()))
            .sum();
        let failed = |fs: &[Finding]| fs.iter().any(|f| f.severity >= self.fail_on);
        let failures: usize = self
            .articles
            .iter()
            .map(|a| {
                a.claims.iter().filter(|c| failed(&c.findings)).count()
                    + usize::from(failed(&a.findings))
            })
            .sum();
        let _ = writeln!(
            out,
            "<testsuites name=\"ibid\" tests=\"{total}\" failures=\"{failures}\">"
        );
        for a in &self.articles {
            let n = a.claims.len() + usize::from(!a.findings.is_empty());
            let f = a.claims.iter().filter(|c| failed(&c.findings)).count()
                + usize::from(failed(&a.findings));
            let _ = writeln!(out, "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{f}\" errors=\"0\" skipped=\"0\">", xml(&a.path));
            let case = |name: String, fs: &[Finding], out: &mut String| {
                let _ = write!(
                    out,
                    "    <testcase classname=\"{}\" name=\"{}\"",
                    xml(&a.path),
                    xml(&name)
                );
                let fails: Vec<&Finding> =
                    fs.iter().filter(|f| f.severity >= self.fail_on).collect();
                if fails.is_empty() && fs.is_empty() {
                    out.push_str("/>\n");
                    return;
                }
                out.push_str(">\n");
                if let Some(first) = fails.first() {
                    let body: String = fails
                        .iter()
                        .map(|f| format!("{} [{}] {}\n", f.severity.as_str(), f.code, f.message))
                        .collect();
                    let _ = writeln!(
                        out,
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                        first.code,
                        xml(&clip(&first.message, 300)),
                        xml(&strip_controls(&body))
                    );
                }
                let rest: String = fs
                    .iter()
                    .filter(|f| f.severity < self.fail_on)
                    .map(|f| format!("{} [{}] {}\n", f.severity.as_str(), f.code, f.message))
                    .collect();
                if !rest.is_empty() {
                    let _ = writeln!(
                        out,
                        "      <system-out>{}</system-out>",
                        xml(&strip_controls(&rest))
                    );
                }
                out.push_str("    </testcase>\n");
            };
            if !a.findings.is_empty() {
                case("sources and references".to_string(), &a.findings, &mut out);
            }
            for c in &a.claims {
                case(
                    format!(
                        "{}:{} {} {}",
                        c.line,
                        c.column,
                        c.citations
                            .iter()
                            .map(|l| format!("[{l}]"))
                            .collect::<String>(),
                        clip(&c.text, 100)
                    ),
                    &c.findings,
                    &mut out,
                );
            }
            out.push_str("  </testsuite>\n");
        }
        out.push_str("</testsuites>\n");
        out
    }

    fn markdown(&self) -> String {
        let s = &self.summary;
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
        for a in &self.articles {
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
                        c.line,
                        c.citations
                            .iter()
                            .map(|l| format!("[{}]", md(l)))
                            .collect::<String>(),
                        md(&clip(&c.text, 200)),
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
        let _ = writeln!(out, "_{}_", self.summary_line());
        out
    }
}

fn finding_line(st: &Style, f: &Finding) -> String {
    let mut s = format!(
        "{}: {}",
        st.sev(f.severity, &format!("{}[{}]", f.severity.as_str(), f.code)),
        strip_controls(&f.message)
    );
    if let (Some(id), None) = (&f.source_id, &f.location) {
        if !f.message.contains(&format!("[{id}]")) {
            s.push_str(&format!(" (source [{}])", strip_controls(id)));
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

pub(crate) fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => o.push('\u{fffd}'),
            '\u{fffe}' | '\u{ffff}' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => o.push_str("\\|"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '\n' | '\r' => o.push(' '),
            '`' | '*' | '_' | '[' | ']' => {
                o.push('\\');
                o.push(c);
            }
            c => o.push(c),
        }
    }
    o
}

fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The codes documented for users, with severities, for the README and SARIF rules.
pub fn code_table() -> String {
    let mut s = String::from("| code | severity | meaning |\n|---|---|---|\n");
    for c in Code::ALL {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} |",
            c.as_str(),
            c.severity().as_str(),
            c.help()
        );
    }
    s
}
