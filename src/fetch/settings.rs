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
    /// Seconds to wait for a connection to be set up, per try.
    pub connect_timeout_secs: f64,
    /// Seconds a whole exchange may take, body included, per try.
    pub timeout_secs: f64,
    /// Tries after the first for a connection error, timeout, 408, 429 or 5xx, with backoff.
    pub retries: u32,
    /// Redirects followed before the fetch fails as "too many redirects".
    pub max_redirects: usize,
    /// Bytes of body kept; the rest is cut and the record marked truncated.
    pub max_body_bytes: u64,
    /// Fetch loopback, private and other non-public addresses (tests, intranets).
    pub allow_private: bool,
    /// The User-Agent sent to cited sources; unset, `user_agent()` is sent.
    pub user_agent: Option<String>,
    /// Host overrides, as curl's --resolve: "host:port" = "ip:port" or "host" = "ip".
    pub resolve: BTreeMap<String, String>,
    /// A Memento TimeGate to ask for dead sources (RFC 7089), e.g. `http://timetravel.example/timegate/`.
    pub timegate: Option<String>,
    /// The Wayback Machine's availability API to ask for dead sources, e.g.
    /// `https://archive.org/wayback/available`: it names the capture closest to the access date.
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

/// The range of each numeric setting, the same for sources.toml and for the flags (README,
/// "Limits"). Values outside are errors naming the key, never clamped in silence: a timeout of
/// `inf` or 1e300 seconds, or 4e18 requests in flight, is a mistake to be told about.
pub mod range {
    /// Inclusive (min, max) of `concurrency`.
    pub const CONCURRENCY: (u64, u64) = (1, 1024);
    /// Inclusive (min, max) of `per_host`.
    pub const PER_HOST: (u64, u64) = (1, 256);
    /// Inclusive (min, max) of `host_delay_ms`.
    pub const HOST_DELAY_MS: (u64, u64) = (0, 60_000);
    /// Inclusive (min, max) of `connect_timeout_secs`, in seconds.
    pub const CONNECT_TIMEOUT_SECS: (f64, f64) = (0.1, 300.0);
    /// Inclusive (min, max) of `timeout_secs`, in seconds.
    pub const TIMEOUT_SECS: (f64, f64) = (0.1, 3600.0);
    /// Inclusive (min, max) of `retries`.
    pub const RETRIES: (u64, u64) = (0, 10);
    /// Inclusive (min, max) of `max_redirects`.
    pub const MAX_REDIRECTS: (u64, u64) = (0, 50);
    /// Up to 60 MiB: a stored record (headers and body) must stay under the 64 MiB that the
    /// store reads back in one record.
    pub const MAX_BODY_BYTES: (u64, u64) = (1, 60 * 1024 * 1024);
}

fn int_in(key: &'static str, v: u64, (lo, hi): (u64, u64)) -> Option<(&'static str, String)> {
    (!(lo..=hi).contains(&v)).then(|| (key, format!("{key} must be {lo} to {hi}, not {v}")))
}

fn secs_in(key: &'static str, v: f64, (lo, hi): (f64, f64)) -> Option<(&'static str, String)> {
    (!(v.is_finite() && (lo..=hi).contains(&v)))
        .then(|| (key, format!("{key} must be {lo} to {hi} seconds, not {v}")))
}

impl FetchSettings {
    /// Every value outside its range, as (key, message); empty when all are valid.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = [
            int_in("concurrency", self.concurrency as u64, range::CONCURRENCY),
            int_in("per_host", self.per_host as u64, range::PER_HOST),
            int_in("host_delay_ms", self.host_delay_ms, range::HOST_DELAY_MS),
            secs_in(
                "connect_timeout_secs",
                self.connect_timeout_secs,
                range::CONNECT_TIMEOUT_SECS,
            ),
            secs_in("timeout_secs", self.timeout_secs, range::TIMEOUT_SECS),
            int_in("retries", u64::from(self.retries), range::RETRIES),
            int_in(
                "max_redirects",
                self.max_redirects as u64,
                range::MAX_REDIRECTS,
            ),
            int_in("max_body_bytes", self.max_body_bytes, range::MAX_BODY_BYTES),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let Some(ua) = &self.user_agent {
            if ua.trim().is_empty() || ua.chars().any(|c| c.is_control()) {
                out.push((
                    "user_agent",
                    format!(
                        "user_agent must be one line of printable text, not {}",
                        crate::text::one_line(&format!("{ua:?}"))
                    ),
                ));
            }
        }
        if let Some(tg) = &self.timegate {
            if !(tg.starts_with("http://") || tg.starts_with("https://"))
                || tg.chars().any(|c| c.is_control() || c.is_whitespace())
            {
                out.push((
                    "timegate",
                    format!(
                        "timegate must be an http or https URL, not {}",
                        crate::text::one_line(&format!("{tg:?}"))
                    ),
                ));
            }
        }
        for (host, addr) in &self.resolve {
            let ok = addr.parse::<std::net::SocketAddr>().is_ok()
                || addr.parse::<std::net::IpAddr>().is_ok();
            if !ok {
                out.push((
                    "resolve",
                    format!(
                        "resolve entry {}: expected \"host\" = \"ip\" or \"ip:port\"",
                        crate::text::one_line(&format!("{host:?} = {addr:?}"))
                    ),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_in_range_and_extremes_are_not() {
        assert!(FetchSettings::default().problems().is_empty());
        for (set, key) in [
            (
                (|s: &mut FetchSettings| s.timeout_secs = f64::INFINITY) as fn(&mut FetchSettings),
                "timeout_secs",
            ),
            (|s| s.timeout_secs = f64::NAN, "timeout_secs"),
            (|s| s.connect_timeout_secs = 1e300, "connect_timeout_secs"),
            (|s| s.connect_timeout_secs = 0.0, "connect_timeout_secs"),
            (|s| s.concurrency = 4_000_000_000_000_000_000, "concurrency"),
            (|s| s.per_host = 4_000_000_000_000_000_000, "per_host"),
            (|s| s.host_delay_ms = u64::MAX, "host_delay_ms"),
            (|s| s.retries = u32::MAX, "retries"),
            (|s| s.max_redirects = usize::MAX, "max_redirects"),
            (|s| s.max_body_bytes = 0, "max_body_bytes"),
            (
                |s| s.user_agent = Some("ibid\r\nX-Evil: 1".into()),
                "user_agent",
            ),
            (|s| s.timegate = Some("file:///etc/".into()), "timegate"),
        ] {
            let mut s = FetchSettings::default();
            set(&mut s);
            let p = s.problems();
            assert_eq!(p.len(), 1, "{p:?}");
            assert_eq!(p[0].0, key);
            assert!(p[0].1.starts_with(key), "{}", p[0].1);
        }
    }
}
