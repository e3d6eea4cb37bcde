//! Index files other tools write beside their WARCs: CDXJ (pywb, Browsertrix, py-wacz, ibid)
//! and the older space-separated CDX (wget's `--warc-cdx`, Heritrix and Wayback tooling), read
//! into ibid's index entries: keyed by ibid's own SURT of each URL (tools differ in their keys),
//! digests in canonical form, only records that answer for a URL (responses, revisits,
//! resources).

use super::digest::canonical;
use crate::snapshot::cdxj::{surt, Entry};
use serde_json::Value;

/// A 14-digit timestamp from an index's date field (longer ones are cut, shorter padded).
fn timestamp14(ts: &str) -> Option<String> {
    let digits: String = ts.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() < 8 || digits.len() != ts.len() {
        return None;
    }
    let mut t: String = digits.chars().take(14).collect();
    while t.len() < 14 {
        t.push('0');
    }
    Some(t)
}

/// A field that tools write as a string or a number.
fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Where a capture's record is, as an index line gives it.
struct Place {
    length: String,
    offset: String,
    filename: String,
}

fn entry(url: String, ts: String, mime: String, status: String, digest: &str, at: Place) -> Entry {
    Entry {
        surt: surt(&url),
        timestamp: ts,
        url,
        mime,
        status,
        digest: canonical(digest),
        length: at.length,
        offset: at.offset,
        filename: at.filename,
        copy: None,
        cited: None,
    }
}

/// One CDXJ line. `Ok(None)`: a line that names no capture (a request record, a comment).
pub fn cdxj_line(line: &str) -> Result<Option<Entry>, String> {
    if line.trim().is_empty() || line.starts_with('!') {
        return Ok(None);
    }
    let mut parts = line.splitn(3, ' ');
    let _key = parts.next();
    let ts = parts.next().ok_or("no timestamp")?;
    let ts = timestamp14(ts).ok_or_else(|| format!("bad timestamp {ts:?}"))?;
    let json: Value = serde_json::from_str(parts.next().ok_or("no JSON block")?)
        .map_err(|e| format!("bad JSON: {e}"))?;
    let url = text(&json, "url").ok_or("no url")?;
    let mime = text(&json, "mime").unwrap_or_else(|| "unk".into());
    let revisit = mime == "warc/revisit";
    // requests have no status; a revisit without one takes its original's later
    let status = match text(&json, "status") {
        Some(s) => s,
        None if revisit => "-".into(),
        None => return Ok(None),
    };
    if text(&json, "method").is_some_and(|m| !m.eq_ignore_ascii_case("get")) {
        return Ok(None);
    }
    let filename = text(&json, "filename").ok_or("no filename")?;
    let offset = text(&json, "offset").ok_or("no offset")?;
    offset
        .parse::<u64>()
        .map_err(|_| format!("bad offset {offset:?}"))?;
    let mut e = entry(
        url,
        ts,
        mime,
        status,
        &text(&json, "digest").unwrap_or_else(|| "-".into()),
        Place {
            length: text(&json, "length").unwrap_or_default(),
            offset,
            filename,
        },
    );
    // an index ibid wrote (an exported WACZ) says which copy a capture is
    if let (Ok(copy), Some(cited)) = (
        serde_json::from_value::<crate::fetch::CopyKind>(
            json.get("copy").cloned().unwrap_or_default(),
        ),
        text(&json, "cited"),
    ) {
        e.copy = Some(copy);
        e.cited = Some(cited);
    }
    Ok(Some(e))
}

/// The field letters of a CDX file: its ` CDX ...` header line, or the usual layout for its
/// width.
pub fn cdx_fields(header: Option<&str>, width: usize) -> Vec<String> {
    if let Some(h) = header {
        return h.split_whitespace().skip(1).map(str::to_string).collect();
    }
    let layout = match width {
        9 => "N b a m s k r V g",
        10 => "N b a m s k r M V g",
        _ => "N b a m s k r M S V g",
    };
    layout.split(' ').map(str::to_string).collect()
}

/// One CDX line with the given field letters.
pub fn cdx_line(line: &str, fields: &[String]) -> Result<Option<Entry>, String> {
    if line.trim().is_empty() || line.trim_start().starts_with("CDX") {
        return Ok(None);
    }
    let values: Vec<&str> = line.split_whitespace().collect();
    if values.len() != fields.len() {
        return Err(format!(
            "{} fields where the header names {}",
            values.len(),
            fields.len()
        ));
    }
    // the last field of a letter wins, except `a` (original URL), which wget writes twice
    let get = |letter: &str| {
        fields
            .iter()
            .position(|f| f == letter)
            .map(|i| values[i].to_string())
            .filter(|v| v != "-" || letter == "s" || letter == "k")
    };
    let url = get("a").ok_or("no original URL (a)")?;
    let ts = get("b").ok_or("no date (b)")?;
    let ts = timestamp14(&ts).ok_or_else(|| format!("bad date {ts:?}"))?;
    let mime = get("m").unwrap_or_else(|| "unk".into());
    let status = get("s").unwrap_or_else(|| "-".into());
    if status == "-" && mime != "warc/revisit" {
        return Ok(None);
    }
    let offset = get("V").ok_or("no offset (V)")?;
    offset
        .parse::<u64>()
        .map_err(|_| format!("bad offset {offset:?}"))?;
    let filename = get("g").ok_or("no file name (g)")?;
    Ok(Some(entry(
        url,
        ts,
        mime,
        status,
        &get("k").unwrap_or_else(|| "-".into()),
        Place {
            length: get("S").unwrap_or_default(),
            offset,
            filename,
        },
    )))
}

/// Every entry of an index's text, CDXJ or CDX (told apart by the first line). Bad lines are
/// reported by number and skipped.
pub fn read(name: &str, text: &str) -> (Vec<Entry>, Vec<String>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let is_cdx = first.trim_start().starts_with("CDX")
        || (!first.contains('{') && first.split_whitespace().count() >= 9);
    let header = first.trim_start().starts_with("CDX").then_some(first);
    let mut fields: Option<Vec<String>> = None;
    for (n, line) in text.lines().enumerate() {
        let parsed = if is_cdx {
            let f =
                fields.get_or_insert_with(|| cdx_fields(header, line.split_whitespace().count()));
            cdx_line(line, f)
        } else {
            cdxj_line(line)
        };
        match parsed {
            Ok(Some(e)) => out.push(e),
            Ok(None) => {}
            Err(m) => {
                if problems.len() < 20 {
                    problems.push(format!("{name}:{}: {m}; line skipped", n + 1));
                } else if problems.len() == 20 {
                    problems.push(format!("{name}: more bad lines not listed"));
                }
            }
        }
    }
    (out, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdxj_as_pywb_and_py_wacz_write_it() {
        let l = r#"com,example)/a 20240502100000 {"url": "https://www.example.com/a", "mime": "text/html", "status": "200", "digest": "VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N", "length": "512", "offset": "1024", "filename": "crawl.warc.gz"}"#;
        let e = cdxj_line(l).unwrap().unwrap();
        assert_eq!(e.surt, surt("https://www.example.com/a"));
        assert_eq!(e.digest, "sha1:aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
        assert_eq!((e.offset(), e.filename.as_str()), (1024, "crawl.warc.gz"));
        // numbers where strings are usual; 17-digit timestamps
        let l = r#"com,example)/a 20240502100000123 {"url": "https://example.com/a", "status": 200, "offset": 5, "length": 9, "filename": "x.warc"}"#;
        let e = cdxj_line(l).unwrap().unwrap();
        assert_eq!(
            (e.timestamp.as_str(), e.status.as_str(), e.offset.as_str()),
            ("20240502100000", "200", "5")
        );
        // a request record, a POST, a comment: no capture
        assert!(cdxj_line(r#"com,example)/a 20240502100000 {"url": "https://example.com/a", "mime": "-", "offset": "0", "filename": "x"}"#).unwrap().is_none());
        assert!(cdxj_line(r#"com,example)/a 20240502100000 {"url": "https://example.com/a", "status": "200", "method": "POST", "offset": "0", "filename": "x"}"#).unwrap().is_none());
        assert!(cdxj_line("!meta 0 {}").unwrap().is_none());
        assert!(cdxj_line("com,example)/a 2024 {}").is_err());
        assert!(cdxj_line(
            r#"k 20240502100000 {"url": "u", "status": "200", "offset": "x", "filename": "f"}"#
        )
        .is_err());
    }

    #[test]
    fn cdx_as_wget_and_heritrix_write_it() {
        let wget = " CDX a b a m s k r M V g\nhttp://a.example/ 20240502100000 http://a.example/ text/html 200 VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N - - 318 out.warc.gz\n";
        let (e, p) = read("out.cdx", wget);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(e.len(), 1);
        assert_eq!(
            (e[0].url.as_str(), e[0].offset(), e[0].status.as_str()),
            ("http://a.example/", 318, "200")
        );
        // no header, 11 fields; a revisit without status kept, a line without status dropped
        let heritrix = "example,a)/ 20240502100000 http://a.example/ text/html 200 VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N - - 900 0 h.warc.gz\n\
                        example,a)/ 20240602100000 http://a.example/ warc/revisit - VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N - - 300 900 h.warc.gz\n\
                        example,a)/robots.txt 20240502100000 http://a.example/robots.txt unk - - - - 1 2 h.warc.gz\n\
                        broken line\n";
        let (e, p) = read("h.cdx", heritrix);
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].status, "-");
        assert_eq!(e[1].length, "300");
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("h.cdx:4:"), "{p:?}");
    }
}
