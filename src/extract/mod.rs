//! A captured payload to the source's text: decoded, main content found, with block offsets so
//! evidence can be shown and highlighted.

pub mod decode;
mod main_content;
mod pdf;
pub mod published;
mod tuning;

pub use tuning::{Tuning, TuningError};

use crate::fetch::header;
use crate::html;
use serde::Serialize;

/// What element a block of source text came from, so a renderer can show a heading as a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    /// Running text (a `p`, `div` or section; every block of plain text and PDF).
    Paragraph,
    /// An `h1` to `h6`.
    Heading,
    /// An item of a list (`li`, `dd`, `dt`).
    ListItem,
    /// A table cell (`td`, `th`).
    TableCell,
    /// A figure or table caption.
    Caption,
    /// A block or inline quotation (`blockquote`, `q`).
    Quote,
}

/// A block of the text: `text[start..end]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// What the block came from.
    pub kind: BlockKind,
    /// Byte offset of the block's start in [`SourceText::text`].
    pub start: usize,
    /// Byte offset just past the block's end in [`SourceText::text`].
    pub end: usize,
}

/// A source's text as the checker reads it, with what the page says about itself.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceText {
    /// The page's title (`og:title`, `<title>`, or the first line of plain text).
    pub title: Option<String>,
    /// The author as the page's metadata names it (`author`, `article:author` ...); HTML only.
    pub byline: Option<String>,
    /// The day the page was published, as YYYY-MM-DD (see [`published`]).
    pub published: Option<String>,
    /// Language tag from `<html lang>` or metadata ("en", "en_US"), as the page gives it.
    pub language: Option<String>,
    /// The main content.
    pub text: String,
    /// The main content's blocks, in order; each is a span of `text`.
    pub blocks: Vec<Block>,
    /// All visible text of the page (HTML only), for claims that cite an infobox or caption.
    #[serde(skip)]
    pub whole: String,
    /// The kind of payload read: html, pdf, text.
    pub kind: &'static str,
    /// Decompression hit its cap: the text is a prefix of the source.
    pub truncated: bool,
}

/// Why a payload yielded no text; `ibid check` reports it as `source-not-text`.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum ExtractError {
    /// Not a text type ibid reads (image, audio, archive ...).
    #[error("not text: {0}")]
    NotText(String),
    /// A text type that could not be read (broken PDF, bad compression).
    #[error("unreadable: {0}")]
    Unreadable(String),
}

/// What the bytes are, from their first bytes, the Content-Type, then the URL.
fn sniff(bytes: &[u8], content_type: Option<&str>, url: &str) -> &'static str {
    let head: Vec<u8> = bytes
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xef || **b == 0xbb || **b == 0xbf)
        .take(512)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if bytes.starts_with(b"%PDF-") || head.starts_with(b"%pdf-") {
        return "pdf";
    }
    for (magic, kind) in [
        (&b"\x89PNG"[..], "image"),
        (b"\xff\xd8\xff", "image"),
        (b"GIF8", "image"),
        (b"RIFF", "media"),
        (b"PK\x03\x04", "archive"),
        (b"\x1f\x8b", "archive"),
        (b"OggS", "media"),
        (b"ID3", "media"),
    ] {
        if bytes.starts_with(magic) {
            return kind;
        }
    }
    if head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || head.starts_with(b"<head")
        || head.starts_with(b"<body")
        || (head.starts_with(b"<")
            && head
                .windows(5)
                .any(|w| w == b"<body" || w == b"<div " || w == b"<p>"))
    {
        return "html";
    }
    let mime = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" => return "html",
        "application/pdf" => return "pdf",
        m if m.starts_with("text/")
            || m == "application/json"
            || m.ends_with("+json")
            || m == "application/xml"
            || m.ends_with("+xml") =>
        {
            return "text"
        }
        m if m.starts_with("image/")
            || m.starts_with("video/")
            || m.starts_with("audio/")
            || m == "application/zip"
            || m == "application/octet-stream" && bytes.iter().take(512).any(|&b| b == 0) =>
        {
            return "binary"
        }
        _ => {}
    }
    let lower = url.to_ascii_lowercase();
    if lower.ends_with(".pdf") {
        return "pdf";
    }
    if bytes.iter().take(4096).filter(|&&b| b == 0).count() > 0 {
        return "binary";
    }
    "text"
}

/// Extract the text of a payload served with these HTTP headers.
pub fn extract(
    payload: &[u8],
    headers: &[(String, String)],
    url: &str,
) -> Result<SourceText, ExtractError> {
    let (bytes, cut) = decode::content_decode(payload, header(headers, "content-encoding"))
        .map_err(ExtractError::Unreadable)?;
    let ct = header(headers, "content-type");
    let mut st = match sniff(&bytes, ct, url) {
        "html" => {
            let (text, _) = decode::to_text(&bytes, ct, true);
            from_html(&text)
        }
        "pdf" => {
            let text = pdf::text(&bytes).map_err(ExtractError::Unreadable)?;
            plain(&text, "pdf")
        }
        "text" => {
            let (text, _) = decode::to_text(&bytes, ct, false);
            plain(&text, "text")
        }
        other => {
            let mime = ct.map(str::to_string).unwrap_or_else(|| other.to_string());
            return Err(ExtractError::NotText(mime));
        }
    };
    st.truncated = cut;
    Ok(st)
}

/// Plain text: paragraphs at blank lines (or at every line when there are none).
pub fn plain(text: &str, kind: &'static str) -> SourceText {
    let text = text.replace("\r\n", "\n").replace('\u{c}', "\n\n");
    let mut blocks = Vec::new();
    let sep = if text.contains("\n\n") { "\n\n" } else { "\n" };
    let mut off = 0;
    for para in text.split(sep) {
        let lead = para.len() - para.trim_start().len();
        let t = para.trim();
        if !t.is_empty() {
            blocks.push(Block {
                kind: BlockKind::Paragraph,
                start: off + lead,
                end: off + lead + t.len(),
            });
        }
        off += para.len() + sep.len();
    }
    let title = blocks.first().map(|b| {
        text[b.start..b.end]
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(200)
            .collect()
    });
    SourceText {
        title,
        text: text.clone(),
        whole: String::new(),
        blocks,
        kind,
        ..Default::default()
    }
}

fn meta(doc: &html::Document, keys: &[&str]) -> Option<String> {
    for m in doc.elements("meta") {
        let n = doc.node(m);
        let k = n
            .attr("property")
            .or_else(|| n.attr("name"))
            .or_else(|| n.attr("itemprop"))
            .unwrap_or("");
        // the keys are lowercase: compared without lowercasing a copy
        if keys.iter().any(|key| key.eq_ignore_ascii_case(k)) {
            if let Some(c) = n.attr("content").map(str::trim).filter(|c| !c.is_empty()) {
                return Some(c.to_string());
            }
        }
    }
    None
}

/// Byte offset of ASCII `needle` in `hay`, ignoring ASCII case.
fn find_ignore_case(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
}

/// The page's JSON-LD blocks, parsed (those that are not JSON are skipped).
fn json_ld_blocks(doc: &html::Document, src: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for s in doc.elements("script") {
        let n = doc.node(s);
        if n.attr("type")
            .map(|t| t.eq_ignore_ascii_case("application/ld+json"))
            != Some(true)
        {
            continue;
        }
        // raw text is not kept for scripts: find it in the source
        let start = n.start;
        let Some(open_end) = src[start..].find('>').map(|p| start + p + 1) else {
            break;
        };
        let Some(close) = find_ignore_case(&src[open_end..], "</script").map(|p| open_end + p)
        else {
            break;
        };
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(src[open_end..close].trim()) {
            out.push(v);
        }
    }
    out
}

/// The JSON-LD object with an `articleBody`, when present.
fn json_ld(blocks: &[serde_json::Value]) -> Option<serde_json::Value> {
    let mut stack: Vec<&serde_json::Value> = blocks.iter().collect();
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Array(a) => stack.extend(a),
            serde_json::Value::Object(o) => {
                if o.get("articleBody")
                    .and_then(|b| b.as_str())
                    .is_some_and(|b| b.len() > 500)
                {
                    return Some(v.clone());
                }
                if let Some(g) = o.get("@graph") {
                    stack.push(g);
                }
            }
            _ => {}
        }
    }
    None
}

/// Extract the title, metadata and main content of an HTML page, with the default tuning.
pub fn from_html(src: &str) -> SourceText {
    from_html_with(src, &Tuning::default())
}

/// [`from_html`] with other constants (for the evaluation that chooses them).
pub fn from_html_with(src: &str, tuning: &Tuning) -> SourceText {
    let doc = html::parse(src);
    let title = meta(&doc, &["og:title", "twitter:title"])
        .or_else(|| {
            doc.elements("title").next().map(|t| {
                doc.text_of(t)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        })
        .filter(|t| !t.is_empty());
    let byline = meta(
        &doc,
        &[
            "author",
            "article:author",
            "byl",
            "parsely-author",
            "dc.creator",
        ],
    );
    let ld = json_ld_blocks(&doc, src);
    let published = published::from_html(&doc, &ld);
    let language = doc
        .elements("html")
        .next()
        .and_then(|h| doc.node(h).attr("lang").map(str::to_string))
        .or_else(|| meta(&doc, &["og:locale", "language", "content-language"]));
    let whole = main_content::whole_text(&doc);
    let (mut text, mut blocks) = main_content::main_text(&doc, tuning);
    if let Some(ld) = json_ld(&ld) {
        let body = ld.get("articleBody").and_then(|b| b.as_str()).unwrap_or("");
        let body = match decode::article_body(body) {
            (markup, true) => main_content::whole_text(&html::parse(&markup)),
            (text, false) => text,
        };
        if body.len() as f32 > text.len() as f32 * 0.6 {
            let st = plain(&body, "html");
            text = st.text;
            blocks = st.blocks;
        }
    }
    if text.trim().len() < 100 && whole.trim().len() > text.trim().len() {
        let st = plain(&whole, "html");
        text = st.text;
        blocks = st.blocks;
    }
    SourceText {
        title,
        byline,
        published,
        language,
        text,
        blocks,
        whole,
        kind: "html",
        truncated: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!("<!doctype html><html lang=\"en\"><head><title>T</title></head><body>{body}</body></html>")
    }

    const ARTICLE: &str = "<p>The congress opened in the Great Kremlin Palace in the middle of February, with more than a thousand delegates present from every republic.</p><p>On the last night the delegates were called back for a closed session, where the First Secretary spoke for about four hours.</p><p>No questions were taken, and the hall emptied in silence; several listeners later said they had been shaken.</p>";

    #[test]
    fn drops_boilerplate_keeps_article() {
        let src = page(&format!("<nav><a href=/>Home</a> <a href=/news>News</a></nav><div class=\"cookie-banner\">We use cookies to improve your experience, accept all cookies.</div><div id=\"main\"><article>{ARTICLE}</article></div><div class=\"share-bar\"><a href=#>Share on social media platforms now please</a></div><aside>Related: other stories you might like to read, with many words here.</aside><footer>Copyright notice and contact details of the publisher.</footer>"));
        let st = from_html(&src);
        assert!(st.text.contains("closed session"));
        assert!(st.text.contains("hall emptied"));
        for junk in ["cookies", "Share on", "Related", "Copyright", "Home"] {
            assert!(!st.text.contains(junk), "{junk} kept: {}", st.text);
        }
        assert!(st.whole.contains("Copyright"));
        assert_eq!(st.language.as_deref(), Some("en"));
        assert_eq!(st.blocks.len(), 3);
        assert!(st.text[st.blocks[1].start..st.blocks[1].end].starts_with("On the last night"));
    }

    #[test]
    fn article_in_a_table_and_without_markup() {
        let src = page(&format!("<table><tr><td class=nav><a href=/a>A</a><br><a href=/b>B</a></td><td>{ARTICLE}</td></tr></table>"));
        assert!(from_html(&src).text.contains("closed session"));
        let bare = page("<div>Menu | Login</div><div>The congress opened in the Great Kremlin Palace in the middle of February, with more than a thousand delegates present.<br><br>On the last night the delegates were called back for a closed session, where the First Secretary spoke for hours, and nobody asked anything.</div>");
        assert!(from_html(&bare).text.contains("closed session"));
    }

    #[test]
    fn empty_and_broken_pages() {
        assert_eq!(from_html("").text, "");
        let st = from_html("<html><body><p>Unclosed <b>bold <i>italic text that goes on, and on, and on for a while to be long enough to count.<div>more");
        assert!(st.text.contains("italic text"));
    }

    #[test]
    fn noscript_article_and_windows_1251_page() {
        // a script-rendered site whose article only exists inside <noscript>
        let src = page("<div id=app></div><noscript><p>The congress opened in the Great Kremlin Palace in the middle of February, with more than a thousand delegates present from every republic of the union.</p></noscript>");
        assert!(from_html(&src).text.contains("Great Kremlin Palace"));
        let (body, _, _) = encoding_rs::WINDOWS_1251.encode("<html><head><meta charset=windows-1251></head><body><article><p>Доклад был прочитан на закрытом заседании съезда, и вопросов после него не задавали.</p></article></body></html>");
        let st = extract(
            &body,
            &[("Content-Type".into(), "text/html".into())],
            "http://x/",
        )
        .unwrap();
        assert!(st.text.contains("закрытом заседании"), "{}", st.text);
    }

    #[test]
    fn a_large_page_is_read_whole() {
        // speed is measured by `examples/limits.rs` (50 MB); here only that a big page is read
        // whole and cleanly, with a bound that only a hang or a quadratic step would reach
        let mut body = String::from("<html><body><nav><a href=/>Home</a></nav><article>");
        while body.len() < 5_000_000 {
            body.push_str("<p>The delegates returned to the hall for a closed session, and the report went on for hours.</p>\n");
        }
        body.push_str("</article></body></html>");
        let t = std::time::Instant::now();
        let st = from_html(&body);
        assert!(st.text.len() > 4_000_000);
        assert!(!st.text.contains("Home"));
        assert!(t.elapsed().as_secs() < 120, "took {:?}", t.elapsed());
    }

    #[test]
    fn types_are_sniffed() {
        let h = vec![("Content-Type".to_string(), "image/png".to_string())];
        assert!(matches!(
            extract(b"\x89PNG\r\n\x1a\n....", &h, "http://x/a.png"),
            Err(ExtractError::NotText(_))
        ));
        let st = extract(b"Line one.\n\nLine two.", &[], "http://x/a.txt").unwrap();
        assert_eq!(st.blocks.len(), 2);
        assert!(matches!(
            extract(b"%PDF-1.4 broken", &[], "http://x/a.pdf"),
            Err(ExtractError::Unreadable(_))
        ));
    }
}
