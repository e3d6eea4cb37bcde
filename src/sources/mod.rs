//! sources.toml and the article's reference list -> the source each footnote label points to.
//!
//! sources.toml is what the user states; the article's own references fill in what it leaves out.
//! Unknown keys are errors with file:line:column, because a misspelt `archive_url` silently
//! ignored would make a dead source look unrescuable.

mod init;

pub use init::init;

use crate::article::{Article, Reference};
use crate::findings::{Code, Finding};
use crate::text::LineIndex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Article files to check, relative to the directory of sources.toml.
    #[serde(default)]
    pub articles: Vec<String>,
    #[serde(default)]
    pub fetch: FetchSettings,
    #[serde(default)]
    pub check: CheckSettings,
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceEntry>,
}

/// Fetch policy. Every value also has a command-line flag.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FetchSettings {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests in flight per host.
    pub per_host: usize,
    /// Minimum milliseconds between two requests to one host.
    pub host_delay_ms: u64,
    pub connect_timeout_secs: f64,
    pub timeout_secs: f64,
    pub retries: u32,
    pub max_redirects: usize,
    /// Bytes of body kept; the rest is cut and the record marked truncated.
    pub max_body_bytes: u64,
    /// Fetch loopback, private and other non-public addresses (tests, intranets).
    pub allow_private: bool,
    pub user_agent: Option<String>,
    /// Host overrides, as curl's --resolve: "host:port" = "ip:port" or "host" = "ip".
    pub resolve: BTreeMap<String, String>,
    /// A Memento TimeGate to ask for dead sources (RFC 7089), e.g. "http://timetravel.example/timegate/".
    pub timegate: Option<String>,
    /// Deflate level of the WARC records, 0 (stored) to 9 (smallest). On real pages 1 writes
    /// 3.5:1 at about three times the speed of 6 (4.8:1); compression is most of the CPU time
    /// of a fetch.
    pub gzip_level: u32,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            concurrency: 32,
            per_host: 4,
            host_delay_ms: 0,
            connect_timeout_secs: 10.0,
            timeout_secs: 30.0,
            retries: 3,
            max_redirects: 10,
            max_body_bytes: 50 * 1024 * 1024,
            allow_private: false,
            user_agent: None,
            resolve: BTreeMap::new(),
            timegate: None,
            gzip_level: crate::snapshot::warc::DEFAULT_LEVEL,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CheckSettings {
    /// error, warning or note: the lowest severity that fails the run.
    pub fail_on: String,
    pub require_citations: bool,
    /// Finding codes not to report.
    pub ignore: Vec<String>,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            fail_on: "error".into(),
            require_citations: false,
            ignore: vec![],
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// The footnote label as written in the article.
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub archive_url: Option<String>,
    /// A passage the source must contain.
    pub quote: Option<String>,
    pub accessed: Option<String>,
    /// Which article the label belongs to, when several articles share one sources.toml.
    pub article: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Config {
    pub fn load(path: &str) -> Result<Config, ConfigError> {
        let src = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_string(),
            source,
        })?;
        Config::parse(path, &src)
    }

    pub fn parse(path: &str, src: &str) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(src).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| LineIndex::new(src).locate(src, s.start))
                .unwrap_or((1, 1));
            ConfigError::Invalid {
                path: path.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        cfg.validate(path, src)?;
        Ok(cfg)
    }

    fn validate(&self, path: &str, src: &str) -> Result<(), ConfigError> {
        let at = |needle: &str, message: String| {
            let off = src.find(needle).unwrap_or(0);
            let (line, column) = LineIndex::new(src).locate(src, off);
            ConfigError::Invalid {
                path: path.to_string(),
                line,
                column,
                message,
            }
        };
        if self
            .check
            .fail_on
            .parse::<crate::findings::Severity>()
            .is_err()
        {
            return Err(at(
                "fail_on",
                format!(
                    "fail_on must be error, warning or note, not {:?}",
                    self.check.fail_on
                ),
            ));
        }
        if self.fetch.gzip_level > 9 {
            return Err(at(
                "gzip_level",
                format!("gzip_level must be 0 to 9, not {}", self.fetch.gzip_level),
            ));
        }
        for code in &self.check.ignore {
            if Code::parse(code).is_none() {
                return Err(at(
                    code,
                    format!("unknown finding code {code:?} in check.ignore"),
                ));
            }
        }
        let mut seen = HashSet::new();
        for s in &self.sources {
            if s.id.trim().is_empty() {
                return Err(at("id", "a [[source]] has an empty id".into()));
            }
            if !seen.insert((s.article.clone(), s.id.clone())) {
                return Err(at(
                    &format!("\"{}\"", s.id),
                    format!("source id {:?} is listed twice", s.id),
                ));
            }
            for u in [&s.url, &s.archive_url].into_iter().flatten() {
                if !(u.starts_with("http://") || u.starts_with("https://")) {
                    return Err(at(
                        u,
                        format!("source {:?}: {u:?} is not an http or https URL", s.id),
                    ));
                }
            }
        }
        if self.fetch.concurrency == 0 || self.fetch.per_host == 0 {
            return Err(at(
                "concurrency",
                "fetch.concurrency and fetch.per_host must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

/// A cited source with everything known about it, from sources.toml and the article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub id: String,
    pub url: Option<String>,
    pub archive_url: Option<String>,
    pub title: Option<String>,
    pub quote: Option<String>,
    pub accessed: Option<String>,
}

/// The sources an article cites, keyed by label, and findings about their definitions.
pub fn resolve(article: &Article, cfg: &Config) -> (BTreeMap<String, Source>, Vec<Finding>) {
    let mut out = BTreeMap::new();
    let mut findings = Vec::new();
    let entries: Vec<&SourceEntry> = cfg
        .sources
        .iter()
        .filter(|s| {
            s.article
                .as_deref()
                .is_none_or(|a| same_article(a, &article.article))
        })
        .collect();
    let labels: HashSet<String> = entries.iter().map(|e| e.id.clone()).collect();
    findings.extend(article.citation_findings(&labels));
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
    (out, findings)
}

fn same_article(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim_start_matches("./").replace('\\', "/");
    norm(a) == norm(b) || norm(b).ends_with(&format!("/{}", norm(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_line_and_column() {
        let src = "articles = [\"a.md\"]\n\n[[source]]\nid = \"1\"\nurl = \"https://example.org\"\narchive_ulr = \"https://web.archive.org/x\"\n";
        let e = Config::parse("sources.toml", src).unwrap_err().to_string();
        assert!(e.starts_with("sources.toml:6:1:"), "{e}");
        assert!(e.contains("archive_ulr"), "{e}");
    }

    #[test]
    fn bad_values_are_errors() {
        let e = Config::parse("s.toml", "[fetch]\nconcurrency = \"many\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.toml:2:"), "{e}");
        let e = Config::parse("s.toml", "[[source]]\nid = \"1\"\nurl = \"ftp://x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not an http"), "{e}");
        let e = Config::parse("s.toml", "[check]\nfail_on = \"fatal\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.toml:2:1"), "{e}");
    }

    #[test]
    fn resolves_overrides_and_conflicts() {
        let a = crate::article::read_str(
            "a.md",
            "One.[^1] Two.[^2] Three.[^3]\n\n[^1]: https://example.org/one\n[^2]: no url here\n",
            None,
        );
        let cfg = Config::parse("s.toml", "[[source]]\nid = \"1\"\nurl = \"https://example.org/other\"\n[[source]]\nid = \"3\"\nurl = \"https://example.org/three\"\nquote = \"q\"\n").unwrap();
        let (srcs, f) = resolve(&a, &cfg);
        assert_eq!(srcs["1"].url.as_deref(), Some("https://example.org/other"));
        assert_eq!(srcs["3"].quote.as_deref(), Some("q"));
        assert!(f.iter().any(|f| f.code == Code::ReferenceConflict));
        assert!(f
            .iter()
            .any(|f| f.code == Code::SourceNoUrl && f.source_id.as_deref() == Some("2")));
    }
}
