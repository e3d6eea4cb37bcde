//! HTML character references: numeric ones and the named ones that occur in real pages.

const NAMED: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("ndash", "\u{2013}"),
    ("mdash", "\u{2014}"),
    ("hellip", "\u{2026}"),
    ("lsquo", "\u{2018}"),
    ("rsquo", "\u{2019}"),
    ("ldquo", "\u{201c}"),
    ("rdquo", "\u{201d}"),
    ("sbquo", "\u{201a}"),
    ("bdquo", "\u{201e}"),
    ("laquo", "\u{ab}"),
    ("raquo", "\u{bb}"),
    ("copy", "\u{a9}"),
    ("reg", "\u{ae}"),
    ("trade", "\u{2122}"),
    ("deg", "\u{b0}"),
    ("middot", "\u{b7}"),
    ("bull", "\u{2022}"),
    ("times", "\u{d7}"),
    ("divide", "\u{f7}"),
    ("plusmn", "\u{b1}"),
    ("sect", "\u{a7}"),
    ("para", "\u{b6}"),
    ("pound", "\u{a3}"),
    ("euro", "\u{20ac}"),
    ("yen", "\u{a5}"),
    ("cent", "\u{a2}"),
    ("frac12", "\u{bd}"),
    ("frac14", "\u{bc}"),
    ("frac34", "\u{be}"),
    ("thinsp", "\u{2009}"),
    ("ensp", "\u{2002}"),
    ("emsp", "\u{2003}"),
    ("zwnj", "\u{200c}"),
    ("zwj", "\u{200d}"),
    ("shy", "\u{ad}"),
    ("prime", "\u{2032}"),
    ("Prime", "\u{2033}"),
    ("larr", "\u{2190}"),
    ("rarr", "\u{2192}"),
    ("uarr", "\u{2191}"),
    ("darr", "\u{2193}"),
    ("iexcl", "\u{a1}"),
    ("iquest", "\u{bf}"),
    ("ordm", "\u{ba}"),
    ("ordf", "\u{aa}"),
    ("micro", "\u{b5}"),
    ("szlig", "\u{df}"),
    ("aelig", "\u{e6}"),
    ("AElig", "\u{c6}"),
    ("oslash", "\u{f8}"),
    ("Oslash", "\u{d8}"),
    ("aring", "\u{e5}"),
    ("Aring", "\u{c5}"),
    ("ccedil", "\u{e7}"),
    ("Ccedil", "\u{c7}"),
    ("ntilde", "\u{f1}"),
    ("Ntilde", "\u{d1}"),
    ("eth", "\u{f0}"),
    ("thorn", "\u{fe}"),
    ("oelig", "\u{153}"),
    ("scaron", "\u{161}"),
    ("Scaron", "\u{160}"),
    ("zcaron", "\u{17e}"),
    ("Zcaron", "\u{17d}"),
];

/// Accented Latin letters: `&eacute;` and friends, built from the base letter and the mark.
fn accented(name: &str) -> Option<char> {
    let b = name.chars().next().filter(char::is_ascii_alphabetic)?;
    let mark = &name[1..];
    let table: &[(char, &str, char)] = &[
        ('a', "acute", 'á'),
        ('a', "grave", 'à'),
        ('a', "circ", 'â'),
        ('a', "uml", 'ä'),
        ('a', "tilde", 'ã'),
        ('e', "acute", 'é'),
        ('e', "grave", 'è'),
        ('e', "circ", 'ê'),
        ('e', "uml", 'ë'),
        ('i', "acute", 'í'),
        ('i', "grave", 'ì'),
        ('i', "circ", 'î'),
        ('i', "uml", 'ï'),
        ('o', "acute", 'ó'),
        ('o', "grave", 'ò'),
        ('o', "circ", 'ô'),
        ('o', "uml", 'ö'),
        ('o', "tilde", 'õ'),
        ('u', "acute", 'ú'),
        ('u', "grave", 'ù'),
        ('u', "circ", 'û'),
        ('u', "uml", 'ü'),
        ('y', "acute", 'ý'),
        ('y', "uml", 'ÿ'),
        ('A', "acute", 'Á'),
        ('A', "grave", 'À'),
        ('A', "circ", 'Â'),
        ('A', "uml", 'Ä'),
        ('A', "tilde", 'Ã'),
        ('E', "acute", 'É'),
        ('E', "grave", 'È'),
        ('E', "circ", 'Ê'),
        ('E', "uml", 'Ë'),
        ('I', "acute", 'Í'),
        ('I', "grave", 'Ì'),
        ('I', "circ", 'Î'),
        ('I', "uml", 'Ï'),
        ('O', "acute", 'Ó'),
        ('O', "grave", 'Ò'),
        ('O', "circ", 'Ô'),
        ('O', "uml", 'Ö'),
        ('O', "tilde", 'Õ'),
        ('U', "acute", 'Ú'),
        ('U', "grave", 'Ù'),
        ('U', "circ", 'Û'),
        ('U', "uml", 'Ü'),
        ('Y', "acute", 'Ý'),
    ];
    table
        .iter()
        .find(|(c, m, _)| *c == b && *m == mark)
        .map(|t| t.2)
}

/// Names a browser decodes even without their semicolon ("&amp", "&nbsp": HTML's legacy
/// references), as sloppy pages write them; accented Latin-1 letters ("&eacute") are among them.
const LEGACY: &[&str] = &[
    "amp", "lt", "gt", "quot", "nbsp", "copy", "reg", "deg", "times", "divide", "plusmn", "sect",
    "para", "pound", "yen", "cent", "middot", "laquo", "raquo", "shy", "micro", "szlig", "iexcl",
    "iquest", "ordm", "ordf", "frac12", "frac14", "frac34", "aelig", "AElig", "oslash", "Oslash",
];

/// Legacy names also written in capitals, meaning what their lower-case forms mean.
const UPPER_LEGACY: &[&str] = &["AMP", "LT", "GT", "QUOT", "COPY", "REG"];

/// Where character references are decoded: each reads references without their semicolon
/// differently.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Context {
    /// HTML text: as a browser, the longest legacy name is read even when letters follow.
    Text,
    /// An HTML attribute value: a legacy name followed by a letter, digit or "=" is left as
    /// written ("?a=1&copy=2" is a URL's query).
    Attribute,
    /// Wikitext: MediaWiki decodes only references closed by their semicolon.
    Wikitext,
}

/// Decode character references in text, as a browser does. Unknown names are left as written.
pub fn decode_entities(s: &str) -> String {
    decode_in(s, Context::Text)
}

/// Decode the character references of wikitext (those closed by a semicolon).
pub fn decode_wikitext(s: &str) -> String {
    decode_in(s, Context::Wikitext)
}

/// Decode character references in an attribute value.
pub fn decode_attribute(s: &str) -> String {
    decode_in(s, Context::Attribute)
}

fn decode_in(s: &str, context: Context) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        match character_reference(rest, context) {
            Some((text, used)) => {
                out.push_str(&text);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character reference `at` starts with (`at` begins with "&"): its text and how many bytes
/// it takes, or None when there is none. Without a semicolon a reference is still read, as
/// browsers read it: numeric ones, and the longest legacy name the letters start with
/// ("&nbspSmith" is a no-break space and "Smith"; "&copyright" is "©right"), except in an
/// attribute when a letter, digit or "=" follows the name.
pub fn character_reference(at: &str, context: Context) -> Option<(String, usize)> {
    if at[1..].starts_with('#') {
        return numeric(at)
            .filter(|(_, used)| context != Context::Wikitext || at[..*used].ends_with(';'));
    }
    // the name: letters and digits, at most 32 of them
    let run = at[1..]
        .bytes()
        .take(33)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if run == 0 {
        return None;
    }
    if run <= 32 && at[1 + run..].starts_with(';') {
        if let Some(text) = named(&at[1..1 + run]) {
            return Some((text, run + 2));
        }
    }
    if context == Context::Wikitext {
        return None;
    }
    let len = (2..=run.min(LONGEST_LEGACY))
        .rev()
        .find(|&k| is_legacy(&at[1..1 + k]))?;
    let next = at[1 + len..].bytes().next();
    let continues = next.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'=');
    if context == Context::Attribute && continues {
        return None;
    }
    named(&at[1..1 + len]).map(|t| (t, len + 1))
}

/// The longest legacy name ("middot", "frac12").
const LONGEST_LEGACY: usize = 6;

fn is_legacy(name: &str) -> bool {
    LEGACY.contains(&name) || UPPER_LEGACY.contains(&name) || accented(name).is_some()
}

/// A numeric reference ("&#8212;", "&#x41;", or without its semicolon "&#39"): its character
/// and length. A code point out of range, a surrogate or NUL reads as U+FFFD, as in a browser.
fn numeric(at: &str) -> Option<(String, usize)> {
    let hex = at[2..].starts_with(['x', 'X']);
    let from = if hex { 3 } else { 2 };
    let digits = at[from..]
        .bytes()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if digits == 0 {
        return None;
    }
    let v = u32::from_str_radix(&at[from..from + digits], if hex { 16 } else { 10 }).ok();
    let c = match v {
        // windows-1252 code points that pages write as numeric references
        Some(v @ 0x80..=0x9f) => cp1252(v),
        Some(v) if v != 0 => char::from_u32(v).unwrap_or('\u{fffd}'),
        _ => '\u{fffd}',
    };
    let end = from + digits;
    let used = if at[end..].starts_with(';') {
        end + 1
    } else {
        end
    };
    Some((c.to_string(), used))
}

/// The text of a named reference ("amp", "eacute").
fn named(name: &str) -> Option<String> {
    let lower;
    let name = if UPPER_LEGACY.contains(&name) {
        lower = name.to_ascii_lowercase();
        lower.as_str()
    } else {
        name
    };
    NAMED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
        .or_else(|| accented(name).map(String::from))
}

fn cp1252(v: u32) -> char {
    let b = [v as u8];
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&b);
    s.chars().next().unwrap_or('\u{fffd}')
}

#[cfg(test)]
mod tests {
    use super::decode_entities;
    #[test]
    fn decodes_named_numeric_and_leaves_unknown() {
        assert_eq!(
            decode_entities("a &amp; b &#8212; &#x41; &eacute; &bogus; & x"),
            "a & b \u{2014} A é &bogus; & x"
        );
        assert_eq!(decode_entities("&#150;"), "\u{2013}");
        assert_eq!(
            decode_entities("&#99999999999;"),
            "\u{fffd}",
            "out of range, as a browser"
        );
        // found by fuzzing: an empty or non-ASCII name must not be split
        assert_eq!(decode_entities(";&;&"), ";&;&");
        assert_eq!(decode_entities("&&;%"), "&&;%");
        assert_eq!(decode_entities("&\u{e9}acute;"), "&\u{e9}acute;");
    }

    #[test]
    fn decodes_legacy_references_without_their_semicolon_as_a_browser_does() {
        assert_eq!(decode_entities("Tom &amp Jerry"), "Tom & Jerry");
        assert_eq!(decode_entities("&amp&lt;b&gt"), "&<b>");
        assert_eq!(
            decode_entities("caf&eacute &copy 2020"),
            "caf\u{e9} \u{a9} 2020"
        );
        assert_eq!(decode_entities("it&#39s"), "it's");
        assert_eq!(decode_entities("end &nbsp"), "end \u{a0}");
        // in text the longest legacy name is read even when letters follow
        assert_eq!(decode_entities("John&nbspSmith"), "John\u{a0}Smith");
        assert_eq!(
            decode_entities("Caf&eacutes &copyright"),
            "Caf\u{e9}s \u{a9}right"
        );
        assert_eq!(decode_entities("&lt3"), "<3");
        // not references: no legacy name starts the letters
        assert_eq!(
            decode_entities("AT&T, &mdash &bogus"),
            "AT&T, &mdash &bogus"
        );
        assert_eq!(
            decode_entities("&#x110000 &# &#99999999999"),
            "\u{fffd} &# \u{fffd}"
        );
    }

    #[test]
    fn in_an_attribute_a_legacy_name_followed_by_a_letter_or_equals_stays() {
        use super::decode_attribute;
        assert_eq!(decode_attribute("?a=1&copy=2&amp;b=3"), "?a=1&copy=2&b=3");
        assert_eq!(decode_attribute("x&copyright"), "x&copyright");
        assert_eq!(decode_attribute("a&amp b&nbsp"), "a& b\u{a0}");
    }

    #[test]
    fn wikitext_decodes_only_references_closed_by_a_semicolon() {
        use super::decode_wikitext;
        assert_eq!(
            decode_wikitext("&amp; &amp &#39; &#39 &eacute;"),
            "& &amp ' &#39 \u{e9}"
        );
    }
}
