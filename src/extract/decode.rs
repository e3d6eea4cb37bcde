//! Bytes to text: content-encoding (gzip, deflate, brotli) with a cap on the decompressed size,
//! then the charset from the HTTP header, a BOM, `<meta charset>`, or detection.

use encoding_rs::Encoding;
use std::borrow::Cow;
use std::io::Read;

/// Decompressed bytes kept at most; a gzip bomb stops here and is reported as truncated.
pub const MAX_DECODED: u64 = 64 * 1024 * 1024;

/// Undo Content-Encoding. Returns the bytes and whether the cap cut them; a body that is not
/// encoded (most pages) is borrowed, not copied.
pub fn content_decode<'a>(
    body: &'a [u8],
    encoding: Option<&str>,
) -> Result<(Cow<'a, [u8]>, bool), String> {
    let enc = encoding.unwrap_or("").trim().to_ascii_lowercase();
    let mut out = Vec::new();
    let reader: Box<dyn Read + '_> = match enc.as_str() {
        "" | "identity" => return Ok((Cow::Borrowed(body), false)),
        "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(body)),
        "deflate" => {
            // servers send zlib-wrapped or raw deflate; try zlib first
            if body.len() >= 2
                && body[0] & 0x0f == 8
                && (u16::from(body[0]) << 8 | u16::from(body[1])) % 31 == 0
            {
                Box::new(flate2::read::ZlibDecoder::new(body))
            } else {
                Box::new(flate2::read::DeflateDecoder::new(body))
            }
        }
        "br" => Box::new(brotli_decompressor::Decompressor::new(body, 4096)),
        other => return Err(format!("unknown content-encoding {other:?}")),
    };
    let res = reader.take(MAX_DECODED + 1).read_to_end(&mut out);
    if let Err(e) = res {
        if out.is_empty() {
            return Err(format!("{enc} body does not decode: {e}"));
        }
    }
    let cut = out.len() as u64 > MAX_DECODED;
    out.truncate(MAX_DECODED as usize);
    Ok((Cow::Owned(out), cut))
}

fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
    })
}

/// `<meta charset=...>` or `<meta http-equiv=content-type content="...charset=...">` in the
/// first 4 KiB.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let n = head.len().min(4096);
    let s = String::from_utf8_lossy(&head[..n]).to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = s[from..].find("charset") {
        let at = from + p + 7;
        let rest = s[at..].trim_start();
        if let Some(v) = rest.strip_prefix('=') {
            let v = v.trim_start().trim_start_matches(['"', '\'']);
            let end = v
                .find(|c: char| {
                    !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':' || c == '.')
                })
                .unwrap_or(v.len());
            if let Some(e) = Encoding::for_label(&v.as_bytes()[..end]) {
                // a page that claims UTF-16 in a meta tag is ASCII-compatible: treat as UTF-8
                return Some(
                    if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                        encoding_rs::UTF_8
                    } else {
                        e
                    },
                );
            }
        }
        from = at;
    }
    None
}

/// Decode text: header charset, BOM, meta, then detection. Returns text and the encoding used;
/// bytes that are the text already (undeclared or declared UTF-8 without a BOM) are borrowed,
/// not copied.
pub fn to_text<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    html: bool,
) -> (Cow<'a, str>, &'static str) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (t, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (t, enc.name());
    }
    let declared = content_type
        .and_then(charset_param)
        .and_then(|c| Encoding::for_label(c.as_bytes()))
        .or_else(|| if html { meta_charset(bytes) } else { None });
    let enc = match declared {
        Some(e) => e,
        None => {
            if let Ok(text) = std::str::from_utf8(bytes) {
                return (Cow::Borrowed(text), encoding_rs::UTF_8.name());
            } else {
                let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                det.feed(
                    &bytes[..bytes.len().min(256 * 1024)],
                    bytes.len() <= 256 * 1024,
                );
                det.guess(None, chardetng::Utf8Detection::Allow)
            }
        }
    };
    let (t, _, _) = enc.decode(bytes);
    (t, enc.name())
}

/// Does `s` hold an HTML tag (`<p>`, `</div>`, `<br/>`)?
fn has_tag(s: &str) -> bool {
    s.match_indices('<').any(|(i, _)| {
        let rest = &s.as_bytes()[i + 1..];
        let rest = rest.strip_prefix(b"/").unwrap_or(rest);
        rest.first().is_some_and(u8::is_ascii_alphabetic)
    })
}

/// A JSON-LD `articleBody` made ready to read: publishers put plain text in it, or HTML, or
/// entity-escaped HTML (`&lt;p&gt;`) that would leak its tags if only unescaped once.
/// Returns the string and whether it is markup (to be parsed as HTML, which decodes the
/// entities left inside it).
pub fn article_body(body: &str) -> (String, bool) {
    if has_tag(body) {
        return (body.to_string(), true);
    }
    let unescaped = crate::html::decode_entities(body);
    let markup = has_tag(&unescaped) && body.contains("&lt;");
    (unescaped, markup)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn gzip_and_bomb_cap() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"hello").unwrap();
        let member = gz.finish().unwrap();
        let (t, cut) = content_decode(&member, Some("gzip")).unwrap();
        assert_eq!((&*t, cut), (&b"hello"[..], false));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..80 {
            gz.write_all(&zeros).unwrap();
        }
        let bomb = gz.finish().unwrap();
        assert!(bomb.len() < 200_000);
        let (t, cut) = content_decode(&bomb, Some("gzip")).unwrap();
        assert!(cut && t.len() as u64 == MAX_DECODED);
        assert!(content_decode(b"not gzip", Some("gzip")).is_err());
    }

    #[test]
    fn charsets() {
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Доклад Хрущёва");
        let page = [
            b"<html><head><meta charset=\"windows-1251\"></head><body>".to_vec(),
            cp1251.to_vec(),
        ]
        .concat();
        assert!(to_text(&page, Some("text/html"), true)
            .0
            .contains("Доклад Хрущёва"));
        let (sjis, _, _) =
            encoding_rs::SHIFT_JIS.encode("秘密報告はフルシチョフが行った演説である。");
        assert!(to_text(&sjis, Some("text/html; charset=Shift_JIS"), true)
            .0
            .contains("フルシチョフ"));
        // no declaration: detected
        let long = "Секретный доклад был прочитан на закрытом заседании съезда партии. ".repeat(20);
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&long);
        assert!(to_text(&bytes, None, false)
            .0
            .contains("закрытом заседании"));
    }

    #[test]
    fn article_body_markup_is_unescaped_before_parsing() {
        let (s, markup) = article_body(
            "&lt;p&gt;The delegates met at night.&lt;/p&gt;&lt;p&gt;AT&amp;amp;T paid.&lt;/p&gt;",
        );
        assert!(markup);
        assert_eq!(s, "<p>The delegates met at night.</p><p>AT&amp;T paid.</p>");
        assert_eq!(
            article_body("<p>Plain markup</p>"),
            ("<p>Plain markup</p>".to_string(), true)
        );
        assert_eq!(
            article_body("Tom &amp; Jerry, 3 &lt; 4"),
            ("Tom & Jerry, 3 < 4".to_string(), false)
        );
    }
}
