//! HTML main content: the article's text without menus, banners, share bars, comments and
//! related links.
//!
//! A readability-style pass on our DOM, built around what breaks on unseen sites:
//! - Removal. Boilerplate is pruned by tag, role and hidden state, and comment threads by their
//!   structure, before anything is scored. Class words (`sidebar`, `promo` ...) and lists of
//!   `<article>` teasers are removed too, but never a node that holds most of the page's
//!   paragraph text: publishers wrap whole bodies in `div.paywall`.
//! - Paragraphs. `<p>`, `<pre>`, a `div` without block children, and every run of inline text
//!   between `<br>`s or blocks inside a container (the lead written straight into a `div`).
//! - Container. Paragraphs score their ancestors by length and commas, discounted by link
//!   density. The publisher's structure anchors the choice: an `itemprop=articleBody` holding
//!   the best candidate is the body; otherwise the best candidate climbs to an ancestor only
//!   when that ancestor really scores higher, and never past the page's only `<article>` or
//!   `<main>`. Siblings that score well and are not link lists join it.
//! - Rendering. Link lists inside the content and the leading `h1` (the page title) are dropped;
//!   framing lines at the edges (bylines, datelines, subscription prompts) are pruned.
//!
//! Every constant is in [`Tuning`], so `bench/extract-eval.sh` can choose them on one half of
//! its pages and score the other.

use super::{Block, BlockKind, Tuning};
use crate::html::{self, Document, Node, NodeKind};
use std::borrow::Cow;

/// Tags never read as content.
fn is_removed_tag(name: &str) -> bool {
    matches!(
        name,
        "aside"
            | "audio"
            | "button"
            | "canvas"
            | "dialog"
            | "embed"
            | "figcaption"
            | "figure"
            | "footer"
            | "head"
            | "iframe"
            | "input"
            | "label"
            | "menu"
            | "nav"
            | "noscript"
            | "object"
            | "script"
            | "select"
            | "style"
            | "svg"
            | "template"
            | "textarea"
            | "video"
    )
}
/// Class and id words of boilerplate. The word lists are sorted (binary search).
const NEGATIVE: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "author-bio",
    "banner",
    "bio",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "caption",
    "caption-credit",
    "consent",
    "cookie",
    "cookies",
    "credit",
    "credits",
    "dateline",
    "disclaimer",
    "follow",
    "footer",
    "gallery",
    "gdpr",
    "header",
    "hidden",
    "lightbox",
    "login",
    "masthead",
    "menu",
    "meta",
    "modal",
    "more-stories",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "newsletter-signup",
    "outbrain",
    "overlay",
    "pager",
    "pagination",
    "paywall",
    "popular",
    "popup",
    "print",
    "promo",
    "rail",
    "read-more",
    "readmore",
    "recommendations",
    "recommended",
    "related",
    "share",
    "sharebar",
    "sharing",
    "sidebar",
    "signup",
    "site-footer",
    "site-header",
    "skip",
    "slideshow",
    "social",
    "social-links",
    "sponsor",
    "sponsored",
    "subscribe",
    "subscription",
    "taboola",
    "tags",
    "teaser",
    "teasers",
    "toc",
    "toolbar",
    "topbar",
    "trending",
    "widget",
];
/// Class and id words of a comment thread: removed in every pass, whatever its length, so a
/// short article never loses to its discussion.
const COMMENT_WORDS: &[&str] = &[
    "comment",
    "comment-list",
    "comment-respond",
    "commentlist",
    "commentlisting",
    "comments",
    "comments-area",
    "disqus",
    "replies",
    "respond",
];
/// Class and id words of content.
const POSITIVE: &[&str] = &[
    "article",
    "article-body",
    "articlebody",
    "blog",
    "body",
    "content",
    "entry",
    "entry-content",
    "main",
    "page-content",
    "post",
    "post-content",
    "prose",
    "story",
    "story-body",
    "text",
];
/// Tags that break a run of inline text into separate paragraphs.
fn is_structure_tag(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "br"
            | "center"
            | "details"
            | "div"
            | "dl"
            | "fieldset"
            | "figure"
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
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "td"
            | "tr"
            | "ul"
    )
}

const NEG: u8 = 1;
const POS: u8 = 2;
const COMMENT: u8 = 4;

/// A word's key in the word table: its length and three of its bytes, ASCII-lowercased. Cheap
/// to take at a word's end (no pass over its bytes); words that share a key are told apart by
/// comparing them.
fn word_key(word: &[u8]) -> u32 {
    let n = word.len();
    if n == 0 {
        return 0;
    }
    let at = |i: usize| u32::from(word[i].to_ascii_lowercase());
    (n.min(255) as u32) | at(0) << 8 | at(n / 2) << 16 | at(n - 1) << 24
}

/// Slots of the word table (a power of two, several times the number of words).
const WORD_SLOTS: usize = 512;

/// A word of the table: key, word and what it says (NEG, POS, COMMENT bits; 0 is empty).
type WordSlot = (u32, &'static str, u8);

fn slot_of(key: u32) -> usize {
    (key.wrapping_mul(0x9e37_79b9) >> 23) as usize & (WORD_SLOTS - 1)
}

/// The listed words in an open-addressed table: a class word is looked up in about one probe.
fn word_table() -> &'static [WordSlot] {
    static TABLE: std::sync::OnceLock<Vec<WordSlot>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Vec<WordSlot> = vec![(0, "", 0); WORD_SLOTS];
        for (list, bit) in [(NEGATIVE, NEG), (POSITIVE, POS), (COMMENT_WORDS, COMMENT)] {
            for &w in list {
                let key = word_key(w.as_bytes());
                let mut i = slot_of(key);
                while t[i].2 != 0 && t[i].1 != w {
                    i = (i + 1) & (WORD_SLOTS - 1);
                }
                t[i] = (key, w, t[i].2 | bit);
            }
        }
        t
    })
}

/// What `word` says, case-insensitively; 0 when it is not a listed word.
fn word_bits(word: &[u8]) -> u8 {
    let key = word_key(word);
    let table = word_table();
    let mut i = slot_of(key);
    loop {
        let (k, w, bits) = table[i];
        if bits == 0 {
            return 0;
        }
        if k == key && w.as_bytes().eq_ignore_ascii_case(word) {
            return bits;
        }
        i = (i + 1) & (WORD_SLOTS - 1);
    }
}

/// What the words of a class or id attribute say, each word whole and each part of it between
/// `-` and `_` (`article-body` is `article-body`, `article` and `body`), case-insensitively.
/// One pass over the bytes finds the words and their parts together.
fn attr_bits(value: &str) -> u8 {
    let v = value.as_bytes();
    let mut bits = 0;
    let (mut word_start, mut part_start) = (0, 0);
    for i in 0..=v.len() {
        let b = v.get(i).copied().unwrap_or(b' ');
        if b.is_ascii_whitespace() {
            if i > word_start {
                bits |= word_bits(&v[word_start..i]);
            }
            if i > part_start && part_start > word_start {
                bits |= word_bits(&v[part_start..i]);
            }
            (word_start, part_start) = (i + 1, i + 1);
        } else if b == b'-' || b == b'_' {
            if i > part_start {
                bits |= word_bits(&v[part_start..i]);
            }
            part_start = i + 1;
        }
    }
    bits
}

fn is_hidden(n: &Node) -> bool {
    n.attr("hidden").is_some()
        || n.attr("aria-hidden") == Some("true")
        || n.attr("style").is_some_and(style_hides)
}

/// `display: none` or `visibility: hidden` in a style attribute.
fn style_hides(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((prop, value)) = decl.split_once(':') else {
            return false;
        };
        let (prop, value) = (prop.trim(), value.trim());
        prop.eq_ignore_ascii_case("display") && value.eq_ignore_ascii_case("none")
            || prop.eq_ignore_ascii_case("visibility") && value.eq_ignore_ascii_case("hidden")
    })
}

fn is_boilerplate_role(role: &str) -> bool {
    matches!(
        role,
        "navigation"
            | "banner"
            | "contentinfo"
            | "complementary"
            | "dialog"
            | "alert"
            | "menu"
            | "menubar"
            | "search"
    )
}

/// What the markup says of each node, independent of any pass.
struct Marks {
    /// Removed in every pass: boilerplate tags and roles, hidden nodes, comment threads.
    hard: Vec<bool>,
    /// Negative class word (removed in the strict pass unless it holds most of the text).
    negative: Vec<bool>,
    positive: Vec<bool>,
    /// Parent of several `<article>` teasers.
    teaser_list: Vec<bool>,
    /// A tag that breaks inline text (`STRUCTURE_TAGS`), and a node with such a child.
    structure: Vec<bool>,
    holds_structure: Vec<bool>,
    /// Characters and commas of each text node (counted once for both passes).
    text_len: Vec<u32>,
    commas: Vec<u32>,
    /// `itemprop=articleBody` elements.
    article_bodies: Vec<usize>,
}

/// What an element's attributes say: class-word bits, and whether it is hidden, a boilerplate
/// role, or typed as a comment. One pass over the attributes.
fn attribute_facts(attrs: &[(Cow<'_, str>, Cow<'_, str>)]) -> (u8, bool, bool) {
    let (mut bits, mut hidden, mut article_body) = (0, false, false);
    for (k, v) in attrs {
        // byte patterns: matched by length and bytes, without a string comparison per key
        match k.as_bytes() {
            b"class" | b"id" => bits |= attr_bits(v),
            b"hidden" => hidden = true,
            b"aria-hidden" => hidden |= &**v == "true",
            b"style" => hidden |= style_hides(v),
            b"role" => hidden |= is_boilerplate_role(v),
            b"itemtype" if v.ends_with("/Comment") || v.ends_with("/UserComments") => {
                bits |= COMMENT
            }
            b"itemprop" => {
                article_body |= v
                    .split_ascii_whitespace()
                    .any(|p| p.eq_ignore_ascii_case("articleBody"))
            }
            _ => {}
        }
    }
    (bits, hidden, article_body)
}

fn mark(doc: &Document, t: &Tuning) -> Marks {
    let n = doc.nodes.len();
    let mut m = Marks {
        hard: vec![false; n],
        negative: vec![false; n],
        positive: vec![false; n],
        teaser_list: vec![false; n],
        structure: vec![false; n],
        holds_structure: vec![false; n],
        text_len: vec![0; n],
        commas: vec![0; n],
        article_bodies: Vec::new(),
    };
    let mut articles_under = vec![0u32; n];
    for (id, node) in doc.nodes.iter().enumerate().skip(1) {
        let (name, attrs) = match &node.kind {
            NodeKind::Element { name, attrs } => (&**name, attrs),
            NodeKind::Text { text, .. } => {
                (m.text_len[id], m.commas[id]) = chars_and_commas(text);
                continue;
            }
            NodeKind::Document => continue,
        };
        let (bits, hidden, article_body) = attribute_facts(attrs);
        let comment = bits & COMMENT != 0 && !matches!(name, "body" | "html");
        m.hard[id] = is_removed_tag(name) || hidden || t.prune_comments && comment;
        m.negative[id] =
            (bits & NEG != 0 || comment) && !matches!(name, "body" | "html" | "article" | "main");
        m.positive[id] = bits & POS != 0;
        if is_structure_tag(name) {
            m.structure[id] = true;
            m.holds_structure[node.parent] = true;
        }
        if article_body {
            m.article_bodies.push(id);
        }
        if name == "article" {
            // a teaser list holds its articles directly or each in a wrapper (li, div)
            let p = node.parent;
            articles_under[p] += 1;
            if element_children(doc, p).nth(1).is_none() {
                articles_under[doc.nodes[p].parent] += 1;
            }
        }
    }
    if t.teaser_articles > 0 {
        for (id, &k) in articles_under.iter().enumerate() {
            m.teaser_list[id] = id > 0 && k >= t.teaser_articles;
        }
    }
    m
}

fn element_children<'a>(doc: &'a Document<'a>, id: usize) -> impl Iterator<Item = usize> + 'a {
    doc.children(id).filter(|&c| doc.nodes[c].name().is_some())
}

/// A paragraph of text: credits `at` (its container) and `at`'s ancestors.
struct Unit {
    at: usize,
    len: u32,
    commas: u32,
}

pub struct Analysis {
    dead: Vec<bool>,
    text_len: Vec<u32>,
    link_len: Vec<u32>,
    commas: Vec<u32>,
    /// Characters of paragraph text inside each node.
    para_len: Vec<u32>,
    units: Vec<Unit>,
}

impl Analysis {
    fn link_density(&self, id: usize) -> f32 {
        if self.text_len[id] == 0 {
            0.0
        } else {
            self.link_len[id] as f32 / self.text_len[id] as f32
        }
    }
}

/// Containers whose inline text runs are paragraphs, and which are a paragraph themselves when
/// they hold no structure at all.
fn is_text_container(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "section"
            | "article"
            | "main"
            | "body"
            | "td"
            | "blockquote"
            | "center"
            | "font"
            | "form"
            | "dd"
    )
}

/// Characters of the words (each word counts one more, for the space after it) and commas,
/// in one pass. CJK text separates clauses with its own commas.
fn chars_and_commas(text: &str) -> (u32, u32) {
    if text.is_ascii() {
        return ascii_chars_and_commas(text.as_bytes());
    }
    let (mut len, mut commas, mut in_word) = (0u32, 0u32, false);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII without decoding or branches; other characters decoded one at a time
        let (space, comma) = if b < 0x80 {
            i += 1;
            (is_space_byte(b), b == b',')
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            (c.is_whitespace(), matches!(c, '\u{3001}' | '\u{ff0c}'))
        };
        len += u32::from(!space) * (1 + u32::from(!in_word));
        in_word = !space;
        commas += u32::from(comma);
    }
    (len, commas)
}

/// [`chars_and_commas`] of ASCII text, without a branch per byte.
fn ascii_chars_and_commas(bytes: &[u8]) -> (u32, u32) {
    let (mut len, mut commas, mut in_word) = (0u32, 0u32, 0u32);
    for &b in bytes {
        let word = u32::from(!is_space_byte(b));
        len += word * (2 - in_word);
        in_word = word;
        commas += u32::from(b == b',');
    }
    (len, commas)
}

/// Lengths, link text and paragraphs of the live nodes, bottom-up in one pass.
fn analyse(doc: &Document, m: &Marks, dead: Vec<bool>, t: &Tuning) -> Analysis {
    let n = doc.nodes.len();
    let mut a = Analysis {
        dead,
        text_len: vec![0; n],
        link_len: vec![0; n],
        commas: vec![0; n],
        para_len: vec![0; n],
        units: Vec::new(),
    };
    // children have larger ids than their parent: a reverse scan sees every child first
    for id in (1..n).rev() {
        if a.dead[id] {
            continue;
        }
        let node = &doc.nodes[id];
        match &node.kind {
            NodeKind::Text { .. } => {
                (a.text_len[id], a.commas[id]) = (m.text_len[id], m.commas[id]);
            }
            NodeKind::Element { name, .. } => {
                if &**name == "a" {
                    a.link_len[id] = a.text_len[id];
                }
                paragraphs_of(doc, m, &mut a, id, name, t);
            }
            NodeKind::Document => {}
        }
        let p = node.parent;
        a.text_len[p] += a.text_len[id];
        a.link_len[p] += a.link_len[id];
        a.commas[p] += a.commas[id];
        a.para_len[p] += a.para_len[id];
    }
    a
}

/// The paragraphs element `id` is or holds directly.
fn paragraphs_of(doc: &Document, m: &Marks, a: &mut Analysis, id: usize, name: &str, t: &Tuning) {
    let len = a.text_len[id];
    let node = &doc.nodes[id];
    let whole = match name {
        "p" | "pre" => true,
        "li" => len >= 80 && a.link_density(id) < 0.3 && !m.holds_structure[id],
        n if is_text_container(n) => !m.holds_structure[id],
        _ => false,
    };
    if whole {
        if len >= t.min_paragraph {
            a.para_len[id] += len;
            a.units.push(Unit {
                at: node.parent,
                len,
                commas: a.commas[id],
            });
        }
        return;
    }
    if !t.inline_runs || !is_text_container(name) || len < t.min_paragraph {
        return;
    }
    // inline text between blocks and <br>s: each run is a paragraph of this container
    let (mut run, mut links, mut commas) = (0u32, 0u32, 0u32);
    let flush = |a: &mut Analysis, run: &mut u32, links: &mut u32, commas: &mut u32| {
        if *run >= t.min_paragraph && *links * 2 <= *run {
            a.para_len[id] += *run;
            a.units.push(Unit {
                at: id,
                len: *run,
                commas: *commas,
            });
        }
        (*run, *links, *commas) = (0, 0, 0);
    };
    for c in doc.children(id) {
        if m.structure[c] {
            flush(a, &mut run, &mut links, &mut commas);
        } else if !a.dead[c] {
            run += a.text_len[c];
            links += a.link_len[c];
            commas += a.commas[c];
        }
    }
    flush(a, &mut run, &mut links, &mut commas);
}

/// Dead nodes: the marked boilerplate, and in the strict pass the class-word and teaser-list
/// nodes that do not hold `guard_share` of the page's paragraph text.
fn dead_nodes(doc: &Document, m: &Marks, guard: Option<(&Analysis, f32)>) -> Vec<bool> {
    let n = doc.nodes.len();
    let mut dead = vec![false; n];
    for id in 1..n {
        let mut d = dead[doc.nodes[id].parent] || m.hard[id];
        if let Some((loose, share)) = guard {
            if !d && (m.negative[id] || m.teaser_list[id]) {
                let total = loose.para_len[0] as f32;
                d = total == 0.0 || (loose.para_len[id] as f32) < share * total;
            }
        }
        dead[id] = d;
    }
    dead
}

fn base_score(n: &Node, m: &Marks, id: usize) -> f32 {
    let tag = match n.name() {
        Some("div" | "article" | "main" | "section") => 5.0,
        Some("pre" | "td" | "blockquote") => 3.0,
        Some("address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form") => -3.0,
        Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th") => -5.0,
        _ => 0.0,
    };
    let mut w = 0.0;
    if m.negative[id] {
        w -= 25.0;
    }
    if m.positive[id] {
        w += 25.0;
    }
    tag + w
}

/// Candidate scores: each paragraph credits its container and four more ancestors, less at each
/// level; the sum is discounted by the candidate's link density. Unscored nodes are NaN.
fn scores(doc: &Document, a: &Analysis, m: &Marks) -> Vec<f32> {
    let mut score = vec![f32::NAN; doc.nodes.len()];
    for u in &a.units {
        let s = 1.0 + u.commas as f32 + (u.len as f32 / 100.0).min(3.0);
        let mut anc = u.at;
        for level in 0..5 {
            if anc == 0 || doc.nodes[anc].name().is_none() {
                break;
            }
            if score[anc].is_nan() {
                score[anc] = base_score(&doc.nodes[anc], m, anc);
            }
            score[anc] += match level {
                0 => s,
                1 => s / 2.0,
                l => s / (l as f32 * 3.0),
            };
            anc = doc.nodes[anc].parent;
        }
    }
    for (id, sc) in score.iter_mut().enumerate() {
        if !sc.is_nan() {
            *sc *= 1.0 - a.link_density(id);
        }
    }
    score
}

/// The ids of `id` and its descendants: node ids are in document order, so a subtree is the
/// range from the node to just past its last descendant.
fn subtree(doc: &Document, id: usize) -> std::ops::Range<usize> {
    id..doc.nodes[id].subtree_end
}

/// The publisher's own mark of the content: the `itemprop=articleBody` with the most paragraph
/// text, else the page's only live `<article>` (teasers in lists aside), else its only `<main>`.
/// Returns the node and whether it marks the body itself.
fn anchor(doc: &Document, a: &Analysis, m: &Marks) -> Option<(usize, bool)> {
    let live = |id: &usize| !a.dead[*id] && a.para_len[*id] > 0;
    let body = m
        .article_bodies
        .iter()
        .copied()
        .filter(live)
        .max_by_key(|&id| a.para_len[id]);
    if let Some(b) = body {
        return Some((b, true));
    }
    let only = |name: &str, outer_only: bool| {
        let mut found = doc.elements(name).filter(live).filter(|&id| {
            !(m.teaser_list[doc.nodes[id].parent]
                || outer_only
                    && doc.ancestor_matches(doc.nodes[id].parent, |n| n.name() == Some(name)))
        });
        let first = found.next();
        first.filter(|_| found.next().is_none())
    };
    only("article", true)
        .or_else(|| only("main", false))
        .map(|id| (id, false))
}

/// The chosen content roots, in document order.
fn choose(doc: &Document, a: &Analysis, m: &Marks, t: &Tuning) -> Vec<usize> {
    let score = scores(doc, a, m);
    let sc = |id: usize| if score[id].is_nan() { 0.0 } else { score[id] };
    let best_within = |root: usize| {
        subtree(doc, root)
            .filter(|&id| id > 0 && !score[id].is_nan() && !a.dead[id])
            .max_by(|&x, &y| score[x].total_cmp(&score[y]))
    };
    let Some(mut top) = best_within(0) else {
        return vec![];
    };
    let mut ceiling = None;
    if t.anchors {
        if let Some((anc, marks_body)) = anchor(doc, a, m) {
            let holds_top = subtree(doc, anc).contains(&top);
            // an anchor elsewhere still wins when it holds most of the paragraph text
            let holds_most = a.para_len[anc] * 2 >= a.para_len[0];
            if holds_top || holds_most {
                if !holds_top {
                    top = best_within(anc).unwrap_or(anc);
                }
                if marks_body {
                    top = anc;
                }
                ceiling = Some(anc);
            }
        }
    }
    top = if t.climb_share > 0.0 {
        climb_by_share(doc, a, top, ceiling, t.climb_share)
    } else {
        climb(doc, top, ceiling, t, sc)
    };
    // nothing outside the publisher's own boundary joins it
    let mut roots = if Some(top) == ceiling {
        vec![top]
    } else {
        siblings(doc, a, m, &score, top, t)
    };
    if t.split_parts {
        add_split_parts(doc, a, &score, top, &mut roots, t);
    }
    roots
}

/// The other parts of a body split into several containers of the same tag and class: each
/// joins when it scores like a good sibling and is not a link list. Keeps `roots` in document
/// order.
fn add_split_parts(
    doc: &Document,
    a: &Analysis,
    score: &[f32],
    top: usize,
    roots: &mut Vec<usize>,
    t: &Tuning,
) {
    let node = &doc.nodes[top];
    let (Some(name), Some(class)) = (node.name(), node.attr("class")) else {
        return;
    };
    if class.trim().is_empty() {
        return;
    }
    let threshold = (score[top] * t.sibling_share).max(10.0);
    let mut kept: Vec<std::ops::Range<usize>> = roots.iter().map(|&r| subtree(doc, r)).collect();
    for (id, node) in doc.nodes.iter().enumerate().skip(1) {
        let part = !a.dead[id]
            && score[id] >= threshold
            && node.name() == Some(name)
            && node.attr("class") == Some(class)
            && a.link_density(id) <= t.sibling_links;
        if !part {
            continue;
        }
        // neither inside nor around what is kept already (a range holds the other's start)
        let range = subtree(doc, id);
        if kept
            .iter()
            .all(|k| !k.contains(&id) && !range.contains(&k.start))
        {
            kept.push(range);
            roots.push(id);
        }
    }
    roots.sort_unstable();
}

/// Walk up from the best candidate, taking an ancestor that scores more than `climb_ratio` times
/// the current choice; stop at the anchor, at `<body>`, or when scores fall below a third.
fn climb(
    doc: &Document,
    mut top: usize,
    ceiling: Option<usize>,
    t: &Tuning,
    sc: impl Fn(usize) -> f32,
) -> usize {
    let mut anc = top;
    while Some(anc) != ceiling {
        let p = doc.nodes[anc].parent;
        if p == 0 || matches!(doc.nodes[p].name(), Some("body" | "html") | None) {
            break;
        }
        if sc(p) > sc(top) * t.climb_ratio {
            top = p;
        } else if sc(p) < sc(top) / 3.0 {
            break;
        }
        anc = p;
    }
    top
}

/// Walk up while the parent holds little more text than the current choice.
fn climb_by_share(
    doc: &Document,
    a: &Analysis,
    mut top: usize,
    ceiling: Option<usize>,
    share: f32,
) -> usize {
    while Some(top) != ceiling {
        let p = doc.nodes[top].parent;
        if p == 0 || matches!(doc.nodes[p].name(), Some("body" | "html") | None) {
            break;
        }
        if a.text_len[top] as f32 >= share * a.text_len[p] as f32 {
            top = p;
        } else {
            break;
        }
    }
    top
}

/// The container and the siblings that belong with it: ones that score well and are not link
/// lists, and plain paragraphs.
fn siblings(
    doc: &Document,
    a: &Analysis,
    m: &Marks,
    score: &[f32],
    top: usize,
    t: &Tuning,
) -> Vec<usize> {
    let top_score = if score[top].is_nan() { 0.0 } else { score[top] };
    let threshold = (top_score * t.sibling_share).max(10.0);
    let parent = doc.nodes[top].parent;
    let top_class = doc.nodes[top].attr("class").unwrap_or("");
    let mut out = Vec::new();
    for sib in doc.children(parent) {
        if a.dead[sib] {
            continue;
        }
        if sib == top {
            out.push(sib);
            continue;
        }
        let node = &doc.nodes[sib];
        let mut s = if score[sib].is_nan() {
            f32::MIN
        } else {
            score[sib]
        };
        if !top_class.is_empty() && node.attr("class") == Some(top_class) {
            s += top_score * 0.2;
        }
        let len = a.text_len[sib];
        let ld = a.link_density(sib);
        let paragraph = node.name() == Some("p")
            || node.name().is_some_and(is_text_container) && !m.holds_structure[sib];
        let keep = s >= threshold && ld <= t.sibling_links
            || paragraph
                && (len > 80 && ld < 0.25
                    || len > 0
                        && len <= 80
                        && ld == 0.0
                        && ends_sentence(doc.text_of(sib).trim_end()));
        if keep {
            out.push(sib);
        }
    }
    out
}

/// Ends like a sentence, in Latin or CJK punctuation.
fn ends_sentence(t: &str) -> bool {
    t.ends_with([
        '.', '!', '?', '"', '\u{201d}', ':', ')', '\u{3002}', '\u{ff01}', '\u{ff1f}', '\u{300d}',
        '\u{300f}', '\u{ff09}', '\u{ff1a}', '\u{2026}',
    ])
}

/// Render the kept subtrees as text with block offsets. `clean` (the analysis and constants of
/// the main pass) drops link lists, teaser lines and the leading `h1` inside the content.
fn render(
    doc: &Document,
    dead: &[bool],
    roots: &[usize],
    clean: Option<(&Analysis, &Tuning)>,
    out: &mut String,
    blocks: &mut Vec<Block>,
) {
    let mut cur_start: Option<(usize, BlockKind)> = None;
    let close =
        |out: &mut String, blocks: &mut Vec<Block>, cur: &mut Option<(usize, BlockKind)>| {
            while out.ends_with(' ') {
                out.pop();
            }
            if let Some((s, k)) = cur.take() {
                if out.len() > s {
                    blocks.push(Block {
                        kind: k,
                        start: s,
                        end: out.len(),
                    });
                }
            }
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
        };
    // a subtree is a range of ids: walk it in order, skipping a dropped node's range, and end
    // each open block when the walk passes its range
    let mut open: Vec<(usize, bool)> = Vec::new();
    for &root in roots {
        let mut id = root;
        let end = doc.nodes[root].subtree_end;
        while id < end {
            while open.last().is_some_and(|&(e, _)| e <= id) {
                if let Some((_, true)) = open.pop() {
                    close(out, blocks, &mut cur_start);
                }
            }
            let node = &doc.nodes[id];
            if dead[id] {
                id = node.subtree_end;
                continue;
            }
            match &node.kind {
                NodeKind::Text { text, .. } => render_text(doc, id, text, out, &mut cur_start),
                NodeKind::Element { name, .. } => {
                    let name = Some(&**name);
                    if let Some((a, t)) = clean {
                        if dropped(
                            doc,
                            a,
                            t,
                            id,
                            root,
                            name,
                            cur_start.is_some() || !blocks.is_empty(),
                        ) {
                            id = node.subtree_end;
                            continue;
                        }
                    }
                    let is_block = name.is_some_and(html::ends_line);
                    if is_block {
                        close(out, blocks, &mut cur_start);
                    }
                    open.push((node.subtree_end, is_block));
                }
                NodeKind::Document => {}
            }
            id += 1;
        }
        while let Some((_, is_block)) = open.pop() {
            if is_block {
                close(out, blocks, &mut cur_start);
            }
        }
    }
    close(out, blocks, &mut cur_start);
}

/// Is element `id` left out of the main text: a link list inside the content, a teaser line,
/// or the leading `h1` (the page title leads; an h1 after text is a subheading of the body)?
fn dropped(
    doc: &Document,
    a: &Analysis,
    t: &Tuning,
    id: usize,
    root: usize,
    name: Option<&str>,
    after_text: bool,
) -> bool {
    id != root && is_link_list(a, id, name)
        || t.drop_link_lines && name == Some("p") && is_teaser_line(doc, a, id)
        || name == Some("h1") && !(t.keep_inner_h1 && after_text)
}

/// Append text node `id`'s words, one space between them, starting a block at its first word.
fn render_text(
    doc: &Document,
    id: usize,
    text: &str,
    out: &mut String,
    cur_start: &mut Option<(usize, BlockKind)>,
) {
    let mut ws = words(text);
    if let Some(w) = ws.next() {
        if is_power_of_ten(doc, id, text, out) {
            out.push('^');
        }
        if cur_start.is_none() {
            *cur_start = Some((out.len(), kind_of(doc, id)));
        } else if text.starts_with(char::is_whitespace) {
            if !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else if out.ends_with(|c: char| {
            c.is_alphanumeric() || matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')')
        }) && !out.ends_with('\n')
            && doc.nodes[doc.nodes[id].parent]
                .name()
                .is_some_and(|t| matches!(t, "td" | "th"))
        {
            out.push(' ');
        }
        out.push_str(w);
        // every later word follows one space: text spaced that way already is copied whole
        let rest = &text[ws.i..];
        if single_spaced(rest) {
            out.push_str(rest.trim_end_matches(' '));
        } else if rest.is_ascii() {
            push_ascii_words(rest, out);
        } else {
            for w in ws {
                out.push(' ');
                out.push_str(w);
            }
        }
    }
    if text.ends_with(char::is_whitespace) && cur_start.is_some() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

/// Is text node `id` the exponent of a power of ten written with a superscript ("1.5×10<sup>10
/// </sup>")? Rendered flat it would read as the number 1010; with a caret the numbers check
/// reads 1.5×10^10 as 1.5e10.
fn is_power_of_ten(doc: &Document, id: usize, text: &str, out: &str) -> bool {
    let exponent = text.trim().trim_start_matches(['-', '\u{2212}']);
    !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
        && doc.nodes[doc.nodes[id].parent].name() == Some("sup")
        && out
            .strip_suffix("10")
            .is_some_and(|b| b.trim_end().ends_with(['×', '*', 'x']))
}

/// Push each word of ASCII `s` after one space (the words of `split_whitespace`, found
/// without decoding).
fn push_ascii_words(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && is_space_byte(b[i]) {
            i += 1;
        }
        if i == b.len() {
            return;
        }
        let start = i;
        while i < b.len() && !is_space_byte(b[i]) {
            i += 1;
        }
        out.push(' ');
        out.push_str(&s[start..i]);
    }
}

/// Is `s` ASCII with no control characters and no two spaces in a row? Then its words are
/// separated by single spaces already. One pass the compiler vectorises, and one SIMD search.
fn single_spaced(s: &str) -> bool {
    let b = s.as_bytes();
    let odd = b
        .iter()
        .fold(0u8, |acc, &c| acc | u8::from(c < 0x20) | (c & 0x80));
    odd == 0 && memchr::memmem::find(b, b"  ").is_none()
}

/// Is ASCII byte `b` whitespace as `char::is_whitespace` has it: space, and tab to carriage
/// return (vertical tab included, which `u8::is_ascii_whitespace` leaves out).
#[inline]
fn is_space_byte(b: u8) -> bool {
    b == b' ' || b.wrapping_sub(b'\t') < 5
}

/// Is the character at byte `i` of `s` whitespace (as `char::is_whitespace`), and its length?
/// ASCII, most of any page, is classified without decoding.
#[inline]
fn space_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        return (is_space_byte(b), 1);
    }
    let c = s[i..].chars().next().unwrap_or(' ');
    (c.is_whitespace(), c.len_utf8())
}

/// The words of `s`, exactly as `str::split_whitespace` gives them, at the cost of a byte scan.
fn words(s: &str) -> Words<'_> {
    Words { s, i: 0 }
}

struct Words<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let n = self.s.len();
        let mut i = self.i;
        loop {
            if i >= n {
                self.i = n;
                return None;
            }
            let (space, len) = space_at(self.s, i);
            if !space {
                break;
            }
            i += len;
        }
        let start = i;
        while i < n {
            let (space, len) = space_at(self.s, i);
            if space {
                break;
            }
            i += len;
        }
        self.i = i;
        Some(&self.s[start..i])
    }
}

/// A paragraph that is one link and no sentence: a headline pointing elsewhere ("MORE: ...").
fn is_teaser_line(doc: &Document, a: &Analysis, id: usize) -> bool {
    a.text_len[id] > 0
        && a.link_len[id] * 10 >= a.text_len[id] * 9
        && !ends_sentence(doc.text_of(id).trim_end())
}

/// A list, table or box inside the content that is mostly links (related stories, tag lists).
fn is_link_list(a: &Analysis, id: usize, name: Option<&str>) -> bool {
    if !matches!(name, Some("ul" | "ol" | "table" | "div" | "section" | "dl")) {
        return false;
    }
    let ld = a.link_density(id);
    let len = a.text_len[id];
    ld > 0.5 && len < 2000 || ld > 0.33 && len < 200
}

fn kind_of(doc: &Document, mut id: usize) -> BlockKind {
    for _ in 0..8 {
        id = doc.nodes[id].parent;
        match doc.nodes[id].name() {
            Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => return BlockKind::Heading,
            Some("li" | "dd" | "dt") => return BlockKind::ListItem,
            Some("td" | "th") => return BlockKind::TableCell,
            Some("figcaption" | "caption") => return BlockKind::Caption,
            Some("blockquote" | "q") => return BlockKind::Quote,
            Some("p" | "div" | "section" | "article" | "body") | None => {
                return BlockKind::Paragraph
            }
            _ => {}
        }
    }
    BlockKind::Paragraph
}

/// Main content text and blocks. The strict pass removes class-word boilerplate; when it finds
/// little, the loose pass keeps it (comments and marked boilerplate stay removed in both).
pub fn main_text(doc: &Document, t: &Tuning) -> (String, Vec<Block>) {
    let m = mark(doc, t);
    let loose = analyse(doc, &m, dead_nodes(doc, &m, None), t);
    let strict = analyse(
        doc,
        &m,
        dead_nodes(doc, &m, Some((&loose, t.guard_share))),
        t,
    );
    let mut best = (String::new(), Vec::new());
    for a in [&strict, &loose] {
        let roots = choose(doc, a, &m, t);
        let mut text = String::new();
        let mut blocks = Vec::new();
        if !roots.is_empty() {
            render(doc, &a.dead, &roots, Some((a, t)), &mut text, &mut blocks);
        }
        if text.len() > best.0.len() {
            best = (text, blocks);
        }
        if best.0.len() >= t.loose_below {
            break;
        }
    }
    let (text, blocks) = best;
    prune_blocks(text, blocks)
}

/// Drop the blocks that frame an article rather than belong to it: bylines, datelines,
/// subscription prompts and copyright lines, and short unpunctuated labels at its edges
/// ("BREAKING NEWS", a date).
fn prune_blocks(text: String, blocks: Vec<Block>) -> (String, Vec<Block>) {
    let n = blocks.len();
    let junk = |k: usize, b: &Block| {
        let t = text[b.start..b.end].trim();
        // every test is of a block under 160 characters: longer ones are neither counted
        // further nor lowercased
        let len = t.chars().take(160).count();
        if len >= 160 {
            return false;
        }
        let lower = t.to_lowercase();
        let edge = k < 3 || k + 3 >= n;
        (len < 100
            && (lower.starts_with("by ")
                || lower.starts_with("updated ")
                || lower.starts_with("published ")))
            || (len < 160
                && [
                    "subscribe",
                    "newsletter",
                    "sign up",
                    "all rights reserved",
                    "\u{a9}",
                    "copyright",
                ]
                .iter()
                .any(|w| lower.contains(w)))
            || (edge && len < 40 && !ends_sentence(t) && b.kind != BlockKind::Heading)
    };
    let keep: Vec<&Block> = blocks
        .iter()
        .enumerate()
        .filter(|(k, b)| !junk(*k, b))
        .map(|(_, b)| b)
        .collect();
    if keep.len() == blocks.len() {
        return (text, blocks);
    }
    let mut out = String::with_capacity(text.len());
    let mut kept = Vec::with_capacity(keep.len());
    for b in keep {
        let start = out.len();
        out.push_str(&text[b.start..b.end]);
        kept.push(Block {
            kind: b.kind,
            start,
            end: out.len(),
        });
        out.push('\n');
    }
    (out, kept)
}

/// Every visible text of the page body, for claims that cite what the main pass dropped.
pub fn whole_text(doc: &Document) -> String {
    let n = doc.nodes.len();
    let mut dead = vec![false; n];
    for id in 1..n {
        let node = &doc.nodes[id];
        dead[id] = dead[node.parent]
            || node
                .name()
                .is_some_and(|t| matches!(t, "script" | "style" | "template" | "head" | "svg"))
            || node.name().is_some() && is_hidden(node);
    }
    let body = doc.elements("body").next().unwrap_or(0);
    let mut text = String::new();
    let mut blocks = Vec::new();
    render(doc, &dead, &[body], None, &mut text, &mut blocks);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search_and_words_match_in_any_case() {
        for list in [NEGATIVE, POSITIVE, COMMENT_WORDS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
        assert_eq!(attr_bits("Article-Body"), POS);
        assert_eq!(attr_bits("sidebar-left promo_box"), NEG);
        assert_eq!(attr_bits("comments-area"), COMMENT);
        assert_eq!(
            attr_bits("commentary"),
            0,
            "a column is not a comment thread"
        );
        assert_eq!(attr_bits("x-y-z"), 0);
        for (list, bit) in [(NEGATIVE, NEG), (POSITIVE, POS), (COMMENT_WORDS, COMMENT)] {
            for w in list {
                let upper = w.to_ascii_uppercase();
                assert!(word_bits(upper.as_bytes()) & bit != 0, "{w}");
                assert_eq!(
                    word_bits(&upper.as_bytes()[1..]) & bit,
                    0,
                    "{w} less its first letter"
                );
            }
        }
    }

    #[test]
    fn text_length_counts_characters_and_cjk_commas() {
        assert_eq!(chars_and_commas("  one, two  "), (9, 1));
        assert_eq!(chars_and_commas("港の防波堤、修復"), (9, 1));
        assert_eq!(chars_and_commas(" \n "), (0, 0));
        assert_eq!(chars_and_commas("a,b\t\u{b}cd ,"), (9, 2));
    }

    #[test]
    fn text_renders_with_one_space_between_words_whatever_its_spacing() {
        let doc = crate::html::parse(
            "<body><p> one two  three\n four\u{a0}five </p><p>six seven</p><p>a <b>b</b> c</p></body>",
        );
        assert_eq!(
            whole_text(&doc),
            "one two three four five\nsix seven\na b c\n"
        );
        assert!(single_spaced(" six seven "));
        assert!(!single_spaced("two  three"));
        assert!(!single_spaced("two\nthree"));
        assert!(!single_spaced("four\u{a0}five"));
        let mut out = String::new();
        push_ascii_words("\tone  two\r\nthree\u{b}four\u{1c}five ", &mut out);
        assert_eq!(out, " one two three four\u{1c}five");
    }

    #[test]
    fn a_superscript_power_of_ten_keeps_its_caret() {
        let doc = crate::html::parse(
            "<body><p>About 1.5×10<sup>10</sup> stars, 2 x 10<sup>−3</sup> kg, \
             won 10<sup>[1]</sup> times, x<sup>2</sup>.</p></body>",
        );
        assert_eq!(
            whole_text(&doc),
            "About 1.5×10^10 stars, 2 x 10^−3 kg, won 10[1] times, x2.\n"
        );
    }

    #[test]
    fn words_split_like_split_whitespace() {
        for t in [
            "",
            "  ",
            "one",
            " one  two\tthree\n",
            "a\u{a0}b\u{3000}c\u{2009}d\u{85}e",
            "\u{b}vt\u{c}ff\r\u{1c}x",
            "港の防波堤、修復 です ",
            "é\u{202f}ü",
        ] {
            let ours: Vec<&str> = words(t).collect();
            let std: Vec<&str> = t.split_whitespace().collect();
            assert_eq!(ours, std, "{t:?}");
        }
        assert_eq!(chars_and_commas("a\u{a0}b,\u{1c}"), (6, 1));
    }

    #[test]
    fn hidden_styles_are_read_without_allocating() {
        assert!(style_hides("color: red; DISPLAY : None"));
        assert!(style_hides("visibility:hidden"));
        assert!(!style_hides("display: block; visibility: visible"));
    }

    #[test]
    fn subtrees_are_id_ranges() {
        let doc = crate::html::parse("<div><p>a<b>b</b></p><p>c</p></div><p>d</p>");
        let div = doc.elements("div").next().unwrap();
        let r = subtree(&doc, div);
        let inside: Vec<usize> = doc.descendants(div).collect();
        assert_eq!(r.start, div);
        assert!(inside.iter().all(|i| r.contains(i)));
        let last_p = doc.elements("p").last().unwrap();
        assert!(!r.contains(&last_p));
    }
}
