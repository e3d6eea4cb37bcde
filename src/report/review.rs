//! The editor's review, by reference rather than by claim: for each cited source, is it live,
//! dead and rescued by an archived copy (which one), dead with no copy, or live but changed
//! since its access date; where the article writes it; and every claim citing it, with the
//! verdict and the evidence taken from that source. The HTML and Markdown review renderers and
//! the JSON report (`references` of each article) all read this one model.

use super::{ArticleReport, SourceUse};
use crate::fetch::CopyKind;
use crate::findings::{Code, Finding};
use crate::verify::Verdict;
use serde::Serialize;
use std::collections::HashMap;

/// Where a cited source stands, in the order an editor should look at them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// The live copy is dead and no archived copy was found.
    Dead,
    /// The live copy is dead; an archived copy was checked instead.
    Rescued,
    /// The live copy answers, but differs from what the reference's author read.
    Changed,
    /// The live copy answers.
    Live,
    /// Not checked: no URL, or no capture (offline).
    Unchecked,
}

impl Standing {
    /// Every standing, in the order a review lists its groups.
    pub const ALL: [Standing; 5] = [
        Standing::Dead,
        Standing::Rescued,
        Standing::Changed,
        Standing::Live,
        Standing::Unchecked,
    ];

    /// The lowercase name: the JSON value, and the badge and CSS class on the review page.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Dead => "dead",
            Standing::Rescued => "rescued",
            Standing::Changed => "changed",
            Standing::Live => "live",
            Standing::Unchecked => "unchecked",
        }
    }

    /// The heading of this group in a review.
    pub fn heading(self) -> &'static str {
        match self {
            Standing::Dead => "Dead, no archived copy",
            Standing::Rescued => "Dead, rescued by an archived copy",
            Standing::Changed => "Live, changed since the access date",
            Standing::Live => "Live",
            Standing::Unchecked => "Not checked",
        }
    }
}

/// One cited source and what the check found about it.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceReview {
    /// Where the source stands (the group it is listed in).
    pub standing: Standing,
    /// One sentence: why it stands there.
    pub why: String,
    /// The cited source and the copy of it that was read.
    #[serde(flatten)]
    pub source: SourceUse,
    /// The line of the article where the reference's URL is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Findings about the source itself (unreachable, archived, changed, not text ...).
    pub findings: Vec<Finding>,
    /// The claims citing this reference, in article order.
    pub claims: Vec<CitingClaim>,
}

/// A claim that cites the reference, with the verdict of its check and the evidence passages
/// taken from this reference.
#[derive(Debug, Clone, Serialize)]
pub struct CitingClaim {
    /// 1-based line of the claim in the article.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The claim's text.
    pub text: String,
    /// The claim's verdict (from all the sources it cites, not this one alone).
    pub verdict: Verdict,
    /// The claim's score, 0 to 1.
    pub score: f64,
    /// The passages the claim was checked against that come from this reference.
    pub evidence: Vec<String>,
    /// The claim's findings that concern this reference (or no reference in particular).
    pub findings: Vec<Finding>,
}

/// The review of every reference the article's claims cite, in order of first citation.
pub fn references(a: &ArticleReport) -> Vec<ReferenceReview> {
    let mut out: Vec<ReferenceReview> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let urls = a.claims.iter().flat_map(|c| &c.sources);
    let mentions =
        crate::article::edit::Mentions::find(&a.source, urls.filter_map(|u| u.url.as_deref()));
    let lines = crate::text::LineIndex::new(&a.source);
    // the 1-based line where the article first writes a URL (outside comments)
    let line_of = |url: &str| Some(lines.locate(&a.source, mentions.first(url)?).0);
    for c in &a.claims {
        for u in &c.sources {
            let i = *at.entry(u.id.clone()).or_insert_with(|| {
                out.push(ReferenceReview {
                    standing: Standing::Unchecked,
                    why: String::new(),
                    source: u.clone(),
                    line: u.url.as_deref().and_then(line_of),
                    findings: vec![],
                    claims: vec![],
                });
                out.len() - 1
            });
            out[i].claims.push(CitingClaim {
                line: c.claim.location.line,
                column: c.claim.location.column,
                text: c.claim.text.clone(),
                verdict: c.verdict,
                score: c.score,
                evidence: c
                    .evidence
                    .iter()
                    .filter(|e| e.source_id == u.id)
                    .map(|e| e.text.clone())
                    .collect(),
                findings: c
                    .findings
                    .iter()
                    .filter(|f| f.source_id.as_deref().is_none_or(|s| s == u.id))
                    .cloned()
                    .collect(),
            });
        }
    }
    // the article's findings about each source, gathered once (not a pass per reference)
    let mut about: HashMap<&str, Vec<Finding>> = HashMap::new();
    for f in &a.findings {
        if let Some(id) = f.source_id.as_deref() {
            about.entry(id).or_default().push(f.clone());
        }
    }
    for r in &mut out {
        r.findings = about.remove(r.source.id.as_str()).unwrap_or_default();
        let (standing, why) = standing(&r.source, &r.findings);
        r.standing = standing;
        r.why = why;
    }
    out
}

/// A date's (year, month, day) as an integer to compare: 20150302.
fn day_number(ymd: (i32, u32, u32)) -> i64 {
    ymd.0 as i64 * 10_000 + ymd.1 as i64 * 100 + ymd.2 as i64
}

/// Where a source stands, from the copy checked and the findings about it.
fn standing(u: &SourceUse, findings: &[Finding]) -> (Standing, String) {
    let first = |code: Code| findings.iter().find(|f| f.code == code);
    match u.copy {
        Some(CopyKind::Live) => {
            if let Some(f) = first(Code::SourceChanged) {
                return (Standing::Changed, f.message.clone());
            }
            if let Some(why) = modified_after_access(u) {
                return (Standing::Changed, why);
            }
            (Standing::Live, "the live copy answers".into())
        }
        Some(copy) => {
            let why = first(Code::SourceArchived)
                .map(|f| f.message.clone())
                .unwrap_or_else(|| format!("checked the {copy} copy"));
            (Standing::Rescued, why)
        }
        None if u.url.is_none() => (Standing::Unchecked, "the reference gives no URL".into()),
        None => match findings.iter().find(|f| {
            matches!(
                f.code,
                Code::SourceUnreachable | Code::SourceBlocked | Code::SnapshotCorrupt
            )
        }) {
            Some(f) => (Standing::Dead, f.message.clone()),
            None => (
                Standing::Unchecked,
                first(Code::SnapshotMissing)
                    .map(|f| f.message.clone())
                    .unwrap_or_else(|| "no capture of the source".into()),
            ),
        },
    }
}

/// The server's Last-Modified is later than the day the reference's author read the page.
fn modified_after_access(u: &SourceUse) -> Option<String> {
    let accessed = u.accessed.as_deref()?;
    let read = crate::text::dates::parse_one(accessed)?;
    let modified = u.modified.as_deref()?;
    let changed = crate::article::edit::civil_date(modified)?;
    (day_number(changed) > day_number(read)).then(|| {
        format!(
            "the server says the page was modified on {}, after the access date {accessed}",
            &modified[..10]
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn use_of(copy: Option<CopyKind>) -> SourceUse {
        SourceUse {
            id: "a".into(),
            url: Some("http://a.example/".into()),
            copy,
            checked_url: None,
            captured: None,
            digest: None,
            title: None,
            archive_url: None,
            accessed: Some("2 March 2015".into()),
            archived: None,
            modified: None,
        }
    }

    #[test]
    fn standings_follow_the_copy_and_its_findings() {
        assert_eq!(
            standing(&use_of(Some(CopyKind::Live)), &[]).0,
            Standing::Live
        );
        let mut u = use_of(Some(CopyKind::Live));
        u.modified = Some("2016-01-01T00:00:00Z".into());
        let (s, why) = standing(&u, &[]);
        assert_eq!(s, Standing::Changed);
        assert!(
            why.contains("2016-01-01") && why.contains("2 March 2015"),
            "{why}"
        );
        u.modified = Some("2015-03-02T10:00:00Z".into());
        assert_eq!(standing(&u, &[]).0, Standing::Live, "same day is not later");
        assert_eq!(
            standing(&use_of(Some(CopyKind::Wayback)), &[]).0,
            Standing::Rescued
        );
        let dead = Finding::new(Code::SourceUnreachable, "answered HTTP 404");
        assert_eq!(standing(&use_of(None), &[dead]).0, Standing::Dead);
        let missing = Finding::new(Code::SnapshotMissing, "no snapshot");
        assert_eq!(standing(&use_of(None), &[missing]).0, Standing::Unchecked);
    }
}
