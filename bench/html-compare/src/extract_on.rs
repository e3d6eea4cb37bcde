//! ibid's text extraction run on a tree built by either parser.
//!
//! The main-content code is ibid's own file, compiled here unchanged (`#[path]`), so it scores
//! and renders html5ever's tree exactly as it does ibid's. The few decisions `from_html` makes
//! around it (a long JSON-LD `articleBody` wins; a main text under 100 bytes falls back to the
//! whole text) are repeated in `texts`; `check_against_ibid` proves the repetition faithful by
//! running it on ibid's tree and comparing with `ibid::extract::from_html` page by page.

pub use ibid::extract::{Block, BlockKind, Tuning};
use ibid::html::Document;

#[path = "../../../src/extract/main_content.rs"]
#[allow(dead_code)]
mod main_content;

/// Main text and whole text, as `ibid::extract::from_html` computes them, on `doc`.
/// `script_text(id)` is the raw text of a `<script>` element; `parse` builds a tree for markup
/// found inside a JSON-LD `articleBody` (the same parser as `doc`'s).
pub fn texts(
    doc: &Document,
    script_text: &dyn Fn(usize) -> Option<String>,
    parse: &dyn Fn(&str) -> Document,
) -> (String, String) {
    let whole = main_content::whole_text(doc);
    let (mut text, _) = main_content::main_text(doc, &Tuning::default());
    if let Some(body) = json_ld_body(doc, script_text) {
        let body = match ibid::extract::decode::article_body(&body) {
            (markup, true) => main_content::whole_text(&parse(&markup)),
            (text, false) => text,
        };
        if body.len() as f32 > text.len() as f32 * 0.6 {
            text = ibid::extract::plain(&body, "html").text;
        }
    }
    if text.trim().len() < 100 && whole.trim().len() > text.trim().len() {
        text = ibid::extract::plain(&whole, "html").text;
    }
    (text, whole)
}

/// The first JSON-LD `articleBody` longer than 500 bytes (in an object, array or `@graph`).
fn json_ld_body(doc: &Document, script_text: &dyn Fn(usize) -> Option<String>) -> Option<String> {
    for s in doc.elements("script") {
        let is_ld = doc
            .node(s)
            .attr("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let Some(raw) = script_text(s) else { continue };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw.trim()) else {
            continue;
        };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(a) => stack.extend(a),
                serde_json::Value::Object(o) => {
                    if let Some(b) = o.get("articleBody").and_then(|b| b.as_str()) {
                        if b.len() > 500 {
                            return Some(b.to_string());
                        }
                    }
                    if let Some(g) = o.get("@graph") {
                        stack.push(g.clone());
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// A script's raw text in ibid's tree: ibid keeps none, so it is read from the source by the
/// element's offset, as `from_html` does.
pub fn ibid_script_text(doc: &Document, src: &str, id: usize) -> Option<String> {
    let start = doc.node(id).start;
    let open_end = src[start..].find('>').map(|p| start + p + 1)?;
    let close = src[open_end..]
        .to_ascii_lowercase()
        .find("</script")
        .map(|p| open_end + p)?;
    Some(src[open_end..close].to_string())
}

/// A script's raw text in html5ever's tree: its text children.
pub fn tree_script_text(doc: &Document, id: usize) -> Option<String> {
    Some(doc.text_of(id))
}

/// Does `texts` on ibid's own tree give what `ibid::extract::from_html` gives? Returns the
/// ids of the pages where it does not (expected: none).
pub fn check_against_ibid(pages: &[crate::pages::Page]) -> Vec<String> {
    pages
        .iter()
        .filter(|p| {
            let doc = ibid::html::parse(&p.text);
            let (text, whole) = texts(&doc, &|id| ibid_script_text(&doc, &p.text, id), &|s| {
                ibid::html::parse(s)
            });
            let real = ibid::extract::from_html(&p.text);
            text != real.text || whole != real.whole
        })
        .map(|p| p.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_ibid_tree(src: &str) -> (String, String) {
        let doc = ibid::html::parse(src);
        texts(&doc, &|id| ibid_script_text(&doc, src, id), &|s| {
            ibid::html::parse(s)
        })
    }

    #[test]
    fn repeats_from_html_on_json_ld_and_short_pages() {
        let body = "The delegates were called back for a closed session, and the report went on for hours. ".repeat(8);
        let ld = format!(
            "<html><head><script type=\"application/ld+json\">{{\"@graph\":[{{\"articleBody\":\"{body}\"}}]}}</script></head><body><div><p>Teaser only.</p></div></body></html>"
        );
        let short =
            "<html><body><div>Menu</div><p>Short.</p><span>Footer words here</span></body></html>";
        for src in [ld.as_str(), short] {
            let real = ibid::extract::from_html(src);
            assert_eq!(on_ibid_tree(src), (real.text, real.whole), "{src}");
        }
        assert!(on_ibid_tree(&ld).0.contains("closed session"));
    }
}
