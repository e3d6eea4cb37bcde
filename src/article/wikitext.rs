//! MediaWiki wikitext: `<ref>` (named, reused, list-defined), cite templates, bare links,
//! `{{sfn}}`/`{{harvnb}}` short references resolved against the page's bibliography, `{{efn}}`
//! notes, tables, lists, headings and file captions. Templates that only decorate (infoboxes,
//! navboxes, maintenance tags) are dropped; the few that produce running text are rendered.
//!
//! The scanner is iterative over the text and recurses only into template arguments, links and
//! references, with a depth cap, so hostile nesting costs time linear in the input.

use super::{add_url, bare_urls, order_references, Flat, Parsed, Problem, Reference};
use crate::findings::Code;
use std::collections::{HashMap, HashSet};

const MAX_DEPTH: usize = 24;
/// Longest tag, attributes included, looked for before `<` is read as text.
const MAX_TAG_LEN: usize = 2048;
const SKIP_SECTIONS: &[&str] = &[
    "references",
    "notes",
    "footnotes",
    "citations",
    "bibliography",
    "sources",
    "further reading",
    "external links",
    "see also",
    "notes and references",
    "works cited",
    "general references",
    "explanatory notes",
    "source notes",
    "general and cited references",
    "cited sources",
    "references and notes",
    "einzelnachweise",
    "anmerkungen",
    "literatur",
    "weblinks",
    "siehe auch",
    "quellen",
    "\u{811a}\u{6ce8}",                         // 脚注
    "\u{51fa}\u{5178}",                         // 出典
    "\u{6ce8}\u{91c8}",                         // 注釈
    "\u{53c2}\u{8003}\u{6587}\u{732e}",         // 参考文献
    "\u{95a2}\u{9023}\u{9805}\u{76ee}",         // 関連項目
    "\u{5916}\u{90e8}\u{30ea}\u{30f3}\u{30af}", // 外部リンク
    "\u{53c2}\u{8003}\u{8cc7}\u{6599}",         // 参考資料
];
const OPAQUE_TAGS: &[&str] = &[
    "math",
    "chem",
    "ce",
    "syntaxhighlight",
    "source",
    "pre",
    "timeline",
    "score",
    "graph",
    "templatedata",
    "mapframe",
    "maplink",
    "imagemap",
    "hiero",
    "categorytree",
    "inputbox",
    "charinsert",
    "indicator",
    "templatestyles",
    "section",
];
/// Namespaces of image links (English and the local names of a few large wikis).
const FILE_NAMESPACES: &[&str] = &[
    "file",
    "image",
    "media",
    "datei",
    "bild",
    "fichier",
    "archivo",
    "imagen",
    "\u{30d5}\u{30a1}\u{30a4}\u{30eb}", // ファイル
    "\u{753b}\u{50cf}",                 // 画像
    "\u{6587}\u{4ef6}",                 // 文件
    "\u{6a94}\u{6848}",                 // 檔案
    "\u{56fe}\u{50cf}",                 // 图像
];
const CATEGORY_NAMESPACES: &[&str] = &[
    "category",
    "kategorie",
    "cat\u{e9}gorie",
    "categor\u{ed}a",
    "\u{30ab}\u{30c6}\u{30b4}\u{30ea}", // カテゴリ
    "\u{5206}\u{7c7b}",                 // 分类
    "\u{5206}\u{985e}",                 // 分類
];
/// Image options written as one word, in English and the local forms of a few wikis.
const IMAGE_KEYWORDS: &[&str] = &[
    "thumb",
    "thumbnail",
    "frame",
    "framed",
    "frameless",
    "left",
    "right",
    "center",
    "centre",
    "none",
    "upright",
    "border",
    "baseline",
    "middle",
    "top",
    "bottom",
    "text-top",
    "text-bottom",
    "sub",
    "super",
    "mini",
    "miniatur",
    "hochkant",
    "links",
    "rechts",
    "zentriert",
    "ohne",
    "rahmenlos",
    "gerahmt",
    "rahmen",
    "vignette",
    "gauche",
    "droite",
    "centr\u{e9}",
    "\u{30b5}\u{30e0}\u{30cd}\u{30a4}\u{30eb}", // サムネイル
    "\u{5de6}",                                 // 左
    "\u{53f3}",                                 // 右
    "\u{4e2d}\u{592e}",                         // 中央
    "\u{306a}\u{3057}",                         // なし
    "\u{7e26}",                                 // 縦
];
struct Wiki<'a> {
    src: &'a str,
    flat: Flat,
    refs: HashMap<String, Reference>,
    /// Raw content each named reference was first defined with, to spot conflicting redefinitions.
    ref_raw: HashMap<String, String>,
    order: Vec<String>,
    /// The labels in `order`, for constant-time membership.
    in_order: HashSet<String>,
    defined: Vec<String>,
    problems: Vec<Problem>,
    counters: HashMap<String, usize>,
    biblio: HashMap<String, Reference>,
    /// Short references to resolve against the bibliography: (label, key, offset).
    pending: Vec<(String, String, usize)>,
    /// In a section whose prose is not claims (References, External links ...).
    quiet: bool,
    /// The heading level of that section.
    quiet_level: Option<usize>,
    table_depth: usize,
    /// Rendering the content of a reference: cite templates fill `cur` instead of the bibliography.
    cur: Option<Reference>,
    /// Notes whose own text cites references (`{{efn|...<ref>..</ref>}}`): read as claims after
    /// the body.
    notes: Vec<Flat>,
    /// The matching `}}` of each `{{` and `]]` of each `[[`, found in one pass.
    braces: Pairs,
    brackets: Pairs,
    /// Searches for a closing tag that failed: (tag, from, end), so a page of unclosed tags is
    /// scanned once, not once per tag.
    unclosed: HashMap<String, (usize, usize)>,
    /// List items of the reference sections, hand-written bibliography entries among them.
    plain_entries: Vec<(usize, usize)>,
    /// Rendering the content of a `<ref>` tag, where no footnote can be (see `define_ref`).
    in_ref_tag: bool,
    /// The last search for a tag's `>`: from, where it ended, whether it found one there.
    gt_cache: (usize, usize, bool),
    /// No `]` before this offset on the current line (external links).
    no_bracket_until: usize,
}

pub(crate) fn read(src: &str) -> Parsed {
    let mut w = Wiki {
        src,
        flat: Flat::default(),
        refs: HashMap::new(),
        ref_raw: HashMap::new(),
        order: vec![],
        in_order: HashSet::new(),
        defined: vec![],
        problems: vec![],
        counters: HashMap::new(),
        biblio: HashMap::new(),
        pending: vec![],
        quiet: false,
        quiet_level: None,
        table_depth: 0,
        cur: None,
        notes: vec![],
        in_ref_tag: false,
        plain_entries: vec![],
        braces: Pairs::default(),
        brackets: Pairs::default(),
        unclosed: HashMap::new(),
        no_bracket_until: 0,
        gt_cache: (0, 0, false),
    };
    (w.braces, w.brackets) = pair_delimiters(src);
    w.body(0, src.len(), 0);
    for note in std::mem::take(&mut w.notes) {
        w.flat.append(note);
    }
    w.resolve_short_citations();
    let references = order_references(w.refs, &w.order, &w.defined);
    Parsed {
        flat: w.flat,
        references,
        problems: w.problems,
    }
}

fn starts_ci(s: &str, at: usize, pat: &str) -> bool {
    s.as_bytes()
        .get(at..at + pat.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(pat.as_bytes()))
}

fn find_ci(s: &str, from: usize, pat: &str) -> Option<usize> {
    let b = s.as_bytes();
    let p = pat.as_bytes();
    if from >= b.len() || p.is_empty() {
        return None;
    }
    if !p[0].is_ascii_alphabetic() {
        // the first byte matches exactly ("<ref"): jump between its occurrences
        let mut i = from;
        while let Some(k) = b[i..].iter().position(|&c| c == p[0]) {
            let at = i + k;
            if b.len() - at < p.len() {
                return None;
            }
            if b[at..at + p.len()].eq_ignore_ascii_case(p) {
                return Some(at);
            }
            i = at + 1;
        }
        return None;
    }
    let first = p[0].to_ascii_lowercase();
    (from..=b.len().saturating_sub(p.len()))
        .find(|&i| b[i].to_ascii_lowercase() == first && b[i..i + p.len()].eq_ignore_ascii_case(p))
}

/// End (exclusive) of the balanced `open`..`close` construct starting at `at`.
fn balanced(s: &str, at: usize, open: &str, close: &str) -> Option<usize> {
    let b = s.as_bytes();
    let (o, c) = (open.as_bytes(), close.as_bytes());
    let mut depth = 0usize;
    let mut i = at;
    while i < b.len() {
        if b[i..].starts_with(o) {
            depth += 1;
            i += o.len();
        } else if b[i..].starts_with(c) {
            depth -= 1;
            i += c.len();
            if depth == 0 {
                return Some(i);
            }
        } else if b[i..].starts_with(b"<!--") {
            i = s[i..].find("-->").map(|p| i + p + 3).unwrap_or(b.len());
        } else if b[i..].starts_with(b"<nowiki>") {
            i = find_ci(s, i, "</nowiki>").map(|p| p + 9).unwrap_or(i + 8);
        } else {
            i += 1;
        }
    }
    None
}

/// The closing `}}` of every `{{` and `]]` of every `[[` (end offsets), skipping comments and
/// `<nowiki>`, in one pass: the readers look closings up instead of scanning for them, so a
/// page of unclosed `{{cite web|url=` costs linear time.
fn pair_delimiters(s: &str) -> (Pairs, Pairs) {
    let b = s.as_bytes();
    let (mut braces, mut brackets) = (Vec::new(), Vec::new());
    let (mut open_braces, mut open_brackets) = (Vec::new(), Vec::new());
    let mut nowiki_closed = true;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' if b.get(i + 1) == Some(&b'{') => {
                open_braces.push(i);
                i += 2;
            }
            b'}' if b.get(i + 1) == Some(&b'}') => {
                if let Some(o) = open_braces.pop() {
                    braces.push((o, i + 2));
                }
                i += 2;
            }
            b'[' if b.get(i + 1) == Some(&b'[') => {
                open_brackets.push(i);
                i += 2;
            }
            b']' if b.get(i + 1) == Some(&b']') => {
                if let Some(o) = open_brackets.pop() {
                    brackets.push((o, i + 2));
                }
                i += 2;
            }
            b'<' if b[i..].starts_with(b"<!--") => {
                i = s[i..].find("-->").map(|p| i + p + 3).unwrap_or(b.len());
            }
            b'<' if nowiki_closed && starts_ci(s, i, "<nowiki>") => {
                match find_ci(s, i, "</nowiki>") {
                    Some(p) => i = p + 9,
                    None => {
                        nowiki_closed = false;
                        i += 8;
                    }
                }
            }
            _ => i += 1,
        }
    }
    braces.sort_unstable();
    brackets.sort_unstable();
    (Pairs(braces), Pairs(brackets))
}

/// (opening offset, end of the closing) of matched delimiters, sorted by opening.
#[derive(Default)]
struct Pairs(Vec<(usize, usize)>);

impl Pairs {
    fn get(&self, open: usize) -> Option<usize> {
        self.0
            .binary_search_by_key(&open, |p| p.0)
            .ok()
            .map(|k| self.0[k].1)
    }
}

/// Split template or link arguments at top-level `|`: byte ranges into `s`.
fn split_args(s: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let (mut brace, mut bracket) = (0i32, 0i32);
    let mut last = start;
    let mut i = start;
    while i < end {
        match b[i] {
            b'{' if b.get(i + 1) == Some(&b'{') => {
                brace += 1;
                i += 2;
                continue;
            }
            b'}' if b.get(i + 1) == Some(&b'}') && brace > 0 => {
                brace -= 1;
                i += 2;
                continue;
            }
            b'[' if b.get(i + 1) == Some(&b'[') => {
                bracket += 1;
                i += 2;
                continue;
            }
            b']' if b.get(i + 1) == Some(&b']') && bracket > 0 => {
                bracket -= 1;
                i += 2;
                continue;
            }
            b'<' if starts_ci(s, i, "<ref")
                || starts_ci(s, i, "<nowiki")
                || starts_ci(s, i, "<!--") =>
            {
                let close = if starts_ci(s, i, "<!--") {
                    s[i..end].find("-->").map(|p| i + p + 3)
                } else if starts_ci(s, i, "<nowiki") {
                    find_ci(&s[..end], i, "</nowiki>").map(|p| p + 9)
                } else {
                    let gt = s[i..end].find('>').map(|p| i + p);
                    match gt {
                        Some(g) if b[g - 1] == b'/' => Some(g + 1),
                        Some(g) => find_ci(&s[..end], g, "</ref>").map(|p| p + 6),
                        None => None,
                    }
                };
                i = close.unwrap_or(i + 1);
                continue;
            }
            b'|' if brace == 0 && bracket == 0 => {
                out.push((last, i));
                last = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((last, end));
    out
}

/// Template arguments: name, positional and named (key lower-cased), as byte ranges.
struct Args {
    name: String,
    positional: Vec<(usize, usize)>,
    named: Vec<(String, (usize, usize))>,
}

impl Args {
    fn parse(s: &str, start: usize, end: usize) -> Args {
        let parts = split_args(s, start, end);
        let name = s[parts[0].0..parts[0].1]
            .trim()
            .replace('_', " ")
            .to_lowercase();
        let mut positional = Vec::new();
        let mut named = Vec::new();
        for &(a, b) in &parts[1..] {
            let part = &s[a..b];
            let eq = part
                .find('=')
                .filter(|&e| !part[..e].contains(['{', '[', '<']));
            match eq {
                Some(e) => named.push((part[..e].trim().to_lowercase(), (a + e + 1, b))),
                None => positional.push((a, b)),
            }
        }
        Args {
            name,
            positional,
            named,
        }
    }
    fn get<'s>(&self, s: &'s str, keys: &[&str]) -> Option<&'s str> {
        keys.iter()
            .find_map(|k| {
                self.named
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, r)| s[r.0..r.1].trim())
            })
            .filter(|v| !v.is_empty())
    }
    fn range(&self, keys: &[&str]) -> Option<(usize, usize)> {
        keys.iter()
            .find_map(|k| self.named.iter().find(|(n, _)| n == k).map(|(_, r)| *r))
    }
    fn pos<'s>(&self, s: &'s str, i: usize) -> Option<&'s str> {
        self.positional.get(i).map(|r| s[r.0..r.1].trim())
    }
}

/// Plain text of a small wikitext value (a cite template parameter): links and quotes removed.
fn plain_value(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("[[") {
            let end = r.find("]]").unwrap_or(r.len());
            let inner = &r[..end];
            out.push_str(inner.rsplit('|').next().unwrap_or(inner));
            rest = r.get(end + 2..).unwrap_or("");
        } else if rest.starts_with("''") {
            rest = rest.trim_start_matches('\'');
        } else if rest.starts_with("{{") {
            let end = balanced(rest, 0, "{{", "}}").unwrap_or(rest.len());
            rest = &rest[end..];
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    crate::html::decode_wikitext(out.trim())
}

fn is_year(s: &str) -> bool {
    let digits = s.bytes().take_while(|b| b.is_ascii_digit()).count();
    (digits == 4 && s.len() <= 5) || s == "n.d." || s == "nd"
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Wiki<'_> {
    /// Resolve each `{{sfn}}`/`{{harvnb}}` against the bibliography: a citation template with
    /// that key (exactly, then ignoring case), else a hand-written entry of a bibliography list
    /// that starts with the first author's name and gives the year. `reference-unresolved`
    /// when none.
    fn resolve_short_citations(&mut self) {
        let lower: HashMap<String, &Reference> = self
            .biblio
            .iter()
            .map(|(k, v)| (k.to_lowercase(), v))
            .collect();
        let mut by_first_word: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for &(a, b) in &self.plain_entries {
            let text = &self.src[a..b];
            if let Some(w) = first_word(text.trim_start_matches(['*', '#', ':', ' ', '\'', '['])) {
                by_first_word.entry(w).or_default().push((a, b));
            }
        }
        let mut found_refs: Vec<(String, Reference)> = Vec::new();
        let mut problems = Vec::new();
        for (label, key, offset) in std::mem::take(&mut self.pending) {
            let found = self
                .biblio
                .get(&key)
                .cloned()
                .or_else(|| lower.get(&key.to_lowercase()).map(|r| (*r).clone()))
                .or_else(|| self.plain_entry(&by_first_word, &key));
            match found {
                Some(b) => found_refs.push((label, b)),
                None => problems.push(Problem {
                    code: Code::ReferenceUnresolved,
                    message: format!(
                        "short citation \"{key}\" has no matching entry in the page's bibliography"
                    ),
                    offset,
                }),
            }
        }
        drop(lower);
        self.problems.extend(problems);
        for (label, b) in found_refs {
            if let Some(r) = self.refs.get_mut(&label) {
                for u in b.urls.iter().chain(b.archive_urls.iter()) {
                    add_url(r, u);
                }
                if r.title.is_none() {
                    r.title = b.title.clone();
                }
                if r.accessed.is_none() {
                    r.accessed = b.accessed.clone();
                }
                r.text = format!("{} {}", r.text, b.text).trim().to_string();
            }
        }
    }

    /// A hand-written bibliography line naming the work `key` ("Smith 2010"): it starts with
    /// the key's first word and contains its year.
    fn plain_entry(
        &self,
        by_first_word: &HashMap<String, Vec<(usize, usize)>>,
        key: &str,
    ) -> Option<Reference> {
        let first = first_word(key)?;
        let year = key
            .rsplit(' ')
            .next()
            .filter(|y| is_year(y) || y.contains('\u{2013}'))?;
        let &(a, b) = by_first_word
            .get(&first)?
            .iter()
            .find(|&&(a, b)| self.src[a..b].contains(year))?;
        let raw = &self.src[a..b];
        let mut r = Reference {
            text: plain_value(raw.trim_start_matches(['*', '#', ':', ' '])),
            ..Default::default()
        };
        for u in bare_urls(raw) {
            add_url(&mut r, &u);
        }
        Some(r)
    }

    fn text(&mut self, s: &str, orig: usize, orig_len: usize) {
        if self.quiet && self.cur.is_none() {
            return;
        }
        if s.len() == orig_len && self.src.get(orig..orig + orig_len) == Some(s) {
            self.flat.verbatim(s, orig);
        } else {
            self.flat.mapped(s, orig, orig_len);
        }
    }
    fn block(&mut self) {
        self.flat.block();
    }
    /// The end of the construct opened at `at` when it closes before `end`.
    fn closing(&self, pairs: &Pairs, at: usize, end: usize) -> Option<usize> {
        pairs.get(at).filter(|&c| c <= end)
    }
    fn marker(&mut self, label: String) {
        if self.quiet || self.in_ref_tag {
            return;
        }
        if self.in_order.insert(label.clone()) {
            self.order.push(label.clone());
        }
        self.flat.marker(label);
    }
    fn problem(&mut self, offset: usize, message: String) {
        self.problems.push(Problem {
            code: Code::ArticleMalformed,
            message,
            offset,
        });
    }

    /// Render src[start..end].
    fn body(&mut self, start: usize, end: usize, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let s = self.src;
        let b = s.as_bytes();
        let mut i = start;
        let mut run = start; // start of the pending verbatim text
        let mut prev_line_list = false;
        let mut line_end = end; // of the current top-level line
        macro_rules! flush {
            () => {
                if run < i {
                    let t = &s[run..i];
                    self.text(t, run, t.len());
                }
            };
        }
        while i < end {
            let at_line_start = i == start || b[i - 1] == b'\n';
            if at_line_start && depth == 0 {
                flush!();
                line_end = s[i..end].find('\n').map(|p| i + p).unwrap_or(end);
                let line = &s[i..line_end];
                let t = line.trim_end();
                let list = line.starts_with(['*', '#', ':', ';']);
                if prev_line_list && !list {
                    self.block();
                }
                prev_line_list = list;
                if t.is_empty() {
                    self.block();
                    i = line_end + 1;
                    run = i;
                    continue;
                }
                if t.starts_with('=') && t.ends_with('=') && t.len() >= 3 {
                    let level = t.bytes().take_while(|&c| c == b'=').count();
                    let inner_start = i + level;
                    let inner_end = (i + t.len()
                        - t.bytes().rev().take_while(|&c| c == b'=').count())
                    .max(inner_start);
                    let title = s[inner_start..inner_end].trim().to_lowercase();
                    self.block();
                    // a subsection of a reference section ("Further reading" > "Primary")
                    // is one too
                    match self.quiet_level {
                        Some(q) if level > q => {}
                        _ => {
                            self.quiet = SKIP_SECTIONS.contains(&title.as_str());
                            self.quiet_level = self.quiet.then_some(level);
                        }
                    }
                    self.body(inner_start, inner_end, depth + 1);
                    self.block();
                    i = line_end + 1;
                    run = i;
                    continue;
                }
                // a table, also one indented as ":{|"
                if t.trim_start_matches(':').starts_with("{|") {
                    self.table_depth += 1;
                    self.block();
                    i = line_end + 1;
                    run = i;
                    continue;
                }
                if self.table_depth > 0 && t.starts_with("|}") {
                    self.table_depth -= 1;
                    self.block();
                    i += 2;
                    run = i;
                    continue;
                }
                if self.table_depth > 0 && (t.starts_with("|-") || t.starts_with("|+")) {
                    self.block();
                    i = if t.starts_with("|-") {
                        line_end + 1
                    } else {
                        i + 2
                    };
                    run = i;
                    continue;
                }
                if self.table_depth > 0 && (t.starts_with('|') || t.starts_with('!')) {
                    self.block();
                    i = self.skip_cell_attrs(i + 1, line_end);
                    run = i;
                    continue;
                }
                if list {
                    if self.quiet && line.starts_with(['*', '#']) {
                        self.plain_entries.push((i, line_end));
                    }
                    self.block();
                    i += line
                        .bytes()
                        .take_while(|c| matches!(c, b'*' | b'#' | b':' | b';'))
                        .count();
                    run = i;
                    continue;
                }
                if t.starts_with("----") {
                    self.block();
                    i = line_end + 1;
                    run = i;
                    continue;
                }
            }
            let c = b[i];
            match c {
                b'\n' => {
                    flush!();
                    self.flat.space();
                    i += 1;
                    run = i;
                }
                b'|' | b'!' if self.table_depth > 0 && depth == 0 && b.get(i + 1) == Some(&c) => {
                    flush!();
                    self.block();
                    if line_end <= i {
                        line_end = s[i..end].find('\n').map(|p| i + p).unwrap_or(end);
                    }
                    i = self.skip_cell_attrs(i + 2, line_end);
                    run = i;
                }
                b'<' => {
                    flush!();
                    i = self.tag(i, end, depth);
                    run = i;
                }
                b'{' if b.get(i + 1) == Some(&b'{') => {
                    flush!();
                    i = self.template(i, end, depth);
                    run = i;
                }
                b'[' if b.get(i + 1) == Some(&b'[') => {
                    flush!();
                    i = self.link(i, end, depth);
                    run = i;
                }
                b'[' if starts_ci(s, i + 1, "http://")
                    || starts_ci(s, i + 1, "https://")
                    || s[i + 1..].starts_with("//") =>
                {
                    flush!();
                    i = self.external_link(i, end);
                    run = i;
                }
                b'\'' if b.get(i + 1) == Some(&b'\'') => {
                    flush!();
                    while i < end && b[i] == b'\'' {
                        i += 1;
                    }
                    run = i;
                }
                b'_' if s[i..end].starts_with("__") => {
                    let word_end = s[i + 2..end].find("__").map(|p| i + 2 + p + 2);
                    match word_end {
                        Some(we)
                            if s[i + 2..we - 2].bytes().all(|c| c.is_ascii_uppercase())
                                && we - i > 4 =>
                        {
                            flush!();
                            i = we;
                            run = i;
                        }
                        _ => i += 2,
                    }
                }
                b'&' => {
                    // byte search: a 12-byte window may end inside a multi-byte character
                    let semi = b[i..end.min(i + 12)].iter().position(|&c| c == b';');
                    if let Some(p) = semi {
                        let raw = &s[i..i + p + 1];
                        let dec = crate::html::decode_wikitext(raw);
                        if dec != raw {
                            flush!();
                            let dec = dec.replace('\u{a0}', " ");
                            self.text(&dec, i, raw.len());
                            i += p + 1;
                            run = i;
                            continue;
                        }
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        if run < end.min(i) {
            let t = &s[run..end.min(i)];
            self.text(t, run, t.len());
        }
    }

    /// After `|` or `!` opening a cell: skip `attrs |` when the cell has attributes.
    fn skip_cell_attrs(&self, from: usize, line_end: usize) -> usize {
        let s = self.src;
        let seg = &s[from..line_end];
        let stop = seg
            .as_bytes()
            .windows(2)
            .position(|w| w == b"||" || w == b"!!")
            .unwrap_or(seg.len());
        let cell = &seg[..stop];
        let stop = stop
            .min(cell.find("[[").unwrap_or(stop))
            .min(cell.find("{{").unwrap_or(stop));
        match seg[..stop].find('|') {
            Some(p) if seg[..p].contains('=') || seg[..p].trim().is_empty() => from + p + 1,
            _ => from,
        }
    }

    fn tag(&mut self, i: usize, end: usize, depth: usize) -> usize {
        let s = self.src;
        if s[i..].starts_with("<!--") {
            return match s[i + 4..end].find("-->") {
                Some(p) => i + 4 + p + 3,
                None => {
                    self.problem(
                        i,
                        "unterminated comment <!-- runs to the end of the file".into(),
                    );
                    end
                }
            };
        }
        let name_start = i + 1 + usize::from(s.as_bytes().get(i + 1) == Some(&b'/'));
        let name_len = s[name_start..end]
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        // a tag name starts with a letter: "(<0.1%)" and "a <3 b" are text
        if name_len == 0 || !s.as_bytes()[name_start].is_ascii_alphabetic() {
            self.text("<", i, 1);
            return i + 1;
        }
        let name = s[name_start..name_start + name_len].to_ascii_lowercase();
        let closing = name_start > i + 1;
        let Some(gt) = self.tag_end(i, end.min(i + MAX_TAG_LEN)) else {
            self.text("<", i, 1);
            return i + 1;
        };
        let self_closing = s.as_bytes()[gt - 1] == b'/';
        let attrs = &s[name_start + name_len..if self_closing { gt - 1 } else { gt }];
        if closing {
            if crate::html::ends_line(&name) {
                self.block();
            }
            return gt + 1;
        }
        let content_end = |this: &mut Self| this.close_tag(&name, gt + 1, end);
        match name.as_str() {
            "ref" => {
                let rname = attr(attrs, "name");
                let group = attr(attrs, "group").unwrap_or_default();
                if self_closing {
                    let label = rname
                        .map(|n| self.label_for(Some(&n), &group))
                        .unwrap_or_else(|| self.label_for(None, &group));
                    self.marker(label);
                    return gt + 1;
                }
                // refs do not nest: a </ref> after another <ref opens belongs to that one
                let next_open = find_ci(&s[..end], gt + 1, "<ref").unwrap_or(end);
                let Some(ce) = find_ci(&s[..next_open], gt + 1, "</ref") else {
                    self.problem(i, "unterminated <ref>: no </ref> follows".into());
                    return gt + 1;
                };
                let close_end = s[ce..end].find('>').map(|p| ce + p + 1).unwrap_or(end);
                let label = self.label_for(rname.as_deref(), &group);
                self.define_ref(&label, gt + 1, ce, depth, i, true);
                self.marker(label);
                close_end
            }
            "references" => {
                if self_closing {
                    return gt + 1;
                }
                let Some(ce) = content_end(self) else {
                    return self.unclosed(&name, i, gt);
                };
                self.list_defined(gt + 1, ce, depth);
                s[ce..end].find('>').map(|p| ce + p + 1).unwrap_or(end)
            }
            "gallery" => {
                if self_closing {
                    return gt + 1;
                }
                let Some(ce) = content_end(self) else {
                    return self.unclosed(&name, i, gt);
                };
                self.gallery(gt + 1, ce, depth);
                s[ce..end].find('>').map(|p| ce + p + 1).unwrap_or(end)
            }
            "nowiki" => {
                if self_closing {
                    return gt + 1;
                }
                let Some(ce) = content_end(self) else {
                    return self.unclosed(&name, i, gt);
                };
                let t = crate::html::decode_wikitext(&s[gt + 1..ce]);
                self.text(&t, gt + 1, ce - gt - 1);
                s[ce..end].find('>').map(|p| ce + p + 1).unwrap_or(end)
            }
            "br" => {
                self.flat.space();
                gt + 1
            }
            n if OPAQUE_TAGS.contains(&n) => {
                if self_closing {
                    return gt + 1;
                }
                let Some(ce) = content_end(self) else {
                    return self.unclosed(&name, i, gt);
                };
                s[ce..end].find('>').map(|p| ce + p + 1).unwrap_or(end)
            }
            n => {
                if crate::html::ends_line(n) {
                    self.block();
                }
                gt + 1
            }
        }
    }

    /// An opening tag with no closing one (`<nowiki>`, `<pre>`, `<references>` ...): MediaWiki
    /// shows it as text and reads the rest of the page normally, so the reader goes on after it
    /// (reading to the end of the file as the tag's content dropped every later claim), and the
    /// editor is told.
    fn unclosed(&mut self, name: &str, at: usize, gt: usize) -> usize {
        self.problem(
            at,
            format!(
                "unclosed <{name}>: no </{name}> follows; the rest of the page is read as text"
            ),
        );
        gt + 1
    }

    /// The first `>` in `from..limit`. The last search is remembered, so a page of `<b x=`
    /// with no `>` is scanned once, not once per `<`.
    fn tag_end(&mut self, from: usize, limit: usize) -> Option<usize> {
        let (start, at, found) = self.gt_cache;
        if from >= start && from <= at {
            if found {
                return (at < limit).then_some(at);
            }
            if limit <= at {
                return None;
            }
        }
        // no `>` in start..at when the last search failed there
        let scan_from = if from >= start && from <= at && !found {
            at
        } else {
            from
        };
        let hit = self.src.as_bytes()[scan_from..limit]
            .iter()
            .position(|&c| c == b'>')
            .map(|p| scan_from + p);
        let known_from = if scan_from == from { from } else { start };
        self.gt_cache = match hit {
            Some(g) => (known_from, g, true),
            None => (known_from, limit, false),
        };
        hit
    }

    /// A `<gallery>`: one image a line, `File:X.jpg|caption`; each caption is a block.
    fn gallery(&mut self, a: usize, b: usize, depth: usize) {
        let s = self.src;
        let mut i = a;
        while i < b {
            let line_end = s[i..b].find('\n').map(|p| i + p).unwrap_or(b);
            let parts = split_args(s, i, line_end);
            if let Some(&(ca, cb)) = image_caption(s, parts.get(1..).unwrap_or(&[])) {
                self.block();
                self.body(ca, cb, depth + 1);
                self.block();
            }
            i = line_end + 1;
        }
    }

    /// Where `</name` starts, searching `from..end`. A failed search is remembered, so a page
    /// full of unclosed `<math>` is scanned once.
    fn close_tag(&mut self, name: &str, from: usize, end: usize) -> Option<usize> {
        if let Some(&(f, e)) = self.unclosed.get(name) {
            if from >= f && end <= e {
                return None;
            }
        }
        let found = find_ci(&self.src[..end], from, &format!("</{name}"));
        if found.is_none() {
            self.unclosed.insert(name.to_string(), (from, end));
        }
        found
    }

    /// The label a reference shows: its name, or its number in order of first use.
    fn label_for(&mut self, name: Option<&str>, group: &str) -> String {
        let prefix = if group.is_empty() {
            String::new()
        } else {
            format!("{group} ")
        };
        match name {
            Some(n) => {
                let label = format!("{prefix}{n}");
                if !self.in_order.contains(&label) && !self.refs.contains_key(&label) {
                    *self.counters.entry(group.to_string()).or_default() += 1;
                }
                label
            }
            None => {
                let c = self.counters.entry(group.to_string()).or_default();
                *c += 1;
                format!("{prefix}{c}")
            }
        }
    }

    /// Record a reference's definition from its raw content src[a..b]. `ref_tag`: a `<ref>`
    /// tag, whose content cannot hold further footnotes (MediaWiki does not nest them); a note
    /// template (`{{efn}}`, `{{#tag:ref}}`) can, and its text is then read as a claim too.
    fn define_ref(
        &mut self,
        label: &str,
        a: usize,
        b: usize,
        depth: usize,
        offset: usize,
        ref_tag: bool,
    ) {
        let raw = self.src[a..b].trim().to_string();
        if raw.is_empty() {
            return;
        }
        if let Some(prev) = self.ref_raw.get(label) {
            if *prev != raw {
                self.problems.push(Problem { code: Code::ReferenceDuplicate, message: format!("reference \"{label}\" is defined twice with different content; the first is used"), offset });
            }
            return;
        }
        self.ref_raw.insert(label.to_string(), raw.clone());
        // render the content into a scratch flat with cite templates filling `cur`
        let saved_flat = std::mem::take(&mut self.flat);
        let saved_cur = self.cur.replace(Reference {
            label: label.to_string(),
            ..Default::default()
        });
        let saved_table = std::mem::replace(&mut self.table_depth, 0);
        let saved_tag = std::mem::replace(&mut self.in_ref_tag, ref_tag);
        self.body(a, b, depth + 1);
        let mut r = self.cur.take().unwrap_or_default();
        self.cur = saved_cur;
        self.table_depth = saved_table;
        self.in_ref_tag = saved_tag;
        let rendered = std::mem::replace(&mut self.flat, saved_flat);
        r.text = rendered
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if rendered.has_markers() {
            self.notes.push(rendered);
        }
        for u in bare_urls(&raw) {
            // a cite template's archive-url is already among the archive copies
            if !r.archive_urls.contains(&u) {
                add_url(&mut r, &u);
            }
        }
        if r.title.as_deref().is_some_and(|t| t.starts_with('\u{0}')) {
            let key = r.title.take().unwrap_or_default();
            self.pending.push((
                label.to_string(),
                key.trim_start_matches("\u{0}sfn:").to_string(),
                offset,
            ));
        }
        // a label defined again is listed again: order_references keeps its first place, and a
        // search of the list per definition made pages of thousands of references quadratic
        self.defined.push(label.to_string());
        self.refs.insert(label.to_string(), r);
    }

    /// `<ref name=...>` definitions inside `<references>` or `{{reflist|refs=}}`.
    fn list_defined(&mut self, a: usize, b: usize, depth: usize) {
        let s = self.src;
        let mut i = a;
        while let Some(p) = find_ci(&s[..b], i, "<ref") {
            let Some(gt) = s[p..b].find('>').map(|q| p + q) else {
                break;
            };
            let attrs = &s[p + 4..gt];
            if s.as_bytes()[gt - 1] == b'/' {
                i = gt + 1;
                continue;
            }
            let Some(ce) = find_ci(&s[..b], gt + 1, "</ref") else {
                self.problem(p, "unterminated <ref> in the reference list".into());
                break;
            };
            let group = attr(attrs, "group").unwrap_or_default();
            if let Some(n) = attr(attrs, "name") {
                let label = if group.is_empty() {
                    n
                } else {
                    format!("{group} {n}")
                };
                self.define_ref(&label, gt + 1, ce, depth, p, true);
            }
            i = ce + 5;
        }
    }

    fn template(&mut self, i: usize, end: usize, depth: usize) -> usize {
        let s = self.src;
        if s[i..].starts_with("{{{") {
            // a template parameter: no text of its own
            return match self.closing(&self.braces, i, end) {
                Some(c) if s.as_bytes().get(c) == Some(&b'}') => c + 1,
                Some(c) => c,
                None => i + 3,
            };
        }
        let Some(close) = self.closing(&self.braces, i, end) else {
            self.problem(i, "unterminated template: {{ without matching }}".into());
            return i + 2;
        };
        if depth >= MAX_DEPTH {
            return close;
        }
        let args = Args::parse(s, i + 2, close - 2);
        let name = args.name.as_str();
        let pos = |k: usize| args.pos(s, k).unwrap_or("");
        let render = |this: &mut Self, r: Option<(usize, usize)>| {
            if let Some((a, b)) = r {
                this.body(a, b, depth + 1);
            }
        };
        if name.starts_with("cite") || name == "citation" || name == "vcite" {
            self.cite(&args, (i, close));
            return close;
        }
        match name {
            "reflist" | "references" | "notelist" | "notes" | "refbegin" | "reflist-talk"
            | "notelist-ua" | "notelist-lr" | "notelist2" | "reflist2" => {
                // references defined in the list: `refs=`, also (misplaced) in another argument
                for (a, b) in args
                    .positional
                    .iter()
                    .chain(args.named.iter().map(|n| &n.1))
                {
                    self.list_defined(*a, *b, depth + 1);
                }
            }
            "sfn" | "sfnp" | "sfnm" | "harvnb" | "harv" | "harvp" | "harvtxt" | "harvcoltxt"
            | "harvcol" | "harvcolnb" | "sfnmp" => {
                let key = sfn_key(&args, s);
                if key.is_empty() {
                    return close;
                }
                // {{sfn}} is a footnote; {{harvnb}} is the text "Smith 2001" linking to the
                // bibliography, which makes the reference or note it sits in cite that work
                let footnote = name.starts_with("sfn") && !self.in_ref_tag;
                if !footnote {
                    // a short reference inside <ref>: resolve later
                    if let Some(r) = self.cur.as_mut() {
                        if r.title.is_none() {
                            r.title = Some(format!("\u{0}sfn:{key}"));
                        }
                    }
                    self.text(&key, i, close - i);
                    return close;
                }
                if self.quiet {
                    return close;
                }
                let label = key.clone();
                if !self.refs.contains_key(&label) {
                    self.refs.insert(
                        label.clone(),
                        Reference {
                            label: label.clone(),
                            text: key.clone(),
                            ..Default::default()
                        },
                    );
                    self.defined.push(label.clone());
                    self.pending.push((label.clone(), key, i));
                }
                self.marker(label);
            }
            "efn" | "efn-ua" | "efn-lr" | "efn-la" | "efn-lg" | "efn-ur" | "efn-lu" | "efn2"
            | "refn" | "refnest" | "notetag" | "cref" | "ref label" | "#tag:ref" => {
                let group = args
                    .get(s, &["group"])
                    .map(|g| unquote(g).to_string())
                    .unwrap_or_else(|| {
                        if matches!(name, "refn" | "refnest" | "#tag:ref") {
                            String::new()
                        } else {
                            "note".into()
                        }
                    });
                let rname = args.get(s, &["name"]).map(|n| unquote(n).to_string());
                let label = self.label_for(rname.as_deref(), &group);
                if let Some(&(a, b)) = args.positional.first() {
                    self.define_ref(&label, a, b, depth, i, false);
                }
                self.marker(label);
            }
            // {{R|a|b}}: reuses of the named references a and b
            "r" => {
                let group = args.get(s, &["group"]).unwrap_or("").to_string();
                for &(a, b) in &args.positional {
                    let n = unquote(s[a..b].trim());
                    if !n.is_empty() && !self.in_ref_tag {
                        let label = self.label_for(Some(n), &group);
                        self.marker(label);
                    }
                }
            }
            "lang" | "transl" | "transliteration" => {
                render(self, args.positional.last().copied());
            }
            n if n.starts_with("lang-") => render(self, args.positional.first().copied()),
            "nowrap" | "nobr" | "small" | "big" | "em" | "strong" | "sic" | "nihongo" | "abbr"
            | "ill" | "interlanguage link" | "visible anchor" | "not a typo" | "proper name"
            | "smaller" | "larger" | "resize" | "lang-ru" | "noitalic" | "nobold" | "var" => {
                render(self, args.positional.first().copied())
            }
            "quote"
            | "blockquote"
            | "cquote"
            | "quotation"
            | "quote box"
            | "centered pull quote"
            | "rquote"
            | "poem quote" => {
                let text = args
                    .range(&["text", "quote", "1"])
                    .or(args.positional.first().copied());
                self.block();
                render(self, text);
                self.block();
                // the attribution and source may carry their own references
                self.marked_args(&args, text, depth);
            }
            "nbsp" | "thinsp" | "sp" => self.text(" ", i, close - i),
            "snd" | "spaced ndash" | "spnd" | "dash" => self.text(" \u{2013} ", i, close - i),
            "ndash" | "en dash" => self.text("\u{2013}", i, close - i),
            "mdash" | "em dash" => self.text("\u{2014}", i, close - i),
            "'" | "'s" | "`" => self.text(if name == "'s" { "'s" } else { "'" }, i, close - i),
            "as of" => {
                let t = format!("As of {}", pos(0));
                self.text(&t, i, close - i)
            }
            "circa" | "c." | "ca." => {
                let t = format!("c. {}", pos(0));
                self.text(&t, i, close - i)
            }
            "convert" | "cvt" => {
                let mut t = pos(0).to_string();
                let joiner = pos(1);
                if matches!(
                    joiner,
                    "by" | "x" | "to" | "-" | "and" | "or" | "+/-" | "\u{2013}"
                ) {
                    t = format!("{t} {joiner} {} {}", pos(2), pos(3));
                } else {
                    t = format!("{t} {joiner}");
                }
                self.text(t.trim(), i, close - i);
            }
            "start date" | "end date" | "birth date" | "death date" | "start date and age"
            | "birth date and age" | "death date and age" | "date" | "dts" => {
                let (y, m, d) = (pos(0), pos(1).parse::<usize>().ok(), pos(2));
                let t = match m {
                    Some(m) if (1..=12).contains(&m) && !d.is_empty() => {
                        format!("{d} {} {y}", MONTHS[m - 1])
                    }
                    Some(m) if (1..=12).contains(&m) => format!("{} {y}", MONTHS[m - 1]),
                    _ => y.to_string(),
                };
                self.text(&t, i, close - i);
            }
            "us$" | "usd" | "us dollar" => {
                let t = format!("US${}", pos(0));
                self.text(&t, i, close - i)
            }
            "gbp" | "\u{a3}" => {
                let t = format!("\u{a3}{}", pos(0));
                self.text(&t, i, close - i)
            }
            "frac" | "fraction" => {
                let t = match args.positional.len() {
                    3 => format!("{} {}/{}", pos(0), pos(1), pos(2)),
                    2 => format!("{}/{}", pos(0), pos(1)),
                    _ => format!("1/{}", pos(0)),
                };
                self.text(&t, i, close - i);
            }
            n if n.starts_with("formatnum:") => {
                let v = s[i + 2..close - 2]
                    .split_once(':')
                    .map(|x| x.1)
                    .unwrap_or("")
                    .to_string();
                self.text(&v, i, close - i);
            }
            _ => self.marked_args(&args, None, depth),
        }
        close
    }

    /// The arguments of a template that is not rendered as text (an infobox, a definition
    /// list, an image box) that carry footnotes: each is a block of its own, a named one
    /// with its parameter name as context ("population estimate: 65,648,100"), so the values an
    /// article cites are claims and the references defined in them are known. A named value
    /// that is only a footnote (`| area_footnotes = <ref>..</ref>`) cites the first value whose
    /// parameter shares its first word (`area_total_km2`), as infoboxes show it in that
    /// section's heading. `skip` is an argument already rendered.
    fn marked_args(&mut self, args: &Args, skip: Option<(usize, usize)>, depth: usize) {
        if self.in_ref_tag {
            return; // no footnote inside a <ref>
        }
        let s = self.src;
        let mut parts: Vec<(bool, (usize, usize))> = args
            .positional
            .iter()
            .map(|&r| (false, r))
            .chain(args.named.iter().map(|(_, r)| (true, *r)))
            .filter(|&(_, r)| Some(r) != skip)
            .collect();
        parts.sort_by_key(|p| p.1 .0);
        let mut values: Vec<Option<Flat>> = parts
            .iter()
            .map(|&(_, (a, b))| may_cite(&s[a..b]).then(|| self.render_value(a, b, depth)))
            .collect();
        let names: Vec<Option<&str>> = parts
            .iter()
            .map(|&(named, (a, _))| named.then(|| param_name(s, a)))
            .collect();
        // footnote-only values: their labels move to the value they annotate
        let mut extra: Vec<Vec<String>> = vec![Vec::new(); parts.len()];
        for i in 0..parts.len() {
            let (Some(name), Some(v)) = (names[i], values[i].as_ref()) else {
                continue;
            };
            if v.has_words() || !v.has_markers() {
                continue;
            }
            let Some(j) = (0..parts.len()).find(|&j| {
                j != i
                    && names[j].is_some_and(|n| same_first_word(n, name))
                    && self.has_value_words(&mut values[j], parts[j].1, depth)
            }) else {
                continue;
            };
            let labels = values[i].take().map(Flat::into_labels).unwrap_or_default();
            extra[j].extend(labels);
        }
        for (k, value) in values.into_iter().enumerate() {
            let Some(value) = value else { continue };
            if !value.has_markers() && extra[k].is_empty() {
                continue;
            }
            let mut block = Flat::default();
            if let Some(raw) = names[k].filter(|n| !n.is_empty() && value.has_words()) {
                if !prose_param(raw) {
                    let at = raw.as_ptr() as usize - s.as_ptr() as usize;
                    block.mapped(&format!("{}: ", raw.replace('_', " ")), at, raw.len());
                }
            }
            block.extend(value);
            for label in std::mem::take(&mut extra[k]) {
                block.marker(label);
            }
            self.flat.append(block);
        }
    }

    /// Render src[a..b] on its own, for a template argument.
    fn render_value(&mut self, a: usize, b: usize, depth: usize) -> Flat {
        let saved = std::mem::take(&mut self.flat);
        self.body(a, b, depth + 1);
        std::mem::replace(&mut self.flat, saved)
    }

    /// Does this argument's value show words? Renders it when not yet rendered.
    fn has_value_words(
        &mut self,
        v: &mut Option<Flat>,
        (a, b): (usize, usize),
        depth: usize,
    ) -> bool {
        if v.is_none() {
            *v = Some(self.render_value(a, b, depth));
        }
        v.as_ref().is_some_and(Flat::has_words)
    }

    /// A citation template: fills the reference being read, and is a bibliography entry.
    /// `at`: its byte range.
    fn cite(&mut self, args: &Args, at: (usize, usize)) {
        let s = self.src;
        let mut r = Reference::default();
        if let Some(u) = args.get(s, &["url", "chapter-url", "chapterurl", "contribution-url"]) {
            add_url(&mut r, u);
        }
        if let Some(u) = args.get(s, &["archive-url", "archiveurl"]) {
            let u = u.to_string();
            if !r.archive_urls.contains(&u) {
                r.archive_urls.push(u);
            }
        }
        r.title = args
            .get(s, &["title", "script-title", "trans-title", "chapter"])
            .map(plain_value);
        r.quote = args.get(s, &["quote", "trans-quote"]).map(plain_value);
        r.accessed = args.get(s, &["access-date", "accessdate"]).map(plain_value);
        let work = args
            .get(
                s,
                &[
                    "website",
                    "work",
                    "newspaper",
                    "journal",
                    "magazine",
                    "publisher",
                    "periodical",
                ],
            )
            .map(plain_value);
        let date = args.get(s, &["date", "year"]).map(plain_value);
        let author = args
            .get(
                s,
                &["last", "last1", "author", "author1", "surname", "surname1"],
            )
            .map(plain_value);
        let text = [
            author.clone(),
            r.title.clone().map(|t| format!("\"{t}\"")),
            work,
            date.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(". ");
        // a bibliography entry, keyed as {{sfn}} names it; also when the citation sits in a
        // <ref>, which a {{harvnb}} elsewhere may name
        r.text = text.clone();
        for key in bibliography_keys(args, s) {
            self.biblio.entry(key).or_insert_with(|| r.clone());
        }
        if let Some(cur) = self.cur.as_mut() {
            for u in r.urls {
                add_url(cur, &u);
            }
            for u in r.archive_urls {
                if !cur.archive_urls.contains(&u) {
                    cur.archive_urls.push(u);
                }
            }
            if cur.title.is_none() {
                cur.title = r.title;
            }
            if cur.quote.is_none() {
                cur.quote = r.quote;
            }
            if cur.accessed.is_none() {
                cur.accessed = r.accessed;
            }
            if !text.is_empty() {
                self.flat.mapped(" ", at.0, 0);
                self.flat.mapped(&text, at.0, at.1 - at.0);
            }
        }
    }

    fn link(&mut self, i: usize, end: usize, depth: usize) -> usize {
        let s = self.src;
        let Some(close) = self.closing(&self.brackets, i, end) else {
            self.text("[[", i, 2);
            return i + 2;
        };
        let parts = split_args(s, i + 2, close - 2);
        let target = s[parts[0].0..parts[0].1].trim();
        let lower = target.to_lowercase();
        let ns = lower.split_once(':').map(|(n, _)| n.trim().to_string());
        match ns.as_deref() {
            Some(n) if FILE_NAMESPACES.contains(&n) => {
                if let Some(&(a, b)) = image_caption(s, &parts[1..]) {
                    self.block();
                    self.body(a, b, depth + 1);
                    self.block();
                }
            }
            Some(n) if CATEGORY_NAMESPACES.contains(&n) => {}
            Some(n)
                if !target.starts_with(':')
                    && n.len() <= 3
                    && n.bytes().all(|c| c.is_ascii_lowercase() || c == b'-')
                    && n.len() >= 2 => {} // interlanguage
            _ => {
                if parts.len() > 1 {
                    let (a, b) = *parts.last().unwrap_or(&parts[0]);
                    self.body(a, b, depth + 1);
                } else {
                    let shown = target.trim_start_matches(':');
                    let shown = shown
                        .split('#')
                        .next()
                        .filter(|t| !t.is_empty())
                        .unwrap_or(shown);
                    let off = parts[0].0;
                    self.text(shown, off, parts[0].1 - off);
                }
            }
        }
        close
    }

    fn external_link(&mut self, i: usize, end: usize) -> usize {
        let s = self.src;
        // the link closes at the first `]` on its line
        let stop = if i < self.no_bracket_until {
            None
        } else {
            s[i..end].find([']', '\n']).map(|p| i + p)
        };
        let Some(close) = stop.filter(|&c| s.as_bytes()[c] == b']') else {
            self.no_bracket_until = stop.unwrap_or(end);
            self.text("[", i, 1);
            return i + 1;
        };
        let inner = &s[i + 1..close];
        let (url, label) = match inner.find(' ') {
            Some(p) => (&inner[..p], inner[p + 1..].trim()),
            None => (inner, ""),
        };
        if let Some(r) = self.cur.as_mut() {
            add_url(r, url);
            if r.title.is_none() && !label.is_empty() {
                r.title = Some(plain_value(label));
            }
        }
        if !label.is_empty() {
            let off = close - label.len();
            let t = plain_value(label);
            self.text(&t, off, label.len());
        }
        close + 1
    }
}

/// The caption among the parts of a `[[File:...]]` link or a gallery line: the last part that
/// is not an image option.
fn image_caption<'p>(s: &str, parts: &'p [(usize, usize)]) -> Option<&'p (usize, usize)> {
    parts
        .iter()
        .rev()
        .find(|&&(a, b)| !is_image_option(&s[a..b]))
}

/// `thumb`, `250px`, `upright=1.2`, `alt=...`: a word or `key=value` with a plain key. A part
/// whose `=` sits inside a reference or template (`...<ref name=a>`) is a caption.
fn is_image_option(part: &str) -> bool {
    let p = part.trim();
    if p.is_empty() || IMAGE_KEYWORDS.contains(&p.to_lowercase().as_str()) {
        return true;
    }
    let size = p
        .strip_suffix("px")
        .or_else(|| p.strip_suffix("\u{30d4}\u{30af}\u{30bb}\u{30eb}"));
    if size.is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit() || c == b'x')) {
        return true;
    }
    match p.find('=') {
        Some(e) => {
            let key = p[..e].trim();
            !key.is_empty()
                && key.chars().count() <= 24
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        }
        None => false,
    }
}

/// Could this wikitext hold a footnote marker (a `<ref>` or a template such as `{{efn}}`)?
fn may_cite(v: &str) -> bool {
    let b = v.as_bytes();
    b.windows(2).any(|w| w == b"{{") || find_ci(v, 0, "<ref").is_some()
}

/// The name of the template parameter whose value starts at `value_start` (after its `=`).
fn param_name(s: &str, value_start: usize) -> &str {
    let eq = value_start - 1;
    let from = s[..eq].rfind('|').map(|p| p + 1).unwrap_or(eq);
    s[from..eq].trim()
}

/// `area_footnotes` and `area_total_km2` share their first word.
fn same_first_word(a: &str, b: &str) -> bool {
    let first = |n: &str| {
        n.split(['_', ' ', '-'])
            .next()
            .unwrap_or("")
            .trim()
            .to_lowercase()
    };
    let (x, y) = (first(a), first(b));
    !x.is_empty() && x == y
}

/// A parameter whose value is prose (a caption, a quotation, a title), shown without its name.
fn prose_param(name: &str) -> bool {
    name.split(|c: char| !c.is_alphabetic())
        .map(str::to_lowercase)
        .any(|w| {
            matches!(
                w.as_str(),
                "caption"
                    | "text"
                    | "quote"
                    | "title"
                    | "footer"
                    | "header"
                    | "note"
                    | "notes"
                    | "description"
                    | "legend"
                    | "content"
                    | "body"
                    | "comment"
                    | "sign"
                    | "source"
            )
        })
}

/// A template argument without the quotes around it (`name="a"` in `{{efn|name="a"}}`).
fn unquote(v: &str) -> &str {
    let v = v.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|x| x.strip_suffix(q)) {
            return inner.trim();
        }
    }
    v
}

/// The keys under which `{{sfn}}` and `{{harvnb}}` can name a citation: its
/// `ref={{SfnRef|...}}`, and its first four authors' surnames (or editors', when it names no
/// author) with the year, as the citation templates build their anchors.
fn bibliography_keys(args: &Args, s: &str) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(sfnref) = args.get(s, &["ref"]).filter(|v| {
        let v = v.to_lowercase();
        v.starts_with("{{sfnref") || v.starts_with("{{harvid")
    }) {
        let inner = &sfnref[2..sfnref.len().saturating_sub(2)];
        let parts: Vec<&str> = inner
            .split('|')
            .skip(1)
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        keys.push(parts.join(" "));
    }
    // authors and editors by their number, from one pass over the arguments
    let (mut authors, mut editors): ([Option<&str>; 4], [Option<&str>; 4]) = ([None; 4], [None; 4]);
    for (name, (va, vb)) in &args.named {
        let value = s[*va..*vb].trim();
        if value.is_empty() {
            continue;
        }
        if let Some((editor, k)) = person_param(name) {
            let slot = if editor {
                &mut editors[k]
            } else {
                &mut authors[k]
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
    }
    let people: Vec<String> = if authors.iter().any(Option::is_some) {
        authors.iter().flatten().map(|v| plain_value(v)).collect()
    } else {
        editors.iter().flatten().map(|v| plain_value(v)).collect()
    };
    let people: Vec<String> = people.into_iter().filter(|p| !p.is_empty()).collect();
    let years = match args.get(s, &["year"]) {
        Some(y) => vec![plain_value(y)],
        None => args.get(s, &["date"]).map(years_of).unwrap_or_default(),
    };
    if !people.is_empty() {
        for y in years {
            keys.push(format!("{} {}", people.join(" "), y));
        }
    }
    keys
}

/// `last2` -> (author, 1); `editor1-last`, `editor-last1`, `editor` -> (editor, 0): the
/// parameters that name the people a citation's anchor is made of (the first four).
fn person_param(name: &str) -> Option<(bool, usize)> {
    let (editor, rest) = match name.strip_prefix("editor") {
        Some(r) => (true, r),
        None => (false, name),
    };
    // the number may stand before or after the role word: editor1-last, editor-last1
    let digits_at_start = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (num, word) = if digits_at_start > 0 {
        (
            &rest[..digits_at_start],
            rest[digits_at_start..].trim_start_matches('-'),
        )
    } else {
        let w = rest.trim_start_matches('-');
        let d = w.bytes().rev().take_while(u8::is_ascii_digit).count();
        (&w[w.len() - d..], &w[..w.len() - d])
    };
    let k = if num.is_empty() {
        1
    } else {
        num.parse::<usize>().ok()?
    };
    if !(1..=4).contains(&k) {
        return None;
    }
    let ok = if editor {
        matches!(word, "" | "last" | "surname")
    } else {
        matches!(word, "last" | "surname" | "author")
    };
    ok.then_some((editor, k - 1))
}

/// The years a citation's date gives its anchor: the first year, and the range when the date is
/// one ("1960\u{2013}1961").
fn years_of(date: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut words = date.split(|c: char| !c.is_ascii_alphanumeric() && c != '\u{2013}');
    if let Some(w) = words.find(|w| is_year(w) || w.split('\u{2013}').next().is_some_and(is_year)) {
        let first: String = w.chars().take_while(|c| *c != '\u{2013}').collect();
        out.push(first.clone());
        if w.len() > first.len() {
            out.push(w.to_string());
        }
    }
    out
}

/// The first word of a text, lower-cased, without punctuation ("Smith," -> "smith").
fn first_word(s: &str) -> Option<String> {
    let w: String = s
        .trim_start()
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ',' && *c != '(')
        .collect();
    let w = w
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    (!w.is_empty()).then_some(w)
}

/// The bibliography key a short citation names: authors then year ("Smith Jones 2001").
fn sfn_key(args: &Args, s: &str) -> String {
    let vals: Vec<&str> = args
        .positional
        .iter()
        .map(|&(a, b)| s[a..b].trim())
        .filter(|v| !v.is_empty())
        .collect();
    match vals.iter().position(|v| is_year(v)) {
        Some(y) => vals[..=y].join(" "),
        None => vals.join(" "),
    }
}

/// Value of attribute `key` in a tag's attribute text: `name="x"`, `name='x'`, `name=x`.
fn attr(attrs: &str, key: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find(key).map(|p| from + p) {
        let before_ok = p == 0 || !lower.as_bytes()[p - 1].is_ascii_alphanumeric();
        let rest = attrs[p + key.len()..].trim_start();
        if before_ok {
            if let Some(v) = rest.strip_prefix('=') {
                let v = v.trim_start();
                let val = if let Some(q) = v.strip_prefix('"') {
                    q.split('"').next().unwrap_or("")
                } else if let Some(q) = v.strip_prefix('\'') {
                    q.split('\'').next().unwrap_or("")
                } else {
                    v.split(|c: char| c.is_whitespace() || c == '/')
                        .next()
                        .unwrap_or("")
                };
                let val = val.trim();
                return (!val.is_empty()).then(|| val.to_string());
            }
        }
        from = p + key.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::article::{read_str, Format};
    use crate::findings::Code;

    fn read(src: &str) -> crate::article::Article {
        read_str("t.wiki", src, Some(Format::Wikitext))
    }

    #[test]
    fn an_unclosed_tag_is_text_and_the_page_goes_on() {
        let a = read(
            "One is here.<ref>https://example.org/1</ref> Type <nowiki> to escape.\n\n\
             Two is here.<ref>https://example.org/2</ref> A <pre> block.\n\n\
             Three is here.<ref>https://example.org/3</ref>\n",
        );
        let texts: Vec<&str> = a.claims.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["One is here.", "Two is here.", "Three is here."]);
        let malformed: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.code == Code::ArticleMalformed)
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(malformed.len(), 2, "{malformed:?}");
        assert!(
            malformed[0].starts_with("unclosed <nowiki>"),
            "{malformed:?}"
        );
        assert!(malformed[1].starts_with("unclosed <pre>"), "{malformed:?}");
    }

    #[test]
    fn refs_named_reused_and_defined_later() {
        let src = "'''Bootham''' opened in 1932.<ref name=\"open\">{{cite news |url=https://example.org/open |title=Ground opens |access-date=1 May 2020 |quote=The ground opened. |archive-url=https://web.archive.org/web/1/https://example.org/open}}</ref> It was [[York|York's]] home,<ref name=later/> and more.<ref>[https://example.org/bare Bare title] p. 4</ref><ref name=open/>\n\n==References==\n{{reflist|refs=\n<ref name=later>{{cite web|url=https://example.org/later|title=Later}}</ref>\n}}\n";
        let a = read(src);
        let c: Vec<_> = a
            .claims
            .iter()
            .map(|c| (c.text.as_str(), c.citations.clone()))
            .collect();
        assert_eq!(c[0], ("Bootham opened in 1932.", vec!["open".to_string()]));
        assert_eq!(c[1], ("It was York's home,", vec!["later".to_string()]));
        assert_eq!(
            c[2],
            ("and more.", vec!["3".to_string(), "open".to_string()])
        );
        let open = a.references.iter().find(|r| r.label == "open").unwrap();
        assert_eq!(open.urls, vec!["https://example.org/open"]);
        assert_eq!(
            open.archive_urls,
            vec!["https://web.archive.org/web/1/https://example.org/open"]
        );
        assert_eq!(open.title.as_deref(), Some("Ground opens"));
        assert_eq!(open.quote.as_deref(), Some("The ground opened."));
        assert_eq!(open.accessed.as_deref(), Some("1 May 2020"));
        let later = a.references.iter().find(|r| r.label == "later").unwrap();
        assert_eq!(later.urls, vec!["https://example.org/later"]);
        let bare = a.references.iter().find(|r| r.label == "3").unwrap();
        assert_eq!(bare.urls, vec!["https://example.org/bare"]);
        assert_eq!(bare.title.as_deref(), Some("Bare title"));
        assert_eq!(
            &src[a.claims[0].location.start..a.claims[0].location.end],
            "Bootham''' opened in 1932."
        );
    }

    #[test]
    fn sfn_resolves_to_bibliography_or_reports() {
        let src = "The stand was built in 1932.{{sfn|Smith|Jones|2001|p=5}} It fell.{{sfn|Nobody|1999}}\n\n==Sources==\n* {{cite book |last1=Smith |last2=Jones |year=2001 |title=Grounds |url=https://example.org/grounds}}\n";
        let a = read(src);
        assert_eq!(a.claims[0].citations, vec!["Smith Jones 2001"]);
        let r = a
            .references
            .iter()
            .find(|r| r.label == "Smith Jones 2001")
            .unwrap();
        assert_eq!(r.urls, vec!["https://example.org/grounds"]);
        assert!(a
            .findings
            .iter()
            .any(|f| f.code == Code::ReferenceUnresolved && f.message.contains("Nobody 1999")));
    }

    #[test]
    fn templates_tables_lists_comments_nowiki() {
        let src = "{{Infobox venue\n| name = X<ref>infobox ref</ref>\n| capacity = 8,256\n}}\nIt holds {{convert|104|by|64|m|yd}} of grass.<ref>a</ref> <!-- hidden.<ref>b</ref> --> <nowiki>[[not a link]]<ref>x</ref></nowiki>\n\n{| class=\"wikitable\"\n|-\n! Year !! Crowd\n|-\n| style=\"x\" | 1938 || 28,123 fans.<ref>c</ref>\n|}\n* Item one.<ref>d</ref>\n[[File:Stand.jpg|thumb|250px|The stand in 2009.<ref>e</ref>]]\n";
        let a = read(src);
        let c: Vec<_> = a.claims.iter().map(|c| c.text.as_str()).collect();
        assert!(c.contains(&"It holds 104 by 64 m of grass."), "{c:?}");
        assert!(c.contains(&"28,123 fans."), "{c:?}");
        assert!(c.contains(&"Item one."), "{c:?}");
        assert!(c.contains(&"The stand in 2009."), "{c:?}");
        assert!(!c.iter().any(|t| t.contains("hidden")), "{c:?}");
    }

    #[test]
    fn broken_markup_is_reported_not_fatal() {
        let a = read("Text.<ref>never closed\n\nMore text.<ref>ok</ref>\n{{unclosed template\n");
        assert!(a
            .findings
            .iter()
            .any(|f| f.code == Code::ArticleMalformed && f.message.contains("<ref>")));
        assert!(a
            .findings
            .iter()
            .any(|f| f.code == Code::ArticleMalformed && f.message.contains("template")));
        assert!(a.claims.iter().any(|c| c.text == "More text."));
        let deep = "{{a|".repeat(10_000) + &"}}".repeat(10_000) + "Fine.<ref>x</ref>";
        let a = read(&deep);
        assert_eq!(a.claims.last().unwrap().text, "Fine.");
    }

    #[test]
    fn entity_window_across_a_multibyte_character() {
        // found by fuzzing: "&<7\t&<7\t\n8\x08\u{a0}8"
        let _ = read("\u{0}\u{14}&<7\t&<7\t\n8\u{8}\u{a0}8");
        let _ = read("&\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9};");
    }

    #[test]
    fn duplicate_definition() {
        let a = read("A.<ref name=x>one</ref> B.<ref name=x>two</ref>");
        assert!(a
            .findings
            .iter()
            .any(|f| f.code == Code::ReferenceDuplicate));
    }

    /// (claim text, citations) of every claim.
    fn claims(a: &crate::article::Article) -> Vec<(String, Vec<String>)> {
        a.claims
            .iter()
            .map(|c| (c.text.clone(), c.citations.clone()))
            .collect()
    }

    fn claim<'a>(a: &'a crate::article::Article, text: &str) -> &'a crate::article::Claim {
        a.claims
            .iter()
            .find(|c| c.text == text)
            .unwrap_or_else(|| panic!("no claim {text:?} in {:?}", claims(a)))
    }

    /// citation-undefined, source-unused and reference-unresolved findings, as codes.
    fn citation_problems(a: &crate::article::Article) -> Vec<String> {
        a.citation_findings(&Default::default())
            .all()
            .chain(a.findings.iter().cloned())
            .filter(|f| {
                matches!(
                    f.code,
                    Code::CitationUndefined | Code::SourceUnused | Code::ReferenceUnresolved
                )
            })
            .map(|f| format!("{}: {}", f.code, f.message))
            .collect()
    }

    #[test]
    fn infobox_values_with_references_are_claims() {
        let src = "{{Infobox town\n| name = Avonford\n| population_estimate = 12,345<ref name=census>{{cite web|url=https://example.org/census|title=Town census}}</ref>\n| area_total_km2 = 42\n| area_footnotes = <ref name=survey>{{cite web|url=https://example.org/survey|title=Survey}}</ref>\n| mayor = Jo Bloggs\n}}\nAvonford grew fast.<ref name=census/> Its area was surveyed.<ref name=survey/>\n";
        let a = read(src);
        let c = claim(&a, "population estimate: 12,345");
        assert_eq!(c.citations, vec!["census"]);
        assert_eq!(
            &src[c.location.start..c.location.end],
            "population_estimate = 12,345"
        );
        // a value that is only a footnote cites the value it annotates
        assert_eq!(claim(&a, "area total km2: 42").citations, vec!["survey"]);
        assert!(!a.claims.iter().any(|c| c.text.contains("mayor")));
        assert!(
            citation_problems(&a).is_empty(),
            "{:?}",
            citation_problems(&a)
        );
    }

    #[test]
    fn references_defined_in_captions_templates_and_notes_are_known() {
        let src = "[[File:Bridge.jpg|thumb|upright=1.2|alt=A bridge|The bridge in winter.<ref name=\"opening\">{{cite news|title=Bridge opens|url=https://example.org/bridge}}</ref>]]\nThe bridge opened in 1901.<ref name=\"opening\"/> It was widened later.{{#tag:ref|{{cite web|url=https://example.org/widen|title=Widening}}|name=widen}} Traffic grew.<ref name=widen/> Tolls ended in 1950.{{efn|name=toll|The toll house still stands.}} The toll house is a museum.{{efn|name=toll}}\n\n==Notes==\n{{notelist}}\n";
        let a = read(src);
        assert!(
            citation_problems(&a).is_empty(),
            "{:?}",
            citation_problems(&a)
        );
        assert_eq!(
            claim(&a, "The bridge in winter.").citations,
            vec!["opening"]
        );
        assert_eq!(claim(&a, "Traffic grew.").citations, vec!["widen"]);
        assert_eq!(
            claim(&a, "The toll house is a museum.").citations,
            vec!["note toll"]
        );
    }

    #[test]
    fn notes_that_cite_are_claims() {
        let src = "The mill closed in 1921.{{efn|The owners moved to Leeds.<ref>{{cite book|title=Mills of the Dale|url=https://example.org/mills}}</ref>}} 人口は多い。{{refnest|group=注|旧市街を含む数<ref name=\"stat\">統計</ref>。}}\n";
        let a = read(src);
        assert_eq!(
            claim(&a, "The mill closed in 1921.").citations,
            vec!["note 1"]
        );
        // the note's own text is a claim citing the note's reference
        assert_eq!(claim(&a, "The owners moved to Leeds.").citations, vec!["1"]);
        assert_eq!(claim(&a, "旧市街を含む数。").citations, vec!["stat"]);
        assert!(
            citation_problems(&a).is_empty(),
            "{:?}",
            citation_problems(&a)
        );
    }

    #[test]
    fn r_template_reuses_named_references() {
        let src = "川が流れる。<ref name=\"a\">A</ref><ref name=\"b\">B</ref>\n\n橋は古い{{R|a|b}}。町は静か{{r|b|p=4}}。\n";
        let a = read(src);
        assert_eq!(claim(&a, "橋は古い。").citations, vec!["a", "b"]);
        assert_eq!(claim(&a, "町は静か。").citations, vec!["b"]);
        // a clause after a mid-sentence marker starts after the comma
        let a = read("川は長く<ref name=c>C</ref>、流れは速い<ref name=d>D</ref>。\n");
        assert_eq!(claim(&a, "川は長く").citations, vec!["c"]);
        assert_eq!(claim(&a, "流れは速い。").citations, vec!["d"]);
    }

    #[test]
    fn references_inside_prose_templates() {
        let src = "{{dl2|Weir|A low dam across the river.<ref name=w>W</ref>|Lock|A chamber for boats.<ref name=l>L</ref>}}\n{{quote|text=We built it to last.|sign=The engineer<ref name=q>Q</ref>}}\n{{multiple image|image1=a.jpg|caption1=The lock gates in 1910.<ref name=m>M</ref>|image2=b.jpg|caption2=Gates today}}\n{{bar box|title=Traffic by year<ref name=t>T</ref>|bars={{bar percent|1900|50}}}}\n";
        let a = read(src);
        assert_eq!(
            claim(&a, "A low dam across the river.").citations,
            vec!["w"]
        );
        assert_eq!(claim(&a, "A chamber for boats.").citations, vec!["l"]);
        assert_eq!(claim(&a, "The engineer").citations, vec!["q"]);
        assert_eq!(claim(&a, "The lock gates in 1910.").citations, vec!["m"]);
        assert_eq!(claim(&a, "Traffic by year").citations, vec!["t"]);
    }

    #[test]
    fn markers_without_text_of_their_own_cite_the_sentence_before() {
        let src = "The canal opened in 1796<ref name=a>A</ref>.<ref name=b>B</ref> Boats used it.\n{|\n|-\n| Barges || 1,200\n| {{flagicon|UK}}<ref name=c>C</ref>\n|}\n<ref name=d>D</ref>\n\n* {{url|example.org}}<ref name=e>E</ref>\n";
        let a = read(src);
        assert_eq!(
            claim(&a, "The canal opened in 1796.").citations,
            vec!["a", "b"]
        );
        // a ref alone in a cell, and one on its own line after the table, cite the cell before
        assert_eq!(claim(&a, "1,200").citations, vec!["c", "d", "e"]);
        assert!(
            citation_problems(&a).is_empty(),
            "{:?}",
            citation_problems(&a)
        );
    }

    #[test]
    fn indented_tables_and_less_than_digits() {
        let src = "Rates were low (<0.1%) in the valley.<ref name=a>A</ref>\n:{| class=\"wikitable\"\n|-\n| Output rose to 9 tonnes.<ref name=b>B</ref>\n|}\n";
        let a = read(src);
        assert_eq!(
            claims(&a),
            vec![
                (
                    "Rates were low (<0.1%) in the valley.".to_string(),
                    vec!["a".to_string()]
                ),
                (
                    "Output rose to 9 tonnes.".to_string(),
                    vec!["b".to_string()]
                )
            ]
        );
    }

    #[test]
    fn gallery_captions_are_read() {
        let src = "<gallery>\nFile:Mill.jpg|The mill in 1890.<ref name=g>G</ref>\nFile:Weir.jpg|alt=weir\n</gallery>\n";
        let a = read(src);
        assert_eq!(claim(&a, "The mill in 1890.").citations, vec!["g"]);
    }

    #[test]
    fn short_citations_find_every_kind_of_bibliography_entry() {
        let src = "Zero.<ref name=x>{{cite book|last=Ashworth|first=A.|title=Canals|year=2003|ref={{SfnRef|Canal Trust|2003}}|url=https://example.org/canals}}</ref> One.{{sfn|Canal Trust|2003|p=4}} Two.{{sfn|Barlow|1960\u{2013}1961}} Three.{{sfn|Carver|Dunn|1999}} Four.{{sfn|Ellis|2010|p=9}} Five.<ref>{{harvnb|Ashworth|2003|p=7}}</ref> Six.{{efn|As Barlow notes.{{sfn|Barlow|1960\u{2013}1961|p=2}}}}\n\n==Notes==\n{{notelist}}\n==References==\n{{reflist}}\n* {{cite journal|last=Barlow|title=Locks|date=1960\u{2013}1961|url=https://example.org/locks}}\n* {{cite book|editor1-last=Carver|editor2-last=Dunn|title=Weirs|year=1999}}\n===Primary===\n* Ellis, M. (2010) ''Notes on the Navigation'', https://example.org/ellis\n";
        let a = read(src);
        assert!(
            citation_problems(&a).is_empty(),
            "{:?}",
            citation_problems(&a)
        );
        let r = |l: &str| a.references.iter().find(|r| r.label == l).unwrap();
        assert_eq!(
            r("Canal Trust 2003").urls,
            vec!["https://example.org/canals"]
        );
        // {{harvnb}} in a <ref> makes that reference cite the work
        let five = &claim(&a, "Five.").citations[0];
        assert_eq!(r(five).urls, vec!["https://example.org/canals"]);
        assert_eq!(
            r("Barlow 1960\u{2013}1961").urls,
            vec!["https://example.org/locks"]
        );
        assert_eq!(r("Ellis 2010").urls, vec!["https://example.org/ellis"]);
        // an {{sfn}} inside a note is a footnote of the note's text
        assert_eq!(
            claim(&a, "As Barlow notes.").citations,
            vec!["Barlow 1960\u{2013}1961"]
        );
        let missing = read("Six.{{sfn|Nobody|1999}}\n");
        assert_eq!(citation_problems(&missing).len(), 1);
    }

    #[test]
    fn references_listed_in_a_reflist_argument_are_definitions() {
        let src = "Quakes are common.<ref name=q/>\n\n==References==\n{{Reflist|\n<ref name=q>{{cite web|url=https://example.org/q|title=Quakes}}</ref>\n}}\n";
        let a = read(src);
        assert!(
            citation_problems(&a).is_empty(),
            "{:?}",
            citation_problems(&a)
        );
        assert_eq!(a.references[0].urls, vec!["https://example.org/q"]);
    }

    #[test]
    fn hostile_inputs_read_in_linear_time_with_their_problems_reported() {
        // every one of these once scanned to the end of the file from each occurrence
        let cite = "Text {{cite web|url=https://example.org/a ".repeat(2_000);
        let a = read(&cite);
        assert!(a.findings.iter().any(|f| f.message.contains("template")));
        let refs = "Text.<ref name=a>".repeat(2_000);
        let a = read(&refs);
        assert!(a.findings.iter().any(|f| f.message.contains("<ref>")));
        for src in [
            "<math>".repeat(2_000),
            "[[a ".repeat(2_000),
            "x [http://example.org ".repeat(2_000),
            format!("{{|\n|{}\n|}}", "a||".repeat(2_000)),
        ] {
            let _ = read(&src);
        }
    }
}
