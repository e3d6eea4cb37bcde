//! Findings rendered where people look: text and JSON for terminals and scripts, SARIF, JUnit
//! and GitHub annotations for CI, Markdown for pull requests, HTML for editors.
//!
//! Every renderer reads the same [`Report`] and implements [`Renderer`], one file per format.
//! Text from articles and sources is untrusted: `escape` has the rule for each output.

pub mod escape;
mod github;
mod html;
mod junit;
mod markdown;
pub mod patch;
pub mod review;
mod review_html;
mod review_md;
mod sarif;
mod text;

use crate::article::wiki::WikiRevision;
use crate::article::Claim;
use crate::fetch::CopyKind;
use crate::findings::{Code, Finding, Severity};
use crate::verify::{Evidence, Verdict};
use serde::Serialize;
use std::fmt::Write;

pub use escape::clip;
pub use review::{ReferenceReview, Standing};

/// The JSON report's `schema_version`: which shape of the report a script is reading.
pub const SCHEMA_VERSION: u32 = 1;

/// The report formats (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people at a terminal: code frames, evidence, colour.
    Text,
    /// For scripts: the whole report (`schema_version`).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// JUnit XML: a test case per claim.
    Junit,
    /// GitHub Actions annotations.
    Github,
    /// A table for a pull-request comment or job summary.
    #[value(alias = "md")]
    Markdown,
    /// One self-contained review page for editors.
    Html,
    /// The editor's review by reference (live, rescued, dead, changed), as one HTML page.
    ReviewHtml,
    /// The editor's review by reference, as Markdown (a talk page or a pull request).
    #[value(alias = "review-md")]
    ReviewMarkdown,
}

/// One output format.
pub trait Renderer {
    /// The whole report in this format, ready to print or write to a file.
    fn render(&self, report: &Report) -> String;
}

/// The whole report as JSON (`schema_version` says which shape).
struct Json;

impl Renderer for Json {
    fn render(&self, r: &Report) -> String {
        serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
    }
}

impl Format {
    /// The renderer of this format; `color` only matters to text.
    pub fn renderer(self, color: bool) -> Box<dyn Renderer> {
        match self {
            Format::Text => Box::new(text::Text { color }),
            Format::Json => Box::new(Json),
            Format::Sarif => Box::new(sarif::Sarif),
            Format::Junit => Box::new(junit::Junit),
            Format::Github => Box::new(github::Github),
            Format::Markdown => Box::new(markdown::Markdown),
            Format::Html => Box::new(html::Html),
            Format::ReviewHtml => Box::new(review_html::ReviewHtml),
            Format::ReviewMarkdown => Box::new(review_md::ReviewMarkdown),
        }
    }
}

/// A cited source as the check used it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceUse {
    /// The reference's label.
    pub id: String,
    /// The URL the reference cites (from sources.toml or the article); `None` when it gives none.
    pub url: Option<String>,
    /// Which copy was checked (live, archive, timegate), when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy: Option<CopyKind>,
    /// The URL whose capture was read (after redirects, or the archive copy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_url: Option<String>,
    /// When the checked capture was made, as an ISO date-time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<String>,
    /// Payload digest (`sha256:...`) of the checked capture, so the exact bytes can be found again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The source's title, from sources.toml or the reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The reference's own archived copy (`archive_url`), when it gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_url: Option<String>,
    /// The reference's access date as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessed: Option<String>,
    /// For an archived copy: when it was archived (its memento datetime).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<String>,
    /// For a live copy: the server's Last-Modified, as an ISO date-time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
}

/// A claim as checked: the claim itself, its verdict, the copies read, the evidence and what
/// is wrong with it.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimReport {
    /// The claim: its text, location and footnote labels (flattened into this object in JSON).
    #[serde(flatten)]
    pub claim: Claim,
    /// Supported, partially supported, not supported or unverifiable.
    pub verdict: Verdict,
    /// The judge's score, 0 to 1 (0 when unverifiable).
    pub score: f64,
    /// The sources the claim cites, with the copy of each that was read.
    pub sources: Vec<SourceUse>,
    /// The passages the claim was checked against.
    pub evidence: Vec<Evidence>,
    /// Claim words found in the evidence.
    pub matched: Vec<String>,
    /// Claim words not found in the evidence (and a negation clash, explained, if any).
    pub unsupported: Vec<String>,
    /// What is wrong with this claim: undefined footnote markers, failed checks, no usable source.
    pub findings: Vec<Finding>,
}

/// One article as checked: its claims with their findings, and the findings about its sources.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleReport {
    /// The article as given (a file path, or a wiki page URL).
    pub path: String,
    /// How the article was read: markdown, html, wikitext or plain.
    pub format: String,
    /// For an article read from a wiki: the revision checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wiki: Option<WikiRevision>,
    /// Every claim of the article, in order.
    pub claims: Vec<ClaimReport>,
    /// Findings not tied to one claim (unused references, unreachable sources ...).
    pub findings: Vec<Finding>,
    /// The review by reference: each cited source's standing (live, rescued, dead, changed)
    /// and the claims citing it. Filled by [`Report::new`].
    pub references: Vec<ReferenceReview>,
    /// The article's text, for code frames and the HTML view.
    #[serde(skip)]
    pub source: String,
}

/// Counts over the whole run, for the summary line and for scripts.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Summary {
    /// Articles checked.
    pub articles: usize,
    /// Claims checked, across all articles.
    pub claims: usize,
    /// Claims whose verdict is supported.
    pub supported: usize,
    /// Claims whose verdict is partially supported.
    pub partially_supported: usize,
    /// Claims whose verdict is not supported.
    pub not_supported: usize,
    /// Claims whose verdict is unverifiable.
    pub unverifiable: usize,
    /// Findings of severity error (after `check.ignore`).
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity note.
    pub notes: usize,
}

/// The result of one `ibid check` run, as every renderer reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Shape of the JSON (see [`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The program that made the report.
    pub tool: Tool,
    /// The lowest severity that fails the run (exit status 1).
    pub fail_on: Severity,
    /// Counts over all articles.
    pub summary: Summary,
    /// Each article checked, in the order given.
    pub articles: Vec<ArticleReport>,
}

/// The program that made a report, as the JSON report names it.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// Always "ibid".
    pub name: &'static str,
    /// ibid's version (Cargo package version).
    pub version: &'static str,
}

impl Report {
    /// The report of `articles`, with each article's review by reference filled in and the counts
    /// made; `fail_on` is kept for [`Report::fails`].
    pub fn new(mut articles: Vec<ArticleReport>, fail_on: Severity) -> Report {
        for a in &mut articles {
            a.references = review::references(a);
        }
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

    /// Every finding of every article, article-level ones first within each article.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.articles.iter().flat_map(|a| a.all_findings())
    }

    /// The report in `format`; `color` adds terminal colours to the text format only.
    pub fn render(&self, format: Format, color: bool) -> String {
        format.renderer(color).render(self)
    }

    /// One line of counts: claims and articles checked, verdicts, findings by severity.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        format!(
            "checked {} claim{} in {} article{}: {} supported, {} partially supported, {} not supported, {} unverifiable; {} error{}, {} warning{}, {} note{}",
            s.claims, plural(s.claims), s.articles, plural(s.articles), s.supported, s.partially_supported, s.not_supported, s.unverifiable, s.errors, plural(s.errors), s.warnings, plural(s.warnings), s.notes, plural(s.notes)
        )
    }
}

impl ArticleReport {
    /// The article's findings followed by each claim's findings.
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

/// How a verdict reads in text and Markdown.
pub(crate) fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "supported",
        Verdict::PartiallySupported => "partially supported",
        Verdict::NotSupported => "NOT supported",
        Verdict::Unverifiable => "unverifiable",
    }
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
