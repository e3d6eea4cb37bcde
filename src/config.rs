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

/// The whole of sources.toml: one field per table; a key not listed here is an error.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Article files to check, relative to the directory of sources.toml.
    #[serde(default)]
    pub articles: Vec<String>,
    /// `[fetch]`: how sources are downloaded (timeouts, concurrency, archives, extra roots).
    #[serde(default)]
    pub fetch: FetchSettings,
    /// `[store]`: how the WARC store is written.
    #[serde(default)]
    pub store: StoreSettings,
    /// `[check]`: what `ibid check` reports and which severity fails the run.
    #[serde(default)]
    pub check: CheckSettings,
    /// `[wiki]`: how an article given as a MediaWiki page URL is read.
    #[serde(default)]
    pub wiki: WikiSettings,
    /// The `[[source]]` tables: what each footnote of each article cites.
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceEntry>,
}

/// `[check]` in sources.toml; `--fail-on` overrides `fail_on`, `--require-citations` turns it on.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CheckSettings {
    /// error, warning or note: the lowest severity that fails the run.
    pub fail_on: Severity,
    /// Report every claim without a footnote as `claim-uncited` (off by default).
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

/// Why sources.toml could not be used; each message names the file, and the place when known.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read (missing, not a regular file, too large, or an I/O error).
    #[error("{path}: cannot read: {source}")]
    Io {
        /// sources.toml as given.
        path: String,
        /// What the read failed with.
        source: std::io::Error,
    },
    /// The file was read but is not valid: bad UTF-8 or TOML, an unknown key, a value out of range.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// sources.toml as given.
        path: String,
        /// 1-based line of the offending key or byte.
        line: usize,
        /// 1-based column, counted in characters.
        column: usize,
        /// What is wrong, in words for the user (the TOML parser's, or ibid's own).
        message: String,
    },
}

/// The largest sources.toml read.
pub const MAX_CONFIG: u64 = 16 * 1024 * 1024;

/// The file as UTF-8, or an error at the line and column of the first byte that is not.
pub fn utf8<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, ConfigError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let (line, column) = LineIndex::new(valid).locate(valid, valid.len());
        ConfigError::Invalid {
            path: path.to_string(),
            line,
            column,
            message: format!(
                "invalid UTF-8 (byte 0x{:02x}); sources.toml must be UTF-8 text",
                bytes[e.valid_up_to()]
            ),
        }
    })
}

impl Config {
    /// Read sources.toml: a regular file of at most 16 MiB, UTF-8 (the first invalid byte is
    /// named by line and column).
    pub fn load(path: &str) -> Result<Config, ConfigError> {
        let bytes = crate::files::read_regular(std::path::Path::new(path), MAX_CONFIG, false)
            .map_err(|e| ConfigError::Io {
                path: path.to_string(),
                source: match e {
                    crate::files::FileError::Io(e) => e,
                    e => std::io::Error::other(e.to_string()),
                },
            })?;
        let src = utf8(path, &bytes)?;
        Config::parse(path, src)
    }

    /// Parse and check sources.toml text; `path` names the file in errors, and a relative
    /// `fetch.ca_file` is taken as relative to its directory.
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
        // the error points at the key as written (found through the TOML document, so a key
        // of the same name elsewhere, in a comment or a URL, is never taken for it)
        let at = |keys: &[Seg], message: String| {
            invalid_at(path, src, position(src, keys).unwrap_or(0), message)
        };
        use Seg::{Index, Key};
        if self.store.gzip_level > 9 {
            return Err(at(
                &[Key("store"), Key("gzip_level")],
                format!("gzip_level must be 0 to 9, not {}", self.store.gzip_level),
            ));
        }
        if let Some((key, message)) = self.fetch.problems().into_iter().next() {
            return Err(at(&[Key("fetch"), Key(key)], message));
        }
        for (i, code) in self.check.ignore.iter().enumerate() {
            if Code::parse(code).is_none() {
                return Err(at(
                    &[Key("check"), Key("ignore"), Index(i)],
                    format!("unknown finding code {code:?} in check.ignore"),
                ));
            }
        }
        let mut seen = HashSet::new();
        for (i, s) in self.sources.iter().enumerate() {
            let here = |key| [Key("source"), Index(i), Key(key)];
            if s.id.trim().is_empty() {
                return Err(at(&here("id"), "a [[source]] has an empty id".into()));
            }
            if !seen.insert((s.article.clone(), s.id.clone())) {
                return Err(at(
                    &here("id"),
                    format!("source id {:?} is listed twice", s.id),
                ));
            }
            if let Some(a) = &s.accessed {
                if !crate::text::dates::is_date(a) {
                    return Err(at(
                        &here("accessed"),
                        format!(
                            "source {:?}: accessed {a:?} is not a day (2024-05-02, 2 May 2024, \
                             May 2, 2024)",
                            s.id
                        ),
                    ));
                }
            }
            for (key, u) in [("url", &s.url), ("archive_url", &s.archive_url)] {
                let Some(u) = u else { continue };
                if !(u.starts_with("http://") || u.starts_with("https://"))
                    || u.chars().any(char::is_control)
                {
                    return Err(at(
                        &here(key),
                        format!("source {:?}: {u:?} is not an http or https URL", s.id),
                    ));
                }
            }
        }
        self.validate_services(path, src)
    }

    /// The addresses and files the network side uses: the archives' APIs, the wiki's API and
    /// contact, the extra trusted roots. Each error points at its key.
    fn validate_services(&self, path: &str, src: &str) -> Result<(), ConfigError> {
        let at_key = |table: &str, key: &str, message: String| {
            invalid_at(
                path,
                src,
                position(src, &[Seg::Key(table), Seg::Key(key)]).unwrap_or(0),
                message,
            )
        };
        let urls = [
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

/// One step of a path into the TOML document: a key or an index into an array.
#[derive(Debug, Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Byte offset in `src` of the key (or array element) that `path` names, as written.
fn position(src: &str, path: &[Seg]) -> Option<usize> {
    let doc = toml_edit::Document::parse(src).ok()?;
    let (last, init) = path.split_last()?;
    let mut item = doc.as_item();
    for seg in init {
        item = match *seg {
            Seg::Key(k) => item.get(k)?,
            Seg::Index(i) => item.get(i)?,
        };
    }
    match *last {
        Seg::Key(k) => {
            let (key, value) = item.as_table_like()?.get_key_value(k)?;
            key.span().or_else(|| value.span()).map(|r| r.start)
        }
        Seg::Index(i) => item
            .as_array()
            .and_then(|a| a.get(i))
            .and_then(|v| v.span())
            .or_else(|| item.get(i)?.span())
            .map(|r| r.start),
    }
}

/// An invalid value, pointed at by the byte offset where it is written.
fn invalid_at(path: &str, src: &str, off: usize, message: String) -> ConfigError {
    let (line, column) = LineIndex::new(src).locate(src, off);
    ConfigError::Invalid {
        path: path.to_string(),
        line,
        column,
        message: crate::text::one_line(&message),
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
