//! sources.toml and the article's reference list -> the source each footnote label points to.
//!
//! sources.toml is what the user states; the article's own references fill in what it leaves out.
//! Unknown keys are errors with file:line:column, because a misspelt `archive_url` silently
//! ignored would make a dead source look unrescuable.

mod init;

pub use init::init;

use crate::article::{Article, Reference};
use crate::findings::{Code, Finding};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One `[[source]]` table of sources.toml: what a footnote cites, stated by the user.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// The footnote label as written in the article.
    pub id: String,
    /// The address to fetch and check; overrides the article's own URL for this footnote.
    pub url: Option<String>,
    /// The source's title, shown in reports.
    pub title: Option<String>,
    /// An archived copy (e.g. a Wayback URL) checked when the live page is dead.
    pub archive_url: Option<String>,
    /// A passage the source must contain.
    pub quote: Option<String>,
    /// The day the source was read, as written (any form a date in prose takes); the capture
    /// nearest it is preferred.
    pub accessed: Option<String>,
    /// Which article the label belongs to, when several articles share one sources.toml.
    pub article: Option<String>,
}

/// A cited source with everything known about it, from sources.toml and the article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// The footnote label as written in the article.
    pub id: String,
    /// The address to fetch and check: sources.toml's, else the reference's first URL, else its
    /// archive URL.
    pub url: Option<String>,
    /// An archived copy to fall back on; `None` when it is the same as `url`.
    pub archive_url: Option<String>,
    /// The title, from sources.toml or the reference.
    pub title: Option<String>,
    /// A passage the source must contain (`quote-mismatch` when it does not).
    pub quote: Option<String>,
    /// The day the reference says the source was read, as written.
    pub accessed: Option<String>,
}

/// The sources an article cites, keyed by label, and findings about their definitions.
/// An article's footnotes resolved to sources.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// The cited sources, by label.
    pub sources: BTreeMap<String, Source>,
    /// About the references: unused, conflicting, without a URL.
    pub findings: Vec<Finding>,
    /// For each claim, in order: its markers that nothing defines (citation-undefined).
    pub per_claim: Vec<Vec<Finding>>,
}

impl Resolution {
    /// Every finding, claims first.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.per_claim.iter().flatten().chain(&self.findings)
    }
}

/// The sources an article cites, from its reference list and the `[[source]]` tables of
/// sources.toml (`entries`), which win.
pub fn resolve(article: &Article, entries: &[SourceEntry]) -> Resolution {
    let mut out = BTreeMap::new();
    let mut findings = Vec::new();
    let entries: Vec<&SourceEntry> = entries
        .iter()
        .filter(|s| {
            s.article
                .as_deref()
                .is_none_or(|a| same_article(a, &article.article))
        })
        .collect();
    let labels: HashSet<String> = entries.iter().map(|e| e.id.clone()).collect();
    let citations = article.citation_findings(&labels);
    findings.extend(citations.unused);
    let refs: HashMap<&str, &Reference> = article
        .references
        .iter()
        .rev() // the first definition of a label wins, as in the readers
        .map(|r| (r.label.as_str(), r))
        .collect();
    let by_label = |l: &str| refs.get(l).copied();
    let by_id: HashMap<&str, &SourceEntry> =
        entries.iter().rev().map(|e| (e.id.as_str(), *e)).collect();
    let cited: Vec<&String> = {
        let mut seen = HashSet::new();
        article
            .claims
            .iter()
            .flat_map(|c| c.citations.iter())
            .filter(|l| seen.insert(l.as_str()))
            .collect()
    };
    for label in cited {
        let entry = by_id.get(label.as_str()).copied();
        let r: Option<&Reference> = by_label(label);
        if entry.is_none() && r.is_none() {
            continue; // citation-undefined already
        }
        let art_url = r.and_then(|r| r.urls.first().cloned());
        let art_archive = r.and_then(|r| r.archive_urls.first().cloned());
        let url = entry
            .and_then(|e| e.url.clone())
            .or(art_url.clone())
            .or_else(|| art_archive.clone());
        if let (Some(e), Some(a)) = (entry.and_then(|e| e.url.as_ref()), art_url.as_ref()) {
            if e != a {
                findings.push(Finding::new(Code::ReferenceConflict, format!("footnote [{label}]: sources.toml says {e}, the article says {a}; checking {e}")).source(label.clone()));
            }
        }
        let src = Source {
            id: label.clone(),
            archive_url: entry
                .and_then(|e| e.archive_url.clone())
                .or(art_archive)
                .filter(|a| Some(a) != url.as_ref()),
            url,
            title: entry
                .and_then(|e| e.title.clone())
                .or_else(|| r.and_then(|r| r.title.clone())),
            quote: entry
                .and_then(|e| e.quote.clone())
                .or_else(|| r.and_then(|r| r.quote.clone())),
            accessed: entry
                .and_then(|e| e.accessed.clone())
                .or_else(|| r.and_then(|r| r.accessed.clone())),
        };
        if src.url.is_none() {
            findings.push(
                Finding::new(
                    Code::SourceNoUrl,
                    format!("footnote [{label}] has no URL: add one in sources.toml"),
                )
                .source(label.clone()),
            );
        }
        out.insert(label.clone(), src);
    }
    Resolution {
        sources: out,
        findings,
        per_claim: citations.per_claim,
    }
}

fn same_article(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim_start_matches("./").replace('\\', "/");
    norm(a) == norm(b) || norm(b).ends_with(&format!("/{}", norm(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_overrides_and_conflicts() {
        let a = crate::article::read_str(
            "a.md",
            "One.[^1] Two.[^2] Three.[^3]\n\n[^1]: https://example.org/one\n[^2]: no url here\n",
            None,
        );
        let cfg = crate::config::Config::parse("s.toml", "[[source]]\nid = \"1\"\nurl = \"https://example.org/other\"\n[[source]]\nid = \"3\"\nurl = \"https://example.org/three\"\nquote = \"q\"\n").unwrap();
        let r = resolve(&a, &cfg.sources);
        let (srcs, f): (_, Vec<_>) = (r.sources.clone(), r.all_findings().cloned().collect());
        assert_eq!(srcs["1"].url.as_deref(), Some("https://example.org/other"));
        assert_eq!(srcs["3"].quote.as_deref(), Some("q"));
        assert!(f.iter().any(|f| f.code == Code::ReferenceConflict));
        assert!(f
            .iter()
            .any(|f| f.code == Code::SourceNoUrl && f.source_id.as_deref() == Some("2")));
    }
}
