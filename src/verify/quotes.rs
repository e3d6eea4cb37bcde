//! Quotes: text the claim puts in double quotes must appear in a cited source after folding
//! case, quotes, dashes, whitespace and diacritics; "..." and "[editorial]" insertions split
//! it into fragments that must appear in order.

use super::claim::Claim;
use super::source::{SourceIndex, Sources};
use super::Check;
use crate::findings::Code;
use crate::text::tokens::words;
use std::collections::HashSet;

/// Quoted passages in the claim (two words or more) in double quotes: straight, curly,
/// guillemets, low-high. With `skip_titles`, a quoted title (every word of four letters or
/// more capitalised) is left out: it names a work, and the names check reads it.
pub(super) fn extract(claim: &str, skip_titles: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let pairs = [
        ('"', '"'),
        ('\u{201c}', '\u{201d}'),
        ('\u{ab}', '\u{bb}'),
        ('\u{201e}', '\u{201c}'),
    ];
    let mut i = 0;
    while i < claim.len() {
        let Some((p, open)) = claim[i..]
            .char_indices()
            .find(|(_, c)| pairs.iter().any(|(o, _)| o == c))
            .map(|(p, c)| (i + p, c))
        else {
            break;
        };
        let close = pairs
            .iter()
            .find(|(o, _)| *o == open)
            .map(|(_, c)| *c)
            .unwrap_or('"');
        let inner = p + open.len_utf8();
        match claim[inner..].find(close) {
            Some(q) => {
                let (s, e) = (inner, inner + q);
                if words(&claim[s..e]).len() >= 2 && !(skip_titles && title_case(&claim[s..e])) {
                    out.push((s, e));
                }
                i = e + close.len_utf8();
            }
            None => break,
        }
    }
    out
}

/// Every word of four letters or more starts with a capital: a title or a name.
fn title_case(q: &str) -> bool {
    let ws = words(q);
    let mut long = ws
        .iter()
        .filter(|w| w.folded.chars().count() >= 4)
        .peekable();
    long.peek().is_some()
        && long.all(|w| q[w.start..].starts_with(|c: char| c.is_uppercase() || c.is_numeric()))
}

/// Share of the claim's quotes found in a cited source; `quote-mismatch` for each one that is
/// not, with the closest passage and the words it lacks.
pub(super) fn check(claim: &Claim, sources: &Sources, findings: &mut Vec<Check>) -> f64 {
    let indexes: Vec<&SourceIndex> = sources.indexes().map(|(_, i)| i).collect();
    let mut found = 0;
    for &(s, e) in &claim.quotes {
        let q = &claim.text[s..e];
        let frags = fragments(q);
        if frags.is_empty() || indexes.iter().any(|idx| fragments_found(&frags, idx)) {
            found += 1;
            continue;
        }
        findings.push(mismatch(q, sources));
    }
    found as f64 / claim.quotes.len() as f64
}

/// The finding for a quote not found: the passage with most of its words, and those it lacks.
fn mismatch(q: &str, sources: &Sources) -> Check {
    let qw: HashSet<String> = words(q).into_iter().map(|w| w.folded).collect();
    let best = sources.passages.iter().max_by_key(|p| {
        // the quote's distinct words the passage has
        let has: HashSet<&str> = sources
            .words(p)
            .iter()
            .map(|w| w.folded.as_str())
            .filter(|w| qw.contains(*w))
            .collect();
        (has.len(), usize::MAX - p.text.len())
    });
    let missing: Vec<String> = match best {
        Some(p) => {
            let pw: HashSet<&str> = sources.words(p).iter().map(|w| w.folded.as_str()).collect();
            words(q)
                .into_iter()
                .filter(|w| !pw.contains(w.folded.as_str()))
                .map(|w| q[w.start..w.end].to_string())
                .collect()
        }
        None => vec![],
    };
    let message = if missing.is_empty() {
        format!(
            "quote \"{q}\" is not in the source as written (words differ in order or are split)"
        )
    } else {
        format!(
            "quote \"{q}\" is not in the source; closest passage lacks: {}",
            missing.join(", ")
        )
    };
    Check {
        code: Code::QuoteMismatch,
        message,
        source_id: best.map(|p| sources.docs[p.source].id.to_string()),
        evidence: best.map(|p| p.text.to_string()),
    }
}

/// Fragments of a quote between ellipses and bracketed insertions, as folded word strings.
fn fragments(q: &str) -> Vec<String> {
    let mut frags = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    let flush = |cur: &mut String, frags: &mut Vec<String>| {
        let ws: Vec<String> = words(cur).into_iter().map(|w| w.folded).collect();
        if !ws.is_empty() {
            frags.push(ws.join(" "));
        }
        cur.clear();
    };
    let q = q.replace("...", "\u{2026}").replace(". . .", "\u{2026}");
    for c in q.chars() {
        match c {
            '[' => {
                depth += 1;
                flush(&mut cur, &mut frags);
            }
            ']' => depth -= 1,
            '\u{2026}' => flush(&mut cur, &mut frags),
            c if depth == 0 => cur.push(c),
            _ => {}
        }
    }
    flush(&mut cur, &mut frags);
    frags
}

fn fragments_found(frags: &[String], idx: &SourceIndex) -> bool {
    let mut from = 0;
    for f in frags {
        match idx.joined[from..].find(&format!(" {f} ")) {
            Some(p) => from += p + f.len() + 1,
            None => return false,
        }
    }
    true
}

/// Is `quote` in the source (after folding), fragments in order?
pub fn quote_found(quote: &str, source: &str) -> bool {
    fragments_found(&fragments(quote), &SourceIndex::new(&words(source)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str =
        "No stenographic record of the session was kept, according to later accounts.";

    #[test]
    fn quotes_in_every_kind_of_marks() {
        let c = "He said \"a heavy silence\", \u{201c}no record was kept\u{201d} and \u{ab}it ended\u{bb}; \"one\".";
        let qs: Vec<&str> = extract(c, true)
            .into_iter()
            .map(|(s, e)| &c[s..e])
            .collect();
        assert_eq!(
            qs,
            vec!["a heavy silence", "no record was kept", "it ended"]
        );
        assert!(extract("an \"unclosed quote", true).is_empty());
        let t = "She starred in \"The Hunger Games: Mockingjay\" and said \"we were here\".";
        assert_eq!(extract(t, true).len(), 1, "the title is a name");
        assert_eq!(extract(t, false).len(), 2);
    }

    #[test]
    fn found_after_folding_with_ellipses_and_insertions() {
        assert!(quote_found("No stenographic RECORD of the session", SRC));
        assert!(quote_found("no stenographic record [...] was kept", SRC));
        assert!(quote_found("no stenographic record ... was kept", SRC));
        assert!(quote_found("record of the [closed] session", SRC));
        assert!(!quote_found("no written record of the session", SRC));
        assert!(
            !quote_found("was kept ... no stenographic record", SRC),
            "in order"
        );
    }
}
