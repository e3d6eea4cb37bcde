//! Rule-based sentence splitting for English and other space-separated languages, and for
//! Japanese and Chinese.
//!
//! Decides each candidate boundary (a run of `.`, `!`, `?` or an ellipsis, with any closing
//! quotes and brackets) from the word before it and the word after it: abbreviations, initials,
//! numbers, list enumerators and ellipses each have a rule. No model, no allocation per char.
//!
//! Japanese and Chinese write no space after a sentence: `。`, `！`, `？` (with any closing
//! `」』）` after them) end a sentence wherever they stand, except inside a bracketed quotation
//! or aside that closes later, and except before a quotative particle (`「…だ。」と述べた`).

/// Titles and other abbreviations that never end a sentence when a name or number follows.
const PREPOSITIVE: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "mt", "gen", "col", "lt", "sgt", "capt", "cpt", "rev",
    "hon", "gov", "sen", "rep", "pres", "fr", "maj", "adm", "cmdr", "gen", "messrs", "mme", "mlle",
    "ft", "pt", "no", "nos", "p", "pp", "vol", "vols", "fig", "figs", "art", "ch", "chap", "sec",
    "ed", "eds", "op", "cf", "vs", "v", "ca", "c", "approx", "e.g", "i.e", "n°", "nr", "tel",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "viz",
    "al", "dept", "univ", "assn", "bros", "ave", "blvd", "rd", "est", "inst",
];

/// Abbreviations that may end a sentence: a boundary when a capitalised word follows and the
/// sentence so far is long enough to be one.
const FINAL_CAPABLE: &[&str] = &[
    "co", "inc", "ltd", "corp", "etc", "jr", "sr", "a.m", "p.m", "llc", "plc", "esq", "bc", "ad",
];

/// Words that commonly open a sentence; after a multi-dot abbreviation (U.S.) only these
/// make a boundary, as in pragmatic segmenters.
const STARTERS: &[&str] = &[
    "a", "being", "did", "for", "he", "how", "however", "i", "in", "it", "millions", "more", "she",
    "that", "the", "there", "they", "we", "what", "when", "where", "who", "why", "this", "these",
    "those", "his", "her", "its", "their", "our", "my", "you", "but", "and", "after", "as", "at",
    "on", "by", "if", "an", "then", "thus", "so", "yet", "although", "while", "during", "since",
    "some", "many", "most", "all", "both", "each", "no", "not", "one", "two", "is", "was", "are",
    "were", "do", "does", "can", "will", "would", "should", "could", "has", "have", "had",
];

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']' | '\u{bb}' | '}'
    ) || cjk_closer(c).is_some()
}

/// The ideographic full stop, exclamation and question marks (full and half width).
fn is_cjk_terminator(c: char) -> bool {
    matches!(c, '\u{3002}' | '\u{ff01}' | '\u{ff1f}' | '\u{ff61}')
}

/// For a CJK closing bracket, its opening bracket.
fn cjk_closer(c: char) -> Option<char> {
    Some(match c {
        '\u{300d}' => '\u{300c}', // 」「
        '\u{300f}' => '\u{300e}', // 』『
        '\u{ff09}' => '\u{ff08}', // ）（
        '\u{3011}' => '\u{3010}', // 】【
        '\u{3015}' => '\u{3014}', // 〕〔
        '\u{3009}' => '\u{3008}', // 〉〈
        '\u{300b}' => '\u{300a}', // 》《
        _ => return None,
    })
}

fn is_cjk_opener(c: char) -> bool {
    matches!(
        c,
        '\u{300c}' | '\u{300e}' | '\u{ff08}' | '\u{3010}' | '\u{3014}' | '\u{3008}' | '\u{300a}'
    )
}

/// Hiragana that continue a sentence after a closed quotation: `」と言った`, `」という`,
/// `」って`, `」など`, `」の`.
fn is_quotative(c: char) -> bool {
    matches!(
        c,
        '\u{3068}'
            | '\u{3063}'
            | '\u{306a}'
            | '\u{306e}'
            | '\u{304c}'
            | '\u{3092}'
            | '\u{306b}'
            | '\u{3067}'
            | '\u{306f}'
            | '\u{3082}'
            | '\u{3084}'
            | '\u{3001}'
    )
}

/// For each char index, how many matched CJK bracket pairs enclose it (an opener with no closer
/// in the text encloses nothing, so one stray bracket cannot swallow the rest of a paragraph).
fn cjk_depths(chars: &[(usize, char)]) -> Vec<u32> {
    let mut delta = vec![0i32; chars.len() + 1];
    let mut stack: Vec<(char, usize)> = Vec::new();
    for (i, &(_, c)) in chars.iter().enumerate() {
        if is_cjk_opener(c) {
            stack.push((c, i));
        } else if let Some(open) = cjk_closer(c) {
            if let Some(p) = stack.iter().rposition(|&(o, _)| o == open) {
                let (_, at) = stack[p];
                stack.truncate(p);
                delta[at + 1] += 1;
                delta[i] -= 1;
            }
        }
    }
    let mut depth = 0i32;
    delta[..chars.len()]
        .iter()
        .map(|d| {
            depth += d;
            depth.max(0) as u32
        })
        .collect()
}

/// Split `text` into sentences; returns byte ranges with surrounding whitespace trimmed.
pub fn split(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for b in boundaries(text) {
        push_trimmed(text, start, b, &mut out);
        start = b;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, mut s: usize, mut e: usize, out: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    while s < e && (bytes[s].is_ascii_whitespace() || text[s..].starts_with('\u{a0}')) {
        s += if bytes[s].is_ascii_whitespace() { 1 } else { 2 };
    }
    while e > s && bytes[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    if e > s {
        out.push((s, e));
    }
}

/// Byte offsets where a new sentence starts.
fn boundaries(text: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let mut out = Vec::new();
    let list_kind = leading_enumerator(text);
    let mut sentence_start = 0usize; // char index
    let depths = if chars.iter().any(|c| is_cjk_terminator(c.1)) {
        cjk_depths(&chars)
    } else {
        Vec::new()
    };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if is_cjk_terminator(c) {
            // the run: stops, `!?`, and closing brackets after them ("。」。")
            let mut k = i + 1;
            let mut closers = false;
            while k < n {
                let d = chars[k].1;
                if is_closer(d) {
                    closers = true;
                } else if !(is_cjk_terminator(d) || matches!(d, '!' | '?')) {
                    break;
                }
                k += 1;
            }
            let inside = k < n && depths[k] > 0;
            let quoted = closers && k < n && is_quotative(chars[k].1);
            if k < n && !inside && !quoted {
                out.push(chars[k].0);
                sentence_start = k;
            }
            i = k;
            continue;
        }
        // list items: a bullet, or the next enumerator of the kind the text opened with
        if i > sentence_start
            && (c == '\u{2022}' || c == '\u{2043}')
            && i > 0
            && chars[i - 1].1.is_whitespace()
        {
            out.push(chars[i].0);
            sentence_start = i;
            i += 1;
            continue;
        }
        if let Some(kind) = list_kind {
            let after_bullet = chars[..i]
                .iter()
                .rev()
                .find(|c| !c.1.is_whitespace())
                .is_some_and(|c| matches!(c.1, '\u{2022}' | '\u{2043}'));
            if i > sentence_start
                && !after_bullet
                && chars[i - 1].1.is_whitespace()
                && starts_enumerator(&chars, i, kind)
            {
                out.push(chars[i].0);
                sentence_start = i;
                i += 1;
                continue;
            }
        }
        if !matches!(c, '.' | '!' | '?' | '\u{2026}') {
            i += 1;
            continue;
        }
        // "[...]" and "[…]" are editorial omissions, never a boundary
        if i > 0 && chars[i - 1].1 == '[' {
            while i < n && chars[i].1 != ']' && i - sentence_start < 100_000 {
                i += 1;
            }
            continue;
        }
        // collect the run: terminators, and ". . ." with single spaces
        let run_start = i;
        let mut dots = 0;
        let mut spaced = false;
        let mut j = i;
        let mut first_gap = None;
        while j < n {
            match chars[j].1 {
                '.' => dots += 1,
                '\u{2026}' => dots += 3,
                '!' | '?' => {}
                ' ' if j + 1 < n && chars[j + 1].1 == '.' && dots > 0 => {
                    spaced = true;
                    if first_gap.is_none() {
                        first_gap = Some(j);
                    }
                }
                _ => break,
            }
            j += 1;
        }
        let mut k = j;
        while k < n && is_closer(chars[k].1) {
            k += 1;
        }
        let end_byte = if k < n { chars[k].0 } else { text.len() };
        if k >= n {
            i = k;
            continue;
        }
        if !chars[k].1.is_whitespace() {
            // a dot inside a token: 3.14, U.S.A, example.com
            i = k.max(i + 1);
            continue;
        }
        // the next word
        let mut m = k;
        while m < n && chars[m].1.is_whitespace() {
            m += 1;
        }
        if m >= n {
            i = k;
            continue;
        }
        let next_first = chars[m].1;
        let next_word = word_at(&chars, m);
        let prev_word = word_before(&chars, run_start);
        let attached = run_start > 0 && !chars[run_start - 1].1.is_whitespace();
        let term = chars[run_start].1;

        let boundary = if term == '!' || term == '?' {
            !next_first.is_lowercase()
        } else if dots >= 3 {
            // ellipses
            if spaced && attached && chars[run_start].1 == '.' && dots >= 4 {
                // "word. . . . Next": the period ends the sentence, the ellipsis opens the next
                if starts_upper(next_first) {
                    out.push(chars[first_gap.unwrap_or(j)].0);
                    sentence_start = run_start + 1;
                }
                i = k;
                continue;
            }
            dots >= 4 && starts_upper(next_first)
        } else if dots == 0 {
            false
        } else {
            period_boundary(
                &chars,
                sentence_start,
                run_start,
                &prev_word,
                next_first,
                &next_word,
            )
        };
        if boundary {
            out.push(if k < n { chars[k].0 } else { end_byte });
            sentence_start = m;
        }
        i = k;
    }
    out
}

fn starts_upper(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(
            c,
            '"' | '\u{201c}' | '\'' | '\u{2018}' | '(' | '[' | '\u{ab}'
        )
}

fn period_boundary(
    chars: &[(usize, char)],
    sentence_start: usize,
    run_start: usize,
    prev: &str,
    next_first: char,
    next_word: &str,
) -> bool {
    if !starts_upper(next_first) {
        return false;
    }
    let lower = prev.to_lowercase();
    let bare = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    let next_lower = next_word.to_lowercase();
    let next_is_starter = STARTERS.contains(&next_lower.as_str());
    // enumerator at the very start of the sentence: "1. The first item"
    let is_enumerator = !bare.is_empty()
        && (bare.len() <= 3 && bare.chars().all(|c| c.is_ascii_digit())
            || bare.chars().count() == 1 && bare.chars().all(|c| c.is_lowercase()));
    if is_enumerator && words_between(chars, sentence_start, run_start) <= 1 {
        return false;
    }
    if PREPOSITIVE.contains(&bare) {
        // "p. 55", "Mr. Smith", "No. 5": never a boundary
        return false;
    }
    if FINAL_CAPABLE.contains(&bare) {
        return next_is_starter || words_between(chars, sentence_start, run_start) >= 4;
    }
    // multi-dot abbreviation (U.S., E.U., U.S.A.)
    if bare.len() >= 3 && bare.contains('.') && bare.split('.').all(|p| p.chars().count() <= 2) {
        return next_is_starter;
    }
    // a single capital letter: an initial after a name, the pronoun after a lower-case word
    let mut pc = prev.chars();
    if let (Some(l), None) = (pc.next(), pc.next()) {
        if l.is_uppercase() {
            let before = word_before(chars, run_start.saturating_sub(1));
            let before_cap = before.chars().next().is_some_and(|c| c.is_uppercase());
            let next_is_initial = next_word.chars().count() == 1;
            return if l == 'I' {
                !before_cap || before.is_empty()
            } else {
                next_is_starter && !next_is_initial
            };
        }
    }
    true
}

/// Number of whitespace-separated words in chars[from..to).
fn words_between(chars: &[(usize, char)], from: usize, to: usize) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for &(_, c) in &chars[from..to.min(chars.len())] {
        if c.is_whitespace() || c == '\u{2022}' {
            in_word = false;
        } else if !in_word {
            in_word = true;
            count += 1;
        }
    }
    count
}

fn word_at(chars: &[(usize, char)], mut i: usize) -> String {
    let mut w = String::new();
    while i < chars.len() && !chars[i].1.is_alphanumeric() && !chars[i].1.is_whitespace() {
        i += 1;
    }
    while i < chars.len() && (chars[i].1.is_alphanumeric() || chars[i].1 == '\'') && w.len() < 40 {
        w.push(chars[i].1);
        i += 1;
    }
    w
}

/// The whitespace-delimited token ending just before `end` (without the terminator).
fn word_before(chars: &[(usize, char)], end: usize) -> String {
    let mut s = end;
    while s > 0 && !chars[s - 1].1.is_whitespace() && end - s < 64 {
        s -= 1;
    }
    // skip a space when called at whitespace
    if s == end && end > 0 {
        let mut e = end;
        while e > 0 && chars[e - 1].1.is_whitespace() {
            e -= 1;
        }
        let mut s2 = e;
        while s2 > 0 && !chars[s2 - 1].1.is_whitespace() && e - s2 < 64 {
            s2 -= 1;
        }
        return chars[s2..e]
            .iter()
            .map(|c| c.1)
            .collect::<String>()
            .trim_end_matches(['.', ','])
            .to_string();
    }
    chars[s..end]
        .iter()
        .map(|c| c.1)
        .collect::<String>()
        .trim_start_matches(['(', '"', '\u{201c}', '['])
        .to_string()
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum ListKind {
    /// "1.)", "1)", "1."
    Number(u8),
    /// "a."
    Letter,
}

fn leading_enumerator(text: &str) -> Option<ListKind> {
    let t =
        text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{2022}' || c == '\u{2043}');
    let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0 && digits < 4 {
        let rest = &t[digits..];
        if rest.starts_with(".) ") {
            return Some(ListKind::Number(2));
        }
        if rest.starts_with(") ") {
            return Some(ListKind::Number(1));
        }
        if rest.starts_with(". ") && rest[2..].starts_with(|c: char| c.is_uppercase()) {
            return Some(ListKind::Number(0));
        }
        return None;
    }
    let mut cs = t.chars();
    if let (Some(l), Some('.'), Some(' ')) = (cs.next(), cs.next(), cs.next()) {
        if l == 'a' {
            return Some(ListKind::Letter);
        }
    }
    None
}

fn starts_enumerator(chars: &[(usize, char)], i: usize, kind: ListKind) -> bool {
    let get = |k: usize| chars.get(k).map(|c| c.1);
    match kind {
        ListKind::Letter => {
            let c = chars[i].1;
            c.is_ascii_lowercase()
                && c != 'a'
                && get(i + 1) == Some('.')
                && get(i + 2) == Some(' ')
                && get(i + 3).is_some_and(|c| c.is_uppercase())
        }
        ListKind::Number(form) => {
            let mut j = i;
            while j < chars.len() && chars[j].1.is_ascii_digit() && j - i < 3 {
                j += 1;
            }
            if j == i {
                return false;
            }
            let tail: String = chars[j..(j + 3).min(chars.len())]
                .iter()
                .map(|c| c.1)
                .collect();
            match form {
                2 => tail.starts_with(".) "),
                1 => tail.starts_with(") "),
                _ => tail.starts_with(". ") && get(j + 2).is_some_and(|c| c.is_uppercase()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split;

    fn s(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn plain_boundaries() {
        assert_eq!(
            s("The congress met. It lasted ten days! Why? Nobody knew."),
            vec![
                "The congress met.",
                "It lasted ten days!",
                "Why?",
                "Nobody knew."
            ]
        );
    }

    #[test]
    fn abbreviations_and_initials() {
        assert_eq!(
            s("Dr. Ivanova met Gen. Petrov at 9 a.m. on Monday."),
            vec!["Dr. Ivanova met Gen. Petrov at 9 a.m. on Monday."]
        );
        assert_eq!(
            s("The memo went to N. S. Khrushchev first. Others read it later."),
            vec![
                "The memo went to N. S. Khrushchev first.",
                "Others read it later."
            ]
        );
        assert_eq!(
            s("See p. 212 of the report."),
            vec!["See p. 212 of the report."]
        );
        assert_eq!(
            s("It was printed in the U.S. The edition sold well."),
            vec!["It was printed in the U.S.", "The edition sold well."]
        );
        assert_eq!(
            s("Staff of the U.S. Embassy attended."),
            vec!["Staff of the U.S. Embassy attended."]
        );
    }

    #[test]
    fn numbers_quotes_ellipses() {
        assert_eq!(
            s("The fee was 3.5 percent. That was all."),
            vec!["The fee was 3.5 percent.", "That was all."]
        );
        assert_eq!(
            s("He said \"it is over.\" Then he left."),
            vec!["He said \"it is over.\"", "Then he left."]
        );
        assert_eq!(
            s("He paused... then went on."),
            vec!["He paused... then went on."]
        );
        assert_eq!(
            s("The text [...] was cut."),
            vec!["The text [...] was cut."]
        );
    }

    #[test]
    fn japanese_and_chinese_full_stops() {
        assert_eq!(
            s("東京は日本の首都である。人口は多い！本当か？"),
            vec!["東京は日本の首都である。", "人口は多い！", "本当か？"]
        );
        // a closing bracket after the stop belongs to the sentence it ends
        assert_eq!(
            s("彼は「もう帰る。」彼女は残った。"),
            vec!["彼は「もう帰る。」", "彼女は残った。"]
        );
        // a quotation that goes on with a particle is one sentence; so is a bracketed aside
        assert_eq!(
            s("彼は「帰る。明日また来る。」と言った（注：本当。）。次の文。"),
            vec![
                "彼は「帰る。明日また来る。」と言った（注：本当。）。",
                "次の文。"
            ]
        );
        // a stray opener does not stop splitting
        assert_eq!(
            s("「開いたまま。次の文。"),
            vec!["「開いたまま。", "次の文。"]
        );
        assert_eq!(
            s("上海是中国最大的城市。它位于长江口。"),
            vec!["上海是中国最大的城市。", "它位于长江口。"]
        );
        // spaces after the stop are not part of either sentence
        assert_eq!(s("一つ目。 二つ目。"), vec!["一つ目。", "二つ目。"]);
    }

    #[test]
    fn survives_odd_input() {
        for t in [
            "",
            ".",
            "...",
            "? ! .",
            "a. b. c.",
            "\u{2026}\u{2026} X",
            "1.) 2.) 3.)",
            "[....",
            "\u{a0}\u{a0}x. Y",
            "。",
            "」。」",
            "「「。」",
            "。。」と",
        ] {
            let _ = split(t);
        }
    }
}
