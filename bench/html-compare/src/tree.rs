//! One tree type for both parsers: scraper's tree is copied into ibid's `html::Document`, so the
//! text walk, the word chains and ibid's own extractor code see the two trees through the same
//! code, and every difference measured comes from tree building alone.

use html5ever::driver::{self, ParseOpts};
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use ibid::html::{Document, Node, NodeKind};
use scraper::{Html, HtmlTreeSink};
use std::borrow::Cow;

/// How html5ever treats `<noscript>`: the one tree-building option that changes text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scripting {
    /// `scraper::Html::parse_document`: scripting on, a `<noscript>`'s content is one text node
    /// holding its markup (what a browser running scripts builds).
    On,
    /// Scripting off: a `<noscript>`'s content is parsed as markup (what a browser without
    /// scripts builds, and what ibid's parser does).
    Off,
}

impl Scripting {
    pub fn from_arg(s: &str) -> Result<Scripting, String> {
        match s {
            "scripting-on" => Ok(Scripting::On),
            "scripting-off" => Ok(Scripting::Off),
            other => Err(format!(
                "MODE must be scripting-on or scripting-off, got {other:?}"
            )),
        }
    }
}

/// Parse a document with html5ever through scraper's tree sink.
pub fn parse_h5e(src: &str, scripting: Scripting) -> Html {
    match scripting {
        Scripting::On => Html::parse_document(src),
        Scripting::Off => {
            let opts = ParseOpts {
                tree_builder: TreeBuilderOpts {
                    scripting_enabled: false,
                    ..Default::default()
                },
                ..Default::default()
            };
            driver::parse_document(HtmlTreeSink::new(Html::new_document()), opts).one(src)
        }
    }
}

/// Elements whose content is never shown: the walk skips them and all below.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "head", "title"];

/// Elements that start and end a line of visible text.
const BLOCK: &[&str] = &[
    "html",
    "body",
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "address",
    "center",
    "details",
    "summary",
    "form",
    "fieldset",
    "hr",
    "br",
    "option",
];

/// Containers that main-content scoring treats as a paragraph or scores as a parent; a word's
/// nearest one of these is the unit it is counted in.
const CONTAINERS: &[&str] = &[
    "p",
    "pre",
    "td",
    "th",
    "blockquote",
    "li",
    "dd",
    "dt",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "body",
];

/// Copy scraper's tree into ibid's node vector: elements with their attributes, text nodes;
/// comments, doctypes and processing instructions dropped (ibid drops them too), and a
/// template's content fragment dropped (inert in both). Text offsets are 0: html5ever keeps none.
pub fn from_scraper(html: &Html) -> Document<'static> {
    let mut nodes = vec![Node {
        kind: NodeKind::Document,
        parent: 0,
        start: 0,
        subtree_end: 1,
    }];
    // (scraper node, ibid parent id), depth first, without recursion: ids in document order
    let mut stack: Vec<_> = html.tree.root().children().rev().map(|c| (c, 0)).collect();
    while let Some((node, parent)) = stack.pop() {
        let kind = match node.value() {
            scraper::Node::Element(e) => NodeKind::Element {
                name: Cow::Owned(e.name().to_string()),
                attrs: e
                    .attrs()
                    .map(|(k, v)| (Cow::Owned(k.to_string()), Cow::Owned(v.to_string())))
                    .collect(),
            },
            scraper::Node::Text(t) => NodeKind::Text {
                text: Cow::Owned(t.to_string()),
                start: 0,
                end: 0,
            },
            _ => continue,
        };
        let id = nodes.len();
        nodes.push(Node {
            kind,
            parent,
            start: 0,
            subtree_end: id + 1,
        });
        stack.extend(node.children().rev().map(|c| (c, id)));
    }
    // each subtree ends where its last descendant does (children have larger ids)
    for id in (1..nodes.len()).rev() {
        let p = nodes[id].parent;
        nodes[p].subtree_end = nodes[p].subtree_end.max(nodes[id].subtree_end);
    }
    Document { nodes }
}

/// Is this element one whose content is not shown?
fn hidden(n: &Node) -> bool {
    n.name().is_some_and(|t| HIDDEN.contains(&t))
}

/// The visible text: hidden elements skipped, block elements as line breaks, whitespace
/// collapsed, one line per block, empty lines dropped.
pub fn visible_text(doc: &Document) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let flush = |out: &mut String, line: &mut String| {
        let t = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            out.push_str(&t);
            out.push('\n');
        }
        line.clear();
    };
    // (node, entering?)
    let mut stack = vec![(0usize, true)];
    while let Some((id, enter)) = stack.pop() {
        let node = &doc.nodes[id];
        let block = node.name().is_some_and(|t| BLOCK.contains(&t));
        if !enter {
            if block {
                flush(&mut out, &mut line);
            }
            continue;
        }
        match &node.kind {
            NodeKind::Text { text, .. } => line.push_str(text),
            _ if hidden(node) => {}
            _ => {
                if block {
                    flush(&mut out, &mut line);
                }
                stack.push((id, false));
                let first = stack.len();
                stack.extend(doc.children(id).map(|c| (c, true)));
                stack[first..].reverse();
            }
        }
    }
    flush(&mut out, &mut line);
    out
}

/// One visible word and where the tree puts it.
pub struct PlacedWord {
    pub word: String,
    /// The nearest scoring container (`p`, `li`, `td`, `div` ...), `-` for none.
    pub container: String,
    /// The five nearest element ancestors, innermost first, as `tag.class#id`: main-content
    /// scoring credits a paragraph's score to exactly these five.
    pub chain: String,
}

/// `tag.class#id` of an element: what the extractor's scoring reads from it.
fn label(n: &Node) -> String {
    let mut s = n.name().unwrap_or("").to_string();
    if let Some(c) = n.attr("class").filter(|c| !c.trim().is_empty()) {
        s.push('.');
        s.push_str(&c.split_whitespace().collect::<Vec<_>>().join("."));
    }
    if let Some(i) = n.attr("id").filter(|i| !i.is_empty()) {
        s.push('#');
        s.push_str(i);
    }
    s
}

/// Container and ancestor chain of the text node `id`.
fn placement(doc: &Document, id: usize) -> (String, String) {
    let mut chain = Vec::new();
    let mut container = None;
    let mut p = doc.nodes[id].parent;
    while p != 0 {
        let n = &doc.nodes[p];
        if container.is_none() && n.name().is_some_and(|t| CONTAINERS.contains(&t)) {
            container = n.name().map(str::to_string);
        }
        if chain.len() < 5 {
            chain.push(label(n));
        }
        if container.is_some() && chain.len() >= 5 {
            break;
        }
        p = n.parent;
    }
    (container.unwrap_or_else(|| "-".into()), chain.join(" < "))
}

/// Every visible word in document order with its placement.
pub fn placed_words(doc: &Document) -> Vec<PlacedWord> {
    let mut out = Vec::new();
    let mut stack = vec![0usize];
    while let Some(id) = stack.pop() {
        let node = &doc.nodes[id];
        match &node.kind {
            NodeKind::Text { text, .. } => {
                if text.trim().is_empty() {
                    continue;
                }
                let (container, chain) = placement(doc, id);
                for w in text.split_whitespace() {
                    out.push(PlacedWord {
                        word: w.to_string(),
                        container: container.clone(),
                        chain: chain.clone(),
                    });
                }
            }
            _ if hidden(node) => {}
            _ => {
                let first = stack.len();
                stack.extend(doc.children(id));
                stack[first..].reverse();
            }
        }
    }
    out
}

/// Deepest element nesting in the tree.
pub fn max_depth(doc: &Document) -> usize {
    let mut depth = vec![0usize; doc.nodes.len()];
    let mut max = 0;
    for id in 1..doc.nodes.len() {
        depth[id] = depth[doc.nodes[id].parent] + 1;
        max = max.max(depth[id]);
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_markup_gives_same_text_from_both_trees() {
        let src = "<!doctype html><html><head><title>T</title></head><body><h1>Head</h1><p>One <b>two</b></p><ul><li>three</li></ul><script>x</script></body></html>";
        let a = visible_text(&ibid::html::parse(src));
        let b = visible_text(&from_scraper(&Html::parse_document(src)));
        assert_eq!(a, "Head\nOne two\nthree\n");
        assert_eq!(a, b);
    }

    #[test]
    fn unclosed_p_before_div_places_words_apart() {
        // both close the <p> at <div>: the words land in the same containers
        let src = "<body><p>alpha<div>beta</div></body>";
        let a = placed_words(&ibid::html::parse(src));
        let b = placed_words(&from_scraper(&Html::parse_document(src)));
        assert_eq!(a[1].container, "div");
        assert_eq!(b[1].container, "div");
        assert_eq!(a[0].container, "p");
    }
}
