//! HTML main content: the article's text without menus, banners, share bars and related links.
//!
//! A readability-style pass on our DOM: boilerplate elements are pruned by tag, role and class
//! tokens; paragraphs score their ancestors by length and commas; the best-scoring container
//! (discounted by link density) and its good siblings are kept; lists and tables inside it that
//! are mostly links are dropped. A JSON-LD `articleBody` the publisher provides wins when long.

use super::{Block, BlockKind};
use crate::html::{Document, Node, NodeKind};

const REMOVE_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "nav",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "button",
    "iframe",
    "svg",
    "select",
    "input",
    "textarea",
    "template",
    "object",
    "embed",
    "canvas",
    "audio",
    "video",
    "head",
    "menu",
    "dialog",
    "label",
];
const NEGATIVE: &[&str] = &[
    "caption",
    "gallery",
    "slideshow",
    "lightbox",
    "comment",
    "comments",
    "share",
    "sharing",
    "social",
    "related",
    "sidebar",
    "footer",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "cookie",
    "cookies",
    "consent",
    "banner",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "promo",
    "newsletter",
    "subscribe",
    "subscription",
    "breadcrumb",
    "breadcrumbs",
    "popup",
    "modal",
    "widget",
    "recommended",
    "recommendations",
    "outbrain",
    "taboola",
    "signup",
    "login",
    "paywall",
    "tags",
    "masthead",
    "toolbar",
    "skip",
    "sponsor",
    "sponsored",
    "rail",
    "trending",
    "popular",
    "more-stories",
    "read-more",
    "readmore",
    "author-bio",
    "bio",
    "disclaimer",
    "print",
    "pagination",
    "pager",
    "hidden",
    "header",
    "topbar",
    "byline",
    "dateline",
    "meta",
    "caption-credit",
    "credit",
    "credits",
    "toc",
    "sharebar",
    "follow",
    "social-links",
    "gdpr",
    "overlay",
    "teaser",
    "teasers",
    "newsletter-signup",
    "site-footer",
    "site-header",
];
const POSITIVE: &[&str] = &[
    "article",
    "content",
    "entry",
    "post",
    "story",
    "body",
    "text",
    "main",
    "blog",
    "prose",
    "articlebody",
    "article-body",
    "story-body",
    "post-content",
    "entry-content",
    "page-content",
];
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
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
    "caption",
    "header",
    "hr",
    "br",
    "address",
    "center",
    "details",
    "summary",
];

fn tokens(n: &Node) -> impl Iterator<Item = String> + '_ {
    let class = n.attr("class").unwrap_or("");
    let id = n.attr("id").unwrap_or("");
    class
        .split_ascii_whitespace()
        .chain(std::iter::once(id))
        .filter(|s| !s.is_empty())
        .flat_map(|s| {
            let lower = s.to_ascii_lowercase();
            let parts: Vec<String> = lower
                .split(['-', '_'])
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            std::iter::once(lower).chain(parts)
        })
}

fn class_weight(n: &Node) -> i32 {
    let mut w = 0;
    let toks: Vec<String> = tokens(n).collect();
    if toks.iter().any(|t| NEGATIVE.contains(&t.as_str())) {
        w -= 25;
    }
    if toks.iter().any(|t| POSITIVE.contains(&t.as_str())) {
        w += 25;
    }
    w
}

fn is_hidden(n: &Node) -> bool {
    n.attr("hidden").is_some()
        || n.attr("aria-hidden") == Some("true")
        || n.attr("style").is_some_and(|s| {
            let s = s.to_ascii_lowercase().replace(' ', "");
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

fn removed(n: &Node, strict: bool) -> bool {
    let Some(name) = n.name() else { return false };
    if REMOVE_TAGS.contains(&name) || is_hidden(n) {
        return true;
    }
    if matches!(
        n.attr("role"),
        Some(
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
    ) {
        return true;
    }
    if strict && !matches!(name, "body" | "html" | "article" | "main") {
        let w = class_weight(n);
        if w < 0 {
            return true;
        }
    }
    false
}

pub struct Analysis {
    dead: Vec<bool>,
    text_len: Vec<u32>,
    link_len: Vec<u32>,
    commas: Vec<u32>,
}

fn analyse(doc: &Document, strict: bool) -> Analysis {
    let n = doc.nodes.len();
    let mut dead = vec![false; n];
    for id in 1..n {
        let node = &doc.nodes[id];
        dead[id] = dead[node.parent] || removed(node, strict);
    }
    let mut text_len = vec![0u32; n];
    let mut link_len = vec![0u32; n];
    let mut commas = vec![0u32; n];
    for id in (1..n).rev() {
        if dead[id] {
            continue;
        }
        let node = &doc.nodes[id];
        if let NodeKind::Text { text, .. } = &node.kind {
            text_len[id] = text
                .split_whitespace()
                .map(|w| w.chars().count() as u32 + 1)
                .sum();
            commas[id] = text.matches(',').count() as u32;
        }
        if node.name() == Some("a") {
            link_len[id] = text_len[id];
        }
        let p = node.parent;
        text_len[p] += text_len[id];
        link_len[p] += link_len[id];
        commas[p] += commas[id];
    }
    Analysis {
        dead,
        text_len,
        link_len,
        commas,
    }
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

fn has_block_child(doc: &Document, id: usize) -> bool {
    doc.nodes[id].children.iter().any(|&c| {
        doc.nodes[c].name().is_some_and(|t| {
            matches!(
                t,
                "p" | "div"
                    | "section"
                    | "article"
                    | "table"
                    | "ul"
                    | "ol"
                    | "blockquote"
                    | "pre"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "figure"
                    | "main"
                    | "header"
                    | "dl"
            )
        })
    })
}

fn base_score(n: &Node) -> f32 {
    let tag = match n.name() {
        Some("div" | "article" | "main" | "section") => 5.0,
        Some("pre" | "td" | "blockquote") => 3.0,
        Some("address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form") => -3.0,
        Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th") => -5.0,
        _ => 0.0,
    };
    tag + class_weight(n) as f32
}

/// The chosen content roots, in document order.
fn choose(doc: &Document, a: &Analysis) -> Vec<usize> {
    let n = doc.nodes.len();
    let mut score = vec![f32::NAN; n];
    for id in 1..n {
        if a.dead[id] {
            continue;
        }
        let node = &doc.nodes[id];
        let para = match node.name() {
            Some("p" | "pre" | "td" | "blockquote") => true,
            Some("div" | "section" | "span" | "li") => {
                !has_block_child(doc, id) && a.text_len[id] >= 25 && node.name() != Some("span")
                    || node.name() == Some("li") && a.text_len[id] >= 80 && a.link_density(id) < 0.3
            }
            _ => false,
        };
        if !para || a.text_len[id] < 25 {
            continue;
        }
        let s = 1.0 + a.commas[id] as f32 + (a.text_len[id] as f32 / 100.0).min(3.0);
        let mut anc = node.parent;
        for level in 0..5 {
            if anc == 0 || doc.nodes[anc].name().is_none() {
                break;
            }
            if score[anc].is_nan() {
                score[anc] = base_score(&doc.nodes[anc]);
            }
            score[anc] += match level {
                0 => s,
                1 => s / 2.0,
                l => s / (l as f32 * 3.0),
            };
            anc = doc.nodes[anc].parent;
        }
    }
    let mut best: Option<(usize, f32)> = None;
    for (id, sc) in score.iter_mut().enumerate().skip(1) {
        if sc.is_nan() || a.dead[id] {
            continue;
        }
        let f = *sc * (1.0 - a.link_density(id));
        *sc = f;
        if best.is_none_or(|(_, b)| f > b) {
            best = Some((id, f));
        }
    }
    let Some((mut top, top_score)) = best else {
        return vec![];
    };
    // climb while the parent holds most of the same text (the article split over wrappers)
    loop {
        let p = doc.nodes[top].parent;
        if p == 0 || doc.nodes[p].name() == Some("body") || doc.nodes[p].name().is_none() {
            break;
        }
        if a.text_len[top] as f32 >= 0.85 * a.text_len[p] as f32 {
            top = p;
        } else {
            break;
        }
    }
    let threshold = (top_score * 0.2).max(10.0);
    let parent = doc.nodes[top].parent;
    let top_class = doc.nodes[top].attr("class").unwrap_or("").to_string();
    let mut out = Vec::new();
    for &sib in &doc.nodes[parent].children {
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
        if !top_class.is_empty() && node.attr("class") == Some(top_class.as_str()) {
            s += top_score * 0.2;
        }
        let len = a.text_len[sib];
        let ld = a.link_density(sib);
        let keep = s >= threshold
            || node.name() == Some("p")
                && (len > 80 && ld < 0.25
                    || len > 0
                        && len <= 80
                        && ld == 0.0
                        && doc.text_of(sib).trim_end().ends_with('.'));
        if keep {
            out.push(sib);
        }
    }
    out
}

/// Render the kept subtrees as text with block offsets.
fn render(
    doc: &Document,
    a: &Analysis,
    roots: &[usize],
    clean: bool,
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
    for &root in roots {
        let mut stack: Vec<(usize, bool)> = vec![(root, true)];
        while let Some((id, enter)) = stack.pop() {
            let node = &doc.nodes[id];
            if a.dead[id] {
                continue;
            }
            let name = node.name();
            let is_block = name.is_some_and(|t| BLOCK_TAGS.contains(&t));
            if !enter {
                if is_block {
                    close(out, blocks, &mut cur_start);
                }
                continue;
            }
            match &node.kind {
                NodeKind::Text { text, .. } => {
                    let mut first = true;
                    for w in text.split_whitespace() {
                        if cur_start.is_none() {
                            cur_start = Some((out.len(), kind_of(doc, id)));
                        } else if !first || text.starts_with(char::is_whitespace) {
                            if !out.ends_with([' ', '\n']) {
                                out.push(' ');
                            }
                        } else if out.ends_with(|c: char| {
                            c.is_alphanumeric()
                                || matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')')
                        }) && !out.ends_with('\n')
                            && doc.nodes[doc.nodes[id].parent]
                                .name()
                                .is_some_and(|t| matches!(t, "td" | "th"))
                        {
                            out.push(' ');
                        }
                        out.push_str(w);
                        first = false;
                    }
                    if text.ends_with(char::is_whitespace)
                        && cur_start.is_some()
                        && !out.ends_with([' ', '\n'])
                    {
                        out.push(' ');
                    }
                }
                NodeKind::Element { .. } => {
                    if clean
                        && matches!(name, Some("ul" | "ol" | "table" | "div" | "section" | "dl"))
                        && id != root
                    {
                        let ld = a.link_density(id);
                        let len = a.text_len[id];
                        if ld > 0.5 && len < 2000 || ld > 0.33 && len < 200 {
                            continue;
                        }
                    }
                    if clean && name == Some("h1") {
                        continue;
                    }
                    if is_block {
                        close(out, blocks, &mut cur_start);
                    }
                    stack.push((id, false));
                    stack.extend(node.children.iter().rev().map(|&c| (c, true)));
                }
                NodeKind::Document => stack.extend(node.children.iter().rev().map(|&c| (c, true))),
            }
        }
    }
    close(out, blocks, &mut cur_start);
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

/// Main content text and blocks.
pub fn main_text(doc: &Document) -> (String, Vec<Block>) {
    let mut best = (String::new(), Vec::new());
    for strict in [true, false] {
        let a = analyse(doc, strict);
        let roots = choose(doc, &a);
        let mut text = String::new();
        let mut blocks = Vec::new();
        if !roots.is_empty() {
            render(doc, &a, &roots, true, &mut text, &mut blocks);
        }
        if text.len() > best.0.len() {
            best = (text, blocks);
        }
        if best.0.len() >= 500 {
            break;
        }
    }
    let (text, blocks) = best;
    prune_blocks(&text, blocks)
}

/// Drop the blocks that frame an article rather than belong to it: bylines, datelines,
/// subscription prompts and copyright lines, and short unpunctuated labels at its edges
/// ("BREAKING NEWS", a date).
fn prune_blocks(text: &str, blocks: Vec<Block>) -> (String, Vec<Block>) {
    let n = blocks.len();
    let junk = |k: usize, b: &Block| {
        let t = text[b.start..b.end].trim();
        let lower = t.to_lowercase();
        let len = t.chars().count();
        let edge = k < 3 || k + 3 >= n;
        let unpunctuated = !t.ends_with(['.', '!', '?', '"', '\u{201d}', ':', ')']);
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
            || (edge && len < 40 && unpunctuated && b.kind != BlockKind::Heading)
    };
    let keep: Vec<&Block> = blocks
        .iter()
        .enumerate()
        .filter(|(k, b)| !junk(*k, b))
        .map(|(_, b)| b)
        .collect();
    if keep.len() == blocks.len() {
        return (text.to_string(), blocks);
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
    let a = Analysis {
        dead,
        text_len: vec![1; n],
        link_len: vec![0; n],
        commas: vec![0; n],
    };
    let body = doc.elements("body").next().unwrap_or(0);
    let mut text = String::new();
    let mut blocks = Vec::new();
    render(doc, &a, &[body], false, &mut text, &mut blocks);
    text
}
