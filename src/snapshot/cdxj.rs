//! CDXJ index lines as pywb reads them: `SURT TIMESTAMP {json}`, sorted.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    #[serde(skip)]
    pub surt: String,
    #[serde(skip)]
    pub timestamp: String,
    pub url: String,
    pub mime: String,
    pub status: String,
    pub digest: String,
    pub length: String,
    pub offset: String,
    pub filename: String,
}

impl Entry {
    pub fn line(&self) -> String {
        // serialising plain strings cannot fail
        format!(
            "{} {} {}",
            self.surt,
            self.timestamp,
            serde_json::to_string(self).unwrap_or_default()
        )
    }
    pub fn parse(line: &str) -> Result<Entry, String> {
        let mut parts = line.splitn(3, ' ');
        let surt = parts.next().filter(|s| !s.is_empty()).ok_or("empty line")?;
        let ts = parts.next().ok_or("no timestamp")?;
        if ts.len() != 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("bad timestamp {ts:?}"));
        }
        let json = parts.next().ok_or("no JSON block")?;
        let mut e: Entry = serde_json::from_str(json).map_err(|e| format!("bad JSON: {e}"))?;
        e.surt = surt.to_string();
        e.timestamp = ts.to_string();
        Ok(e)
    }
    pub fn offset(&self) -> u64 {
        self.offset.parse().unwrap_or(u64::MAX)
    }
    pub fn is_revisit(&self) -> bool {
        self.mime == "warc/revisit"
    }
}

/// Sort-friendly URL key (Sort-friendly URI Reordering Transform), as pywb computes it.
pub fn surt(url: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower.split_once("://").map(|x| x.1).unwrap_or(&lower);
    let rest = rest.split('#').next().unwrap_or(rest);
    let (authority, path) = match rest.find(['/', '?']) {
        Some(p) => (&rest[..p], &rest[p..]),
        None => (rest, "/"),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p))
            if p.bytes().all(|b| b.is_ascii_digit()) && !h.ends_with(']')
                || authority.starts_with('[') && authority.contains("]:") =>
        {
            (h, Some(p))
        }
        _ => (authority, None),
    };
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut key: String = host.split('.').rev().collect::<Vec<_>>().join(",");
    if let Some(p) = port.filter(|p| *p != "80" && *p != "443") {
        key.push(':');
        key.push_str(p);
    }
    key.push(')');
    let (p, q) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    key.push_str(if p.is_empty() { "/" } else { p });
    if let Some(q) = q {
        let mut params: Vec<&str> = q.split('&').filter(|s| !s.is_empty()).collect();
        params.sort_unstable();
        key.push('?');
        key.push_str(&params.join("&"));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn surt_like_pywb() {
        assert_eq!(
            surt("https://www.Example.com/Path?b=2&a=1#frag"),
            "com,example)/path?a=1&b=2"
        );
        assert_eq!(
            surt("http://news.example.org:8080"),
            "org,example,news:8080)/"
        );
    }
    #[test]
    fn line_round_trip() {
        let e = Entry {
            surt: "com,example)/".into(),
            timestamp: "20260101000000".into(),
            url: "http://example.com/".into(),
            mime: "text/html".into(),
            status: "200".into(),
            digest: "sha256:00".into(),
            length: "10".into(),
            offset: "0".into(),
            filename: "a.warc.gz".into(),
        };
        assert_eq!(Entry::parse(&e.line()).unwrap(), e);
        assert!(Entry::parse("x 2026 {}").is_err());
        assert!(Entry::parse("x 20260101000000 {not json").is_err());
    }
}
