//! Numbers in prose: digits with separators, decimals, percentages, currency, scale words
//! ("1.2 million"), spelled-out numbers ("thirty thousand", "four hours") and ordinals.
//! Four-digit years are left to the date rules.
//!
//! The numbers check: each of the claim's numbers must be in some passage of a cited source
//! (a hedged round figure matches by rounding); `number-mismatch` names each one that is not,
//! with the numbers the closest passage has.

use super::claim::{Claim, MAX_FACTS};
use super::coverage::Cover;
use super::source::Sources;
use super::Check;
use crate::findings::Code;
use crate::text::tokens::Word;

/// A number found in text, with the words it spans (indices into the word list).
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The value, a scale word applied ("25%" is 25; "1.2 million" gives both 1.2 and 1 200 000).
    pub value: f64,
    /// Index of the first word of the number.
    pub first: usize,
    /// Index of its last word (inclusive; a scale word included).
    pub last: usize,
    /// Written with a hedge ("about", "more than"): rounding is allowed when matching.
    pub approx: bool,
    /// Another value an ambiguous figure may have: "7.8m" is 7.8 million in "7.8m people" and
    /// 7.8 metres in "a 7.8m wall". A source is read with both; a claim matches either.
    pub or_else: Option<f64>,
}

const UNITS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("dozen", 12.0),
];
const ORDINALS: &[(&str, f64)] = &[
    ("third", 3.0),
    ("fourth", 4.0),
    ("fifth", 5.0),
    ("sixth", 6.0),
    ("seventh", 7.0),
    ("eighth", 8.0),
    ("ninth", 9.0),
    ("tenth", 10.0),
    ("eleventh", 11.0),
    ("twelfth", 12.0),
    ("thirteenth", 13.0),
    ("fourteenth", 14.0),
    ("fifteenth", 15.0),
    ("sixteenth", 16.0),
    ("seventeenth", 17.0),
    ("eighteenth", 18.0),
    ("nineteenth", 19.0),
    ("twentieth", 20.0),
    ("thirtieth", 30.0),
    ("fortieth", 40.0),
    ("fiftieth", 50.0),
    ("hundredth", 100.0),
];
const SCALES: &[(&str, f64)] = &[
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("bn", 1e9),
    ("mn", 1e6),
    ("k", 1e3),
];
const HEDGES: &[&str] = &[
    "about",
    "around",
    "approximately",
    "nearly",
    "almost",
    "roughly",
    "over",
    "some",
    "circa",
    "c",
    "ca",
    "estimated",
    "more",
    "less",
    "fewer",
    "least",
    "most",
    "up",
    "under",
    "than",
    "exceeding",
    "above",
    "below",
];

fn word_value(w: &str) -> Option<f64> {
    UNITS
        .iter()
        .chain(ORDINALS.iter())
        .find(|(n, _)| *n == w)
        .map(|(_, v)| *v)
        .or_else(|| {
            // "twenty-five" arrives as one word only when written without a hyphen split
            let (a, b) = w.split_once('-')?;
            Some(word_value(a)? + word_value(b)?)
        })
}

fn scale(w: &str) -> Option<f64> {
    SCALES.iter().find(|(n, _)| *n == w).map(|(_, v)| *v)
}

/// Parse the digits of a word: "30000", "20th", "1956s" are handled by callers.
fn digits_value(w: &str) -> Option<f64> {
    let w = w.trim_end_matches(|c: char| c.is_alphabetic());
    if w.is_empty() || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok()
}

/// Is word `i` a plain year (1000-2100, four digits)?
pub fn is_year_word(w: &str) -> bool {
    w.len() == 4
        && w.bytes().all(|b| b.is_ascii_digit())
        && (1000..=2100).contains(&w.parse::<u32>().unwrap_or(0))
}

/// Numbers in `text`, given its words. Separators are read from the text between words.
pub fn numbers(text: &str, words: &[Word]) -> Vec<Number> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].folded.as_str();
        let hedge = i > 0 && HEDGES.contains(&words[i - 1].folded.as_str());
        // digits, with thousands groups and a decimal part joined across separators
        if w.as_bytes()[0].is_ascii_digit() {
            let mut first_digits = w.trim_end_matches(|c: char| c.is_alphabetic()).to_string();
            let mut suffix = &w[first_digits.len()..];
            // ".5", "$.5m": a decimal written without its leading zero
            let leading_dot = leading_dot(text, words[i].start);
            let money = currency_before(text, words[i].start - leading_dot as usize);
            let mut j = i;
            let mut value_str = first_digits.clone();
            let mut decimal = false;
            if leading_dot {
                value_str.insert_str(0, "0.");
                decimal = true; // no thousands groups, no second decimal point
            }
            while j + 1 < words.len() && suffix.is_empty() {
                let gap = &text[words[j].end..words[j + 1].start];
                let next = words[j + 1].folded.as_str();
                let nd = next.bytes().take_while(|b| b.is_ascii_digit()).count();
                if nd == 0 {
                    break;
                }
                if (gap == "," || gap == " " || gap == "\u{a0}" || gap == "\u{202f}" || gap == "'")
                    && nd == 3
                    && next.len() == 3
                    && !decimal
                    && first_digits.len() <= 3
                {
                    value_str.push_str(next);
                    first_digits = "x".into(); // later groups must also be 3 digits; the first can be 1-3
                    j += 1;
                    continue;
                }
                if gap == "." && !decimal && (nd == next.len() || e_form(&next[nd..])) {
                    value_str.push('.');
                    value_str.push_str(next);
                    decimal = true;
                    j += 1;
                    continue;
                }
                // "3.3bn", "$7.8m", "2.5kg": a decimal with a scale or unit written onto it,
                // which ends the figure
                if gap == "." && !decimal && next[nd..].bytes().all(|b| b.is_ascii_alphabetic()) {
                    value_str.push('.');
                    value_str.push_str(&next[..nd]);
                    suffix = &next[nd..];
                    j += 1;
                    break;
                }
                break;
            }
            // scientific notation: "1.5e10" arrived as one word or was joined above; "1.5e-3"
            // and "1.5 × 10^10" end in a sign or a power of ten read here
            if let Some((exp, end)) = exponent(text, words, j, &value_str) {
                let mantissa = value_str.trim_end_matches('e');
                if let Ok(value) = mantissa.parse::<f64>().map(|m| m * 10f64.powi(exp)) {
                    out.push(Number {
                        value,
                        first: i,
                        last: end,
                        approx: hedge,
                        or_else: None,
                    });
                    i = end + 1;
                    continue;
                }
            }
            if j == i && is_year_word(w) {
                i += 1;
                continue; // a year: the date rules own it
            }
            // decades ("1930s") are dates too
            if suffix == "s" && value_str.len() == 4 {
                i += 1;
                continue;
            }
            let Ok(mut v) = value_str.trim_end_matches('e').parse::<f64>() else {
                i += 1;
                continue;
            };
            let mut last = j;
            if let Some(s) = words.get(j + 1).and_then(|n| scale(&n.folded)) {
                out.push(Number {
                    value: v,
                    first: i,
                    last: j,
                    approx: hedge,
                    or_else: None,
                });
                v *= s;
                last = j + 1;
            } else if let Some(s) = suffix_scale(suffix, money) {
                v *= s;
            }
            out.push(Number {
                value: v,
                first: i,
                last,
                approx: hedge,
                or_else: (suffix == "m" && !money).then_some(v * 1e6),
            });
            i = last + 1;
            continue;
        }
        // spelled-out numbers: "thirty thousand", "a hundred", "four"
        let lead_a = (w == "a" || w == "one")
            && words
                .get(i + 1)
                .is_some_and(|n| scale(&n.folded).is_some() && n.folded != "k");
        if word_value(w).is_some() || lead_a {
            let mut total = 0.0;
            let mut current = if lead_a { 1.0 } else { 0.0 };
            let mut j = if lead_a { i + 1 } else { i };
            let mut last = i;
            while j < words.len() {
                let x = words[j].folded.as_str();
                if let Some(v) = word_value(x) {
                    current += v;
                } else if let Some(s) = scale(x).filter(|_| x != "k" && x != "bn" && x != "mn") {
                    if current == 0.0 {
                        current = 1.0;
                    }
                    if s >= 1e3 {
                        total += current * s;
                        current = 0.0;
                    } else {
                        current *= s;
                    }
                } else if x == "and"
                    && words
                        .get(j + 1)
                        .is_some_and(|n| word_value(&n.folded).is_some())
                {
                    // "a hundred and twenty"
                } else {
                    break;
                }
                last = j;
                j += 1;
            }
            out.push(Number {
                value: total + current,
                first: i,
                last,
                approx: hedge,
                or_else: None,
            });
            i = last + 1;
            continue;
        }
        if let Some(v) = digits_value(w).filter(|_| {
            w.ends_with("th") || w.ends_with("st") || w.ends_with("nd") || w.ends_with("rd")
        }) {
            out.push(Number {
                value: v,
                first: i,
                last: i,
                approx: false,
                or_else: None,
            });
        }
        i += 1;
    }
    out
}

/// The scale a suffix written onto a figure gives it: "bn", "mn", "k", and after a currency
/// sign "m" ("$7.8m" is 7.8 million; "7.8m" alone may be metres).
fn suffix_scale(suffix: &str, money: bool) -> Option<f64> {
    match suffix {
        "m" if money => Some(1e6),
        _ => scale(suffix),
    }
}

/// Is the word at byte `at` a decimal's fraction written without its leading zero: a full stop
/// right before it that follows no letter, digit or other full stop (".5", "$.5m", ".133
/// batting average", but not "2019.5", "end.5" or the "...70" of a cut quotation)?
fn leading_dot(text: &str, at: usize) -> bool {
    text[..at]
        .strip_suffix('.')
        .is_some_and(|before| !before.ends_with(|c: char| c.is_alphanumeric() || c == '.'))
}

/// Does a currency sign stand right before byte `at` ("$3.3bn", "US$1,000", "£4m")?
fn currency_before(text: &str, at: usize) -> bool {
    text[..at].ends_with(['$', '£', '€', '¥', '₹'])
}

/// Is `rest` (what follows a word's digits) the exponent of scientific notation: "e10", or a
/// bare "e" whose signed exponent follows ("1.5e-3")?
fn e_form(rest: &str) -> bool {
    rest.strip_prefix('e')
        .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
}

/// The power of ten after the number whose last word is `j` (its digits so far in `value`):
/// "e" then a signed exponent ("1.5e-3"), or "× 10^10" / "x 10^-3". Returns the exponent and
/// the last word read.
fn exponent(text: &str, words: &[Word], j: usize, value: &str) -> Option<(i32, usize)> {
    let gap = |k: usize| text.get(words[k].end..words.get(k + 1)?.start);
    let digits = |k: usize| {
        let w = &words.get(k)?.folded;
        w.bytes().all(|b| b.is_ascii_digit()).then_some(w.as_str())
    };
    let sign = |g: &str| match g {
        "-" | "\u{2212}" => Some(-1),
        "+" | "" => Some(1),
        _ => None,
    };
    if value.ends_with('e') {
        let s = sign(gap(j)?)?;
        let exp: i32 = digits(j + 1)?.parse().ok()?;
        return Some((s * exp, j + 1));
    }
    // the word "10": after "×" or "*" between the words, or after the word "x"
    let ten = if ["×", "*"].contains(&gap(j)?.trim()) {
        j + 1
    } else if words.get(j + 1)?.folded == "x"
        && gap(j)?.trim().is_empty()
        && gap(j + 1)?.trim().is_empty()
    {
        j + 2
    } else {
        return None;
    };
    if digits(ten)? != "10" {
        return None;
    }
    let power = gap(ten)?.strip_prefix('^')?;
    let exp: i32 = digits(ten + 1)?.parse().ok()?;
    Some((sign(power)? * exp, ten + 1))
}

/// Two readings of one written figure: equal up to the rounding of the arithmetic that read them
/// ("1.2 million" is 1.2 × 10^6, a few units in the 16th digit away from 1,200,000). The slack
/// is far below a unit of any figure written with up to 15 digits, so 10,000,000,001 is not
/// 10,000,000,000; figures longer than f64 holds exactly (past 2^53) compare at its precision.
fn same_figure(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-13 * a.abs().max(b.abs()).max(1.0)
}

/// Does a number from the claim match one from the source? Exact, or by rounding when the
/// claim's figure is round (30,000 for 30,412) and hedged.
pub fn matches(claim: &Number, source: f64) -> bool {
    matches_value(claim, claim.value, source)
        || claim
            .or_else
            .is_some_and(|c| matches_value(claim, c, source))
}

/// Does value `c` of a claim's number match a source's?
fn matches_value(claim: &Number, c: f64, source: f64) -> bool {
    // a figure past the range of f64 ("1e400", a 400-digit number) reads as infinity: no source
    // number can be shown equal to it, so it is reported, never silently matched
    if !c.is_finite() || !source.is_finite() {
        return false;
    }
    if same_figure(c, source) {
        return true;
    }
    if claim.approx && c >= 100.0 && c.fract() == 0.0 {
        let zeros = (c as u64)
            .to_string()
            .bytes()
            .rev()
            .take_while(|&b| b == b'0')
            .count() as u32;
        if zeros >= 2 {
            let unit = 10f64.powi(zeros as i32 - 1);
            return (source / unit).round() * unit == c;
        }
    }
    false
}

/// Where the claim's numbers are: per passage, a bit for each of the first [`MAX_FACTS`]
/// numbers found there; and for every number, whether any passage has it.
pub(super) struct Located {
    pub masks: Vec<u16>,
    pub found: Vec<bool>,
}

pub(super) fn locate(claim: &Claim, sources: &Sources) -> Located {
    let mut found = vec![false; claim.numbers.len()];
    let mut masks: Vec<u16> = sources
        .passages
        .iter()
        .map(|p| {
            let values = sources.texts[p.tok].numbers(p.nth);
            let mut mask = 0u16;
            for (i, n) in claim.numbers.iter().enumerate() {
                if values.iter().any(|&v| matches(n, v)) {
                    found[i] = true;
                    if i < MAX_FACTS {
                        mask |= 1 << i;
                    }
                }
            }
            mask
        })
        .collect();
    // a number and its conversion ("355 feet (108 m)") are one fact: a source gives one of them
    for &(a, b) in &claim.conversions {
        let either = found[a] || found[b];
        found[a] = either;
        found[b] = either;
    }
    // "1.2 million" is found where 1,200,000 is, and only there: "1.2 billion" has a 1.2 too
    for &(plain, scaled) in &claim.scaled {
        found[plain] = found[scaled];
        if plain < MAX_FACTS && scaled < MAX_FACTS {
            for m in &mut masks {
                *m = (*m & !(1 << plain)) | ((*m >> scaled & 1) << plain);
            }
        }
    }
    Located { masks, found }
}

/// The values a source is read with: "1.2 million" as 1,200,000 only (its bare 1.2 would lend a
/// match to a claim's "1.2 points" or "7.8m viewers" against "7.8 billion"), and both readings
/// of an ambiguous "7.8m".
pub(super) fn source_values(text: &str, words: &[Word]) -> Vec<f64> {
    let found = numbers(text, words);
    let plain: Vec<usize> = scaled_pairs(&found).into_iter().map(|(p, _)| p).collect();
    found
        .into_iter()
        .enumerate()
        .filter(|(k, _)| !plain.contains(k))
        .flat_map(|(_, n)| std::iter::once(n.value).chain(n.or_else))
        .collect()
}

/// The pairs a scale word makes: `numbers` reads "1.2 million" as 1.2 and then 1,200,000, both
/// from the same first word, the second one word longer.
pub(super) fn scaled_pairs(numbers: &[Number]) -> Vec<(usize, usize)> {
    numbers
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0].first == w[1].first && w[0].last + 1 == w[1].last)
        .map(|(k, _)| (k, k + 1))
        .collect()
}

/// Share of the claim's numbers found; a `number-mismatch` for each one that is not.
pub(super) fn report(
    claim: &Claim,
    sources: &Sources,
    located: &Located,
    cover: &Cover,
    findings: &mut Vec<Check>,
) -> f64 {
    let near: Vec<String> = cover
        .chosen
        .iter()
        .flat_map(|&c| {
            let p = &sources.passages[c];
            sources.texts[p.tok].numbers(p.nth)
        })
        .filter(|v| v.is_finite())
        .map(|&v| fmt_num(v))
        .collect();
    let plain_half = |k: usize| claim.scaled.iter().any(|&(p, _)| p == k);
    for (_, (n, _)) in claim
        .numbers
        .iter()
        .zip(&located.found)
        .enumerate()
        .filter(|(k, (_, f))| !**f && !plain_half(*k))
    {
        let written = claim.written(n.first, n.last);
        let has = if near.is_empty() {
            "no numbers".to_string()
        } else {
            near.join(", ")
        };
        findings.push(Check {
            code: Code::NumberMismatch,
            message: format!("\"{written}\" is not in the source; the closest passage has {has}"),
            source_id: cover.first_source(sources),
            evidence: cover.first_text(sources),
        });
    }
    located.found.iter().filter(|f| **f).count() as f64 / claim.numbers.len() as f64
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::words;
    use crate::verify::source::{gather_for, prepare_each};

    fn vals(t: &str) -> Vec<f64> {
        numbers(t, &words(t)).into_iter().map(|n| n.value).collect()
    }

    #[test]
    fn forms() {
        assert_eq!(vals("30,000 members"), vec![30000.0]);
        assert_eq!(vals("30 000 members"), vec![30000.0]);
        assert_eq!(vals("thirty thousand members"), vec![30000.0]);
        assert_eq!(vals("for four hours"), vec![4.0]);
        assert_eq!(vals("a hundred former members"), vec![100.0]);
        assert_eq!(vals("3.5 percent and 25%"), vec![3.5, 25.0]);
        assert_eq!(vals("1.2 million people"), vec![1.2, 1_200_000.0]);
        assert_eq!(vals("£4,075 in 1948"), vec![4075.0]);
        assert_eq!(vals("the 20th Congress, the twentieth"), vec![20.0, 20.0]);
        assert_eq!(vals("in 1956 and the 1930s"), Vec::<f64>::new());
        assert_eq!(vals("US$1,000"), vec![1000.0]);
        for t in [
            "1.5e10 stars",
            "1.5 × 10^10 stars",
            "1.5 x 10^10",
            "1.5×10^10",
            "15e9",
        ] {
            assert_eq!(vals(t), vec![1.5e10], "{t}");
        }
        assert_eq!(vals("a mass of 2.5e-3 kg"), vec![2.5e-3]);
        assert_eq!(vals("a mass of 2.5 × 10^−3 kg"), vec![2.5e-3]);
        let huge = numbers("1e999 and 1e400", &words("1e999 and 1e400"));
        assert_eq!(huge.len(), 2);
        assert!(
            !matches(&huge[0], huge[1].value),
            "figures past f64 never match"
        );
        assert_eq!(
            vals("3 x 4 rooms"),
            vec![3.0, 4.0],
            "a product is not a power"
        );
    }

    #[test]
    fn scale_suffixes_on_decimals_and_after_currency() {
        assert_eq!(vals("It cost $3.3bn."), vec![3.3e9]);
        assert_eq!(vals("a 2.5k run"), vec![2500.0]);
        assert_eq!(vals("a fee of £7.8m"), vec![7_800_000.0]);
        assert_eq!(vals("$4m in 2019"), vec![4_000_000.0]);
        let t = "a 7.8m wall";
        let n = numbers(t, &words(t));
        assert_eq!(
            (n.len(), n[0].value, n[0].or_else),
            (1, 7.8, Some(7.8e6)),
            "no currency: metres, or else millions"
        );
        assert_eq!(vals("3bn"), vec![3e9]);
        assert_eq!(vals("3million and 2.5million"), vec![3e6, 2.5e6]);
        assert_eq!(vals("$.5m and .75 percent"), vec![500_000.0, 0.75]);
        assert_eq!(vals("in 2019.5 people"), vec![2019.5]);
        assert_eq!(
            vals("...70 acres"),
            vec![70.0],
            "an ellipsis is no decimal point"
        );
    }

    #[test]
    fn a_figure_with_a_scale_word_is_found_as_the_scaled_figure_only() {
        use crate::verify::{coverage, Rules, SourceDoc};
        let run = |claim: &str, source: &str| {
            let docs = [SourceDoc::new("s", source)];
            let c = Claim::parse(claim, &Rules::default());
            let p = prepare_each(&docs);
            let s = gather_for(&p, &c);
            let located = locate(&c, &s);
            let cover = coverage::cover(&c, &s, Some(&located), None);
            let mut f = vec![];
            let share = report(&c, &s, &located, &cover, &mut f);
            (share, f.into_iter().map(|f| f.message).collect::<Vec<_>>())
        };
        // a source's "1.2 million" is 1,200,000 only, "7.8m" either reading; so is a claim's
        for (claim, source, share) in [
            (
                "The city has 1.2 million people.",
                "It has 1,200,000 people.",
                1.0,
            ),
            ("It cost $3.3bn.", "It cost $3.3 billion.", 1.0),
            (
                "It scored 1.2 points.",
                "It scored 1.2 million points.",
                0.0,
            ),
            (
                "The show drew 7.8m viewers.",
                "It drew 7.8 billion viewers.",
                0.0,
            ),
            (
                "The show drew 7.8m viewers.",
                "It drew 7,800,000 viewers.",
                1.0,
            ),
            ("A 7.8m wall.", "The wall was 7.8 metres high.", 1.0),
            ("It drew 7.8 million viewers.", "It drew 7.8m viewers.", 1.0),
            (
                "The city has 1.2m people.",
                "It has 1.2 million people.",
                1.0,
            ),
        ] {
            assert_eq!(run(claim, source).0, share, "{claim} against {source}");
        }
        let (share, messages) = run("The show drew 7.8m viewers.", "It drew 9 viewers.");
        assert_eq!(
            (share, messages.len()),
            (0.0, 1),
            "one finding: {messages:?}"
        );
        let (share, messages) = run(
            "The city has 1.2 million people.",
            "It has 1.2 billion people.",
        );
        assert_eq!(share, 0.0, "the 1.2 of 1.2 billion is not 1.2 million");
        assert_eq!(
            messages.len(),
            1,
            "one finding for one figure: {messages:?}"
        );
        assert!(
            messages[0].starts_with("\"1.2 million\" is not in the source"),
            "{messages:?}"
        );
    }

    #[test]
    fn long_figures_differ_in_their_last_digit() {
        let one = |t: &str| numbers(t, &words(t)).remove(0);
        assert!(!matches(&one("10,000,000,001 votes"), 10_000_000_000.0));
        assert!(!matches(&one("123,456,789,012 dollars"), 123_456_789_013.0));
        assert!(matches(&one("123,456,789,012 dollars"), 123_456_789_012.0));
        for (claim, source) in [
            ("1.2 million people", 1_200_000.0),
            ("3.3 billion", 3_300_000_000.0),
            ("2.5e-3 kg", 0.0025),
            ("0.3 percent", 0.1 + 0.2),
        ] {
            let n = numbers(claim, &words(claim)).pop().unwrap();
            assert!(matches(&n, source), "{claim} against {source}");
        }
    }

    #[test]
    fn rounding_only_when_hedged() {
        let t = "more than 30,000";
        let n = &numbers(t, &words(t))[0];
        assert!(matches(n, 30412.0));
        assert!(!matches(n, 31000.0));
        let t = "30,000";
        assert!(!matches(&numbers(t, &words(t))[0], 30412.0));
    }

    #[test]
    fn the_check_finds_numbers_anywhere_and_names_the_missing_one() {
        use crate::verify::{coverage, Rules, SourceDoc};
        let docs = [SourceDoc::new(
            "s",
            "Khrushchev spoke for four hours.\nMore than 30,412 members left the party.",
        )];
        let c = Claim::parse(
            "Khrushchev spoke for five hours, and more than 30,000 members left.",
            &Rules::default(),
        );
        let p = prepare_each(&docs);
        let s = gather_for(&p, &c);
        let located = locate(&c, &s);
        assert_eq!(
            located.found,
            vec![false, true],
            "five is missing, 30,000 rounds"
        );
        let cover = coverage::cover(&c, &s, Some(&located), None);
        let mut f = vec![];
        assert_eq!(report(&c, &s, &located, &cover, &mut f), 0.5);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.starts_with("\"five\" is not in the source"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains('4'), "{}", f[0].message);
    }
}
