//! What a fetch produces: the HTTP exchanges of one capture, hop by hop.

use crate::time::Timestamp;

/// One request and its response, as sent and received.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The URL of this hop, as requested.
    pub url: String,
    /// Header fields sent, in order: User-Agent, Accept, Accept-Encoding, then the caller's extras.
    pub request_headers: Vec<(String, String)>,
    /// "HTTP/1.1", "HTTP/2.0"
    pub http_version: String,
    /// HTTP status code of the response.
    pub status: u16,
    /// The standard reason phrase for `status` (reqwest does not give the one received).
    pub reason: String,
    /// Header fields received, names lowercase as the HTTP library gives them.
    pub response_headers: Vec<(String, String)>,
    /// The body as received after transfer decoding, content-encoding kept.
    pub body: Vec<u8>,
    /// Set when the body was cut at the cap or by a broken connection: why.
    pub truncated: Option<String>,
    /// The server address the response came from, when the connection reports it.
    pub ip: Option<std::net::IpAddr>,
    /// When the request was sent (before the response arrived), to the second.
    pub time: Timestamp,
}

/// Which copy of a source a capture is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CopyKind {
    /// The cited URL itself, fetched now.
    Live,
    /// The reference's own `archive_url`.
    Archive,
    /// A memento a Memento TimeGate chose for the access date.
    Timegate,
    /// The capture the Wayback Machine's availability API named as closest to the access date.
    Wayback,
}

/// A URL fetched, following redirects: every hop's exchange, the last one final.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The first URL fetched for this copy (the archive or memento URL for a rescue), before any
    /// redirect.
    pub requested: String,
    /// Every exchange in order: redirects first, the response that ended the chain last.
    pub hops: Vec<Exchange>,
    /// Which copy of the source this is.
    pub copy: CopyKind,
    /// The cited URL this capture was made for (the live URL itself for a live copy).
    pub cited: String,
    /// Why this copy was taken (e.g. "live copy answered 404").
    pub note: Option<String>,
    /// The fetch settings in force, as JSON, for the metadata record.
    pub settings: String,
}

impl CopyKind {
    /// The lowercase name metadata records and reports use ("live", "archive", ...).
    pub fn as_str(self) -> &'static str {
        match self {
            CopyKind::Live => "live",
            CopyKind::Archive => "archive",
            CopyKind::Timegate => "timegate",
            CopyKind::Wayback => "wayback",
        }
    }

    /// The kind a capture's metadata record names (`copy: ...`).
    pub fn parse(s: &str) -> Option<CopyKind> {
        [
            CopyKind::Live,
            CopyKind::Archive,
            CopyKind::Timegate,
            CopyKind::Wayback,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for CopyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Capture {
    /// The last hop: the response the source's text comes from (None only when `hops` is empty).
    pub fn final_exchange(&self) -> Option<&Exchange> {
        self.hops.last()
    }
}
