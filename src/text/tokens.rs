//! Words for comparison: folded (case, diacritics), stop words out, stemmed.

use crate::text::normalize::fold_char;

/// Function words that carry no claim content.
pub const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "s",
    "t",
    "said",
    "says",
    "may",
    "might",
    "must",
    "shall",
    "upon",
    "within",
    "without",
    "via",
    "per",
    "yet",
    "however",
    "thus",
    "although",
    "though",
    "since",
    "whose",
    "st",
    "nd",
    "rd",
    "th",
    "one",
    "also",
    "well",
    "many",
    "much",
    "several",
    "another",
    "among",
    "amongst",
    "across",
    "along",
    "around",
    "onto",
    "toward",
    "towards",
];

/// Is `text` mostly in a script written without spaces between words (Chinese, Japanese,
/// Thai, Lao, Khmer, Burmese)? There a "word" of [`words`] is a whole phrase, so shares of words
/// found say little.
pub fn unspaced_script(text: &str) -> bool {
    let (mut unspaced, mut letters) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()).take(3_000) {
        letters += 1;
        if matches!(c,
            '\u{3040}'..='\u{30ff}' // hiragana, katakana
            | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' // Han
            | '\u{0e00}'..='\u{0eff}' // Thai, Lao
            | '\u{1000}'..='\u{109f}' // Burmese
            | '\u{1780}'..='\u{17ff}' // Khmer
        ) {
            unspaced += 1;
        }
    }
    letters > 0 && unspaced * 2 > letters
}

/// Is `w` (folded, as [`words`] yields it) a function word to leave out of comparisons?
pub fn is_stopword(w: &str) -> bool {
    STOPWORDS.binary_search(&w).is_ok() || STOPWORDS.contains(&w)
}

/// A word of a text: folded form and byte span in the original.
#[derive(Debug, Clone)]
pub struct Word {
    /// Lower case, diacritics and quote forms folded, possessive 's dropped: the form compared.
    pub folded: String,
    /// Byte offset of the word's start in the text given to [`words`].
    pub start: usize,
    /// Byte offset just past the word (a dropped 's included).
    pub end: usize,
}

/// Split into words (letters and digits; apostrophes inside words kept, possessive 's dropped).
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner_apos = (c == '\'' || c == '\u{2019}')
            && !cur.is_empty()
            && chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
        // a combining mark belongs to the word it marks: Thai "เป็น", Hindi "हिन्दी" (looked up
        // only for what is not a letter or digit: the table search costs)
        let word_char = c.is_alphanumeric()
            || inner_apos
            || (!cur.is_empty()
                && !c.is_ascii()
                && unicode_normalization::char::is_combining_mark(c));
        if word_char {
            if cur.is_empty() {
                start = i;
            }
            if inner_apos {
                cur.push('\'');
            } else {
                fold_char(c, &mut cur);
            }
        } else if !cur.is_empty() {
            push_word(&mut out, &mut cur, start, i);
        }
    }
    if !cur.is_empty() {
        push_word(&mut out, &mut cur, start, text.len());
    }
    out
}

fn push_word(out: &mut Vec<Word>, cur: &mut String, start: usize, end: usize) {
    let mut w = std::mem::take(cur);
    if let Some(stripped) = w.strip_suffix("'s") {
        w = stripped.to_string();
    }
    // fold_char may emit spaces or punctuation for exotic characters
    w.retain(|c| c.is_alphanumeric() || c == '\'');
    if !w.is_empty() {
        out.push(Word {
            folded: w,
            start,
            end,
        });
    }
}

/// English stemmer shared per thread.
pub fn stem(w: &str) -> String {
    thread_local! {
        static STEMMER: rust_stemmers::Stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    }
    if w.len() <= 3 || w.bytes().any(|b| b.is_ascii_digit()) || !w.is_ascii() {
        return w.to_string();
    }
    let w = crate::text::normalize::american_spelling(w);
    STEMMER.with(|s| s.stem(&w).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn combining_marks_stay_in_their_word() {
        let t = "กรุงเทพเป็นเมือง हिन्दी भाषा";
        let w: Vec<&str> = words(t).iter().map(|w| &t[w.start..w.end]).collect();
        assert_eq!(w, vec!["กรุงเทพเป็นเมือง", "हिन्दी", "भाषा"]);
        let w: Vec<String> = words("cafe\u{301} ok")
            .into_iter()
            .map(|w| w.folded)
            .collect();
        assert_eq!(w, vec!["cafe", "ok"], "a Latin accent is folded away");
    }

    #[test]
    fn scripts_without_spaces_between_words() {
        for t in [
            "東京の人口は約1400万人である。",
            "北京是中国的首都。",
            "กรุงเทพเป็นเมืองหลวงของไทย",
        ] {
            assert!(unspaced_script(t), "{t}");
        }
        for t in [
            "The colour was grey.",
            "Москва — столица России.",
            "서울은 한국의 수도이다.",
            "1,200",
        ] {
            assert!(!unspaced_script(t), "{t}");
        }
    }

    #[test]
    fn words_fold_and_possessives() {
        let w: Vec<String> = words("Khrushchëv’s speech, don't STOP—now")
            .into_iter()
            .map(|w| w.folded)
            .collect();
        assert_eq!(w, vec!["khrushchev", "speech", "don't", "stop", "now"]);
        assert_eq!(stem("delegates"), stem("delegate"));
    }
}
