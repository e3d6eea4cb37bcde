//! The cited sources cut once into words and passages; every check reads these.

use super::claim::Claim;
use super::SourceDoc;
use crate::text::sentences;
use crate::text::tokens::{words, Word};
use std::cell::OnceCell;
use std::collections::HashSet;

/// Passages looked at per source at most (bounded time on huge sources).
const MAX_PASSAGES: usize = 50_000;
/// Lines longer than this are cut into sentences; shorter lines are one passage.
const LONG_LINE: usize = 400;

/// A sentence of a source, with its place.
pub(super) struct Passage<'a> {
    /// Index of the source in the claim's list.
    pub source: usize,
    /// From the whole-page text rather than the main content.
    pub whole: bool,
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// Which tokenised text the passage lies in, and its words there.
    pub tok: usize,
    pub w0: usize,
    pub w1: usize,
}

/// A source text cut into words once.
pub(super) struct Tokens<'a> {
    pub text: &'a str,
    pub words: Vec<Word>,
}

/// A fast, non-cryptographic hasher for word sets (FxHash's multiply-rotate).
#[derive(Default, Clone, Copy)]
pub(super) struct Fx(u64);

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

pub(super) type FxSet<T> = HashSet<T, std::hash::BuildHasherDefault<Fx>>;

/// Folded words of a source, for name and quote lookups.
pub(super) struct SourceIndex {
    pub set: FxSet<String>,
    /// The words joined by single spaces, with a space at each end: " a b c ".
    pub joined: String,
    /// Keys of the longer words (transliteration skeletons), built on first use.
    skeletons: OnceCell<FxSet<String>>,
}

impl SourceIndex {
    pub fn new(ws: &[Word]) -> Self {
        let mut set = FxSet::with_capacity_and_hasher(ws.len(), Default::default());
        let mut joined = String::with_capacity(ws.len() * 7 + 2);
        joined.push(' ');
        for w in ws {
            joined.push_str(&w.folded);
            joined.push(' ');
            if !set.contains(&w.folded) {
                set.insert(w.folded.clone());
            }
        }
        SourceIndex {
            set,
            joined,
            skeletons: OnceCell::new(),
        }
    }

    /// `key` of every word of five letters or more.
    pub fn skeletons(&self, key: fn(&str) -> String) -> &FxSet<String> {
        self.skeletons.get_or_init(|| {
            self.set
                .iter()
                .filter(|w| w.chars().count() >= 5)
                .map(|w| key(w))
                .collect()
        })
    }
}

pub(super) struct Sources<'a> {
    pub docs: &'a [SourceDoc<'a>],
    pub texts: Vec<Tokens<'a>>,
    pub passages: Vec<Passage<'a>>,
    /// Why a cited source was not used ("no text", "another script").
    pub unusable: Vec<String>,
    /// Per source: the text whose words names and quotes are looked up in (the longer one).
    lookup: Vec<Option<usize>>,
    indexes: Vec<OnceCell<SourceIndex>>,
}

impl<'a> Sources<'a> {
    /// Cut every usable source into words and passages. A source is unusable when it has no
    /// text or is in another script than the claim (ibid does not translate).
    pub fn prepare(docs: &'a [SourceDoc<'a>], claim: &Claim) -> Self {
        let claim_latin = latin_share(claim.text);
        let mut s = Sources {
            docs,
            texts: Vec::new(),
            passages: Vec::new(),
            unusable: Vec::new(),
            lookup: vec![None; docs.len()],
            indexes: (0..docs.len()).map(|_| OnceCell::new()).collect(),
        };
        if claim.words.is_empty() {
            return s;
        }
        for (k, d) in docs.iter().enumerate() {
            let body = if d.text.trim().is_empty() {
                d.whole.unwrap_or("")
            } else {
                d.text
            };
            if body.trim().is_empty() {
                s.unusable.push(format!("source [{}] has no text", d.id));
                continue;
            }
            if claim_latin > 0.7 && latin_share(body) < 0.3 {
                s.unusable.push(format!("source [{}] is in another language or script than the claim; ibid does not translate", d.id));
                continue;
            }
            let mut texts: Vec<(&str, bool)> = Vec::new();
            if !d.text.trim().is_empty() {
                texts.push((d.text, false));
            }
            if let Some(w) = d.whole.filter(|w| w.len() > d.text.len()) {
                texts.push((w, true));
            }
            for (text, whole) in texts {
                let t = s.texts.len();
                let first = s.passages.len();
                passages(text, k, whole, t, &mut s.passages);
                // words only as far as the passages reach: a source is read on its first
                // MAX_PASSAGES passages, and the words of a 50 MiB text alone would cost
                // several times its size
                let reach = s.passages[first..].iter().map(|p| p.end).max().unwrap_or(0);
                s.texts.push(Tokens {
                    text,
                    words: words(&text[..reach]),
                });
                place_words(&mut s.passages[first..], &s.texts[t].words);
                s.lookup[k] = Some(t);
            }
        }
        s
    }

    /// The words of a passage.
    pub fn words(&self, p: &Passage) -> &[Word] {
        &self.texts[p.tok].words[p.w0..p.w1]
    }

    /// Source indexes whose text is looked up for names and quotes, with the words' index
    /// built on first use.
    pub fn indexes(&self) -> impl Iterator<Item = (usize, &SourceIndex)> + '_ {
        self.lookup.iter().enumerate().filter_map(|(k, t)| {
            let t = (*t)?;
            Some((
                k,
                self.indexes[k].get_or_init(|| SourceIndex::new(&self.texts[t].words)),
            ))
        })
    }

    /// The lookup text's words of source `k`.
    pub fn lookup_words(&self, k: usize) -> &[Word] {
        self.lookup[k]
            .map(|t| self.texts[t].words.as_slice())
            .unwrap_or(&[])
    }

    /// The id of the only source, when there is one.
    pub fn single_id(&self) -> Option<String> {
        (self.docs.len() == 1).then(|| self.docs[0].id.to_string())
    }
}

/// Cut a text into passages: a line, or the sentences of a long line.
fn passages<'a>(text: &'a str, source: usize, whole: bool, tok: usize, out: &mut Vec<Passage<'a>>) {
    let first = out.len();
    let mut off = 0;
    let push = |start: usize, end: usize, out: &mut Vec<Passage<'a>>| {
        out.push(Passage {
            source,
            whole,
            start,
            end,
            text: &text[start..end],
            tok,
            w0: 0,
            w1: 0,
        })
    };
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
            if body.len() > LONG_LINE {
                for (s, e) in sentences::split(body) {
                    push(off + s, off + e, out);
                }
            } else {
                let lead = body.len() - body.trim_start().len();
                push(off + lead, off + lead + body.trim().len(), out);
            }
        }
        off += line.len();
        if out.len() - first >= MAX_PASSAGES {
            break;
        }
    }
}

/// Each passage's word range in `words`.
fn place_words(ps: &mut [Passage], words: &[Word]) {
    for p in ps {
        p.w0 = words.partition_point(|w| w.start < p.start);
        p.w1 = words.partition_point(|w| w.start < p.end);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Rules;

    #[test]
    fn passages_are_lines_and_sentences_of_long_lines() {
        let long = "The first sentence of a long paragraph goes on for a while. ".repeat(10);
        let text = format!("Short line one.\n\n{long}\nx\n");
        let docs = [SourceDoc::new("s", &text)];
        let claim = Claim::parse("A claim.", &Rules::default());
        let s = Sources::prepare(&docs, &claim);
        assert_eq!(s.passages[0].text, "Short line one.");
        assert_eq!(
            s.passages.len(),
            11,
            "one line, ten sentences; 'x' is too short"
        );
        for p in &s.passages {
            assert_eq!(&text[p.start..p.end], p.text);
            assert!(s
                .words(p)
                .iter()
                .all(|w| w.start >= p.start && w.end <= p.end));
        }
    }

    #[test]
    fn unusable_sources_are_named() {
        let docs = [
            SourceDoc::new("empty", "  "),
            SourceDoc::new("ru", "Доклад был прочитан на закрытом заседании съезда."),
        ];
        let claim = Claim::parse("The report was read.", &Rules::default());
        let s = Sources::prepare(&docs, &claim);
        assert!(s.passages.is_empty());
        assert!(s.unusable[0].contains("no text"));
        assert!(s.unusable[1].contains("another language"));
    }

    #[test]
    fn a_hostile_source_is_bounded() {
        let text = "ab\n".repeat(MAX_PASSAGES + 10);
        let docs = [SourceDoc::new("s", &text)];
        let claim = Claim::parse("A claim.", &Rules::default());
        assert_eq!(Sources::prepare(&docs, &claim).passages.len(), MAX_PASSAGES);
    }
}
