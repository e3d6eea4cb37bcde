//! Coverage: the evidence passages and how much of the claim they cover.
//!
//! A claim's tokens are its content words (stemmed), and its numbers and dates when those
//! checks run. Up to three passages are chosen greedily across every cited source, each
//! covering the most tokens still uncovered (numbers and dates count twice), so a claim split
//! over two sources is checked against both.

use super::claim::{Claim, MAX_FACTS};
use super::source::{FxSet, Sources};
use super::{dates, numbers, Evidence};

/// Passages chosen at most.
const MAX_EVIDENCE: usize = 3;

pub(super) struct Cover {
    /// Chosen passages, best first (indexes into `Sources::passages`).
    pub chosen: Vec<usize>,
    /// Bits of the claim's content words the chosen passages contain.
    pub words_covered: u128,
    /// Share of the claim's content words covered (1 when it has none).
    pub word_coverage: f64,
    /// Share of all tokens covered, numbers and dates counting twice.
    pub token_coverage: f64,
}

impl Cover {
    pub fn first_source(&self, sources: &Sources) -> Option<String> {
        self.chosen
            .first()
            .map(|&i| sources.docs[sources.passages[i].source].id.to_string())
    }

    pub fn first_text(&self, sources: &Sources) -> Option<String> {
        self.chosen
            .first()
            .map(|&i| sources.passages[i].text.to_string())
    }

    pub fn evidence(&self, sources: &Sources) -> Vec<Evidence> {
        self.chosen
            .iter()
            .map(|&i| {
                let p = &sources.passages[i];
                Evidence {
                    source_id: sources.docs[p.source].id.to_string(),
                    text: p.text.to_string(),
                    start: p.start,
                    end: p.end,
                    whole_page: p.whole,
                }
            })
            .collect()
    }

    /// The claim's content words as written, covered (`true`) or not.
    pub fn words(&self, claim: &Claim, covered: bool) -> Vec<String> {
        claim
            .stem_words
            .iter()
            .enumerate()
            .filter(|(i, _)| (self.words_covered >> i & 1 == 1) == covered)
            .map(|(_, w)| w.clone())
            .collect()
    }
}

/// Which claim content words each passage has, as bits.
fn word_bits(claim: &Claim, sources: &Sources) -> Vec<u128> {
    // only source words sharing a four-letter prefix with a claim word are stemmed (speed)
    fn prefix(s: &str) -> &str {
        &s[..s.char_indices().nth(4).map_or(s.len(), |(i, _)| i)]
    }
    let prefixes: FxSet<&str> = claim
        .stems
        .iter()
        .map(|s| prefix(s))
        .chain(claim.words.iter().map(|w| prefix(&w.folded)))
        .collect();
    // each distinct word of a text is looked up once; its stem is shared by every claim
    let hits: Vec<Vec<u8>> = sources
        .texts
        .iter()
        .map(|t| {
            let vocab = t.vocab();
            let of_id: Vec<u8> = (0..vocab.len())
                .map(|id| {
                    if !prefixes.contains(prefix(vocab.word(&t.words, id))) {
                        return u8::MAX;
                    }
                    let s = vocab.stem(&t.words, id);
                    claim
                        .stems
                        .iter()
                        .position(|x| x == s)
                        .map_or(u8::MAX, |i| i as u8)
                })
                .collect();
            vocab.ids.iter().map(|&id| of_id[id as usize]).collect()
        })
        .collect();
    sources
        .passages
        .iter()
        .map(|p| {
            hits[p.tok][p.w0..p.w1]
                .iter()
                .filter(|&&h| h != u8::MAX)
                .fold(0u128, |b, &h| b | 1 << h)
        })
        .collect()
}

/// Choose the evidence and measure coverage. Numbers and dates take part when their checks ran.
pub(super) fn cover(
    claim: &Claim,
    sources: &Sources,
    nums: Option<&numbers::Located>,
    dats: Option<&dates::Located>,
) -> Cover {
    let n_words = claim.stems.len();
    let n_nums = nums.map_or(0, |_| claim.numbers.len().min(MAX_FACTS));
    let n_dates = dats.map_or(0, |_| claim.dates.len().min(MAX_FACTS));
    let mut bits = word_bits(claim, sources);
    for (i, b) in bits.iter_mut().enumerate() {
        if let Some(m) = nums {
            *b |= (m.masks[i] as u128) << n_words;
        }
        if let Some(m) = dats {
            *b |= (m.masks[i] as u128) << (n_words + n_nums);
        }
    }
    let n_tokens = n_words + n_nums + n_dates;
    // numbers and dates weigh twice a word: they are what a claim most often gets wrong
    let weight = |b: u128| -> f64 {
        (b & low_bits(n_words)).count_ones() as f64 + 2.0 * (b >> n_words).count_ones() as f64
    };
    let total = weight(low_bits(n_tokens));
    let mut covered = 0u128;
    let mut chosen: Vec<usize> = Vec::new();
    for _ in 0..MAX_EVIDENCE {
        let mut best: Option<(usize, f64)> = None;
        for (i, &b) in bits.iter().enumerate() {
            let gain = weight(b & !covered);
            if gain <= 0.0 {
                continue;
            }
            // prefer main content over the whole page, then shorter passages
            let p = &sources.passages[i];
            let adj = gain - if p.whole { 0.01 } else { 0.0 } - p.text.len() as f64 * 1e-6;
            if best.is_none_or(|(_, g)| adj > g) {
                best = Some((i, adj));
            }
        }
        let Some((i, _)) = best else { break };
        covered |= bits[i];
        chosen.push(i);
    }
    let words_covered = covered & low_bits(n_words);
    Cover {
        chosen,
        words_covered,
        word_coverage: if n_words > 0 {
            words_covered.count_ones() as f64 / n_words as f64
        } else {
            1.0
        },
        token_coverage: if total > 0.0 {
            weight(covered) / total
        } else {
            1.0
        },
    }
}

/// The lowest `n` bits set.
fn low_bits(n: usize) -> u128 {
    if n >= 128 {
        u128::MAX
    } else {
        (1u128 << n) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Rules, SourceDoc};
    use super::*;
    use crate::verify::source::{gather_for, prepare_each};

    fn run(claim: &str, docs: &[SourceDoc]) -> (Cover, Vec<String>) {
        let c = Claim::parse(claim, &Rules::default());
        let p = prepare_each(docs);
        let s = gather_for(&p, &c);
        let n = numbers::locate(&c, &s);
        let cover = cover(&c, &s, Some(&n), None);
        let texts = cover
            .chosen
            .iter()
            .map(|&i| s.passages[i].text.to_string())
            .collect();
        (cover, texts)
    }

    #[test]
    fn greedy_cover_across_sources() {
        let a = SourceDoc::new(
            "a",
            "The speech was delivered to a closed session.\nUnrelated line here.",
        );
        let b = SourceDoc::new("b", "Its text reached Western intelligence in April.");
        let (c, texts) = run(
            "The speech was delivered to a closed session and its text reached Western intelligence.",
            &[a, b],
        );
        assert_eq!(texts.len(), 2);
        assert_eq!(c.word_coverage, 1.0);
    }

    #[test]
    fn numbers_weigh_twice() {
        let a = SourceDoc::new(
            "a",
            "Khrushchev spoke at length.\nThe speech lasted 4 hours in all.",
        );
        let (c, texts) = run("Khrushchev spoke for 4 hours.", &[a]);
        assert_eq!(
            texts[0], "The speech lasted 4 hours in all.",
            "the number decides"
        );
        assert_eq!(c.token_coverage, 1.0);
        let (c, _) = run("Khrushchev wept for 5 hours.", &[a]);
        assert!(c.word_coverage < 1.0);
        assert!(
            c.token_coverage < c.word_coverage,
            "the missing number counts twice"
        );
    }

    #[test]
    fn a_claim_without_content_words_is_covered() {
        let a = SourceDoc::new("a", "Anything at all.");
        let (c, _) = run("It was.", &[a]);
        assert_eq!(c.word_coverage, 1.0);
    }
}
