//! The project file, sources.toml: which articles to check, the settings of each stage, and
//! what each footnote cites. Unknown keys are errors with file:line:column, because a misspelt
//! `archive_url` silently ignored would make a dead source look unrescuable.
//!
//! Each stage owns its settings type (`fetch::FetchSettings`, `snapshot::StoreSettings`); this
//! module only reads the file and checks values that must hold before any stage runs.

use crate::fetch::{FetchSettings, WikiSettings};
use crate::findings::{Code, Severity};
use crate::snapshot::StoreSettings;
use crate::sources::SourceEntry;
use crate::text::LineIndex;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Article files to check, relative to the directory of sources.toml.
    #[serde(default)]
    pub articles: Vec<String>,
    #[serde(default)]
    pub fetch: FetchSettings,
    #[serde(default)]
    pub store: StoreSettings,
    #[serde(default)]
    pub check: CheckSettings,
    #[serde(default)]
    pub wiki: WikiSettings,
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceEntry>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CheckSettings {
    /// error, warning or note: the lowest severity that fails the run.
    pub fail_on: Severity,
    pub require_citations: bool,
    /// Finding codes not to report.
    pub ignore: Vec<String>,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            fail_on: Severity::Error,
            require_citations: false,
            ignore: vec![],
        }
    }
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
        let mut cfg: Config = toml::from_str(src).map_err(|e| {
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
        cfg.fetch.ca_file = cfg.fetch.ca_file.map(|f| beside(path, &f));
        cfg.validate(path, src)?;
        Ok(cfg)
    }

    fn validate(&self, path: &str, src: &str) -> Result<(), ConfigError> {
        let at = |needle: &str, message: String| {
            invalid_at(path, src, src.find(needle).unwrap_or(0), message)
        };
        if self.store.gzip_level > 9 {
            return Err(at(
                "gzip_level",
                format!("gzip_level must be 0 to 9, not {}", self.store.gzip_level),
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
        self.validate_services(path, src)
    }

    /// The addresses and files the network side uses: the archives' APIs, the wiki's API and
    /// contact, the extra trusted roots. Each error points at its key.
    fn validate_services(&self, path: &str, src: &str) -> Result<(), ConfigError> {
        let at_key = |table: &str, key: &str, message: String| {
            invalid_at(path, src, key_offset(src, table, key).unwrap_or(0), message)
        };
        let urls = [
            ("fetch", "timegate", &self.fetch.timegate),
            ("fetch", "wayback_available", &self.fetch.wayback_available),
            ("wiki", "api", &self.wiki.api),
        ];
        for (table, key, value) in urls {
            if let Some(u) = value {
                if !is_http_url(u) {
                    return Err(at_key(
                        table,
                        key,
                        format!("{table}.{key}: {u:?} is not an http or https URL"),
                    ));
                }
            }
        }
        if let Some(c) = &self.wiki.contact {
            if c.trim().is_empty() || c.chars().any(char::is_control) || c.len() > 200 {
                return Err(at_key(
                    "wiki",
                    "contact",
                    "wiki.contact must be an e-mail address or a URL on one line (at most 200 bytes)".into(),
                ));
            }
        }
        if let Some(f) = &self.fetch.ca_file {
            crate::fetch::ca_certificates(f)
                .map_err(|e| at_key("fetch", "ca_file", e.to_string()))?;
        }
        Ok(())
    }
}

/// An invalid value, pointed at by the byte offset where it is written.
fn invalid_at(path: &str, src: &str, off: usize, message: String) -> ConfigError {
    let (line, column) = LineIndex::new(src).locate(src, off);
    ConfigError::Invalid {
        path: path.to_string(),
        line,
        column,
        message,
    }
}

fn is_http_url(u: &str) -> bool {
    reqwest::Url::parse(u).is_ok_and(|p| matches!(p.scheme(), "http" | "https") && p.has_host())
}

/// A file named in sources.toml, relative to the folder sources.toml is in.
fn beside(config: &str, file: &str) -> String {
    let p = std::path::Path::new(file);
    match std::path::Path::new(config).parent() {
        Some(dir) if p.is_relative() && !dir.as_os_str().is_empty() => {
            dir.join(p).display().to_string()
        }
        _ => file.to_string(),
    }
}

/// Byte offset of `key` in `[table]` (or an inline `table = {...}`) as written in `src`.
fn key_offset(src: &str, table: &str, key: &str) -> Option<usize> {
    let doc = toml_edit::Document::parse(src).ok()?;
    let t = doc.get(table)?.as_table_like()?;
    let (k, _) = t.get_key_value(key)?;
    k.span().map(|r| r.start)
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
    fn service_settings_are_checked_where_written() {
        let src = "articles = [\"https://en.wikipedia.org/w/api.php\"]\n[wiki]\ncontact = \"me@example.org\"\napi = \"ftp://wiki.example/api.php\"\n";
        let e = Config::parse("s.toml", src).unwrap_err().to_string();
        assert!(
            e.starts_with("s.toml:4:1:") && e.contains("wiki.api"),
            "{e}"
        );
        let e = Config::parse(
            "s.toml",
            "[fetch]\nretries = 1\nwayback_available = \"archive.org/wayback\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("s.toml:3:1:"), "{e}");
        let e = Config::parse("s.toml", "[wiki]\n  contact = \"\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.toml:2:3:"), "{e}");
        let c = Config::parse(
            "s.toml",
            "[wiki]\napi = \"http://127.0.0.1:8/w/api.php\"\ncontact = \"User:Me\"\n",
        )
        .unwrap();
        assert_eq!(c.wiki.contact.as_deref(), Some("User:Me"));
    }

    #[test]
    fn ca_file_is_read_beside_the_config() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("sources.toml");
        let cfg = cfg.to_str().unwrap();
        let e = Config::parse(cfg, "[fetch]\nca_file = \"ca.pem\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(":2:1:") && e.contains("ca.pem") && e.contains("cannot read"),
            "{e}"
        );
        std::fs::write(dir.path().join("ca.pem"), "not a certificate\n").unwrap();
        let e = Config::parse(cfg, "[fetch]\nca_file = \"ca.pem\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no PEM certificate"), "{e}");
        std::fs::write(
            dir.path().join("ca.pem"),
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let e = Config::parse(cfg, "[fetch]\nca_file = \"ca.pem\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("certificate 1"), "{e}");
    }

    #[test]
    fn gzip_level_is_a_store_setting() {
        let c = Config::parse("s.toml", "[store]\ngzip_level = 6\n").unwrap();
        assert_eq!(c.store.gzip_level, 6);
        let e = Config::parse("s.toml", "[store]\ngzip_level = 12\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("s.toml:2:1:"), "{e}");
    }
}
