//! The fetch policy: limits, retries, pacing and address rules for the HTTP side of a capture.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// The Wayback Machine's availability API to ask for dead sources, e.g.
    /// "https://archive.org/wayback/available": it names the capture closest to the access date.
    pub wayback_available: Option<String>,
    /// A PEM file of extra trusted root certificates (as curl's --cacert): an intranet's CA, or
    /// the CA a test makes for its https servers. The built-in roots stay trusted.
    pub ca_file: Option<String>,
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
            wayback_available: None,
            ca_file: None,
        }
    }
}

/// How ibid talks to a MediaWiki site when an article is given as a wiki page URL: `[wiki]` in
/// sources.toml.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct WikiSettings {
    /// The Action API endpoint, when it is not `SCHEME://HOST/w/api.php` of the page's URL.
    pub api: Option<String>,
    /// How the wiki's operators can reach you (an e-mail address or a user page): Wikimedia's
    /// User-Agent policy asks every client for one. Sent to the wiki only, never to sources.
    pub contact: Option<String>,
}
