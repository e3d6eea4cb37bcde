//! HTML articles: generic footnote links (`<sup><a href="#fn1">`, `a[role=doc-noteref]`),
//! rendered Wikipedia (`sup.reference`, `ol.references`) and Parsoid (`sup.mw-ref`,
//! `ol.mw-references`).

use super::{add_url, bare_urls, Flat, Parsed, Reference};
use crate::html::{self, Document, Node, NodeKind};
use std::collections::{HashMap, HashSet};

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "td",
    "th",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figcaption",
    "caption",
    "dd",
    "dt",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "ul",
    "ol",
    "dl",
    "pre",
    "br",
    "hr",
    "figure",
    "main",
    "aside",
];

fn skipped(n: &Node) -> bool {
    match n.name() {
        Some(
            "script" | "style" | "head" | "template" | "nav" | "noscript" | "math" | "svg"
            | "button" | "form",
        ) => true,
        Some(_) => {
            n.has_class("references")
                || n.has_class("mw-references")
                || n.has_class("reflist")
                || n.has_class("refbegin")
                || n.has_class("footnotes")
                || n.has_class("mw-editsection")
                || n.has_class("navbox")
                || n.has_class("catlinks")
                || n.has_class("toc")
                || n.has_class("mw-cite-backlink")
                || n.attr("role") == Some("doc-endnotes")
                || n.attr("role") == Some("navigation")
                || n.attr("id") == Some("toc")
        }
        None => false,
    }
}

fn fragment(href: &str) -> Option<&str> {
    let f = &href[href.find('#')? + 1..];
    (!f.is_empty()).then_some(f)
}

/// If `id` is a footnote marker, the target ids it points at.
fn marker_targets(
    doc: &Document,
    id: usize,
    notes: &HashMap<String, usize>,
) -> Option<Vec<String>> {
    let n = doc.node(id);
    let is_sup = n.name() == Some("sup");
    let is_noteref = n.name() == Some("a")
        && (n.attr("role") == Some("doc-noteref") || n.has_class("footnote-ref"));
    if !is_sup && !is_noteref {
        return None;
    }
    let mut out = Vec::new();
    let anchors: Vec<usize> = if is_noteref {
        vec![id]
    } else {
        doc.descendants(id)
            .filter(|&d| doc.node(d).name() == Some("a"))
            .collect()
    };
    for a in anchors {
        if let Some(f) = doc.node(a).attr("href").and_then(fragment) {
            if notes.contains_key(f) {
                out.push(f.to_string());
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

fn clean_label(s: &str) -> String {
    s.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim()
        .to_string()
}

pub(crate) fn read(src: &str) -> Parsed {
    let doc = html::parse(src);
    // 1. the notes: list items with an id inside a references list, or any element a
    //    footnote link targets
    let mut ids: HashMap<String, usize> = HashMap::new();
    for i in doc.descendants(0) {
        if let Some(id) = doc.node(i).attr("id") {
            ids.entry(id.to_string()).or_insert(i);
        }
    }
    let mut notes: HashMap<String, usize> = HashMap::new();
    for i in doc.descendants(0) {
        let n = doc.node(i);
        if n.name() == Some("li") {
            if let Some(id) = n.attr("id") {
                if doc.ancestor_matches(n.parent, |p| {
                    p.has_class("references")
                        || p.has_class("mw-references")
                        || p.has_class("footnotes")
                        || p.attr("role") == Some("doc-endnotes")
                }) {
                    notes.insert(id.to_string(), i);
                }
            }
        }
        if n.name() == Some("sup")
            || n.attr("role") == Some("doc-noteref")
            || n.has_class("footnote-ref")
        {
            let anchors: Vec<usize> = std::iter::once(i)
                .chain(doc.descendants(i))
                .filter(|&d| doc.node(d).name() == Some("a"))
                .collect();
            for a in anchors {
                if let Some(f) = doc.node(a).attr("href").and_then(fragment) {
                    if let Some(&t) = ids.get(f) {
                        notes.entry(f.to_string()).or_insert(t);
                    }
                }
            }
        }
    }
    // 2. walk the body for text and markers
    let mut flat = Flat::default();
    let mut labels: HashMap<String, String> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut in_order: HashSet<String> = HashSet::new();
    let body = doc.elements("body").next().unwrap_or(0);
    // explicit stack of (node, entering)
    let mut stack: Vec<(usize, bool)> = doc
        .node(body)
        .children
        .iter()
        .rev()
        .map(|&c| (c, true))
        .collect();
    while let Some((id, entering)) = stack.pop() {
        let n = doc.node(id);
        if !entering {
            if n.name().is_some_and(|t| BLOCKS.contains(&t)) {
                flat.block();
            }
            continue;
        }
        match &n.kind {
            NodeKind::Text { text, start, end } => {
                let raw = &src[*start..*end];
                if **text == *raw {
                    flat.verbatim(raw, *start);
                } else {
                    flat.push_html(raw, *start);
                }
            }
            NodeKind::Element { name, .. } => {
                if notes.contains_key(n.attr("id").unwrap_or("")) && name.as_ref() != "sup" {
                    continue; // the note itself, outside a references list
                }
                if skipped(n) {
                    continue;
                }
                // page numbers after a footnote ({{rp|35}} renders as <sup>:35</sup>)
                if name.as_ref() == "sup" && doc.text_of(id).trim_start().starts_with(':') {
                    continue;
                }
                if let Some(targets) = marker_targets(&doc, id, &notes) {
                    let visible = clean_label(&doc.text_of(id));
                    for t in targets {
                        let label = labels
                            .entry(t.clone())
                            .or_insert_with(|| {
                                if visible.is_empty() || visible.len() > 24 {
                                    t.clone()
                                } else {
                                    visible.clone()
                                }
                            })
                            .clone();
                        if in_order.insert(t.clone()) {
                            order.push(t.clone());
                        }
                        flat.marker(label);
                    }
                    continue;
                }
                if BLOCKS.contains(&name.as_ref()) {
                    flat.block();
                }
                stack.push((id, false));
                stack.extend(n.children.iter().rev().map(|&c| (c, true)));
            }
            NodeKind::Document => {}
        }
    }
    // 3. references, in citation order, then the uncited ones in document order
    let mut references = Vec::new();
    let mut seen_labels = HashSet::new();
    let mut note_ids: Vec<(&String, &usize)> = notes.iter().collect();
    note_ids.sort_by_key(|(_, &node)| node);
    let uncited: Vec<String> = note_ids
        .iter()
        .filter(|(k, _)| !labels.contains_key(*k))
        .map(|(k, _)| (*k).clone())
        .collect();
    for (n, key) in order.iter().chain(uncited.iter()).enumerate() {
        let node = notes[key];
        let position = n + 1;
        let label = labels
            .get(key)
            .cloned()
            .unwrap_or_else(|| format!("{position}"));
        if !seen_labels.insert(label.clone()) {
            continue;
        }
        references.push(reference(&doc, node, label));
    }
    Parsed {
        flat,
        references,
        problems: vec![],
    }
}

fn reference(doc: &Document, node: usize, label: String) -> Reference {
    let mut r = Reference {
        label,
        ..Default::default()
    };
    let mut text = String::new();
    for d in doc.descendants(node) {
        let n = doc.node(d);
        if doc.ancestor_matches(d, |p| {
            p.has_class("mw-cite-backlink")
                || p.attr("rel") == Some("mw:referencedBy")
                || p.has_class("footnote-back")
                || p.attr("role") == Some("doc-backlink")
        }) {
            continue;
        }
        if let Some(t) = n.text() {
            text.push_str(t);
        }
        if n.name() == Some("a") {
            if let Some(h) = n.attr("href") {
                if h.starts_with("http://") || h.starts_with("https://") || h.starts_with("//") {
                    let h = if h.starts_with("//") {
                        format!("https:{h}")
                    } else {
                        h.to_string()
                    };
                    add_url(&mut r, &h);
                    let t = doc.text_of(d);
                    let t = t.trim().trim_matches(['"', '\u{201c}', '\u{201d}']);
                    if r.title.is_none()
                        && !t.is_empty()
                        && !t.starts_with("http")
                        && !t.eq_ignore_ascii_case("archived")
                        && !t.eq_ignore_ascii_case("archived from the original")
                    {
                        r.title = Some(t.to_string());
                    }
                }
            }
        }
        if n.name() == Some("q") && r.quote.is_none() {
            r.quote = Some(doc.text_of(d));
        }
    }
    r.text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if r.urls.is_empty() && r.archive_urls.is_empty() {
        for u in bare_urls(&r.text) {
            add_url(&mut r, &u);
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use crate::article::read_str;

    #[test]
    fn generic_footnotes() {
        let src = "<html><body><p>The report was read in 1956.<sup><a href=\"#fn1\">1</a></sup> It was long,<sup><a href=\"#fn2\">2</a></sup> but clear.</p>\
                   <section class=\"footnotes\"><ol><li id=\"fn1\"><a href=\"https://example.org/one\">One source</a> <a href=\"#ref1\">\u{21a9}</a></li><li id=\"fn2\">Two, https://example.org/two</li></ol></section></body></html>";
        let a = read_str("a.html", src, None);
        let c: Vec<_> = a
            .claims
            .iter()
            .map(|c| (c.text.as_str(), c.citations.clone()))
            .collect();
        assert_eq!(
            c,
            vec![
                ("The report was read in 1956.", vec!["1".to_string()]),
                ("It was long,", vec!["2".to_string()])
            ]
        );
        assert_eq!(
            &src[a.claims[0].location.start..a.claims[0].location.end],
            "The report was read in 1956."
        );
        assert_eq!(a.references.len(), 2);
        assert_eq!(a.references[0].urls, vec!["https://example.org/one"]);
        assert_eq!(a.references[0].title.as_deref(), Some("One source"));
        assert_eq!(a.references[1].urls, vec!["https://example.org/two"]);
    }

    #[test]
    fn wikipedia_and_parsoid_markup() {
        let src = "<body><p>Dogs bark.<sup id=\"cite_ref-a_1-0\" class=\"reference\"><a href=\"#cite_note-a-1\">[1]</a></sup><sup class=\"reference\"><a href=\"#cite_note-2\">[2]</a></sup></p>\
            <p>Parsoid too.<sup class=\"mw-ref\"><a href=\"./Dog#cite_note-a-1\"><span class=\"mw-reflink-text\">[1]</span></a></sup></p>\
            <ol class=\"references\"><li id=\"cite_note-a-1\"><span class=\"mw-cite-backlink\"><a href=\"#cite_ref-a_1-0\">^</a></span> <cite><a class=\"external\" href=\"https://example.org/dogs\">Dogs</a></cite> <a href=\"https://web.archive.org/web/1/https://example.org/dogs\">Archived</a></li>\
            <li id=\"cite_note-2\">Book, p. 3.</li><li id=\"cite_note-3\">Never cited.</li></ol></body>";
        let a = read_str("w.html", src, None);
        assert_eq!(a.claims[0].citations, vec!["1", "2"]);
        assert_eq!(a.claims[1].citations, vec!["1"]);
        assert_eq!(a.references.len(), 3);
        assert_eq!(a.references[0].urls, vec!["https://example.org/dogs"]);
        assert_eq!(a.references[0].archive_urls.len(), 1);
        assert!(!a.references[0].text.contains('^'));
        assert_eq!(a.references[2].label, "3");
    }
}
