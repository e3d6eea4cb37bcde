//! Names: a person, place or organisation named in the claim must appear in a cited source.
//! Written forms differ, so a name's word also matches its plural, demonym and adjective forms
//! (Olympics / Olympic, Canadian / Canada, Nazism / Nazi) and transliterations that keep the
//! consonants (Khrushchev / Khrushchov); diacritics are folded before any of this.

use super::claim::Claim;
use super::source::{SourceIndex, Sources};
use super::Check;
use crate::findings::Code;
use crate::text::tokens::{is_stopword, Word};

/// Lower-case words inside a name ("Bank of England", "Ludwig van Beethoven"). "and" is not
/// one: "Cliftonville and Academy" names two clubs, and each must be in the source.
const NAME_JOINERS: &[&str] = &[
    "of", "the", "de", "von", "van", "der", "al", "del", "la", "le", "da", "di", "du", "bin", "ibn",
];
/// Punctuation that ends a name even between capitalised words: "Bianzone, Lombardy" names a
/// town and its region. A full stop does not ("Donald J. Trump").
const NAME_BREAKS: &[char] = &[',', ';', ':', '(', ')'];
/// Words that follow a name after a comma without being a name of their own: legal forms of a
/// company ("Apple, Inc."), generations ("King, Jr."), the District of Columbia. A source
/// naming the company or the person need not write them.
const NAME_SUFFIXES: &[&str] = &[
    "inc", "ltd", "llc", "llp", "plc", "corp", "co", "ag", "gmbh", "sa", "nv", "bv", "jr", "sr",
    "ii", "iii", "iv", "d",
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
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
/// Endings of plural, demonym and adjective forms, longest first: stripping one leaves the
/// root that the other forms share (Canad-ian, Olymp-ics, Libya-n).
const ENDINGS: &[&str] = &[
    "ians", "ites", "ian", "ans", "ese", "ish", "ite", "ics", "ic", "an", "ns", "es", "s", "n",
];
/// Endings of -isms and -ists, whose root is shorter (Naz-ism, Marx-ist).
const ISM_ENDINGS: &[&str] = &["isms", "ists", "ism", "ist"];
/// Demonyms of "-land" countries and their endings: England / English, Scotland / Scottish,
/// Finland / Finnish, Poland / Polish, Ireland / Irish, Iceland / Icelandic, Thailand / Thai.
const LAND_DEMONYMS: &[&str] = &[
    "lish", "tish", "nish", "ish", "landic", "lander", "landers", "",
];
/// Roots shorter than this are too ambiguous to match on.
const MIN_ROOT: usize = 4;

/// A name in the claim: its capitalised words (folded) and how it was written.
pub(super) struct Name {
    pub words: Vec<String>,
    pub text: String,
    /// Where each of `words` lies in `text` (byte range): a finding names the words the source
    /// lacks as they were written.
    pub spans: Vec<(usize, usize)>,
}

/// Runs of capitalised words (joined by "of", "de", "bin" ..., broken by a comma or the like).
/// A capitalised word opening the sentence is a name only when others follow it; months,
/// weekdays and stop words are not.
pub(super) fn extract(claim: &str, ws: &[Word]) -> Vec<Name> {
    let mut out = Vec::new();
    let cap = |w: &Word| claim[w.start..].starts_with(|c: char| c.is_uppercase());
    let month = |p: &str| MONTHS.contains(&p);
    let mut i = 0;
    while i < ws.len() {
        if !cap(&ws[i])
            || NOT_NAMES.contains(&ws[i].folded.as_str())
            || ws[i].folded.bytes().all(|b| b.is_ascii_digit())
        {
            i += 1;
            continue;
        }
        // the run's capitalised words, by index
        let mut run = vec![i];
        let mut j = i;
        while j + 1 < ws.len() {
            let gap = &claim[ws[j].end..ws[j + 1].start];
            if gap.contains(NAME_BREAKS) {
                break;
            }
            if cap(&ws[j + 1]) && !NOT_NAMES.contains(&ws[j + 1].folded.as_str()) {
                j += 1;
            } else if NAME_JOINERS.contains(&ws[j + 1].folded.as_str())
                && ws.get(j + 2).is_some_and(cap)
                && !gap.contains('.')
            {
                j += 2;
            } else {
                break;
            }
            run.push(j);
        }
        // a run opened by "In", "The" or a month ("In March the Bank of England") starts later
        let plain = |k: &usize| is_stopword(&ws[*k].folded) || month(&ws[*k].folded);
        let lead = run.iter().take_while(|k| plain(k)).count();
        if lead < run.len() {
            let first = run[lead];
            let sentence_start = first == 0
                || claim[..ws[first].start]
                    .trim_end()
                    .ends_with(['.', '!', '?', ':', '"', '\u{201c}']);
            let kept: Vec<usize> = run[lead..].iter().copied().filter(|k| !plain(k)).collect();
            if !(run.len() - lead == 1 && sentence_start) {
                let at = ws[first].start;
                out.push(Name {
                    words: kept.iter().map(|&k| ws[k].folded.clone()).collect(),
                    text: claim[at..ws[j].end].to_string(),
                    spans: kept
                        .iter()
                        .map(|&k| (ws[k].start - at, ws[k].end - at))
                        .collect(),
                });
            }
        }
        i = j + 1 + suffix_after(claim, ws, j);
    }
    out
}

/// How many words after word `j` are a name suffix set off by a comma ("Apple, Inc.",
/// "Washington, D.C."): they are skipped, not read as a name.
fn suffix_after(claim: &str, ws: &[Word], j: usize) -> usize {
    let Some(next) = ws.get(j + 1) else {
        return 0;
    };
    if claim[ws[j].end..next.start].trim() != "," || !NAME_SUFFIXES.contains(&next.folded.as_str())
    {
        return 0;
    }
    // "D.C.": the letters after the "D" that are joined to it by full stops
    let mut k = j + 1;
    while ws
        .get(k + 1)
        .is_some_and(|w| claim[ws[k].end..w.start] == *"." && w.folded.chars().count() == 1)
    {
        k += 1;
    }
    if next.folded == "d" && k == j + 1 {
        return 0; // a lone "D" is an initial, not the District
    }
    k - j
}

/// Share of the claim's names found in some cited source (a name is found when at least half
/// its words are); `name-missing` for each one that is not.
pub(super) fn check(
    claim: &Claim,
    sources: &Sources,
    variants: bool,
    findings: &mut Vec<Check>,
) -> f64 {
    let indexes: Vec<&SourceIndex> = sources.indexes().map(|(_, i)| i).collect();
    let mut found = 0;
    for n in &claim.names {
        let present: Vec<bool> = n
            .words
            .iter()
            .map(|w| indexes.iter().any(|idx| word_found(w, idx, variants)))
            .collect();
        if is_found(&present) {
            found += 1;
        } else {
            findings.push(Check {
                code: Code::NameMissing,
                message: missing_message(n, &present),
                source_id: sources.single_id(),
                evidence: None,
            });
        }
    }
    found as f64 / claim.names.len() as f64
}

/// Is a name found, given which of its words are: at least one, and at least half of them.
fn is_found(present: &[bool]) -> bool {
    let hits = present.iter().filter(|&&p| p).count();
    hits > 0 && hits * 2 >= present.len()
}

/// What a `name-missing` finding says: the name, or when some of its words are in the source,
/// the stretch from its first to its last missing word and the words the source does have
/// (`"Special Agent Nicholas Torres" of the name "NCIS Special Agent Nicholas Torres" does not
/// appear in the source, which has only the words "NCIS" and "Agent"`), so an editor sees
/// which part lacks support.
fn missing_message(n: &Name, present: &[bool]) -> String {
    let word = |k: usize| &n.text[n.spans[k].0..n.spans[k].1];
    let missing: Vec<usize> = (0..present.len()).filter(|&k| !present[k]).collect();
    let has: Vec<String> = (0..present.len())
        .filter(|&k| present[k])
        .map(|k| format!("\"{}\"", word(k)))
        .collect();
    let (Some(&first), Some(&last), Some((last_has, other_has))) =
        (missing.first(), missing.last(), has.split_last())
    else {
        return format!("\"{}\" does not appear in the source", n.text);
    };
    let stretch = &n.text[n.spans[first].0..n.spans[last].1];
    let of_name = if stretch == n.text {
        String::new()
    } else {
        format!(" of the name \"{}\"", n.text)
    };
    let words = if other_has.is_empty() {
        format!("the word {last_has}")
    } else {
        format!("the words {} and {last_has}", other_has.join(", "))
    };
    format!("\"{stretch}\"{of_name} does not appear in the source, which has only {words}")
}

/// Is a name's word (folded) in the source, as written or (with `variants`) in another form?
fn word_found(w: &str, idx: &SourceIndex, variants: bool) -> bool {
    if idx.set.contains(w) {
        return true;
    }
    variants
        && (w.chars().count() >= 5 && idx.joined.contains(&format!(" {w}"))
            || shares_root(w, idx)
            || land_demonym(w, idx)
            || transliterated(w, idx))
}

/// Roots of a word: the word, the word without a form ending, either without a final vowel.
fn roots(w: &str) -> Vec<&str> {
    let mut out = vec![w];
    let long = |r: &str, min: usize| r.chars().count() >= min;
    if let Some(r) = ENDINGS
        .iter()
        .find_map(|e| w.strip_suffix(e).filter(|r| long(r, MIN_ROOT)))
    {
        out.push(r);
    }
    for r in out.clone() {
        if let Some(v) = r
            .strip_suffix(['a', 'e', 'i', 'o', 'u', 'y'])
            .filter(|v| long(v, MIN_ROOT))
        {
            out.push(v);
        }
    }
    out
}

/// Does a source word share a root with `w` (plural, demonym, adjective, -ism forms)?
fn shares_root(w: &str, idx: &SourceIndex) -> bool {
    let has = |s: &str| idx.set.contains(s);
    // a source word that is a root of w plus an ending or a final vowel
    let forms = |root: &str| {
        has(root)
            || ["a", "e", "i", "o", "u", "y"]
                .iter()
                .any(|v| has(&format!("{root}{v}")))
            || ENDINGS.iter().any(|e| {
                has(&format!("{root}{e}"))
                    || ["a", "i", "y"]
                        .iter()
                        .any(|v| has(&format!("{root}{v}{e}")))
            })
    };
    if roots(w).into_iter().skip(1).any(forms) || ENDINGS.iter().any(|e| has(&format!("{w}{e}"))) {
        return true;
    }
    // Nazism / Nazi, Marxist / Marx, Hinduism / Hindu: the root may be short
    ISM_ENDINGS
        .iter()
        .find_map(|e| w.strip_suffix(e).filter(|r| r.chars().count() >= 3))
        .is_some_and(|r| {
            has(r)
                || ["a", "e", "i", "o", "u", "y"]
                    .iter()
                    .any(|v| has(&format!("{r}{v}")))
        })
}

/// England / English and the other "-land" demonyms, either way round.
fn land_demonym(w: &str, idx: &SourceIndex) -> bool {
    let has = |s: String| idx.set.contains(&s);
    // the root with and without a final "e" (Ireland / Irish)
    let roots = |r: &str| {
        let short = r
            .strip_suffix('e')
            .filter(|s| s.len() >= 2)
            .map(str::to_string);
        std::iter::once(r.to_string()).chain(short)
    };
    if let Some(r) = w.strip_suffix("land").filter(|r| r.len() >= 2) {
        return roots(r).any(|r| {
            LAND_DEMONYMS
                .iter()
                .any(|e| (r.len() + e.len() >= 4) && has(format!("{r}{e}")))
        });
    }
    LAND_DEMONYMS
        .iter()
        .filter(|e| !e.is_empty())
        .find_map(|e| w.strip_suffix(e).filter(|r| r.len() >= 2))
        .is_some_and(|r| has(format!("{r}land")) || has(format!("{r}eland")))
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

fn transliterated(w: &str, idx: &SourceIndex) -> bool {
    w.chars().count() >= 5 && {
        let k = skeleton(w);
        idx.skeletons(skeleton).contains(&k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::words;

    fn found(w: &str, source: &str) -> bool {
        word_found(w, &SourceIndex::new(&words(source)), true)
    }

    fn names_of(claim: &str) -> Vec<String> {
        extract(claim, &words(claim))
            .into_iter()
            .map(|n| n.text)
            .collect()
    }

    #[test]
    fn names_are_runs_of_capitalised_words() {
        assert_eq!(
            names_of("In March the Bank of England wrote to Yuri Andropov on Monday."),
            vec!["Bank of England", "Yuri Andropov"]
        );
        assert_eq!(
            names_of("Born in Bianzone, Lombardy; raised in Ohio (United States)."),
            vec!["Bianzone", "Lombardy", "Ohio", "United States"],
            "punctuation ends a name"
        );
        assert_eq!(
            names_of("He left Cliftonville and Academy for Donald J. Trump Jr."),
            vec!["Cliftonville", "Academy", "Donald J. Trump Jr"],
            "\"and\" joins two names, an initial's full stop does not break one"
        );
        assert_eq!(
            names_of(
                "Stock in Apple, Inc. rose in Washington, D.C. when Martin Luther King, Jr. spoke."
            ),
            vec!["Apple", "Washington", "Martin Luther King"],
            "a legal form or a generation after a comma is no name of its own"
        );
        assert!(
            names_of("Historians agree.").is_empty(),
            "a sentence opener"
        );
    }

    fn missing(claim: &str, source: &str) -> Vec<String> {
        let ws = words(claim);
        let idx = SourceIndex::new(&words(source));
        extract(claim, &ws)
            .iter()
            .filter_map(|n| {
                let present: Vec<bool> =
                    n.words.iter().map(|w| word_found(w, &idx, true)).collect();
                (!is_found(&present)).then(|| missing_message(n, &present))
            })
            .collect()
    }

    #[test]
    fn a_missing_name_is_named_by_the_words_the_source_lacks() {
        assert_eq!(
            missing(
                "His role is NCIS Special Agent Nicholas Torres.",
                "Valderrama joins NCIS as an agent"
            ),
            vec![
                "\"Special Agent Nicholas Torres\" of the name \"NCIS Special Agent Nicholas \
                 Torres\" does not appear in the source, which has only the words \"NCIS\" and \
                 \"Agent\""
            ]
        );
        assert_eq!(
            missing("It opened in Port Baku Mall.", "shops in Baku"),
            vec!["\"Port Baku Mall\" does not appear in the source, which has only the word \"Baku\""],
            "missing words at both ends: the whole name"
        );
        assert_eq!(
            missing("He met Yuri Andropov.", "Brezhnev spoke"),
            vec!["\"Yuri Andropov\" does not appear in the source"]
        );
    }

    #[test]
    fn forms_of_a_name_match() {
        for (claim_word, source) in [
            ("olympics", "the Rio 2016 Olympic Games"),
            ("nazism", "a prominent US neo-Nazi"),
            ("canadian", "flights to Canada"),
            ("libya", "the Libyan coast"),
            ("italian", "he left Italy"),
            ("marxist", "Marx wrote"),
            ("khrushchov", "Khrushchev spoke"),
            ("england", "the English game"),
            ("scottish", "born in Scotland"),
            ("ireland", "an Irish poet"),
            ("polish", "left Poland"),
            ("lodz", "Łódź"),
        ] {
            assert!(found(claim_word, source), "{claim_word} in {source:?}");
        }
    }

    #[test]
    fn different_names_do_not_match() {
        for (claim_word, source) in [
            ("austria", "Australia won"),
            ("davis", "Dave said"),
            ("cuba", "the cub ran"),
            ("paris", "a par four"),
            ("andropov", "Brezhnev and Kosygin"),
            ("england", "an engine"),
            ("holland", "a hollow"),
        ] {
            assert!(!found(claim_word, source), "{claim_word} in {source:?}");
        }
        let idx = SourceIndex::new(&words("the Olympic Games"));
        assert!(
            !word_found("olympics", &idx, false),
            "variants off: exact only"
        );
    }
}
