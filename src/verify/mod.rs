//! Claim x cited source texts -> evidence passages, checks, verdict, score, findings.
//!
//! Deterministic and explainable: the source is cut into sentences; the claim's content words
//! (stemmed), numbers and dates are tokens; up to three passages are chosen greedily, each
//! covering the most claim tokens still uncovered, across all cited sources. Quotes, numbers,
//! dates and names are checked on their own, and the score averages what was measured.

pub mod numbers;

use crate::findings::Code;
use crate::text::dates;
use crate::text::sentences;
use crate::text::tokens::{is_stopword, stem, words, Word};
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Supported,
    PartiallySupported,
    NotSupported,
    Unverifiable,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::PartiallySupported => "partially_supported",
            Verdict::NotSupported => "not_supported",
            Verdict::Unverifiable => "unverifiable",
        }
    }
}

/// A cited source's text as the checker sees it.
#[derive(Debug, Clone, Copy)]
pub struct SourceDoc<'a> {
    pub id: &'a str,
    /// Main content.
    pub text: &'a str,
    /// Whole-page text, searched when the main content lacks something (infobox, caption).
    pub whole: Option<&'a str>,
}

/// A passage used as evidence: `text` is `source.text[start..end]` (or of the whole page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub source_id: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Taken from the whole-page text rather than the main content.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub whole_page: bool,
}

/// One failed check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub code: Code,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub verdict: Verdict,
    pub score: f64,
    pub evidence: Vec<Evidence>,
    pub findings: Vec<Check>,
    /// Claim words found in the evidence, and those not found.
    pub matched: Vec<String>,
    pub unsupported: Vec<String>,
    /// The measurements behind the score, for calibration and debugging.
    #[serde(skip)]
    pub details: Details,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Details {
    pub coverage: f64,
    pub word_coverage: f64,
    pub content_words: usize,
    pub uncovered_words: usize,
    pub numbers: Option<f64>,
    pub dates: Option<f64>,
    pub names: Option<f64>,
    pub negation_clash: bool,
    pub quote_failed: bool,
    pub best_single: f64,
}

/// Room for other judges (a model-based one); the default needs no model and no network.
pub trait Judge: Sync {
    fn assess(&self, claim: &str, sources: &[SourceDoc]) -> Assessment;
}

/// The rule-based judge.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Score at or above which a claim with no failed check is supported.
    pub supported: f64,
    /// Score at or above which it is partially supported.
    pub partial: f64,
}

impl Default for Rules {
    fn default() -> Self {
        // calibrated on the WiCE dev split: the best balanced accuracy of supported against
        // the rest; one threshold, no per-claim fitting
        Rules {
            supported: 0.8,
            partial: 0.5,
        }
    }
}

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "neither", "nor", "none", "nobody", "nothing", "cannot",
];
const NAME_JOINERS: &[&str] = &[
    "of", "the", "de", "von", "van", "der", "al", "del", "la", "le", "da", "di", "du", "and",
    "bin", "ibn",
];
const NOT_NAMES: &[&str] = &[
    "i",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mr",
    "mrs",
    "ms",
    "dr",
];
/// Passages looked at per source at most (bounded time on huge sources).
const MAX_PASSAGES: usize = 50_000;

fn is_negation(w: &str) -> bool {
    NEGATIONS.contains(&w) || w.ends_with("n't")
}

/// Does the text deny something? "not ... until 1989" is about time, not a denial.
fn negated(ws: &[Word], stems: &[&str]) -> bool {
    ws.iter().enumerate().any(|(i, w)| {
        is_negation(&w.folded)
            && !ws[i + 1..ws.len().min(i + 10)]
                .iter()
                .any(|n| matches!(n.folded.as_str(), "until" | "till" | "before" | "only"))
            // the negation must bear on a word the claim and the evidence share
            && ws[i + 1..ws.len().min(i + 5)].iter().any(|n| stems.contains(&stem(&n.folded).as_str()))
    })
}

/// Consonant skeleton for transliteration variants (Khrushchev / Khrushchov).
fn skeleton(w: &str) -> String {
    let mut s = String::new();
    for c in w.chars().filter(|c| !"aeiouy'".contains(*c)) {
        if !s.ends_with(c) {
            s.push(c);
        }
    }
    s
}

/// Share of alphabetic characters that are Latin letters.
fn latin_share(s: &str) -> f64 {
    let (mut latin, mut alpha) = (0usize, 0usize);
    // a sample is enough to tell the script
    for c in s.chars().filter(|c| c.is_alphabetic()).take(3_000) {
        alpha += 1;
        if c.is_ascii_alphabetic() || ('\u{c0}'..='\u{24f}').contains(&c) {
            latin += 1;
        }
    }
    if alpha == 0 {
        1.0
    } else {
        latin as f64 / alpha as f64
    }
}

/// A sentence of a source, with its place.
struct Passage<'a> {
    source: usize,
    whole: bool,
    start: usize,
    end: usize,
    text: &'a str,
    /// Which tokenised text the passage lies in, and its words there.
    tok: usize,
    w0: usize,
    w1: usize,
}

/// A source text cut into words once: passages, numbers, dates and names all read these.
struct Tokens<'a> {
    text: &'a str,
    words: Vec<Word>,
}

/// A fast, non-cryptographic hasher for word sets (FxHash's multiply-rotate).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxSet<T> = HashSet<T, std::hash::BuildHasherDefault<Fx>>;

fn passages<'a>(
    text: &'a str,
    source: usize,
    whole: bool,
    tok: usize,
    words: &[Word],
    out: &mut Vec<Passage<'a>>,
) {
    let first = out.len();
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
            if body.len() > 400 {
                for (s, e) in sentences::split(body) {
                    out.push(Passage {
                        source,
                        whole,
                        start: off + s,
                        end: off + e,
                        text: &body[s..e],
                        tok,
                        w0: 0,
                        w1: 0,
                    });
                }
            } else {
                let lead = body.len() - body.trim_start().len();
                let t = body.trim();
                out.push(Passage {
                    source,
                    whole,
                    start: off + lead,
                    end: off + lead + t.len(),
                    text: t,
                    tok,
                    w0: 0,
                    w1: 0,
                });
            }
        }
        off += line.len();
        if out.len() >= MAX_PASSAGES {
            break;
        }
    }
    for p in &mut out[first..] {
        p.w0 = words.partition_point(|w| w.start < p.start);
        p.w1 = words.partition_point(|w| w.start < p.end);
    }
}

/// A name in the claim: its capitalised words (folded) and how it was written.
struct Name {
    words: Vec<String>,
    text: String,
}

fn names(claim: &str, ws: &[Word]) -> Vec<Name> {
    let mut out = Vec::new();
    let cap = |w: &Word| claim[w.start..].starts_with(|c: char| c.is_uppercase());
    let mut i = 0;
    while i < ws.len() {
        if !cap(&ws[i])
            || NOT_NAMES.contains(&ws[i].folded.as_str())
            || ws[i].folded.bytes().all(|b| b.is_ascii_digit())
        {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut parts = vec![ws[i].folded.clone()];
        while j + 1 < ws.len() {
            if cap(&ws[j + 1]) && !NOT_NAMES.contains(&ws[j + 1].folded.as_str()) {
                j += 1;
                parts.push(ws[j].folded.clone());
            } else if NAME_JOINERS.contains(&ws[j + 1].folded.as_str())
                && ws.get(j + 2).is_some_and(&cap)
                && !claim[ws[j].end..ws[j + 1].start].contains([',', '.', ';'])
            {
                j += 2;
                parts.push(ws[j].folded.clone());
            } else {
                break;
            }
        }
        let sentence_start = i == 0
            || claim[..ws[i].start]
                .trim_end()
                .ends_with(['.', '!', '?', ':', '"', '\u{201c}']);
        let single = parts.len() == 1;
        // a capitalised word opening the sentence is a name only when others follow it
        let skip = single && (is_stopword(&parts[0]) || sentence_start || dates_month(&parts[0]));
        if !skip {
            let parts: Vec<String> = parts
                .into_iter()
                .filter(|p| !is_stopword(p) && !dates_month(p))
                .collect();
            if !parts.is_empty() {
                out.push(Name {
                    words: parts,
                    text: claim[ws[i].start..ws[j].end].to_string(),
                });
            }
        }
        i = j + 1;
    }
    out
}

fn dates_month(w: &str) -> bool {
    matches!(
        w,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
    )
}

/// Folded words of a source, for name and quote lookups.
struct SourceIndex {
    set: FxSet<String>,
    skeletons: FxSet<String>,
    joined: String,
}

fn index_source(text: &str) -> SourceIndex {
    index_words(&words(text))
}

fn index_words(ws: &[Word]) -> SourceIndex {
    let mut set = FxSet::with_capacity_and_hasher(ws.len(), Default::default());
    let mut skeletons = FxSet::default();
    let mut joined = String::with_capacity(ws.len() * 7 + 2);
    joined.push(' ');
    for w in ws {
        joined.push_str(&w.folded);
        joined.push(' ');
        if w.folded.len() >= 5 && !set.contains(&w.folded) {
            skeletons.insert(skeleton(&w.folded));
        }
        if !set.contains(&w.folded) {
            set.insert(w.folded.clone());
        }
    }
    SourceIndex {
        set,
        skeletons,
        joined,
    }
}

/// Years written in a source, for dates the source gives without one ("on 9 March").
fn years_of(ws: &[Word]) -> Vec<i64> {
    let mut years = Vec::new();
    for w in ws {
        if numbers::is_year_word(&w.folded) {
            if let Ok(y) = w.folded.parse::<i64>() {
                if !years.contains(&y) {
                    years.push(y);
                }
            }
        }
    }
    years
}

fn name_word_found(w: &str, idx: &SourceIndex) -> bool {
    idx.set.contains(w)
        || (w.len() >= 5
            && (idx.skeletons.contains(&skeleton(w)) || idx.joined.contains(&format!(" {w}"))))
        // demonyms and adjectives: Libyan / Libya, Canadian / Canada, English / England
        || ["ian", "an", "n", "ese", "ish", "i"].iter().any(|suf| {
            w.strip_suffix(suf).is_some_and(|base| base.len() >= 4 && idx.joined.contains(&format!(" {base}")))
        })
}

/// Quoted passages in the claim: text in double quotes (straight, curly, guillemets).
fn quotes(claim: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let pairs = [
        ('"', '"'),
        ('\u{201c}', '\u{201d}'),
        ('\u{ab}', '\u{bb}'),
        ('\u{201e}', '\u{201c}'),
    ];
    let mut i = 0;
    while i < claim.len() {
        let Some((p, open)) = claim[i..]
            .char_indices()
            .find(|(_, c)| pairs.iter().any(|(o, _)| o == c))
            .map(|(p, c)| (i + p, c))
        else {
            break;
        };
        let close = pairs
            .iter()
            .find(|(o, _)| *o == open)
            .map(|(_, c)| *c)
            .unwrap_or('"');
        let inner = p + open.len_utf8();
        match claim[inner..].find(close) {
            Some(q) => {
                let (s, e) = (inner, inner + q);
                if words(&claim[s..e]).len() >= 2 {
                    out.push((s, e));
                }
                i = e + close.len_utf8();
            }
            None => break,
        }
    }
    out
}

/// Every word of four letters or more starts with a capital: a title or a name.
fn title_case(q: &str) -> bool {
    let ws = words(q);
    let long: Vec<&Word> = ws
        .iter()
        .filter(|w| w.folded.chars().count() >= 4)
        .collect();
    !long.is_empty()
        && long
            .iter()
            .all(|w| q[w.start..].starts_with(|c: char| c.is_uppercase() || c.is_numeric()))
}

/// Fragments of a quote between ellipses and bracketed insertions, as folded word strings.
fn quote_fragments(q: &str) -> Vec<String> {
    let mut frags = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    let flush = |cur: &mut String, frags: &mut Vec<String>| {
        let ws: Vec<String> = words(cur).into_iter().map(|w| w.folded).collect();
        if !ws.is_empty() {
            frags.push(ws.join(" "));
        }
        cur.clear();
    };
    let q = q.replace("...", "\u{2026}").replace(". . .", "\u{2026}");
    for c in q.chars() {
        match c {
            '[' => {
                depth += 1;
                flush(&mut cur, &mut frags);
            }
            ']' => depth -= 1,
            '\u{2026}' => flush(&mut cur, &mut frags),
            c if depth == 0 => cur.push(c),
            _ => {}
        }
    }
    flush(&mut cur, &mut frags);
    frags
}

/// Is `quote` in the source (after folding), fragments in order?
pub fn quote_found(quote: &str, source: &str) -> bool {
    let idx = index_source(source);
    fragments_found(&quote_fragments(quote), &idx)
}

fn fragments_found(frags: &[String], idx: &SourceIndex) -> bool {
    let mut from = 0;
    for f in frags {
        match idx.joined[from..].find(&format!(" {f} ")) {
            Some(p) => from += p + f.len() + 1,
            None => return false,
        }
    }
    true
}

impl Judge for Rules {
    fn assess(&self, claim: &str, sources: &[SourceDoc]) -> Assessment {
        assess(self, claim, sources)
    }
}

fn assess(rules: &Rules, claim: &str, sources: &[SourceDoc]) -> Assessment {
    let mut findings = Vec::new();
    // cap hostile claims: the first 2,000 words are checked
    let cw: Vec<Word> = words(claim).into_iter().take(2000).collect();
    let claim_latin = latin_share(claim);
    // usable sources
    let mut usable: Vec<usize> = Vec::new();
    let mut unusable = Vec::new();
    for (k, s) in sources.iter().enumerate() {
        let body = if s.text.trim().is_empty() {
            s.whole.unwrap_or("")
        } else {
            s.text
        };
        if body.trim().is_empty() {
            unusable.push(format!("source [{}] has no text", s.id));
        } else if claim_latin > 0.7 && latin_share(body) < 0.3 {
            unusable.push(format!("source [{}] is in another language or script than the claim; ibid does not translate", s.id));
        } else {
            usable.push(k);
        }
    }
    if usable.is_empty() || cw.is_empty() {
        let msg = if cw.is_empty() {
            "the claim has no words to check".to_string()
        } else {
            unusable.join("; ")
        };
        return Assessment {
            verdict: Verdict::Unverifiable,
            score: 0.0,
            evidence: vec![],
            findings: vec![Check {
                code: Code::ClaimUnverifiable,
                message: msg,
                source_id: None,
                evidence: None,
            }],
            matched: vec![],
            unsupported: vec![],
            details: Details::default(),
        };
    }

    // claim tokens: stems, numbers, dates
    let cdates = dates::dates(claim, &cw);
    let mut cnums = numbers::numbers(claim, &cw);
    cnums.retain(|n| {
        !cdates
            .iter()
            .any(|d| n.first <= d.last && d.first <= n.last)
    });
    let mut in_fact = vec![false; cw.len()];
    for d in &cdates {
        for f in in_fact.iter_mut().take(d.last + 1).skip(d.first) {
            *f = true;
        }
    }
    for n in &cnums {
        for f in in_fact.iter_mut().take(n.last + 1).skip(n.first) {
            *f = true;
        }
    }
    let mut stems: Vec<String> = Vec::new();
    let mut stem_words: Vec<String> = Vec::new();
    for (k, w) in cw.iter().enumerate() {
        if in_fact[k]
            || is_stopword(&w.folded)
            || is_negation(&w.folded)
            || w.folded.len() < 2 && !w.folded.bytes().all(|b| b.is_ascii_digit())
        {
            continue;
        }
        let s = stem(&w.folded);
        if !stems.contains(&s) {
            stems.push(s);
            stem_words.push(claim[w.start..w.end].to_string());
        }
    }
    stems.truncate(100);
    stem_words.truncate(100);
    let n_stems = stems.len();
    let stem_refs: Vec<&str> = stems.iter().map(|s| s.as_str()).collect();
    let n_tokens = n_stems + cnums.len().min(14) + cdates.len().min(14);
    // only source words sharing a prefix with a claim word or stem are stemmed (speed)
    let prefix =
        |s: &str| s[..s.char_indices().nth(4).map(|(i, _)| i).unwrap_or(s.len())].to_string();
    let prefixes: FxSet<String> = stems
        .iter()
        .map(|s| prefix(s))
        .chain(cw.iter().map(|w| prefix(&w.folded)))
        .collect();

    // every usable source cut into words once; passages are word ranges
    let mut toks: Vec<Tokens> = Vec::new();
    let mut ps: Vec<Passage> = Vec::new();
    // the text whose words the name and quote checks read (the whole page when longer)
    let mut lookup_tok: Vec<Option<usize>> = vec![None; sources.len()];
    for &k in &usable {
        let s = &sources[k];
        let mut texts: Vec<(&str, bool)> = Vec::new();
        if !s.text.trim().is_empty() {
            texts.push((s.text, false));
        }
        if let Some(w) = s.whole.filter(|w| w.len() > s.text.len()) {
            texts.push((w, true));
        }
        for (text, whole) in texts {
            let t = toks.len();
            toks.push(Tokens {
                text,
                words: words(text),
            });
            passages(text, k, whole, t, &toks[t].words, &mut ps);
            lookup_tok[k] = Some(t);
        }
    }
    let cnames = names(claim, &cw);
    let cquotes = quotes(claim);
    let need_index = !cnames.is_empty() || !cquotes.is_empty();
    let indexes: Vec<Option<SourceIndex>> = lookup_tok
        .iter()
        .map(|t| {
            t.filter(|_| need_index)
                .map(|t| index_words(&toks[t].words))
        })
        .collect();
    let years: Vec<Vec<i64>> = lookup_tok
        .iter()
        .map(|t| {
            if cdates.is_empty() {
                vec![]
            } else {
                t.map(|t| years_of(&toks[t].words)).unwrap_or_default()
            }
        })
        .collect();
    // which claim stem each source word is (stemming only words sharing a prefix with one)
    let hits: Vec<Vec<u8>> = toks
        .iter()
        .map(|t| {
            t.words
                .iter()
                .map(|w| {
                    let pre = &w.folded[..w
                        .folded
                        .char_indices()
                        .nth(4)
                        .map(|(i, _)| i)
                        .unwrap_or(w.folded.len())];
                    if !prefixes.contains(pre) {
                        return u8::MAX;
                    }
                    let s = stem(&w.folded);
                    stems
                        .iter()
                        .position(|x| *x == s)
                        .map(|i| i as u8)
                        .unwrap_or(u8::MAX)
                })
                .collect()
        })
        .collect();
    let mut bits: Vec<u128> = Vec::with_capacity(ps.len());
    let mut negs: Vec<bool> = Vec::with_capacity(ps.len());
    let mut nums_in: Vec<Vec<f64>> = Vec::with_capacity(ps.len());
    for p in &ps {
        let tk = &toks[p.tok];
        let pw = &tk.words[p.w0..p.w1];
        let mut b = 0u128;
        for &h in &hits[p.tok][p.w0..p.w1] {
            if h != u8::MAX {
                b |= 1 << h;
            }
        }
        let neg = b != 0 && pw.iter().any(|w| is_negation(&w.folded)) && negated(pw, &stem_refs);
        let mut pn = Vec::new();
        if !cnums.is_empty() {
            pn = numbers::numbers(tk.text, pw)
                .into_iter()
                .map(|n| n.value)
                .collect();
            for (i, n) in cnums.iter().take(14).enumerate() {
                if pn.iter().any(|&v| numbers::matches(n, v)) {
                    b |= 1 << (n_stems + i);
                }
            }
        }
        if !cdates.is_empty() {
            let pd = dates::dates(tk.text, pw);
            for (i, d) in cdates.iter().take(14).enumerate() {
                if dates::confirmed(d, &pd, &years[p.source]) {
                    b |= 1 << (n_stems + cnums.len().min(14) + i);
                }
            }
        }
        bits.push(b);
        negs.push(neg);
        nums_in.push(pn);
    }

    // greedy cover: up to three passages, each adding the most uncovered tokens
    let weight = |b: u128| -> f64 {
        (0..n_tokens)
            .filter(|i| b >> i & 1 == 1)
            .map(|i| if i >= n_stems { 2.0 } else { 1.0 })
            .sum()
    };
    let total_weight = weight(if n_tokens >= 128 {
        u128::MAX
    } else {
        (1u128 << n_tokens) - 1
    });
    let mut covered = 0u128;
    let mut chosen: Vec<usize> = Vec::new();
    for _ in 0..3 {
        let mut best: Option<(usize, f64)> = None;
        for (i, &b) in bits.iter().enumerate() {
            let gain = weight(b & !covered);
            if gain <= 0.0 {
                continue;
            }
            // prefer main content over whole page, then shorter passages
            let adj = gain - if ps[i].whole { 0.01 } else { 0.0 } - ps[i].text.len() as f64 * 1e-6;
            if best.is_none_or(|(_, g)| adj > g) {
                best = Some((i, adj));
            }
        }
        let Some((i, _)) = best else { break };
        covered |= bits[i];
        chosen.push(i);
    }
    let coverage = if total_weight > 0.0 {
        weight(covered) / total_weight
    } else {
        0.0
    };
    let word_cov = if n_stems > 0 {
        (0..n_stems).filter(|i| covered >> i & 1 == 1).count() as f64 / n_stems as f64
    } else {
        1.0
    };

    let evidence: Vec<Evidence> = chosen
        .iter()
        .map(|&i| {
            let p = &ps[i];
            Evidence {
                source_id: sources[p.source].id.to_string(),
                text: p.text.to_string(),
                start: p.start,
                end: p.end,
                whole_page: p.whole,
            }
        })
        .collect();
    let best_text = chosen.first().map(|&i| ps[i].text.to_string());
    let first_source = chosen
        .first()
        .map(|&i| sources[ps[i].source].id.to_string());

    // numbers: in the evidence, or anywhere in the cited sources
    let (mut num_share, mut date_share, mut name_share) = (None, None, None);
    if !cnums.is_empty() {
        let mut found = 0;
        for (i, n) in cnums.iter().enumerate() {
            let anywhere = i < 14 && bits.iter().any(|b| b >> (n_stems + i) & 1 == 1);
            if anywhere {
                found += 1;
            } else {
                let near: Vec<String> = chosen
                    .iter()
                    .flat_map(|&c| nums_in[c].iter())
                    .map(|v| fmt_num(*v))
                    .collect::<Vec<_>>();
                let written = claim[cw[n.first].start..cw[n.last].end].to_string();
                let msg = if near.is_empty() {
                    format!(
                        "\"{written}\" is not in the source; the closest passage has no numbers"
                    )
                } else {
                    format!(
                        "\"{written}\" is not in the source; the closest passage has {}",
                        near.join(", ")
                    )
                };
                findings.push(Check {
                    code: Code::NumberMismatch,
                    message: msg,
                    source_id: first_source.clone(),
                    evidence: best_text.clone(),
                });
            }
        }
        num_share = Some(found as f64 / cnums.len() as f64);
    }
    if !cdates.is_empty() {
        let mut found = 0;
        let off = n_stems + cnums.len().min(14);
        for (i, d) in cdates.iter().enumerate() {
            if i < 14 && bits.iter().any(|b| b >> (off + i) & 1 == 1) {
                found += 1;
            } else {
                let near: Vec<String> = chosen
                    .iter()
                    .flat_map(|&c| {
                        let pw = words(ps[c].text);
                        dates::dates(ps[c].text, &pw)
                            .into_iter()
                            .map(|d| d.text)
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let msg = if near.is_empty() {
                    format!("date \"{}\" is not in the source", d.text)
                } else {
                    format!(
                        "date \"{}\" is not in the source; the closest passage says {}",
                        d.text,
                        near.join(", ")
                    )
                };
                findings.push(Check {
                    code: Code::DateMismatch,
                    message: msg,
                    source_id: first_source.clone(),
                    evidence: best_text.clone(),
                });
            }
        }
        date_share = Some(found as f64 / cdates.len() as f64);
    }
    // names: anywhere in a cited source
    if !cnames.is_empty() {
        let mut found = 0.0;
        for n in &cnames {
            let hits = n
                .words
                .iter()
                .filter(|w| indexes.iter().flatten().any(|idx| name_word_found(w, idx)))
                .count();
            if hits * 2 >= n.words.len() && hits > 0 {
                found += 1.0;
            } else {
                findings.push(Check {
                    code: Code::NameMissing,
                    message: format!("\"{}\" does not appear in the source", n.text),
                    source_id: if sources.len() == 1 {
                        Some(sources[0].id.to_string())
                    } else {
                        None
                    },
                    evidence: None,
                });
            }
        }
        name_share = Some(found / cnames.len() as f64);
    }
    // quotes
    let mut quote_failed = false;
    for &(s, e) in &cquotes {
        let q = &claim[s..e];
        // a quoted title ("The Hunger Games: Mockingjay") names a work; it is not a quotation
        if title_case(q) {
            continue;
        }
        let frags = quote_fragments(q);
        if frags.is_empty()
            || indexes
                .iter()
                .flatten()
                .any(|idx| fragments_found(&frags, idx))
        {
            continue;
        }
        quote_failed = true;
        // closest passage: most quote words
        let qw: HashSet<String> = words(q).into_iter().map(|w| w.folded).collect();
        let best = ps.iter().max_by_key(|p| {
            let pw: HashSet<String> = words(p.text).into_iter().map(|w| w.folded).collect();
            (qw.intersection(&pw).count(), usize::MAX - p.text.len())
        });
        let (ev, missing) = match best {
            Some(p) => {
                let pw: HashSet<String> = words(p.text).into_iter().map(|w| w.folded).collect();
                let missing: Vec<String> = words(q)
                    .into_iter()
                    .filter(|w| !pw.contains(&w.folded))
                    .map(|w| q[w.start..w.end].to_string())
                    .collect();
                (Some(p.text.to_string()), missing)
            }
            None => (None, vec![]),
        };
        let msg = if missing.is_empty() {
            format!("quote \"{q}\" is not in the source as written (words differ in order or are split)")
        } else {
            format!(
                "quote \"{q}\" is not in the source; closest passage lacks: {}",
                missing.join(", ")
            )
        };
        findings.push(Check {
            code: Code::QuoteMismatch,
            message: msg,
            source_id: best.map(|p| sources[p.source].id.to_string()),
            evidence: ev,
        });
    }
    // negation: the claim denies what the evidence asserts, or the other way round
    let ev_negated = chosen.first().is_some_and(|&i| negs[i]);
    let matched_stems: Vec<&str> = (0..n_stems)
        .filter(|i| covered >> i & 1 == 1)
        .map(|i| stems[i].as_str())
        .collect();
    let claim_negated = negated(&cw, &matched_stems);
    let negation_clash = word_cov >= 0.5 && claim_negated != ev_negated;

    let best_single = bits.iter().map(|&b| weight(b)).fold(0.0, f64::max) / total_weight.max(1e-9);
    let details = Details {
        coverage,
        word_coverage: word_cov,
        content_words: n_stems,
        uncovered_words: (0..n_stems).filter(|i| covered >> i & 1 == 0).count(),
        numbers: num_share,
        dates: date_share,
        names: name_share,
        negation_clash,
        quote_failed,
        best_single,
    };
    let score = score_of(&details);
    let score = (score * 1000.0).round() / 1000.0;
    let hard_fail = findings.iter().any(|f| {
        matches!(
            f.code,
            Code::QuoteMismatch | Code::NumberMismatch | Code::DateMismatch
        )
    });
    let verdict = if score >= rules.supported && !hard_fail && !negation_clash {
        Verdict::Supported
    } else if score >= rules.partial || word_cov >= 0.6 {
        // most of the claim's words are in the evidence: only a part (a number, a date, a
        // name, the polarity) fails
        Verdict::PartiallySupported
    } else {
        Verdict::NotSupported
    };
    let matched: Vec<String> = (0..n_stems)
        .filter(|i| covered >> i & 1 == 1)
        .map(|i| stem_words[i].clone())
        .collect();
    let mut unsupported: Vec<String> = (0..n_stems)
        .filter(|i| covered >> i & 1 == 0)
        .map(|i| stem_words[i].clone())
        .collect();
    if negation_clash {
        unsupported.push(if claim_negated {
            "(negation: the claim denies, the source affirms)".into()
        } else {
            "(negation: the source denies, the claim affirms)".into()
        });
    }
    if verdict == Verdict::NotSupported {
        findings.retain(|f| f.code != Code::NameMissing);
    }
    match verdict {
        Verdict::NotSupported => findings.push(Check {
            code: Code::ClaimUnsupported,
            message: format!(
                "score {score:.2}; the cited source does not support: {}",
                if unsupported.is_empty() {
                    "the claim as a whole".to_string()
                } else {
                    unsupported.join(", ")
                }
            ),
            source_id: first_source.clone(),
            evidence: best_text.clone(),
        }),
        Verdict::PartiallySupported
            if !findings.iter().any(|f| {
                matches!(
                    f.code,
                    Code::QuoteMismatch
                        | Code::NumberMismatch
                        | Code::DateMismatch
                        | Code::NameMissing
                )
            }) =>
        {
            findings.push(Check {
                code: Code::ClaimPartiallySupported,
                message: format!(
                    "score {score:.2}; not supported: {}",
                    if unsupported.is_empty() {
                        "the relation between the words".to_string()
                    } else {
                        unsupported.join(", ")
                    }
                ),
                source_id: first_source.clone(),
                evidence: best_text.clone(),
            })
        }
        _ => {}
    }
    if !unusable.is_empty() {
        findings.push(Check {
            code: Code::ClaimUnverifiable,
            message: format!(
                "checked against the other sources only: {}",
                unusable.join("; ")
            ),
            source_id: None,
            evidence: None,
        });
    }
    Assessment {
        verdict,
        score,
        evidence,
        findings,
        matched,
        unsupported,
        details,
    }
}

/// The score from the measurements: the weighted mean of what was measured (coverage of the claim's
/// words by the best passages, and the shares of its numbers, dates and names found), halved on
/// a little on a negation clash. A failed quote does not lower the score (quoted titles are
/// often written differently in sources) but keeps the verdict below supported.
pub fn score_of(d: &Details) -> f64 {
    // coverage counts one and a half times: it is the only part that looks at the relation
    // between the claim's words, not just their presence
    let others: Vec<f64> = [d.numbers, d.dates, d.names]
        .into_iter()
        .flatten()
        .collect();
    let mut score = (1.5 * d.coverage + others.iter().sum::<f64>()) / (1.5 + others.len() as f64);
    if d.negation_clash {
        score *= 0.9;
    }
    score
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests;
