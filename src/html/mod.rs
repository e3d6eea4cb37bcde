//! A small, tolerant HTML parser shared by the article reader and the source extractor.
//!
//! Why our own and not html5ever: sources are hostile (a million nested tags, 50 MB pages) and
//! extraction must run at hundreds of pages per second on one core. This parser does one pass,
//! never recurses, caps nesting depth, and keeps each text node's byte offset in the input so
//! claims can point back at the article.

mod entities;

pub use entities::{
    character_reference, decode_attribute, decode_entities, decode_wikitext, Context,
};
use std::borrow::Cow;

/// Elements that end a line of text when rendered: the block-level elements of HTML (and the
/// old `center`), plus `br`. The one list the article readers (HTML and the HTML inside
/// wikitext) and the source extractor break lines at, so a claim and the source text it is
/// matched against are cut the same way.
pub fn ends_line(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "br"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "figcaption"
            | "figure"
            | "footer"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "li"
            | "main"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// Deepest element nesting kept; deeper elements are attached to the deepest kept one.
pub const MAX_DEPTH: usize = 256;

/// What a node is: the document root, an element, or a run of text. Names, attribute and
/// text borrow the input unless lowercasing or entity decoding changed them: a page parses
/// with one allocation per element instead of one per name, attribute and text.
#[derive(Debug, Clone)]
pub enum NodeKind<'a> {
    /// The root, node 0; its children are the top-level nodes.
    Document,
    /// An element with its start tag's name and attributes.
    Element {
        /// Tag name, ASCII-lowercased.
        name: Cow<'a, str>,
        /// Attributes in source order: lowercased key, entity-decoded value (at most 64 kept).
        attrs: Box<[(Cow<'a, str>, Cow<'a, str>)]>,
    },
    /// Decoded text and the byte range of its raw form in the input.
    Text {
        /// The text with entities decoded.
        text: Cow<'a, str>,
        /// Byte offset in the input where the raw text starts.
        start: usize,
        /// Byte offset in the input where the raw text ends (exclusive).
        end: usize,
    },
}

/// One node of the tree; nodes refer to each other by index into [`Document::nodes`].
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// Element, text or the root.
    pub kind: NodeKind<'a>,
    /// Index of the parent node (the root is its own parent, 0).
    pub parent: usize,
    /// Byte offset of the node's start tag (or text) in the input.
    pub start: usize,
    /// Index just past the node's last descendant: node ids are in document order, so the
    /// subtree of `id` is `id..subtree_end`, and walks over it need no stack.
    pub subtree_end: usize,
}

/// A parsed page: a flat arena of nodes, so deep or huge pages need no recursion.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// Every node in document order; index 0 is the root.
    pub nodes: Vec<Node<'a>>,
}

/// Elements without content or end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
    )
}

/// Elements whose content is raw text up to their end tag.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "template"
            | "svg"
            | "math"
    )
}

/// Start tags that close an open `<p>`.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "div"
            | "dl"
            | "fieldset"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "ul"
            | "figure"
            | "figcaption"
            | "details"
            | "li"
    )
}

impl Node<'_> {
    /// The tag name of an element (lowercase); `None` for text and the root.
    pub fn name(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Element { name, .. } => Some(name),
            _ => None,
        }
    }
    /// The value of attribute `key` (lowercase) on an element; `None` if absent or not an element.
    pub fn attr(&self, key: &str) -> Option<&str> {
        match &self.kind {
            NodeKind::Element { attrs, .. } => {
                attrs.iter().find(|(k, _)| &**k == key).map(|(_, v)| &**v)
            }
            _ => None,
        }
    }
    /// Does the `class` attribute list `class` among its space-separated names?
    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == class))
    }
    /// The decoded text of a text node; `None` for elements and the root.
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Text { text, .. } => Some(text),
            _ => None,
        }
    }
}

impl<'a> Document<'a> {
    /// Index of the root node (always 0).
    pub fn root(&self) -> usize {
        0
    }
    /// The node at index `id`; panics if `id` is not a node of this document.
    pub fn node(&self, id: usize) -> &Node<'a> {
        &self.nodes[id]
    }

    /// The children of `id` in document order: the first is the node after it, and each next
    /// one starts where the previous one's subtree ends (so no node keeps a list of children).
    pub fn children(&self, id: usize) -> Children<'_, 'a> {
        Children {
            doc: self,
            next: id + 1,
            end: self.nodes[id].subtree_end,
        }
    }

    /// Every descendant of `id` in document order, without recursion.
    pub fn descendants(&self, id: usize) -> Descendants {
        Descendants {
            ids: id + 1..self.nodes[id].subtree_end,
        }
    }

    /// Concatenated text of the subtree, with no separators added.
    pub fn text_of(&self, id: usize) -> String {
        let mut s = String::new();
        for d in self.descendants(id) {
            if let Some(t) = self.nodes[d].text() {
                s.push_str(t);
            }
        }
        s
    }

    /// Elements named `name` in document order (node ids are in document order: a scan, not a
    /// walk).
    pub fn elements<'b>(&'b self, name: &'b str) -> impl Iterator<Item = usize> + 'b {
        (1..self.nodes.len()).filter(move |&i| self.nodes[i].name() == Some(name))
    }

    /// Is `id` inside an element for which `pred` holds (itself included)?
    pub fn ancestor_matches(&self, mut id: usize, pred: impl Fn(&Node) -> bool) -> bool {
        loop {
            if pred(&self.nodes[id]) {
                return true;
            }
            if id == 0 {
                return false;
            }
            id = self.nodes[id].parent;
        }
    }
}

/// Iterator over a node's children, made by [`Document::children`].
pub struct Children<'d, 'a> {
    doc: &'d Document<'a>,
    next: usize,
    end: usize,
}

impl Iterator for Children<'_, '_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        self.next = self.doc.nodes[id].subtree_end;
        Some(id)
    }
}

/// Iterator over a subtree in document order, made by [`Document::descendants`]: the range of
/// ids after the node up to its subtree's end.
pub struct Descendants {
    ids: std::ops::Range<usize>,
}

impl Iterator for Descendants {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        self.ids.next()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ids.size_hint()
    }
}

/// Parse HTML. Never fails: any input yields a tree.
pub fn parse(src: &str) -> Document<'_> {
    let bytes = src.as_bytes();
    // about one node per '<' (a start tag, or the text after an end tag): allocated once
    // instead of regrown and copied while parsing
    let mut nodes = Vec::with_capacity(memchr::memchr_iter(b'<', bytes).count() + 1);
    nodes.push(Node {
        kind: NodeKind::Document,
        parent: 0,
        start: 0,
        subtree_end: 1,
    });
    let mut b = Builder {
        nodes,
        stack: vec![0],
    };
    let mut i = 0;
    let mut scratch = Vec::new();
    let n = bytes.len();
    while i < n {
        // text up to the next '<'
        let next_lt = memchr(b'<', &bytes[i..]).map(|p| i + p).unwrap_or(n);
        if next_lt > i {
            b.text(src, i, next_lt);
            i = next_lt;
            continue;
        }
        // at '<'
        let rest = &bytes[i..];
        if rest.starts_with(b"<!--") {
            i = find(bytes, i + 4, b"-->").map(|p| p + 3).unwrap_or(n);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr(b'>', &bytes[i..]).map(|p| i + p + 1).unwrap_or(n);
            continue;
        }
        if rest.len() >= 2 && rest[1] == b'/' {
            // end tag: matched against the open elements without allocating its name
            let after = tag_name_end(bytes, i + 2);
            let close = memchr(b'>', &bytes[after.min(n)..])
                .map(|p| after + p + 1)
                .unwrap_or(n);
            if after > i + 2 {
                b.close(&src[i + 2..after]);
            }
            i = close;
            continue;
        }
        if rest.len() >= 2 && rest[1].is_ascii_alphabetic() {
            let (name, after) = tag_name(src, i + 1);
            // read into one reused list, then stored in an allocation of the exact size
            let (end, self_closing) = attributes(src, after, &mut scratch);
            let attrs: Attrs<'_> = scratch.drain(..).collect();
            let start = i;
            i = end;
            let void = is_void(&name);
            if is_raw_text(&name) && !self_closing {
                // raw text until the matching end tag
                let close = find_end_tag(bytes, i, &name);
                b.open(name.clone(), attrs, start);
                if (name == "title" || name == "textarea") && close > i {
                    b.text(src, i, close);
                }
                b.close(&name);
                i = memchr(b'>', &bytes[close.min(n)..])
                    .map(|p| close + p + 1)
                    .unwrap_or(n);
                continue;
            }
            b.open(name, attrs, start);
            if void || self_closing {
                b.pop_if(start);
            }
            continue;
        }
        // a lone '<'
        b.text(src, i, i + 1);
        i += 1;
    }
    let end = b.nodes.len();
    b.close_from(0, end);
    Document { nodes: b.nodes }
}

struct Builder<'a> {
    nodes: Vec<Node<'a>>,
    stack: Vec<usize>,
}

impl<'a> Builder<'a> {
    fn current(&self) -> usize {
        *self.stack.last().unwrap_or(&0)
    }
    fn push_node(&mut self, kind: NodeKind<'a>, start: usize) -> usize {
        let parent = self.current();
        let id = self.nodes.len();
        self.nodes.push(Node {
            kind,
            parent,
            start,
            subtree_end: id + 1,
        });
        id
    }
    fn text(&mut self, src: &'a str, start: usize, end: usize) {
        let text = decoded(&src[start..end]);
        self.push_node(NodeKind::Text { text, start, end }, start);
    }
    fn open(&mut self, name: Cow<'a, str>, attrs: Attrs<'a>, start: usize) -> usize {
        let n = &*name;
        // implied end tags
        if closes_p(n) && self.open_in_scope("p") {
            self.close("p");
        }
        match n {
            "li" => self.close_if_open_within("li", &["ul", "ol"]),
            "td" | "th" => {
                self.close_if_open_within("td", &["tr", "table"]);
                self.close_if_open_within("th", &["tr", "table"]);
            }
            "tr" => self.close_if_open_within("tr", &["table", "tbody", "thead", "tfoot"]),
            "dt" | "dd" => {
                self.close_if_open_within("dt", &["dl"]);
                self.close_if_open_within("dd", &["dl"]);
            }
            "option" => self.close_if_open_within("option", &["select"]),
            _ => {}
        }
        let id = self.push_node(NodeKind::Element { name, attrs }, start);
        // Past the depth cap the element stays a leaf of the deepest kept one, so hostile
        // nesting costs one node per tag and no more.
        if self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
        }
        id
    }
    /// Pop the element just opened at `start` (void or self-closing), if it was kept open.
    fn pop_if(&mut self, start: usize) {
        if self.stack.len() > 1 && self.nodes[self.current()].start == start {
            self.close_from(self.stack.len() - 1, self.nodes.len());
        }
    }
    /// Close the open elements from stack position `pos` up: their subtrees end at `end`.
    fn close_from(&mut self, pos: usize, end: usize) {
        for &id in &self.stack[pos..] {
            self.nodes[id].subtree_end = end;
        }
        self.stack.truncate(pos);
    }
    fn open_in_scope(&self, name: &str) -> bool {
        for &id in self.stack.iter().rev().take(64) {
            match self.nodes[id].name() {
                Some(n) if n == name => return true,
                Some("table") | Some("td") | Some("th") | Some("button") => return false,
                _ => {}
            }
        }
        false
    }
    fn close_if_open_within(&mut self, name: &str, boundaries: &[&str]) {
        for (pos, &id) in self.stack.iter().enumerate().rev() {
            match self.nodes[id].name() {
                Some(n) if n == name => {
                    self.close_from(pos, self.nodes.len());
                    return;
                }
                Some(n) if boundaries.contains(&n) => return,
                _ => {}
            }
        }
    }
    /// Close the nearest open element named `name` (any ASCII case); ignore a stray end tag.
    fn close(&mut self, name: &str) {
        let limit = self.stack.len().saturating_sub(1);
        for k in 0..limit.min(512) {
            let pos = self.stack.len() - 1 - k;
            if pos == 0 {
                break;
            }
            if self.nodes[self.stack[pos]]
                .name()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
            {
                self.close_from(pos, self.nodes.len());
                return;
            }
        }
    }
}

/// The parser's scans for `<`, `>` and quotes are most of its time: memchr does them with SIMD.
fn memchr(c: u8, s: &[u8]) -> Option<usize> {
    memchr::memchr(c, s)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    memchr::memmem::find(&hay[from..], needle).map(|p| from + p)
}

fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> usize {
    let nb = name.as_bytes();
    let mut i = from;
    while let Some(p) = memchr(b'<', &bytes[i.min(bytes.len())..]) {
        let at = i + p;
        let rest = &bytes[at..];
        if rest.len() >= 2 + nb.len()
            && rest[1] == b'/'
            && rest[2..2 + nb.len()].eq_ignore_ascii_case(nb)
        {
            let after = rest.get(2 + nb.len()).copied().unwrap_or(b'>');
            if after == b'>' || after.is_ascii_whitespace() || after == b'/' {
                return at;
            }
        }
        i = at + 1;
    }
    bytes.len()
}

/// Where the tag name starting at `i` ends (at whitespace, `>` or `/`, all ASCII, so always on
/// a character boundary).
fn tag_name_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/'
    {
        i += 1;
    }
    i
}

/// The tag name starting at `start` (after `<` and an ASCII letter, so on a character
/// boundary), lowercased, and where it ends.
fn tag_name(src: &str, start: usize) -> (Cow<'_, str>, usize) {
    let end = tag_name_end(src.as_bytes(), start);
    (lowercase(&src[start..end]), end)
}

/// `s` ASCII-lowercased, borrowed when it is lowercase already (almost every tag and key).
fn lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Text `s` with entities decoded, borrowed when it has none.
fn decoded(s: &str) -> Cow<'_, str> {
    if memchr(b'&', s.as_bytes()).is_some() {
        Cow::Owned(decode_entities(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// Attribute value `s` with entities decoded, borrowed when it has none.
fn decoded_attribute(s: &str) -> Cow<'_, str> {
    if memchr(b'&', s.as_bytes()).is_some() {
        Cow::Owned(decode_attribute(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// An element's attributes: lowercased key, entity-decoded value.
type Attrs<'a> = Box<[(Cow<'a, str>, Cow<'a, str>)]>;

/// Parse attributes from `i` to the end of the tag into `attrs`. Returns (index after '>',
/// self-closing).
fn attributes<'a>(
    src: &'a str,
    mut i: usize,
    attrs: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
) -> (usize, bool) {
    let bytes = src.as_bytes();
    let n = bytes.len();
    let mut self_closing = false;
    loop {
        while i < n && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            if bytes[i] == b'/' {
                self_closing = true;
            }
            i += 1;
        }
        if i >= n {
            return (n, self_closing);
        }
        if bytes[i] == b'>' {
            return (i + 1, self_closing);
        }
        self_closing = false;
        let ks = i;
        while i < n
            && !bytes[i].is_ascii_whitespace()
            && bytes[i] != b'='
            && bytes[i] != b'>'
            && !(bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'>'))
        {
            i += 1;
        }
        let key = lowercase(&src[ks..i]);
        while i < n && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = Cow::Borrowed("");
        if i < n && bytes[i] == b'=' {
            i += 1;
            while i < n && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < n && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i];
                let vs = i + 1;
                let ve = memchr(q, &bytes[vs..]).map(|p| vs + p).unwrap_or(n);
                value = decoded_attribute(&src[vs..ve]);
                i = (ve + 1).min(n);
            } else {
                let vs = i;
                while i < n && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = decoded_attribute(&src[vs..i]);
            }
        }
        if !key.is_empty() && attrs.len() < 64 {
            attrs.push((key, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tree_and_keeps_offsets() {
        let src = "<p>Hello <b>world</b> &amp; more<p>Second";
        let d = parse(src);
        let ps: Vec<_> = d.elements("p").collect();
        assert_eq!(ps.len(), 2, "the second <p> closes the first");
        assert_eq!(d.text_of(ps[0]), "Hello world & more");
        let t = d
            .descendants(0)
            .find(|&i| d.node(i).text() == Some("Second"))
            .unwrap();
        match &d.node(t).kind {
            NodeKind::Text { start, .. } => assert_eq!(&src[*start..*start + 6], "Second"),
            _ => unreachable!(),
        }
    }

    #[test]
    fn scripts_are_raw_and_comments_dropped() {
        let d =
            parse("<div><script>if (a < b) { x = '</div>' }</script><!-- <p>no</p> -->yes</div>");
        assert_eq!(d.text_of(0), "yes");
    }

    /// Is `anc` an ancestor of `id`, following parent links?
    fn is_ancestor(d: &Document, anc: usize, mut id: usize) -> bool {
        while id != 0 {
            id = d.node(id).parent;
            if id == anc {
                return true;
            }
        }
        false
    }

    #[test]
    fn subtree_ends_give_exactly_the_descendants_and_children() {
        let deep = "<div>".repeat(MAX_DEPTH + 5) + "x<p>y";
        for src in [
            "<p>Hello <b>world</b> &amp; more<p>Second",
            "<p class=a>text</b></i><li>one<li>two</ul><td>x<",
            "<ul><li>a<li>b<ol><li>c</ul>d<table><tr><td>1<td>2<tr><th>3</table><br/><img>e",
            "<div><p>a<div>b</p>c</div>d</div><title>t</title><script>s</script><dl><dt>x<dd>y</dl>",
            "<a href='x' title=y>z</a",
            deep.as_str(),
        ] {
            let d = parse(src);
            let all = 0..d.nodes.len();
            for id in all.clone() {
                let below: Vec<usize> = all.clone().filter(|&i| is_ancestor(&d, id, i)).collect();
                let kids: Vec<usize> = all.clone().filter(|&i| i > 0 && d.node(i).parent == id).collect();
                assert_eq!(d.descendants(id).collect::<Vec<_>>(), below, "{src:?} node {id}");
                assert_eq!(d.children(id).collect::<Vec<_>>(), kids, "{src:?} node {id}");
            }
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let src = "<div>".repeat(200_000) + "deep" + &"</div>".repeat(200_000);
        let d = parse(&src);
        assert_eq!(d.text_of(0), "deep");
    }

    #[test]
    fn broken_markup_is_tolerated() {
        let d = parse("<p class=a>text</b></i><li>one<li>two</ul><td>x<");
        assert!(d.text_of(0).contains("two"));
        let d = parse("<a href='x' title=y>z</a");
        assert_eq!(
            d.node(d.elements("a").next().unwrap()).attr("title"),
            Some("y")
        );
    }
}
