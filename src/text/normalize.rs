//! Normalisation for comparing words: case, quotes, dashes, whitespace and diacritics folded.

use std::borrow::Cow;

/// Fold one character to its plain lower-case base form, or `None` to drop it (combining marks).
pub fn fold_char(c: char, out: &mut String) {
    match c {
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        'a'..='z' | '0'..='9' | ' ' => out.push(c),
        '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '`' | '\u{b4}' => {
            out.push('\'')
        }
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}' | '\u{2033}' => {
            out.push('"')
        }
        '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
        '\u{a0}'
        | '\u{2000}'..='\u{200a}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{3000}'
        | '\t'
        | '\n'
        | '\r' => out.push(' '),
        '\u{200b}'..='\u{200d}' | '\u{ad}' | '\u{feff}' => {}
        '\u{300}'..='\u{36f}' => {}
        c if c.is_ascii() => out.push(c),
        c => {
            if let Some(s) = fold_latin(c) {
                out.push_str(s);
            } else if let Some(base) = accented_base(c) {
                out.push(base);
            } else if is_optional_vowel_mark(c) {
                // Arabic harakat and Hebrew points: most text leaves them out
            } else {
                for l in c.to_lowercase() {
                    out.push(l);
                }
            }
        }
    }
}

/// The plain letter of an accented Latin letter beyond the common ones (pinyin "ǎ", the
/// dot-below of transliterations "ṭ", Vietnamese "ệ"), from its canonical decomposition: the
/// same letter written decomposed ("a" and a combining caron) folds to it too, its mark dropped.
fn accented_base(c: char) -> Option<char> {
    if !(('\u{180}'..='\u{24f}').contains(&c) || ('\u{1e00}'..='\u{1eff}').contains(&c)) {
        return None;
    }
    let mut base = None;
    let mut marks_only = true;
    unicode_normalization::char::decompose_canonical(c, |d| match base {
        None => base = Some(d),
        Some(_) => marks_only &= unicode_normalization::char::is_combining_mark(d),
    });
    let b = base.filter(|b| b.is_ascii_alphabetic() && marks_only)?;
    Some(b.to_ascii_lowercase())
}

/// Arabic short-vowel marks and Hebrew points, which writers mostly leave out.
fn is_optional_vowel_mark(c: char) -> bool {
    matches!(c, '\u{591}'..='\u{5c7}' | '\u{610}'..='\u{61a}' | '\u{64b}'..='\u{65f}' | '\u{670}')
        && unicode_normalization::char::is_combining_mark(c)
}

/// Latin letters with diacritics to their base letters (lower case).
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'À'..='Å' | 'à'..='å' | 'Ā' | 'ā' | 'Ă' | 'ă' | 'Ą' | 'ą' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' | 'Ć' | 'ć' | 'Č' | 'č' | 'Ĉ' | 'ĉ' | 'Ċ' | 'ċ' => "c",
        'Ð' | 'ð' | 'Ď' | 'ď' | 'Đ' | 'đ' => "d",
        'È'..='Ë' | 'è'..='ë' | 'Ē' | 'ē' | 'Ė' | 'ė' | 'Ę' | 'ę' | 'Ě' | 'ě' => "e",
        'Ğ' | 'ğ' | 'Ģ' | 'ģ' | 'Ġ' | 'ġ' => "g",
        'Ì'..='Ï' | 'ì'..='ï' | 'Ī' | 'ī' | 'Į' | 'į' | 'İ' | 'ı' => "i",
        'Ł' | 'ł' | 'Ľ' | 'ľ' | 'Ĺ' | 'ĺ' | 'Ļ' | 'ļ' => "l",
        'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ň' | 'ň' | 'Ņ' | 'ņ' => "n",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō' | 'ō' | 'Ő' | 'ő' => "o",
        'Œ' | 'œ' => "oe",
        'Ř' | 'ř' | 'Ŕ' | 'ŕ' => "r",
        'Ś' | 'ś' | 'Š' | 'š' | 'Ş' | 'ş' | 'Ș' | 'ș' => "s",
        'ß' => "ss",
        'Ť' | 'ť' | 'Ţ' | 'ţ' | 'Ț' | 'ț' => "t",
        'Þ' | 'þ' => "th",
        'Ù'..='Ü' | 'ù'..='ü' | 'Ū' | 'ū' | 'Ů' | 'ů' | 'Ű' | 'ű' | 'Ų' | 'ų' => "u",
        'Ý' | 'ý' | 'ÿ' | 'Ÿ' => "y",
        'Ź' | 'ź' | 'Ż' | 'ż' | 'Ž' | 'ž' => "z",
        _ => return None,
    })
}

/// Lower case, diacritics folded, quotes and dashes unified, whitespace collapsed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let before = out.len();
        fold_char(c, &mut out);
        if out.len() > before && out.ends_with(' ') && (before == 0 || out[..before].ends_with(' '))
        {
            out.pop();
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// British spellings in their American form, so that a British article and an American source
/// (or the other way round) share their words: colour / color, organise / organize, analyse /
/// analyze, centre / center, catalogue / catalog, defence / defense, programme / program. Only
/// the regular correspondences, each kept off short words it would change ("four", "rise",
/// "vogue"); both sides go through it, so a word that has no American twin is only renamed.
pub fn american_spelling(w: &str) -> Cow<'_, str> {
    const WHOLE: &[(&str, &str)] = &[
        ("defence", "defense"),
        ("offence", "offense"),
        ("licence", "license"),
        ("pretence", "pretense"),
        ("programme", "program"),
        ("programmes", "programs"),
    ];
    if let Some((_, a)) = WHOLE.iter().find(|(b, _)| *b == w) {
        return Cow::Borrowed(a);
    }
    // (British ending, American ending, letters needed before it)
    const ENDINGS: &[(&str, &str, usize)] = &[
        ("our", "or", 3),
        ("ours", "ors", 3),
        ("oured", "ored", 3),
        ("ouring", "oring", 3),
        ("ourite", "orite", 3),
        ("ourites", "orites", 3),
        ("ise", "ize", 4),
        ("ised", "ized", 4),
        ("ises", "izes", 4),
        ("ising", "izing", 4),
        ("isation", "ization", 4),
        ("isations", "izations", 4),
        ("yse", "yze", 4),
        ("ysed", "yzed", 4),
        ("ysing", "yzing", 4),
        ("tre", "ter", 2),
        ("tres", "ters", 2),
        ("ogue", "og", 4),
        ("ogues", "ogs", 4),
    ];
    for (b, a, before) in ENDINGS {
        if let Some(stem) = w.strip_suffix(b) {
            if stem.len() >= *before && stem.is_ascii() {
                return Cow::Owned(format!("{stem}{a}"));
            }
        }
    }
    Cow::Borrowed(w)
}

#[cfg(test)]
mod tests {
    use super::{american_spelling, fold};
    #[test]
    fn folds_case_diacritics_quotes_space() {
        assert_eq!(
            fold("  Khrushchëv’s  “Secret”\u{a0}Speech — Łódź "),
            "khrushchev's \"secret\" speech - lodz"
        );
    }

    #[test]
    fn accents_and_vowel_marks_fold_in_either_normal_form() {
        assert_eq!(
            fold("Xiǎo Lǐ lǚxíng"),
            fold("Xia\u{30c}o Li\u{30c} lu\u{308}\u{30c}xi\u{301}ng")
        );
        assert_eq!(fold("Ṭabarī Ḥasan Việt"), "tabari hasan viet");
        assert_eq!(fold("كَتَبَ"), fold("كتب"), "Arabic harakat");
        assert_eq!(fold("שָׁלוֹם"), fold("שלום"), "Hebrew points");
        assert_eq!(fold("กรุงเทพ"), "กรุงเทพ", "Thai vowels are letters, kept");
    }

    #[test]
    fn british_spellings_meet_american_ones() {
        for (b, a) in [
            ("colour", "color"),
            ("honoured", "honored"),
            ("organisation", "organization"),
            ("criticised", "criticized"),
            ("analyse", "analyze"),
            ("centre", "center"),
            ("theatres", "theaters"),
            ("catalogue", "catalog"),
            ("defence", "defense"),
            ("programme", "program"),
        ] {
            assert_eq!(american_spelling(b), a);
            assert_eq!(american_spelling(a), a, "{a} stays");
        }
        for w in [
            "four", "hour", "your", "rise", "wise", "raise", "vogue", "fence", "acre",
        ] {
            assert_eq!(american_spelling(w), w, "{w} is left alone");
        }
    }
}
