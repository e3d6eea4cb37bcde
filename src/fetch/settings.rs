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
        }
    }
}
