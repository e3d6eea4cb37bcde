//! HTML articles: generic footnote links (`<sup><a href="#fn1">`, `a[role=doc-noteref]`),
//! rendered Wikipedia (`sup.reference`, `ol.references`) and Parsoid (`sup.mw-ref`,
//! `ol.mw-references`).

use super::{add_url, bare_urls, Flat, Parsed, Reference};
use crate::html::{self, Document, Node, NodeKind};
use std::collections::{HashMap, HashSet};

fn skipped(n: &Node) -> bool {
    match n.name() {
        Some(
            "script" | "style" | "head" | "template" | "nav" | "noscript" | "math" | "svg"
            | "button" | "form",
        ) => true,
        Some(_) => {
            has_any_class(n, SKIPPED_CLASSES)
                || hidden_by_style(n)
                || matches!(n.attr("role"), Some("doc-endnotes" | "navigation"))
                || n.attr("id") == Some("toc")
        }
        None => false,
    }
}

/// Elements whose text is not the article's: reference lists, navigation, and maintenance
/// tags a reader does not take for text ("[citation needed]", "[update]": Wikipedia marks
/// them `noprint Inline-Template`).
const SKIPPED_CLASSES: &[&str] = &[
    "references",
    "mw-references",
    "reflist",
    "refbegin",
    "footnotes",
    "mw-editsection",
    "navbox",
    "catlinks",
    "toc",
    "mw-cite-backlink",
    "noprint",
    "Inline-Template",
    "Template-Fact",
];

/// `style="display:none"`: hidden text.
fn hidden_by_style(n: &Node) -> bool {
    n.attr("style").is_some_and(|st| {
        st.split(';').any(|decl| {
            let mut kv = decl.splitn(2, ':').map(str::trim);
            kv.next().is_some_and(|k| k.eq_ignore_ascii_case("display"))
                && kv.next().is_some_and(|v| v.eq_ignore_ascii_case("none"))
        })
    })
}

/// The id an href points at: its fragment, percent-decoded (`#cite_note-%E8%A9%81` is the id
/// `cite_note-詁`).
fn fragment(href: &str) -> Option<String> {
    let f = &href[href.find('#')? + 1..];
    (!f.is_empty()).then(|| percent_decode(f))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Is this element a footnote marker: `sup.reference`, `sup.mw-ref`, a `sup` or `a` linking to
/// a note, `a[role=doc-noteref]`?
fn is_marker_element(n: &Node) -> bool {
    n.name() == Some("sup")
        || (n.name() == Some("a")
            && (n.attr("role") == Some("doc-noteref") || n.has_class("footnote-ref")))
}

/// A marker whose link names no note in the file is still a footnote when it looks like one.
fn looks_like_footnote(doc: &Document, id: usize, frag: &str) -> bool {
    let n = doc.node(id);
    n.has_class("reference")
        || n.has_class("mw-ref")
        || n.attr("role") == Some("doc-noteref")
        || n.has_class("footnote-ref")
        || frag.starts_with("cite_note")
        || frag.starts_with("fn")
}

/// Push the children of `id` onto a walk's stack, the first on top.
fn push_children(doc: &Document, id: usize, stack: &mut Vec<usize>) {
    let first = stack.len();
    stack.extend(doc.children(id));
    stack[first..].reverse();
}

/// The fragments a marker element links to.
fn marker_links(doc: &Document, id: usize) -> Vec<String> {
    let anchors: Vec<usize> = if doc.node(id).name() == Some("a") {
        vec![id]
    } else {
        marker_parts(doc, id).0
    };
    anchors
        .into_iter()
        .filter_map(|a| doc.node(a).attr("href").and_then(fragment))
        .collect()
}

/// A marker element's own anchors, and the `sup` elements nested in it. A `sup` inside a marker
/// is a marker of its own (an unclosed `<sup>` runs on into the next one): its anchors are not
/// the outer marker's, so each marker costs its own tags only, not the rest of the page.
fn marker_parts(doc: &Document, id: usize) -> (Vec<usize>, Vec<usize>) {
    let (mut anchors, mut nested) = (Vec::new(), Vec::new());
    let mut stack: Vec<usize> = Vec::new();
    push_children(doc, id, &mut stack);
    while let Some(d) = stack.pop() {
        let n = doc.node(d);
        match n.name() {
            Some("sup") => {
                nested.push(d);
                continue;
            }
            Some("a") => anchors.push(d),
            _ => {}
        }
        push_children(doc, d, &mut stack);
    }
    (anchors, nested)
}

/// Longest text a footnote label shows, with its brackets and spaces ("[12]", "[note 3]",
/// "[group 2.1]" are far shorter): a marker showing more carries no label.
const MAX_LABEL_BYTES: usize = 256;

/// The label a marker shows ("[12]" -> "12"), without the markers nested in it, or "" when its
/// text is longer than a label: read only as far as that bound, so a marker that runs on (an
/// unclosed tag) costs no more than a label does.
fn visible_label(doc: &Document, id: usize) -> String {
    let mut s = String::new();
    let mut stack: Vec<usize> = Vec::new();
    push_children(doc, id, &mut stack);
    while let Some(d) = stack.pop() {
        let n = doc.node(d);
        if n.name() == Some("sup") {
            continue;
        }
        if let Some(t) = n.text() {
            if s.len() + t.len() > MAX_LABEL_BYTES {
                return String::new();
            }
            s.push_str(t);
        }
        push_children(doc, d, &mut stack);
    }
    clean_label(&s)
}

fn clean_label(s: &str) -> String {
    s.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim()
        .to_string()
}

/// Does the element's text start with ':' (after spaces)? `{{rp|35}}` renders a page number as
/// `<sup>:35</sup>` after a marker. Reads only up to the first non-space text.
fn text_starts_with_colon(doc: &Document, id: usize) -> bool {
    doc.descendants(id)
        .filter_map(|d| doc.node(d).text())
        .map(str::trim_start)
        .find(|t| !t.is_empty())
        .is_some_and(|t| t.starts_with(':'))
}

/// Is `n` a list of notes (`ol.references`, Parsoid's `ol.mw-references`, `section.footnotes`)?
fn is_note_list(n: &Node) -> bool {
    has_any_class(n, &["references", "mw-references", "footnotes"])
        || n.attr("role") == Some("doc-endnotes")
}

/// The notes of the page: every id a marker can point at -> the note it belongs to. A note is
/// a list item with an id in a notes list, or any element a marker targets; an item nested in a
/// note (a sub-reference: "p. 123" under its main reference, `[1.1]`) belongs to that note.
struct Notes {
    /// id -> (the note's element, whether the id is a sub-note of it)
    by_id: HashMap<String, (usize, bool)>,
    /// The notes' elements in document order.
    order: Vec<usize>,
}

fn find_notes(doc: &Document) -> Notes {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut by_id: HashMap<String, (usize, bool)> = HashMap::new();
    let mut order = Vec::new();
    let mut is_note: HashSet<usize> = HashSet::new();
    // per node, in one pass (parents come first): inside a notes list (or one itself), and the
    // outermost note around it
    let mut in_list = vec![false; doc.nodes.len()];
    let mut note_of: Vec<Option<usize>> = vec![None; doc.nodes.len()];
    for i in doc.descendants(0) {
        let n = doc.node(i);
        let p = n.parent;
        let parent_in_list = in_list[p];
        in_list[i] = parent_in_list || (n.name().is_some() && is_note_list(n));
        note_of[i] = note_of[p];
        let Some(id) = n.attr("id") else { continue };
        ids.entry(id).or_insert(i);
        if n.name() != Some("li") || !parent_in_list {
            continue;
        }
        match note_of[p] {
            Some(o) => {
                by_id.entry(id.to_string()).or_insert((o, true));
            }
            None => {
                is_note.insert(i);
                order.push(i);
                note_of[i] = Some(i);
                by_id.entry(id.to_string()).or_insert((i, false));
            }
        }
    }
    // anything else a marker links to (generic footnotes: <p id="fn1">)
    for i in doc.descendants(0) {
        let n = doc.node(i);
        if !(is_marker_element(n) || n.attr("role") == Some("doc-noteref")) {
            continue;
        }
        for f in marker_links(doc, i) {
            if by_id.contains_key(&f) {
                continue;
            }
            if let Some(&t) = ids.get(f.as_str()) {
                if !is_note.contains(&t) {
                    is_note.insert(t);
                    order.push(t);
                }
                by_id.insert(f, (t, false));
            }
        }
    }
    order.sort_unstable();
    Notes { by_id, order }
}

/// What a marker element cites: for each link, the note (None when the file lacks it) and the
/// label a reader sees.
fn marker_targets(doc: &Document, id: usize, notes: &Notes) -> Vec<(Option<usize>, String)> {
    let n = doc.node(id);
    if !is_marker_element(n) {
        return vec![];
    }
    let links = marker_links(doc, id);
    if links.is_empty() {
        return vec![];
    }
    let visible = visible_label(doc, id);
    let mut out = Vec::new();
    for f in links {
        match notes.by_id.get(&f) {
            Some(&(note, sub)) => {
                // "[1.1]" cites sub-note 1 of note 1
                let label = if sub {
                    visible
                        .rsplit_once('.')
                        .map(|(main, _)| main.to_string())
                        .unwrap_or_else(|| visible.clone())
                } else {
                    visible.clone()
                };
                out.push((Some(note), label));
            }
            None if looks_like_footnote(doc, id, &f) => {
                let label = if visible.is_empty() {
                    f
                } else {
                    visible.clone()
                };
                out.push((None, label));
            }
            None => {}
        }
    }
    out
}

pub(crate) fn read(src: &str) -> Parsed {
    let doc = html::parse(src);
    let notes = find_notes(&doc);
    let note_elems: HashSet<usize> = notes.order.iter().copied().collect();
    // walk the body for text and markers
    let mut flat = Flat::default();
    let mut labels: HashMap<usize, String> = HashMap::new();
    let mut used_labels: HashSet<String> = HashSet::new();
    let mut order: Vec<usize> = Vec::new();
    let body = doc.elements("body").next().unwrap_or(0);
    // explicit stack of (node, entering)
    let mut stack: Vec<(usize, bool)> = doc.children(body).map(|c| (c, true)).collect();
    stack.reverse();
    while let Some((id, entering)) = stack.pop() {
        let n = doc.node(id);
        if !entering {
            if n.name().is_some_and(html::ends_line) {
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
                if note_elems.contains(&id) && name.as_ref() != "sup" {
                    continue; // the note itself, outside a references list
                }
                if skipped(n) {
                    continue;
                }
                // page numbers after a footnote ({{rp|35}} renders as <sup>:35</sup>)
                if name.as_ref() == "sup" && text_starts_with_colon(&doc, id) {
                    continue;
                }
                let targets = marker_targets(&doc, id, &notes);
                if !targets.is_empty() {
                    for (note, visible) in targets {
                        let label = match note {
                            Some(t) => labels
                                .entry(t)
                                .or_insert_with(|| {
                                    order.push(t);
                                    let own = doc.node(t).attr("id").unwrap_or("").to_string();
                                    let l = if visible.is_empty()
                                        || visible.len() > 24
                                        || used_labels.contains(&visible)
                                    {
                                        own
                                    } else {
                                        visible
                                    };
                                    used_labels.insert(l.clone());
                                    l
                                })
                                .clone(),
                            None => visible,
                        };
                        flat.marker(label);
                    }
                    // markers nested in this one cite at the same point
                    let nested = marker_parts(&doc, id).1;
                    stack.extend(nested.into_iter().rev().map(|c| (c, true)));
                    continue;
                }
                if html::ends_line(name.as_ref()) {
                    flat.block();
                }
                stack.push((id, false));
                let first = stack.len();
                stack.extend(doc.children(id).map(|c| (c, true)));
                stack[first..].reverse();
            }
            NodeKind::Document => {}
        }
    }
    // references, in citation order, then the uncited ones in document order, labelled as
    // their list shows them (their number, after the group's name)
    let mut references = Vec::new();
    for &t in &order {
        references.push(reference(&doc, t, labels[&t].clone()));
    }
    for &t in notes.order.iter().filter(|t| !labels.contains_key(t)) {
        let mut label = list_label(&doc, t);
        if label.is_empty() || used_labels.contains(&label) {
            label = doc.node(t).attr("id").unwrap_or("").to_string();
        }
        used_labels.insert(label.clone());
        references.push(reference(&doc, t, label));
    }
    Parsed {
        flat,
        references,
        problems: vec![],
    }
}

/// The label a list shows for note `t`: Parsoid's footnote number, or the item's position in
/// its list, after the list's group name.
fn list_label(doc: &Document, t: usize) -> String {
    let n = doc.node(t);
    let parent = doc.node(n.parent);
    let number = n
        .attr("data-mw-footnote-number")
        .map(str::to_string)
        .unwrap_or_else(|| {
            let pos = doc
                .children(n.parent)
                .filter(|&c| doc.node(c).name() == Some("li"))
                .position(|c| c == t)
                .map(|p| p + 1)
                .unwrap_or(0);
            pos.to_string()
        });
    match parent.attr("data-mw-group").filter(|g| !g.is_empty()) {
        Some(g) => format!("{g} {number}"),
        None => number,
    }
}

fn is_backlink(n: &Node) -> bool {
    has_any_class(n, &["mw-cite-backlink", "footnote-back"])
        || n.attr("rel") == Some("mw:referencedBy")
        || n.attr("role") == Some("doc-backlink")
}

/// Does the element carry one of `classes`? (One pass over its class attribute.)
fn has_any_class(n: &Node, classes: &[&str]) -> bool {
    n.attr("class")
        .is_some_and(|c| c.split_ascii_whitespace().any(|c| classes.contains(&c)))
}

fn reference(doc: &Document, node: usize, label: String) -> Reference {
    let mut r = Reference {
        label,
        ..Default::default()
    };
    let mut text = String::new();
    // the note's subtree without its back links ("^ a b"), walked once
    let mut stack: Vec<usize> = Vec::new();
    push_children(doc, node, &mut stack);
    while let Some(d) = stack.pop() {
        let n = doc.node(d);
        if is_backlink(n) {
            continue;
        }
        push_children(doc, d, &mut stack);
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
                    // the first titled link names the work; later links' text is not read
                    // (nested unclosed links would each read the rest of the note)
                    if r.title.is_none() {
                        let t = doc.text_of(d);
                        let t = t.trim().trim_matches(['"', '\u{201c}', '\u{201d}']);
                        if !t.is_empty()
                            && !t.starts_with("http")
                            && !t.eq_ignore_ascii_case("archived")
                            && !t.eq_ignore_ascii_case("archived from the original")
                        {
                            r.title = Some(t.to_string());
                        }
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

    fn problems(a: &crate::article::Article) -> Vec<String> {
        a.citation_findings(&Default::default())
            .all()
            .map(|f| format!("{}: {}", f.code, f.message))
            .collect()
    }

    #[test]
    fn markers_after_a_newline_encoded_ids_and_lone_cells() {
        let src = "<html><body><p>The dam was finished in 1902\n<sup class=\"reference\"><a href=\"#cite_note-1\">[1]</a></sup> and raised in 1931.\n<sup class=\"reference\"><a href=\"#cite_note-%C3%A9t%C3%A9-2\">[2]</a></sup></p>\
            <table><tr><td>Output</td><td>9 tonnes</td><td><sup class=\"reference\"><a href=\"#cite_note-3\">[3]</a></sup></td></tr></table>\
            <ol class=\"references\"><li id=\"cite_note-1\">One</li><li id=\"cite_note-\u{e9}t\u{e9}-2\">Two</li><li id=\"cite_note-3\">Three</li></ol></body></html>";
        let a = read_str("d.html", src, None);
        let c: Vec<_> = a
            .claims
            .iter()
            .map(|c| (c.text.as_str(), c.citations.clone()))
            .collect();
        assert_eq!(
            c,
            vec![
                ("The dam was finished in 1902", vec!["1".to_string()]),
                ("and raised in 1931.", vec!["2".to_string()]),
                ("9 tonnes", vec!["3".to_string()]),
            ]
        );
        assert!(problems(&a).is_empty(), "{:?}", problems(&a));
    }

    #[test]
    fn sub_references_and_uncited_notes() {
        // [1.1] is a sub-reference (a page of note 1): one reference, not two
        let src = "<body><p>Locks were added.<sup class=\"mw-ref reference\"><a href=\"./P#cite_note-4\">[1.1]</a></sup> Boats grew.<sup class=\"reference\"><a href=\"#cite_note-main-1\">[1]</a></sup> Trade fell.<sup class=\"reference\"><a href=\"#cite_note-b-3\">[2]</a></sup></p>\
            <ol class=\"mw-references references\"><li id=\"cite_note-main-1\">Main work<ol class=\"mw-subreference-list\"><li id=\"cite_note-4\">p. 5</li></ol></li>\
            <li id=\"cite_note-b-3\">Second work</li><li id=\"cite_note-c-5\">Never cited</li></ol></body>";
        let a = read_str("s.html", src, None);
        assert_eq!(a.claims[0].citations, vec!["1"]);
        assert_eq!(a.claims[1].citations, vec!["1"]);
        let labels: Vec<&str> = a.references.iter().map(|r| r.label.as_str()).collect();
        // the uncited note keeps its place in the list (3), not dropped for a clash
        assert_eq!(labels, vec!["1", "2", "3"]);
        assert!(a.references[0].text.contains("Main work"));
        let p = problems(&a);
        assert_eq!(p, vec!["source-unused: reference [3] is never cited"]);
    }

    #[test]
    fn maintenance_tags_are_not_text_and_missing_notes_are_reported() {
        let src = "<body><p>The weir was rebuilt in 1870.<sup class=\"noprint Inline-Template Template-Fact\">[<i><a href=\"/wiki/Wikipedia:Citation_needed\">citation needed</a></i>]</sup> It still stands<span style=\"display: none\">hidden</span>.<sup class=\"reference\"><a href=\"#cite_note-9\">[9]</a></sup></p></body>";
        let a = read_str("m.html", src, None);
        assert_eq!(a.claims.len(), 1);
        assert_eq!(a.claims[0].text, "It still stands.");
        assert_eq!(a.uncited[0].text, "The weir was rebuilt in 1870.");
        // the marker's note is not in the file: cited, and reported as undefined
        assert_eq!(a.claims[0].citations, vec!["9"]);
        let p = problems(&a);
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("citation-undefined"), "{p:?}");
    }

    #[test]
    fn a_marker_nested_in_a_marker_is_its_own_and_a_runaway_marker_has_no_label() {
        // an unclosed <sup> holds the next marker: each cites its own note, labelled as shown
        let src = "<body><p>The mill burned in 1911.<sup class=\"reference\"><a href=\"#cite_note-1\">[1]</a><sup class=\"reference\"><a href=\"#cite_note-2\">[2]</a></sup></sup></p>\
            <ol class=\"references\"><li id=\"cite_note-1\">One</li><li id=\"cite_note-2\">Two</li></ol></body>";
        let a = read_str("n.html", src, None);
        assert_eq!(a.claims[0].citations, vec!["1", "2"]);
        assert!(problems(&a).is_empty(), "{:?}", problems(&a));
        // a marker whose text runs on past any label (its note missing): cited by its link
        let long = "and the text goes on ".repeat(20);
        let src = format!("<body><p>It was rebuilt.<sup class=\"reference\"><a href=\"#cite_note-x\">[7] {long}</a></sup></p></body>");
        let a = read_str("r.html", &src, None);
        assert_eq!(a.claims[0].citations, vec!["cite_note-x"]);
    }
}
