//! The cited sources cut once into words and passages; every check reads these.

use super::claim::Claim;
use super::numbers;
use super::SourceDoc;
use crate::text::dates::{self, Date};
use crate::text::sentences;
use crate::text::tokens::{stem, words, Word};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Passages looked at per source at most (bounded time on huge sources).
const MAX_PASSAGES: usize = 50_000;
/// Lines longer than this are cut into sentences; shorter lines are one passage.
const LONG_LINE: usize = 400;
/// Sentences longer than this are cut at spaces into pieces of at most this many bytes.
const LONG_SENTENCE: usize = 2_000;

/// A sentence of a source, with its place.
#[derive(Clone, Copy)]
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
    /// The passage's place among its text's passages (for the text's per-passage facts).
    pub nth: usize,
}

/// A source text cut into words once, with what the checks read from it that does not depend
/// on the claim (its passages' numbers and dates, its words' stems), found on first use and
/// shared by every claim citing the source: with 200 claims on one page, these scans were
/// most of the time.
pub(super) struct Tokens<'a> {
    pub text: &'a str,
    pub words: Vec<Word>,
    /// Word ranges of the text's passages, in order (a passage's `nth` indexes this).
    spans: Vec<(usize, usize)>,
    numbers: OnceLock<Vec<Box<[f64]>>>,
    /// Each passage's dates: read against the page (`source_dates`), and plain.
    dates: [OnceLock<Vec<Vec<Date>>>; 2],
    /// The plain years written in the text, each once.
    years: OnceLock<Vec<i64>>,
    vocab: OnceLock<Vocab>,
}

/// The distinct words of a text: each word's id, and each id's first place and stem (stemmed
/// on first use, so a source read by one claim stems only the words that claim could match).
pub(super) struct Vocab {
    pub ids: Vec<u32>,
    first: Vec<u32>,
    stems: Vec<OnceLock<String>>,
}

impl Vocab {
    fn new(words: &[Word]) -> Self {
        let mut seen: FxMap<&str, u32> = FxMap::default();
        let mut first = Vec::new();
        let ids = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                *seen.entry(w.folded.as_str()).or_insert_with(|| {
                    first.push(i as u32);
                    first.len() as u32 - 1
                })
            })
            .collect();
        let stems = first.iter().map(|_| OnceLock::new()).collect();
        Vocab { ids, first, stems }
    }

    /// How many distinct words.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    /// The folded form of word `id`.
    pub fn word<'w>(&self, words: &'w [Word], id: usize) -> &'w str {
        &words[self.first[id] as usize].folded
    }

    /// The stem of word `id`.
    pub fn stem(&self, words: &[Word], id: usize) -> &str {
        self.stems[id].get_or_init(|| stem(self.word(words, id)))
    }
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str, words: Vec<Word>, passages: &[Passage]) -> Self {
        Tokens {
            text,
            words,
            spans: passages.iter().map(|p| (p.w0, p.w1)).collect(),
            numbers: OnceLock::new(),
            dates: [OnceLock::new(), OnceLock::new()],
            years: OnceLock::new(),
            vocab: OnceLock::new(),
        }
    }

    /// The values of the numbers written in passage `nth`.
    pub fn numbers(&self, nth: usize) -> &[f64] {
        &self.numbers.get_or_init(|| {
            self.spans
                .iter()
                .map(|&(a, b)| numbers::source_values(self.text, &self.words[a..b]).into())
                .collect()
        })[nth]
    }

    /// The dates of passage `nth`, with relative dates and lone days kept for the page's own
    /// date to resolve (`anchored`) or as plainly written.
    pub fn dates(&self, nth: usize, anchored: bool) -> &[Date] {
        let read = if anchored {
            dates::source_dates
        } else {
            dates::dates
        };
        &self.dates[anchored as usize].get_or_init(|| {
            self.spans
                .iter()
                .map(|&(a, b)| read(self.text, &self.words[a..b]))
                .collect()
        })[nth]
    }

    /// The plain years (1000-2100) written in the text, each once, in order of first use.
    pub fn years(&self) -> &[i64] {
        self.years.get_or_init(|| years_of(&self.words))
    }

    /// The text's distinct words, built on first use.
    pub fn vocab(&self) -> &Vocab {
        self.vocab.get_or_init(|| Vocab::new(&self.words))
    }
}

/// Years written in some words, each once, in order of first use.
pub(super) fn years_of(ws: &[Word]) -> Vec<i64> {
    let mut years = Vec::new();
    for w in ws.iter().filter(|w| numbers::is_year_word(&w.folded)) {
        if let Ok(y) = w.folded.parse::<i64>() {
            if !years.contains(&y) {
                years.push(y);
            }
        }
    }
    years
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
pub(super) type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// Folded words of a source, for name and quote lookups.
pub(super) struct SourceIndex {
    pub set: FxSet<String>,
    /// The words joined by single spaces, with a space at each end: " a b c ".
    pub joined: String,
    /// Keys of the longer words (transliteration skeletons), built on first use.
    skeletons: OnceLock<FxSet<String>>,
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
            skeletons: OnceLock::new(),
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

/// A cited source made ready for checking: the work that does not depend on the claim (the
/// passages, the words of each text, the script of the body, the index of the lookup words)
/// is done once, on the first claim that needs it, and shared by every later claim that cites
/// the source, from any thread. `ibid check` prepares each source once for all its claims;
/// [`crate::verify::Judge::assess`] prepares the sources it is given for that claim alone.
pub struct PreparedSource<'a> {
    doc: SourceDoc<'a>,
    /// The text read: the main content, or the whole page when the main content is empty.
    body: &'a str,
    /// Share of Latin letters in `body` (a claim in Latin script is not checked against a
    /// source in another script).
    body_latin: f64,
    /// Cut into passages and words on first use.
    parts: OnceLock<Parts<'a>>,
}

/// A source's passages and words, independent of any claim.
struct Parts<'a> {
    /// The main content, then the whole page when it is longer.
    texts: Vec<Tokens<'a>>,
    /// Passages of every text, with `source` 0 and `tok` an index into `texts`.
    passages: Vec<Passage<'a>>,
    /// The words' index of the last text (the longer one), built on first use.
    index: OnceLock<SourceIndex>,
}

impl<'a> PreparedSource<'a> {
    /// Ready `doc` for checking; the costly part waits for the first claim that reads it.
    pub fn new(doc: SourceDoc<'a>) -> Self {
        let body = if doc.text.trim().is_empty() {
            doc.whole.unwrap_or("")
        } else {
            doc.text
        };
        PreparedSource {
            doc,
            body,
            body_latin: latin_share(body),
            parts: OnceLock::new(),
        }
    }

    /// The source as given.
    pub fn doc(&self) -> SourceDoc<'a> {
        self.doc
    }

    /// The passages and words, cut on first use.
    fn parts(&self) -> &Parts<'a> {
        self.parts.get_or_init(|| Parts::cut(&self.doc))
    }
}

impl<'a> Parts<'a> {
    /// Cut the main content and the whole page (when longer) into passages and words.
    fn cut(d: &SourceDoc<'a>) -> Self {
        let mut p = Parts {
            texts: Vec::new(),
            passages: Vec::new(),
            index: OnceLock::new(),
        };
        let mut texts: Vec<(&str, bool)> = Vec::new();
        if !d.text.trim().is_empty() {
            texts.push((d.text, false));
        }
        if let Some(w) = d.whole.filter(|w| w.len() > d.text.len()) {
            texts.push((w, true));
        }
        for (text, whole) in texts {
            let t = p.texts.len();
            let first = p.passages.len();
            passages(text, 0, whole, t, &mut p.passages);
            // words only as far as the passages reach: a source is read on its first
            // MAX_PASSAGES passages, and the words of a 50 MiB text alone would cost
            // several times its size
            let reach = p.passages[first..].iter().map(|p| p.end).max().unwrap_or(0);
            let ws = words(&text[..reach]);
            place_words(&mut p.passages[first..], &ws);
            p.texts.push(Tokens::new(text, ws, &p.passages[first..]));
        }
        p
    }
}

/// The sources one claim cites, as the checks read them: the prepared sources' passages and
/// words, borrowed, under the claim's numbering.
pub(super) struct Sources<'a> {
    pub docs: Vec<SourceDoc<'a>>,
    pub texts: Vec<&'a Tokens<'a>>,
    /// Borrowed when the claim reads one source, which is then source 0 with its own texts.
    pub passages: Cow<'a, [Passage<'a>]>,
    /// Why a cited source was not used ("no text", "another script").
    pub unusable: Vec<String>,
    /// Per source: the text whose words names and quotes are looked up in (the longer one),
    /// and the prepared source's index of those words.
    lookup: Vec<Option<(usize, &'a OnceLock<SourceIndex>)>>,
}

impl<'a> Sources<'a> {
    /// The usable sources of a claim, with their passages cut on first use. A source is
    /// unusable when it has no text or is in another script than the claim (ibid does not
    /// translate).
    pub fn gather<'p: 'a, 'd: 'a>(prepared: &[&'p PreparedSource<'d>], claim: &Claim) -> Self {
        let claim_latin = latin_share(claim.text);
        let n = prepared.len();
        let mut s = Sources {
            docs: Vec::with_capacity(n),
            texts: Vec::new(),
            passages: Cow::Borrowed(&[]),
            unusable: Vec::new(),
            lookup: vec![None; n],
        };
        let mut used: Vec<(usize, &'p Parts<'d>)> = Vec::new();
        for (k, d) in prepared.iter().copied().enumerate() {
            s.docs.push(d.doc);
            if claim.words.is_empty() {
                continue;
            }
            if d.body.trim().is_empty() {
                s.unusable
                    .push(format!("source [{}] has no text", d.doc.id));
                continue;
            }
            if claim_latin > 0.7 && d.body_latin < 0.3 {
                s.unusable.push(format!("source [{}] is in another language or script than the claim; ibid does not translate", d.doc.id));
                continue;
            }
            let parts = d.parts();
            if !parts.texts.is_empty() {
                s.lookup[k] = Some((s.texts.len() + parts.texts.len() - 1, &parts.index));
            }
            s.texts.extend(parts.texts.iter());
            used.push((k, parts));
        }
        s.passages = match used.as_slice() {
            [] => Cow::Borrowed(&[]),
            [(0, parts)] => Cow::Borrowed(parts.passages.as_slice()),
            _ => {
                let mut all = Vec::with_capacity(used.iter().map(|(_, p)| p.passages.len()).sum());
                let mut tok = 0;
                for (k, parts) in &used {
                    all.extend(parts.passages.iter().map(|p| Passage {
                        source: *k,
                        tok: tok + p.tok,
                        ..*p
                    }));
                    tok += parts.texts.len();
                }
                Cow::Owned(all)
            }
        };
        s
    }

    /// The words of a passage.
    pub fn words(&self, p: &Passage) -> &[Word] {
        &self.texts[p.tok].words[p.w0..p.w1]
    }

    /// Source indexes whose text is looked up for names and quotes, with the words' index
    /// built on first use.
    pub fn indexes(&self) -> impl Iterator<Item = (usize, &SourceIndex)> + use<'_, 'a> {
        self.lookup.iter().enumerate().filter_map(|(k, l)| {
            let (t, index) = (*l)?;
            Some((
                k,
                index.get_or_init(|| SourceIndex::new(&self.texts[t].words)),
            ))
        })
    }

    /// The years written in the lookup text of source `k`.
    pub fn lookup_years(&self, k: usize) -> &[i64] {
        self.lookup[k]
            .map(|(t, _)| self.texts[t].years())
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
            nth: out.len() - first,
        })
    };
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
            if body.len() > LONG_LINE {
                for (s, e) in sentences::split(body) {
                    for (a, b) in windows(body, s, e) {
                        push(off + a, off + b, out);
                    }
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

/// `text[s..e]` in pieces of at most [`LONG_SENTENCE`] bytes, cut at spaces: a "sentence" that
/// long is text without sentence ends (a page's navigation, a table flattened to one line), and
/// one passage of it would be shown whole as the evidence of every claim it matched.
fn windows(text: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = s;
    while e - start > LONG_SENTENCE {
        let mut limit = start + LONG_SENTENCE;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        // the last space in the second half of the window, else a cut at the limit
        let cut = text[start..limit]
            .rfind(char::is_whitespace)
            .map(|i| start + i)
            .filter(|&c| c > start + LONG_SENTENCE / 2)
            .unwrap_or(limit);
        out.push((start, cut));
        start = cut + text[cut..e].len() - text[cut..e].trim_start().len();
    }
    if start < e {
        out.push((start, e));
    }
    out
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

/// Each source of `docs` made ready, for tests that gather a claim's sources themselves.
#[cfg(test)]
pub(super) fn prepare_each<'a>(docs: &[SourceDoc<'a>]) -> Vec<PreparedSource<'a>> {
    docs.iter().map(|d| PreparedSource::new(*d)).collect()
}

/// The claim's sources gathered from sources prepared for it alone.
#[cfg(test)]
pub(super) fn gather_for<'a>(prepared: &'a [PreparedSource<'a>], claim: &Claim) -> Sources<'a> {
    let refs: Vec<&PreparedSource> = prepared.iter().collect();
    Sources::gather(&refs, claim)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{Assessment, Rules};

    #[test]
    fn passages_are_lines_and_sentences_of_long_lines() {
        let long = "The first sentence of a long paragraph goes on for a while. ".repeat(10);
        let text = format!("Short line one.\n\n{long}\nx\n");
        let docs = [SourceDoc::new("s", &text)];
        let claim = Claim::parse("A claim.", &Rules::default());
        let p = prepare_each(&docs);
        let s = gather_for(&p, &claim);
        assert_eq!(s.passages[0].text, "Short line one.");
        assert_eq!(
            s.passages.len(),
            11,
            "one line, ten sentences; 'x' is too short"
        );
        for p in s.passages.iter() {
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
        let p = prepare_each(&docs);
        let s = gather_for(&p, &claim);
        assert!(s.passages.is_empty());
        assert!(s.unusable[0].contains("no text"));
        assert!(s.unusable[1].contains("another language"));
    }

    #[test]
    fn the_facts_kept_per_text_are_those_of_each_passage_of_every_source() {
        let a = "Founded in 1901 by 40 members.\nClosed on 3 May 1961; reopened in spring.\n";
        let whole = format!("{a}Caption: the hall, 1958, seated 1,200.\n");
        let b = "Twelve rooms were built in 1964.\nThe hall holds 1,200 seats in the nave.\n";
        let docs = [
            SourceDoc {
                whole: Some(&whole),
                ..SourceDoc::new("a", a)
            },
            SourceDoc::new("b", b),
        ];
        let prepared = prepare_each(&docs);
        let claim = Claim::parse("The hall was built in 1964.", &Rules::default());
        // two sources: passages renumbered, each still finding its own text's facts
        let s = gather_for(&prepared, &claim);
        assert_eq!(s.texts.len(), 3);
        for p in s.passages.iter() {
            let t = s.texts[p.tok];
            let words = s.words(p);
            let direct: Vec<f64> = numbers::source_values(t.text, words);
            assert_eq!(t.numbers(p.nth), direct.as_slice(), "{:?}", p.text);
            for anchored in [false, true] {
                let read = if anchored {
                    dates::source_dates(t.text, words)
                } else {
                    dates::dates(t.text, words)
                };
                let texts = |ds: &[Date]| ds.iter().map(|d| d.text.clone()).collect::<Vec<_>>();
                assert_eq!(
                    texts(t.dates(p.nth, anchored)),
                    texts(&read),
                    "{:?}",
                    p.text
                );
            }
        }
        assert_eq!(s.lookup_years(0), [1901, 1961, 1958]);
        assert_eq!(s.lookup_years(1), [1964]);
        // a word's id is shared by its every place; its stem is the word's stem
        let t = s.texts[2];
        let v = t.vocab();
        let the: Vec<usize> = (0..t.words.len())
            .filter(|&i| t.words[i].folded == "the")
            .collect();
        assert_eq!(the.len(), 2);
        assert_eq!(v.ids[the[0]], v.ids[the[1]]);
        let rooms = v.ids[1] as usize;
        assert_eq!(
            (v.word(&t.words, rooms), v.stem(&t.words, rooms)),
            ("rooms", "room")
        );
    }

    #[test]
    fn text_without_sentence_ends_is_cut_into_pieces_at_spaces() {
        let text = "menu item é news sports weather ".repeat(12_000);
        let docs = [SourceDoc::new("s", &text)];
        let claim = Claim::parse("The weather news.", &Rules::default());
        let p = prepare_each(&docs);
        let s = gather_for(&p, &claim);
        assert!(s.passages.len() > 100);
        let mut words = 0;
        for p in s.passages.iter() {
            assert!(p.text.len() <= LONG_SENTENCE, "{}", p.text.len());
            assert!(!p.text.starts_with(' ') && !p.text.ends_with(' '));
            words += s.words(p).len();
        }
        assert_eq!(words, s.texts[0].words.len(), "every word is in one piece");
        use crate::verify::Judge;
        let a = Rules::default().assess("The weather news.", &docs);
        assert!(a.evidence.iter().all(|e| e.text.len() <= LONG_SENTENCE));
    }

    #[test]
    fn a_hostile_source_is_bounded() {
        let text = "ab\n".repeat(MAX_PASSAGES + 10);
        let docs = [SourceDoc::new("s", &text)];
        let claim = Claim::parse("A claim.", &Rules::default());
        let p = prepare_each(&docs);
        assert_eq!(gather_for(&p, &claim).passages.len(), MAX_PASSAGES);
    }

    #[test]
    fn claims_judged_against_one_prepared_source_are_judged_as_if_prepared_per_claim() {
        use crate::verify::{Judge, Verdict};
        let main = "The council approved the harbour plan on 3 May 1961 with 41 votes in favour.\n\
                    The mayor, Anna Berg, called the plan \"a fair bargain for the town\".\n";
        let whole = format!("{main}Photo caption: the old harbour of Tampere in 1958.\n");
        let other = "Engineers finished the harbour wall in 1964 at a cost of 12 million.\n";
        let docs = [
            SourceDoc::new("empty", "  "),
            SourceDoc {
                whole: Some(&whole),
                published: Some("1961-05-04"),
                ..SourceDoc::new("minutes", main)
            },
            SourceDoc::new("report", other),
            SourceDoc::new("ru", "Совет одобрил план порта большинством голосов."),
        ];
        let prepared = prepare_each(&docs);
        let claims = [
            "The council approved the harbour plan with 41 votes in favour.",
            "The council approved the harbour plan with 44 votes in favour.",
            "Anna Berg called the plan \"a fair bargain for the town\".",
            "Mayor Karl Lund called the plan \"a poor bargain\".",
            "The old harbour of Tampere was photographed in 1958.",
            "Engineers finished the harbour wall in 1964, three years after the vote of May 1961.",
        ];
        // which sources each claim cites, by index into `docs`
        let citings: [&[usize]; 5] = [&[1], &[1, 2], &[0, 1], &[2, 1, 3], &[3, 1]];
        let rules = Rules::default();
        let judge_all = || {
            let mut out = Vec::new();
            for cited in citings {
                let shared: Vec<&PreparedSource> = cited.iter().map(|&k| &prepared[k]).collect();
                let own: Vec<SourceDoc> = cited.iter().map(|&k| docs[k]).collect();
                for claim in claims {
                    let once = rules.assess_prepared(claim, &shared);
                    assert_eq!(once, rules.assess(claim, &own), "{claim} citing {cited:?}");
                    out.push(once);
                }
            }
            out
        };
        // two threads share the prepared sources, as `ibid check` does
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(judge_all);
            let b = s.spawn(judge_all);
            (a.join().unwrap(), b.join().unwrap())
        });
        assert_eq!(a, b);
        let verdicts: Vec<Verdict> = a.iter().map(|x| x.verdict).collect();
        assert_eq!(verdicts[0], Verdict::Supported, "{:?}", a[0]);
        assert_ne!(verdicts[1], Verdict::Supported, "44 is not 41: {:?}", a[1]);
        assert!(a.iter().any(|x| x.evidence.iter().any(|e| e.whole_page)));
        // the evidence names its own source whatever the source's place in the claim's list
        let ids = |x: &Assessment| -> Vec<String> {
            x.evidence.iter().map(|e| e.source_id.clone()).collect()
        };
        let wall = claims.len() + 5; // the harbour wall, citing minutes then report
        assert!(
            ids(&a[wall]).contains(&"report".to_string()),
            "{:?}",
            a[wall]
        );
        let after_empty = 2 * claims.len(); // the votes, citing an empty source then minutes
        assert_eq!(ids(&a[after_empty]), ["minutes"], "{:?}", a[after_empty]);
        assert!(prepared[1].parts.get().is_some() && prepared[2].parts.get().is_some());
        assert!(
            prepared[3].parts.get().is_none(),
            "a source in another script is never cut"
        );
    }
}
