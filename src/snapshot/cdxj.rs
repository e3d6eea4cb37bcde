//! CDXJ index lines as pywb reads them: `SURT TIMESTAMP {json}`, sorted.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// One line of the CDXJ index: a record of a capture (a response or a revisit) and where it lies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The URL's sort key (`surt`), the line's first field: the index is sorted by it.
    #[serde(skip)]
    pub surt: String,
    /// Capture time as 14 digits, `YYYYMMDDhhmmss` UTC, the line's second field.
    #[serde(skip)]
    pub timestamp: String,
    /// The URL the record captured (one hop of a redirect chain).
    pub url: String,
    /// Media type of the response without parameters; `warc/revisit` for a revisit.
    pub mime: String,
    /// HTTP status as text: "200"; "-" for another tool's revisit until its original gives one.
    pub status: String,
    /// Payload digest as `algorithm:lowercase-hex` (ibid writes `sha256:`); "-" when unknown.
    pub digest: String,
    /// Bytes the record takes in the WARC file (its gzip member), as a decimal string.
    pub length: String,
    /// Byte offset of the record's gzip member in the WARC file, as a decimal string.
    pub offset: String,
    /// The WARC file holding the record, by its name in the archive folder.
    pub filename: String,
    /// On the first record of a capture that is not the live page: which copy it is
    /// (archive, timegate). pywb ignores fields it does not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<crate::fetch::CopyKind>,
    /// With `copy`: the cited URL the capture was made for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cited: Option<String>,
}

/// The index lines of `entries`, each ended by a newline: written into one buffer, with no
/// string made per line (the index of a 2,000-source fetch is written at the end of the run).
pub fn lines(entries: &[Entry]) -> String {
    let mut out = Vec::with_capacity(entries.len() * 256);
    for e in entries {
        e.write_line(&mut out);
        out.push(b'\n');
    }
    utf8(out)
}

/// Lines of strings serialised as JSON are UTF-8; anything else is shown, not dropped.
fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl Entry {
    /// The line as written to the index: `SURT TIMESTAMP {json}`.
    pub fn line(&self) -> String {
        let mut out = Vec::with_capacity(256);
        self.write_line(&mut out);
        utf8(out)
    }
    /// Append the line (without a newline) to `out`.
    fn write_line(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.surt.as_bytes());
        out.push(b' ');
        out.extend_from_slice(self.timestamp.as_bytes());
        out.push(b' ');
        // serialising plain strings into memory cannot fail
        let _ = serde_json::to_writer(&mut *out, self);
    }
    /// A line of an index, or what is wrong with it (empty, bad timestamp, bad JSON).
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
    /// `offset` as a number; `u64::MAX` when it is not one, so reading there fails.
    pub fn offset(&self) -> u64 {
        self.offset.parse().unwrap_or(u64::MAX)
    }
    /// The HTTP status as a number (0 when the field is not one).
    pub fn status_code(&self) -> u16 {
        self.status.parse().unwrap_or(0)
    }
    /// Is this a revisit record (same payload as an earlier response, body not stored again)?
    pub fn is_revisit(&self) -> bool {
        self.mime == "warc/revisit"
    }
}

/// Sort-friendly URL key (Sort-friendly URI Reordering Transform) as pywb computes it, so
/// pywb finds a capture under the URL a reader asks for. The rules were taken from the keys
/// pywb's indexer writes (the tests below list them): everything lowercased; scheme, fragment,
/// user info, default ports and a leading `www`, `www2`... dropped; host labels reversed;
/// escapes decoded until none is left and then only control bytes, spaces, non-ASCII, `#` and
/// `%` escaped again; repeated slashes and `.`/`..` segments collapsed; a trailing slash
/// dropped; query parameters sorted.
pub fn surt(url: &str) -> String {
    let url = url.trim();
    // tabs and line breaks inside a URL are dropped (rare: a URL without them is not copied)
    let url: Cow<str> = if url.contains(['\t', '\r', '\n']) {
        Cow::Owned(
            url.chars()
                .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
                .collect(),
        )
    } else {
        Cow::Borrowed(url)
    };
    let (scheme, rest) = url.split_once("://").unwrap_or(("", &url));
    let default_port = if scheme.eq_ignore_ascii_case("http") {
        "80"
    } else if scheme.eq_ignore_ascii_case("https") {
        "443"
    } else {
        ""
    };
    let rest = rest.split('#').next().unwrap_or(rest);
    let (authority, path) = match rest.find(['/', '?']) {
        Some(p) => (&rest[..p], &rest[p..]),
        None => (rest, ""),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, p)) => (h, p.strip_prefix(':')),
            None => (v6, None),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
            _ => (authority, None),
        }
    };
    let host: Cow<str> = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(host.to_ascii_lowercase())
    } else {
        Cow::Borrowed(host)
    };
    let host = host.trim_end_matches('.');
    let host = host
        .strip_prefix("www")
        .and_then(|r| {
            r.trim_start_matches(|c: char| c.is_ascii_digit())
                .strip_prefix('.')
        })
        .filter(|r| !r.is_empty())
        .unwrap_or(host);
    let mut key = String::with_capacity(url.len() + 8);
    if host.contains(':') {
        key.push_str(host); // IPv6: not reversed
    } else {
        for (i, label) in host.rsplit('.').enumerate() {
            if i > 0 {
                key.push(',');
            }
            key.push_str(label);
        }
    }
    if let Some(p) = port.filter(|p| !p.is_empty() && *p != default_port) {
        key.push(':');
        key.push_str(p);
    }
    key.push(')');
    let (p, q) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    push_canonical_path(&mut key, &unescape_fully(p.as_bytes()));
    if let Some(q) = q {
        let mut query = String::with_capacity(q.len());
        push_escaped(&mut query, &unescape_fully(q.as_bytes()));
        query.make_ascii_lowercase();
        if !query.is_empty() {
            let mut params: Vec<&str> = query.split('&').collect();
            params.sort_unstable();
            key.push('?');
            key.push_str(&params.join("&"));
        }
    }
    key.make_ascii_lowercase();
    key
}

/// Decode %XX escapes until a pass changes nothing (`%2541` ends as `A`, as in pywb). Text
/// without a `%` is returned as it is.
fn unescape_fully(s: &[u8]) -> Cow<'_, [u8]> {
    if !s.contains(&b'%') {
        return Cow::Borrowed(s);
    }
    let mut cur = s.to_vec();
    // each pass shortens the text, so this ends; the bound only guards against surprises
    for _ in 0..16 {
        let mut out = Vec::with_capacity(cur.len());
        let mut i = 0;
        while i < cur.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if cur[i] == b'%' && i + 2 < cur.len() {
                if let (Some(h), Some(l)) = (hex(cur[i + 1]), hex(cur[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
            }
            out.push(cur[i]);
            i += 1;
        }
        if out.len() == cur.len() {
            return Cow::Owned(out);
        }
        cur = out;
    }
    Cow::Owned(cur)
}

/// Append `s` to `out`, escaping what a key must not hold raw: control bytes, space,
/// non-ASCII, `#` and `%`.
fn push_escaped(out: &mut String, s: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in s {
        if b <= 0x20 || b >= 0x7f || b == b'#' || b == b'%' {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        } else {
            out.push(b as char);
        }
    }
}

/// Append the path `p` to `out` with `.` and `..` segments resolved (an empty segment counts,
/// so `a//..` is `a`; a `..` with nothing before it is kept; a later `..` removes it), then
/// repeated slashes collapsed and a trailing one dropped: `/` when nothing is left.
fn push_canonical_path(out: &mut String, p: &[u8]) {
    let p = p.strip_prefix(b"/").unwrap_or(p);
    let mut kept: Vec<&[u8]> = Vec::new();
    for seg in p.split(|&b| b == b'/') {
        match seg {
            b"." => {}
            b".." => {
                if kept.pop().is_none() {
                    kept.push(seg);
                }
            }
            _ => kept.push(seg),
        }
    }
    out.push('/');
    for (i, seg) in kept.iter().filter(|s| !s.is_empty()).enumerate() {
        if i > 0 {
            out.push('/');
        }
        push_escaped(out, seg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn surt_like_pywb() {
        // left: a URL; right: the key pywb 2.9's indexer (python surt 0.3) wrote for it
        for (url, key) in [
            (
                "https://www.Example.com/Path?b=2&a=1#frag",
                "com,example)/path?a=1&b=2",
            ),
            ("http://news.example.org:8080", "org,example,news:8080)/"),
            ("http://a.example/x//y", "example,a)/x/y"),
            ("http://A.Example:80/a/./b/../c", "example,a)/a/c"),
            ("http://example.com/%7Efoo/%41", "com,example)/~foo/a"),
            ("http://example.com", "com,example)/"),
            ("http://example.com/?", "com,example)/"),
            ("http://example.com/a%2fb", "com,example)/a/b"),
            ("http://example.com/a b", "com,example)/a%20b"),
            ("http://user:pw@example.com:8080/x", "com,example:8080)/x"),
            ("http://127.0.0.1:8080/p", "1,0,0,127:8080)/p"),
            ("https://example.com:443/x", "com,example)/x"),
            ("http://example.com:443/x", "com,example:443)/x"),
            ("https://example.com:80/x", "com,example:80)/x"),
            ("http://www.com/", "com)/"),
            ("http://e.com/a//..", "com,e)/a"),
            ("http://e.com/x/..//..", "com,e)/"),
            ("http://e.com/../..", "com,e)/"),
            ("http://e.com/../x/..", "com,e)/.."),
            ("http://www2.example.com/x", "com,example)/x"),
            ("http://wwwx.e.com/", "com,e,wwwx)/"),
            ("http://example.com/a/../../b", "com,example)/../b"),
            ("http://[::1]:8080/x", "::1:8080)/x"),
            ("http://example.com/%E2%80%94", "com,example)/%e2%80%94"),
            ("http://example.com/\u{2014}", "com,example)/%e2%80%94"),
            ("http://e.com/%2525", "com,e)/%25"),
            ("http://e.com/%zz", "com,e)/%25zz"),
            ("http://e.com/a%2", "com,e)/a%252"),
            ("http://e.com/a\tb", "com,e)/ab"),
            ("http://e.com/a/b/", "com,e)/a/b"),
            ("http://e.com/a+b?q=a%2Bb&p=%26", "com,e)/a+b?&p=&q=a+b"),
            ("http://e.com/a?b=1&&a=2", "com,e)/a?&a=2&b=1"),
            ("http://e.com./x", "com,e)/x"),
            ("http://e.com/a%2e%2e/b", "com,e)/a../b"),
            ("http://e.com/a/%2e/b", "com,e)/a/b"),
            ("http://e.com/x?y=%3D", "com,e)/x?y=="),
            (
                "http://e.com/i?option=c&Itemid=3&id=2",
                "com,e)/i?id=2&itemid=3&option=c",
            ),
            (
                "http://archive.example/web/2019/http://gazette.example/a.html",
                "example,archive)/web/2019/http:/gazette.example/a.html",
            ),
        ] {
            assert_eq!(surt(url), key, "{url}");
        }
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
            copy: None,
            cited: None,
        };
        assert_eq!(Entry::parse(&e.line()).unwrap(), e);
        assert!(
            !e.line().contains("cited"),
            "a live capture's line is pywb's own fields"
        );
        let rescued = Entry {
            copy: Some(crate::fetch::CopyKind::Timegate),
            cited: Some("http://dead.example/page".into()),
            ..e
        };
        assert_eq!(Entry::parse(&rescued.line()).unwrap(), rescued);
        assert!(Entry::parse("x 2026 {}").is_err());
        assert!(Entry::parse("x 20260101000000 {not json").is_err());
    }
}
