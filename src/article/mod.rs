//! Article in, claims out: every sentence (or clause) that carries a footnote marker, with the
//! labels it cites and its place in the file, plus the article's own reference list.
//!
//! Each reader flattens its markup into plain text that remembers where every piece came from
//! (`Flat`), records the footnote markers it met, and hands both to one shared routine that
//! splits sentences and assigns markers to claims. So the claim rules are the same in every
//! format.

pub mod edit;
mod html;
mod markdown;
mod plain;
pub mod wiki;
mod wikitext;

use crate::findings::{Code, Finding, Location};
use crate::text::{sentences, LineIndex};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The markup an article is written in: picks the reader (`--format`, else `detect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// CommonMark with footnotes (`[^label]`).
    #[value(alias = "md")]
    Markdown,
    /// An HTML page: footnote links to a notes list (generic, rendered Wikipedia, Parsoid).
    #[value(alias = "htm")]
    Html,
    /// MediaWiki wikitext: `<ref>` tags, cite templates, `{{sfn}}` short references.
    #[value(alias = "wiki", alias = "mediawiki")]
    Wikitext,
    /// Plain text with bracketed markers (`[1]`); a trailing "References" list, else sources.toml.
    #[value(alias = "text", alias = "txt")]
    Plain,
}

impl Format {
    /// The lowercase name reports and `--format` use.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Wikitext => "wikitext",
            Format::Plain => "plain",
        }
    }
    /// A format by name or alias (`md`, `htm`, `wiki`, `mediawiki`, `text`, `txt`), any case.
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "markdown" | "md" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "wikitext" | "wiki" | "mediawiki" => Some(Format::Wikitext),
            "plain" | "text" | "txt" => Some(Format::Plain),
            _ => None,
        }
    }
}

/// A sentence or clause that cites one or more footnotes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// The sentence as plain text, markup and footnote markers removed.
    pub text: String,
    /// Where the claim stands in the article file (its byte span, first line and column).
    #[serde(flatten)]
    pub location: Location,
    /// Labels of the references it cites, in marker order (see [`Reference::label`]).
    pub citations: Vec<String>,
}

/// Markers checked against references (see [`Article::citation_findings`]).
#[derive(Debug, Clone, Default)]
pub struct CitationFindings {
    /// For each claim, in order: its markers that no reference defines.
    pub per_claim: Vec<Vec<Finding>>,
    /// References that no claim cites.
    pub unused: Vec<Finding>,
}

impl CitationFindings {
    /// Every finding, claims first.
    pub fn all(self) -> impl Iterator<Item = Finding> {
        self.per_claim.into_iter().flatten().chain(self.unused)
    }
}

/// One entry of the article's reference list.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Reference {
    /// The marker's label: the footnote name, or the number a reader gave an unnamed one (with
    /// its group, e.g. "note 2", in wikitext).
    pub label: String,
    /// The reference as plain text, whitespace collapsed.
    pub text: String,
    /// The title of the cited work, when the markup names one (a cite `title`, a link's text).
    pub title: Option<String>,
    /// Every URL it gives that is not an archive copy, in order, each once.
    pub urls: Vec<String>,
    /// URLs of archive copies (`archive-url`, or a host `is_archive_url` knows), each once.
    pub archive_urls: Vec<String>,
    /// A passage the reference quotes from the source (`quote=`, `<q>`, or a quoted run of four or
    /// more words): `check` looks for it in the source's text.
    pub quote: Option<String>,
    /// The access date as written (`access-date=`), for choosing an archive copy of that day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessed: Option<String>,
}

/// An article read: its claims, its reference list and what was wrong with it.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// The article's path as given (messages and reports name it).
    pub article: String,
    /// The format it was read as.
    pub format: Format,
    /// Every sentence that carries a marker, in document order.
    pub claims: Vec<Claim>,
    /// The reference list: cited ones by first citation, then the uncited (plain text: as listed).
    pub references: Vec<Reference>,
    /// Problems met while reading (empty article, duplicate or malformed references), located.
    pub findings: Vec<Finding>,
    /// Sentences without any marker, kept for `--require-citations`.
    #[serde(skip)]
    pub uncited: Vec<Claim>,
}

/// Why an article could not be read at all (its contents are then never looked at).
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    /// The file is not UTF-8: where the first bad byte is.
    #[error("{path}:{line}:{column}: not valid UTF-8 (byte 0x{byte:02x} at offset {offset}); save the article as UTF-8")]
    NotUtf8 {
        /// The article's path as given.
        path: String,
        /// 1-based line of the bad byte.
        line: usize,
        /// 1-based column, in characters, of the bad byte.
        column: usize,
        /// Byte offset of the bad byte (after a UTF-8 byte-order mark, if any).
        offset: usize,
        /// The bad byte itself.
        byte: u8,
    },
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The article's path as given.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// Guess the format from the file name, then from the content.
pub fn detect(path: &str, src: &str) -> Format {
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    match ext {
        "md" | "markdown" | "mdown" | "mkd" => return Format::Markdown,
        "html" | "htm" | "xhtml" => return Format::Html,
        "wiki" | "wikitext" | "mediawiki" | "mw" => return Format::Wikitext,
        _ => {}
    }
    let head: String = src
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    let head = head.trim_start();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body") {
        Format::Html
    } else if src.contains("<ref")
        || src.contains("{{cite")
        || src.contains("{{Cite")
        || src.contains("\n==")
    {
        Format::Wikitext
    } else if src.contains("[^") && src.contains("]:") {
        Format::Markdown
    } else {
        Format::Plain
    }
}

/// The largest article file read (see Limits in the README: a 200 MB article reads in 1.2 GiB).
pub const MAX_ARTICLE: u64 = 256 * 1024 * 1024;

/// Read an article file (a regular file of at most [`MAX_ARTICLE`] bytes: never a device or
/// a FIFO). `forced` overrides format detection.
pub fn read_file(path: &str, forced: Option<Format>) -> Result<Article, ArticleError> {
    read_file_with_text(path, forced).map(|(article, _)| article)
}

/// [`read_file`], also returning the text the reader read (without a byte-order mark), so code
/// frames and the HTML view quote the bytes the claims' offsets point into, from one read.
pub fn read_file_with_text(
    path: &str,
    forced: Option<Format>,
) -> Result<(Article, String), ArticleError> {
    let mut bytes = crate::files::read_regular(std::path::Path::new(path), MAX_ARTICLE, false)
        .map_err(|e| ArticleError::Io {
            path: path.to_string(),
            source: match e {
                crate::files::FileError::Io(e) => e,
                e => std::io::Error::other(e.to_string()),
            },
        })?;
    let article = read_bytes(path, &bytes, forced)?;
    // read_bytes accepted the bytes as UTF-8 after the mark
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes).unwrap_or_default();
    Ok((article, text))
}

/// Read an article from bytes; `path` is used for detection and messages only.
pub fn read_bytes(
    path: &str,
    bytes: &[u8],
    forced: Option<Format>,
) -> Result<Article, ArticleError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let src = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let offset = e.valid_up_to();
            let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
            let (line, column) = LineIndex::new(valid).locate(valid, offset);
            return Err(ArticleError::NotUtf8 {
                path: path.to_string(),
                line,
                column,
                offset,
                byte: bytes[offset],
            });
        }
    };
    Ok(read_str(path, src, forced))
}

/// Read an article already in memory.
pub fn read_str(path: &str, src: &str, forced: Option<Format>) -> Article {
    let format = forced.unwrap_or_else(|| detect(path, src));
    let parsed = match format {
        Format::Markdown => markdown::read(src),
        Format::Html => html::read(src),
        Format::Wikitext => wikitext::read(src),
        Format::Plain => plain::read(src),
    };
    let lines = LineIndex::new(src);
    let loc = |start: usize, end: usize| {
        let (line, column) = lines.locate(src, start);
        Location {
            file: path.to_string(),
            line,
            column,
            start,
            end,
        }
    };
    let (claims, uncited) = assemble(&parsed.flat, &loc);
    let mut findings = Vec::new();
    if src.trim().is_empty() {
        findings.push(Finding::new(Code::ArticleMalformed, "the article is empty").at(loc(0, 0)));
    }
    findings.extend(reader_findings(parsed.problems, &loc));
    Article {
        article: path.to_string(),
        format,
        claims,
        references: parsed.references,
        findings,
        uncited,
    }
}

impl Article {
    /// Findings that relate markers to references: undefined markers, made on the claim that
    /// carries them, and unused references. `extra` holds labels defined elsewhere
    /// (sources.toml).
    pub fn citation_findings(&self, extra: &HashSet<String>) -> CitationFindings {
        let defined: HashSet<&str> = self
            .references
            .iter()
            .map(|r| r.label.as_str())
            .chain(extra.iter().map(|s| s.as_str()))
            .collect();
        let mut cited = HashSet::new();
        let per_claim = self
            .claims
            .iter()
            .map(|c| {
                cited.extend(c.citations.iter().map(String::as_str));
                c.citations
                    .iter()
                    .filter(|l| !defined.contains(l.as_str()))
                    .map(|l| {
                        Finding::new(Code::CitationUndefined, format!("footnote [{l}] is cited here but defined neither in the article nor in sources.toml"))
                            .at(c.location.clone())
                            .source(l.clone())
                    })
                    .collect()
            })
            .collect();
        let unused = self
            .references
            .iter()
            .filter(|r| !cited.contains(r.label.as_str()))
            .map(|r| {
                Finding::new(
                    Code::SourceUnused,
                    format!("reference [{}] is never cited", r.label),
                )
                .source(r.label.clone())
            })
            .collect();
        CitationFindings { per_claim, unused }
    }

    /// `claim-uncited` findings, one per sentence with no marker.
    pub fn uncited_findings(&self) -> Vec<Finding> {
        self.uncited
            .iter()
            .map(|c| {
                Finding::new(
                    Code::ClaimUncited,
                    format!("no footnote: \"{}\"", crate::text::one_line(&c.text)),
                )
                .at(c.location.clone())
            })
            .collect()
    }
}

/// What a reader hands to claim assembly.
pub(crate) struct Parsed {
    pub flat: Flat,
    pub references: Vec<Reference>,
    pub problems: Vec<Problem>,
}

/// Reader problems of one kind listed one by one per article, at most: a page broken in one
/// way thousands of times (20,000 unclosed `<ref>`s) gets this many lines and one that counts
/// the rest. Each kind has its own count, so a flood of one never hides another.
const MAX_PROBLEMS_LISTED: usize = 20;

/// The reader's problems as findings: per code, the first [`MAX_PROBLEMS_LISTED`], then one
/// finding that counts the others and says where the first of them is.
fn reader_findings(problems: Vec<Problem>, loc: &dyn Fn(usize, usize) -> Location) -> Vec<Finding> {
    let mut out = Vec::new();
    // per code: how many seen, and the first one not listed
    let mut seen: Vec<(Code, usize, Option<Problem>)> = Vec::new();
    for p in problems {
        let k = match seen.iter().position(|(c, _, _)| *c == p.code) {
            Some(k) => k,
            None => {
                seen.push((p.code, 0, None));
                seen.len() - 1
            }
        };
        let entry = &mut seen[k];
        entry.1 += 1;
        if entry.1 <= MAX_PROBLEMS_LISTED {
            out.push(Finding::new(p.code, p.message).at(loc(p.offset, p.offset)));
        } else if entry.2.is_none() {
            entry.2 = Some(p);
        }
    }
    for (code, n, first) in seen {
        let Some(first) = first else { continue };
        let more = n - MAX_PROBLEMS_LISTED;
        let (what, verb) = if more == 1 {
            ("problem", "is")
        } else {
            ("problems", "are")
        };
        let message = format!(
            "{more} more {what} like those above {verb} not listed one by one; the first of \
             them: {}",
            first.message
        );
        out.push(Finding::new(code, message).at(loc(first.offset, first.offset)));
    }
    out
}

pub(crate) struct Problem {
    pub code: Code,
    pub message: String,
    pub offset: usize,
}

/// Flattened article text with a map back to the source bytes and the markers found.
#[derive(Default)]
pub(crate) struct Flat {
    pub text: String,
    segs: Vec<Seg>,
    markers: Vec<Marker>,
    /// The labels of the last marker, to keep them distinct without searching its list (a
    /// hostile page may put thousands of markers in one place).
    last_labels: HashSet<String>,
    /// The text's length when the last marker was placed: markers separated by spaces only
    /// share its place without trimming the whole run of spaces again.
    marked_at: Option<usize>,
}

#[derive(Clone, Copy)]
struct Seg {
    flat: usize,
    orig: usize,
    orig_len: usize,
    verbatim: bool,
}

struct Marker {
    pos: usize,
    labels: Vec<String>,
}

impl Flat {
    /// Text that appears in the source exactly as pushed, starting at `orig`.
    pub fn verbatim(&mut self, s: &str, orig: usize) {
        if s.is_empty() {
            return;
        }
        self.segs.push(Seg {
            flat: self.text.len(),
            orig,
            orig_len: s.len(),
            verbatim: true,
        });
        self.text.push_str(s);
    }
    /// Text derived from source bytes `orig..orig+orig_len` (entities decoded, markup removed).
    pub fn mapped(&mut self, s: &str, orig: usize, orig_len: usize) {
        if s.is_empty() {
            return;
        }
        self.segs.push(Seg {
            flat: self.text.len(),
            orig,
            orig_len,
            verbatim: false,
        });
        self.text.push_str(s);
    }
    /// Verbatim when `s` equals the raw bytes at `orig`, otherwise mapped.
    pub fn push(&mut self, s: &str, raw: &str, orig: usize) {
        if s == raw {
            self.verbatim(s, orig)
        } else {
            self.mapped(s, orig, raw.len())
        }
    }
    /// HTML text: runs between character references stay verbatim (exact offsets), each
    /// reference is mapped to its own bytes.
    pub fn push_html(&mut self, raw: &str, orig: usize) {
        let mut run = 0;
        let mut i = 0;
        while let Some(p) = raw[i..].find('&') {
            let at = i + p;
            match crate::html::character_reference(&raw[at..], crate::html::Context::Text) {
                Some((dec, used)) => {
                    let e = at + used;
                    if dec != raw[at..e] {
                        self.verbatim(&raw[run..at], orig + run);
                        self.mapped(&dec, orig + at, e - at);
                        run = e;
                    }
                    i = e;
                }
                None => i = at + 1,
            }
        }
        self.verbatim(&raw[run..], orig + run);
    }
    pub fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with([' ', '\n']) {
            self.text.push(' ');
        }
    }
    /// End the current block (paragraph, list item, cell, heading): no sentence spans it.
    pub fn block(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            if self.text.ends_with('\n') {
                self.text.push('\n');
            } else {
                self.text.push_str("\n\n");
            }
        }
    }
    pub fn marker(&mut self, label: String) {
        let pos = match (self.marked_at, self.markers.last()) {
            (Some(at), Some(m))
                if self.text.len() >= at
                    && self.text.as_bytes()[at..].iter().all(|&b| b == b' ') =>
            {
                m.pos
            }
            _ => self.text.trim_end_matches(' ').len(),
        };
        self.marked_at = Some(self.text.len());
        if let Some(m) = self.markers.last_mut() {
            if m.pos == pos {
                if self.last_labels.insert(label.clone()) {
                    m.labels.push(label);
                }
                return;
            }
        }
        self.last_labels.clear();
        self.last_labels.insert(label.clone());
        self.markers.push(Marker {
            pos,
            labels: vec![label],
        });
    }
    pub fn has_markers(&self) -> bool {
        !self.markers.is_empty()
    }
    /// Add `other` as blocks of its own after this text (a note's text, read as claims).
    pub fn append(&mut self, other: Flat) {
        self.block();
        self.extend(other);
        self.block();
    }
    /// Add `other` right after this text.
    pub fn extend(&mut self, other: Flat) {
        let shift = self.text.len();
        self.text.push_str(&other.text);
        self.segs.extend(other.segs.into_iter().map(|mut g| {
            g.flat += shift;
            g
        }));
        if !other.markers.is_empty() {
            self.last_labels = other.last_labels;
            self.marked_at = None;
        }
        self.markers.extend(other.markers.into_iter().map(|mut m| {
            m.pos += shift;
            m
        }));
    }
    /// The labels of every marker, in order (a footnote-only value moved to the next value).
    pub fn into_labels(self) -> Vec<String> {
        self.markers.into_iter().flat_map(|m| m.labels).collect()
    }
    /// Does the text hold a word (a letter or digit)?
    pub fn has_words(&self) -> bool {
        self.text.chars().any(char::is_alphanumeric)
    }
    fn seg_for(&self, flat: usize) -> Option<&Seg> {
        let i = self.segs.partition_point(|s| s.flat <= flat);
        if i == 0 {
            None
        } else {
            Some(&self.segs[i - 1])
        }
    }
    fn orig_start(&self, flat: usize) -> usize {
        match self.seg_for(flat) {
            Some(s) if s.verbatim => s.orig + (flat - s.flat).min(s.orig_len),
            Some(s) => s.orig,
            None => 0,
        }
    }
    fn orig_end(&self, flat: usize) -> usize {
        if flat == 0 {
            return 0;
        }
        match self.seg_for(flat - 1) {
            Some(s) if s.verbatim => s.orig + (flat - s.flat).min(s.orig_len),
            Some(s) => s.orig + s.orig_len,
            None => 0,
        }
    }
}

/// Split each block into sentences and turn marked sentences and clauses into claims.
///
/// A marker cites the text before it: the clause it ends, or the whole sentence when only
/// punctuation follows it. A marker with no text of its own before it (a second group after
/// the full stop, `</ref>.<ref>`; a reference alone in a table cell or on the line after a
/// table; a marker right after a Japanese `。`) cites the sentence before it.
fn assemble(flat: &Flat, loc: &dyn Fn(usize, usize) -> Location) -> (Vec<Claim>, Vec<Claim>) {
    let text = &flat.text;
    let mut out = Claims {
        flat,
        loc,
        claims: Vec::new(),
        uncited: Vec::new(),
        last: None,
        last_cited: HashSet::new(),
    };
    let markers = &flat.markers;
    let mut mi = 0;
    let mut block_start = 0;
    while block_start < text.len() {
        let block_end = text[block_start..]
            .find("\n\n")
            .map(|p| block_start + p)
            .unwrap_or(text.len());
        let sents = sentences::split(&text[block_start..block_end]);
        for (k, &(ss, se)) in sents.iter().enumerate() {
            let (s, e) = (block_start + ss, block_start + se);
            // markers that belong to this sentence: up to the start of the next one (a marker
            // at that very point follows this sentence's full stop)
            let limit = sents
                .get(k + 1)
                .map(|n| block_start + n.0)
                .unwrap_or(block_end + 1);
            let mut clause_start = s;
            let mut claimed = false;
            // just past the sentence's last letter or digit: a marker from there on ends it
            let words_end = text[s..e]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_alphanumeric())
                .map_or(s, |(i, c)| s + i + c.len_utf8());
            while mi < markers.len() && markers[mi].pos <= limit {
                let m = &markers[mi];
                mi += 1;
                if m.pos < s || words_end == s {
                    // before the sentence, or in one without a word (which claims nothing)
                    out.cite_previous(&m.labels);
                    continue;
                }
                let at_end = m.pos.min(e) >= words_end;
                let clause_end = if at_end { e } else { m.pos.max(clause_start) };
                let from = if at_end && !claimed { s } else { clause_start };
                if out.claim(from, clause_end, m.labels.clone()) {
                    claimed = true;
                } else {
                    out.cite_previous(&m.labels);
                }
                clause_start = clause_end;
            }
            if !claimed {
                out.sentence(s, e);
            }
        }
        // markers in a block without sentences (after a table, in an empty cell)
        while mi < markers.len() && markers[mi].pos <= block_end + 1 {
            out.cite_previous(&markers[mi].labels);
            mi += 1;
        }
        block_start = block_end + 2;
    }
    for m in &markers[mi..] {
        out.cite_previous(&m.labels);
    }
    (out.claims, out.uncited)
}

/// Characters a clause does not start with: they end the clause before it.
const CLAUSE_LEADS: &[char] = &[
    ',', ';', ':', ' ', '\u{3001}', '\u{ff0c}', '\u{ff1b}', '\u{ff1a}', '\u{3002}', '\u{300d}',
    '\u{300f}', '\u{ff09}',
];

/// Claim assembly state: the claims and uncited sentences so far, and the last sentence seen.
struct Claims<'a> {
    flat: &'a Flat,
    loc: &'a dyn Fn(usize, usize) -> Location,
    claims: Vec<Claim>,
    uncited: Vec<Claim>,
    /// The last sentence: where it ends in the flat text, and whether it is the last claim
    /// (true) or the last uncited sentence (false).
    last: Option<(usize, bool)>,
    /// The citations of the last claim, to add more without searching its list.
    last_cited: HashSet<String>,
}

impl Claims<'_> {
    /// The claim for flat text `s..e`, or None when it holds no word.
    fn make(&self, s: usize, e: usize, citations: Vec<String>) -> Option<Claim> {
        let text = &self.flat.text;
        let piece = &text[s..e];
        let trimmed_start = s + (piece.len() - piece.trim_start().len());
        let trimmed_end = s + piece.trim_end().len();
        if trimmed_end <= trimmed_start {
            return None;
        }
        let t = text[trimmed_start..trimmed_end]
            // punctuation that closed the clause before: ", and", "、その後", "。」と"
            .trim_start_matches(CLAUSE_LEADS)
            .trim();
        if !t.chars().any(|c| c.is_alphanumeric()) {
            return None;
        }
        let ts = trimmed_start + text[trimmed_start..trimmed_end].find(t).unwrap_or(0);
        let start = self.flat.orig_start(ts);
        let end = self.flat.orig_end(ts + t.len()).max(start);
        Some(Claim {
            text: t.split_whitespace().collect::<Vec<_>>().join(" "),
            location: (self.loc)(start, end),
            citations,
        })
    }
    /// A claim for `s..e` citing `labels`; false when the span holds no word.
    fn claim(&mut self, s: usize, e: usize, labels: Vec<String>) -> bool {
        match self.make(s, e, labels) {
            Some(c) => {
                self.last_cited = c.citations.iter().cloned().collect();
                self.claims.push(c);
                self.last = Some((e, true));
                true
            }
            None => false,
        }
    }
    /// A sentence no marker cites.
    fn sentence(&mut self, s: usize, e: usize) {
        if let Some(c) = self.make(s, e, vec![]) {
            self.uncited.push(c);
            self.last = Some((e, false));
        }
    }
    /// Markers with no text of their own cite the last sentence.
    fn cite_previous(&mut self, labels: &[String]) {
        match self.last {
            Some((_, true)) => {
                if let Some(c) = self.claims.last_mut() {
                    for l in labels {
                        if self.last_cited.insert(l.clone()) {
                            c.citations.push(l.clone());
                        }
                    }
                }
            }
            Some((e, false)) => {
                if let Some(mut c) = self.uncited.pop() {
                    c.citations = labels.to_vec();
                    self.last_cited = c.citations.iter().cloned().collect();
                    self.claims.push(c);
                    self.last = Some((e, true));
                }
            }
            None => {}
        }
    }
}

/// Is this URL a copy in a web archive rather than the source itself?
pub fn is_archive_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let host = lower
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    [
        "web.archive.org",
        "wayback.archive.org",
        "archive.org",
        "archive.today",
        "archive.ph",
        "archive.is",
        "archive.li",
        "archive.md",
        "archive.vn",
        "webcitation.org",
        "www.webcitation.org",
        "ghostarchive.org",
        "arquivo.pt",
        "webarchive.org.uk",
        "webarchive.nla.gov.au",
        "perma.cc",
        "timetravel.mementoweb.org",
    ]
    .iter()
    .any(|h| {
        host.strip_suffix(h)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    })
}

/// URLs written bare in a text: http(s) up to whitespace or a closing bracket.
pub(crate) fn bare_urls(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(p) = rest.find("http") {
        let cand = &rest[p..];
        if cand.starts_with("http://") || cand.starts_with("https://") {
            let end = cand
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, ']' | '|' | '<' | '>' | '"' | '}' | '{')
                })
                .unwrap_or(cand.len());
            let url = cand[..end].trim_end_matches(['.', ',', ')', ';', ':']);
            if url.len() > 8 {
                out.push(url.to_string());
            }
            rest = &cand[end..];
        } else {
            rest = &cand[4..];
        }
    }
    out
}

/// Put a URL into `urls` or `archive_urls`, once.
pub(crate) fn add_url(r: &mut Reference, url: &str) {
    let url = url.trim();
    if url.is_empty() {
        return;
    }
    let list = if is_archive_url(url) {
        &mut r.archive_urls
    } else {
        &mut r.urls
    };
    if !list.iter().any(|u| u == url) {
        list.push(url.to_string());
    }
}

/// Order references by first citation, then the uncited ones in definition order.
pub(crate) fn order_references(
    refs: HashMap<String, Reference>,
    order: &[String],
    defined: &[String],
) -> Vec<Reference> {
    let mut refs = refs;
    let mut out = Vec::new();
    for l in order.iter().chain(defined.iter()) {
        if let Some(r) = refs.remove(l) {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_read_with_an_article_is_what_its_claims_point_into() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let src = "The dam was finished in 1902.[^a]\n\n[^a]: <https://example.org/dam>\n";
        std::fs::write(&path, format!("\u{feff}{src}")).unwrap();
        let (article, text) = read_file_with_text(path.to_str().unwrap(), None).unwrap();
        assert_eq!(text, src, "the byte-order mark is not part of the text");
        let at = &article.claims[0].location;
        assert_eq!(&text[at.start..at.end], "The dam was finished in 1902.");
    }

    #[test]
    fn detects_formats() {
        assert_eq!(detect("a.md", ""), Format::Markdown);
        assert_eq!(detect("a", "<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(detect("a.txt", "Text.<ref>x</ref>"), Format::Wikitext);
        assert_eq!(detect("a.txt", "Text.[1]"), Format::Plain);
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let err = read_bytes("bad.md", b"line one\nab\xffc", None).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("bad.md:2:3:"), "{msg}");
    }

    #[test]
    fn a_page_broken_thousands_of_times_gets_twenty_lines_and_a_count() {
        let src = format!("Claim.{}\n", "<ref>".repeat(5000));
        let a = read_str("a.wiki", &src, None);
        let malformed: Vec<&Finding> = a
            .findings
            .iter()
            .filter(|f| f.code == Code::ArticleMalformed)
            .collect();
        assert_eq!(malformed.len(), MAX_PROBLEMS_LISTED + 1);
        let last = malformed.last().unwrap();
        assert!(
            last.message
                .starts_with("4980 more problems like those above"),
            "{}",
            last.message
        );
        assert!(
            last.message.contains("unterminated <ref>"),
            "{}",
            last.message
        );
        assert_eq!(
            last.location.as_ref().map(|l| l.start),
            Some("Claim.".len() + 5 * MAX_PROBLEMS_LISTED),
            "the count points at the first problem it stands for"
        );
        // another kind of problem after the flood is still listed
        let src = format!(
            "{}<ref name=a>x</ref><ref name=a>y</ref>\n",
            "<ref>".repeat(30)
        );
        let a = read_str("b.wiki", &src, None);
        let codes: Vec<Code> = a.findings.iter().map(|f| f.code).collect();
        assert!(
            codes.iter().any(|c| *c != Code::ArticleMalformed),
            "{codes:?}"
        );
        assert!(
            a.findings.iter().any(|f| f
                .message
                .starts_with("10 more problems like those above are")),
            "{:?}",
            a.findings
        );
    }

    #[test]
    fn empty_article_is_a_finding() {
        let a = read_str("e.md", "", None);
        assert!(a.claims.is_empty());
        assert_eq!(a.findings[0].code, Code::ArticleMalformed);
    }

    #[test]
    fn archive_urls_are_recognised() {
        assert!(is_archive_url(
            "https://web.archive.org/web/2020/http://x.org"
        ));
        assert!(is_archive_url("http://archive.ph/abc"));
        assert!(!is_archive_url("https://example.org/archive.org"));
    }
}
