//! A claim cut into the pieces the checks look for: content words (stemmed), numbers, dates,
//! names and quotes. Parsed once per claim; pieces of a check that is off are not looked for.

use super::numbers::{self, Number};
use super::{names, quotes, units, CheckKind, Rules};
use crate::text::dates::{self, Date};
use crate::text::tokens::{is_stopword, stem, words, Word};

/// The first this many words of a claim are checked (hostile claims are bounded).
const MAX_WORDS: usize = 2_000;
/// Content words tracked at most: the coverage bit set holds these, 14 numbers and 14 dates.
pub(super) const MAX_STEMS: usize = 100;
pub(super) const MAX_FACTS: usize = 14;

pub(super) struct Claim<'a> {
    pub text: &'a str,
    pub words: Vec<Word>,
    pub numbers: Vec<Number>,
    /// Pairs of `numbers` where the second restates the first in other units ("355 feet (108
    /// m)"): a source that has either has both.
    pub conversions: Vec<(usize, usize)>,
    /// Pairs of `numbers` read from one figure with a scale word, the figure as written and
    /// scaled ("1.2 million": 1.2 and 1,200,000): one fact, which the scaled reading decides.
    pub scaled: Vec<(usize, usize)>,
    pub dates: Vec<Date>,
    /// Stemmed content words, and each as first written.
    pub stems: Vec<String>,
    pub stem_words: Vec<String>,
    pub names: Vec<names::Name>,
    /// Byte spans of quoted passages.
    pub quotes: Vec<(usize, usize)>,
}

impl<'a> Claim<'a> {
    pub fn parse(text: &'a str, rules: &Rules) -> Self {
        let mut words: Vec<Word> = words(text);
        // a claim past MAX_WORDS is checked up to the end of its last word checked
        let checked = match words.get(MAX_WORDS) {
            Some(w) => w.start,
            None => text.len(),
        };
        words.truncate(MAX_WORDS);
        let dates = dates::dates(text, &words);
        let mut numbers = numbers::numbers(text, &words);
        // a number inside a date ("25" of "25 February 1956") belongs to the date
        numbers.retain(|n| !dates.iter().any(|d| n.first <= d.last && d.first <= n.last));
        let conversions = units::conversions(text, &words, &numbers);
        let scaled = numbers::scaled_pairs(&numbers);
        let (stems, stem_words) = content_words(text, &words, &numbers, &dates);
        let names = if rules.runs(CheckKind::Names) {
            names::extract(text, &words)
        } else {
            vec![]
        };
        let quotes = if rules.runs(CheckKind::Quotes) {
            // quotes within the words checked, at most MAX_FACTS of them: each quote not found
            // is looked for in every passage
            let mut q = quotes::extract(&text[..checked], rules.titles_are_names);
            q.truncate(MAX_FACTS);
            q
        } else {
            vec![]
        };
        Claim {
            text,
            words,
            numbers,
            conversions,
            scaled,
            dates,
            stems,
            stem_words,
            names,
            quotes,
        }
    }

    /// The claim as written between two of its words (inclusive).
    pub fn written(&self, first: usize, last: usize) -> &'a str {
        &self.text[self.words[first].start..self.words[last].end]
    }
}

/// Words that carry the claim's content: not stop words, negations, numbers or dates; one
/// entry per stem, in order of first appearance.
fn content_words(
    text: &str,
    words: &[Word],
    numbers: &[Number],
    dates: &[Date],
) -> (Vec<String>, Vec<String>) {
    let mut in_fact = vec![false; words.len()];
    let spans = numbers
        .iter()
        .map(|n| (n.first, n.last))
        .chain(dates.iter().map(|d| (d.first, d.last)));
    for (a, b) in spans {
        for f in &mut in_fact[a..=b.min(words.len() - 1)] {
            *f = true;
        }
    }
    let mut stems: Vec<String> = Vec::new();
    let mut written = Vec::new();
    for (w, fact) in words.iter().zip(&in_fact) {
        let f = w.folded.as_str();
        if *fact
            || is_stopword(f)
            || super::negation::is_negation(f)
            || f.len() < 2 && !f.bytes().all(|b| b.is_ascii_digit())
        {
            continue;
        }
        let s = stem(f);
        if !stems.contains(&s) {
            stems.push(s);
            written.push(text[w.start..w.end].to_string());
            if stems.len() == MAX_STEMS {
                break;
            }
        }
    }
    (stems, written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_of_a_claim() {
        let c = Claim::parse(
            "In Moscow Khrushchev spoke for four hours on 25 February 1956, calling it \"a cult of personality\".",
            &Rules::default(),
        );
        assert_eq!(c.numbers.len(), 1);
        assert_eq!(c.dates.len(), 1);
        assert_eq!(c.dates[0].text, "25 February 1956");
        assert!(c.stem_words.contains(&"spoke".to_string()));
        assert!(
            !c.stem_words.iter().any(|w| w == "25" || w == "four"),
            "numbers and dates are not content words: {:?}",
            c.stem_words
        );
        assert_eq!(c.names.len(), 1);
        assert_eq!(c.quotes.len(), 1);
    }

    #[test]
    fn a_long_claim_is_read_up_to_its_word_cap() {
        let past = format!("{} He said \"a fair bargain\".", "word ".repeat(MAX_WORDS));
        let c = Claim::parse(&past, &Rules::default());
        assert_eq!(c.words.len(), MAX_WORDS);
        assert!(c.quotes.is_empty(), "a quote past the cap is not read");
        let many = "\"a b\" ".repeat(MAX_FACTS + 5);
        assert_eq!(
            Claim::parse(&many, &Rules::default()).quotes.len(),
            MAX_FACTS
        );
    }

    #[test]
    fn pieces_of_checks_that_are_off_are_not_looked_for() {
        let rules = Rules::default().ignoring(&[crate::findings::Code::NameMissing]);
        let c = Claim::parse("Khrushchev spoke in Moscow.", &rules);
        assert!(c.names.is_empty());
    }

    #[test]
    fn content_words_are_bounded() {
        let long: String = (0..500).map(|i| format!("word{i} ")).collect();
        let c = Claim::parse(&long, &Rules::default());
        assert_eq!(c.stems.len(), MAX_STEMS);
    }
}
