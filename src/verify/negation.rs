//! Negation: the claim denies what its evidence asserts, or the other way round ("a record was
//! kept" against "no record was kept"). Only the best passage is read, and only when it covers
//! at least half the claim's words: otherwise there is nothing the two sides share to clash on.

use super::claim::Claim;
use super::coverage::Cover;
use super::source::Sources;
use crate::text::tokens::Word;

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "neither", "nor", "none", "nobody", "nothing", "cannot",
];
/// Words after a negation that make it about time or degree, not a denial ("not until 1989").
const NOT_DENIALS: &[&str] = &["until", "till", "before", "only"];
/// How far after a negation such a word is looked for.
const SCOPE: usize = 10;

pub(super) fn is_negation(w: &str) -> bool {
    NEGATIONS.contains(&w) || w.ends_with("n't")
}

/// Does the text deny something?
fn denies(ws: &[Word]) -> bool {
    ws.iter().enumerate().any(|(i, w)| {
        is_negation(&w.folded)
            && !ws[i + 1..ws.len().min(i + SCOPE)]
                .iter()
                .any(|n| NOT_DENIALS.contains(&n.folded.as_str()))
    })
}

/// The side that denies, when exactly one of claim and best passage does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Clash {
    ClaimDenies,
    SourceDenies,
}

impl Clash {
    pub fn explain(self) -> &'static str {
        match self {
            Clash::ClaimDenies => "(negation: the claim denies, the source affirms)",
            Clash::SourceDenies => "(negation: the source denies, the claim affirms)",
        }
    }
}

pub(super) fn clash(claim: &Claim, sources: &Sources, cover: &Cover) -> Option<Clash> {
    let &best = cover.chosen.first()?;
    if cover.word_coverage < 0.5 {
        return None;
    }
    let claim_denies = denies(&claim.words);
    let source_denies = denies(sources.words(&sources.passages[best]));
    match (claim_denies, source_denies) {
        (true, false) => Some(Clash::ClaimDenies),
        (false, true) => Some(Clash::SourceDenies),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{coverage, Rules, SourceDoc};
    use super::*;
    use crate::text::tokens::words;
    use crate::verify::source::{gather_for, prepare_each};

    fn run(claim: &str, source: &str) -> Option<Clash> {
        let docs = [SourceDoc::new("s", source)];
        let c = Claim::parse(claim, &Rules::default());
        let p = prepare_each(&docs);
        let s = gather_for(&p, &c);
        let cover = coverage::cover(&c, &s, None, None);
        clash(&c, &s, &cover)
    }

    #[test]
    fn denials_and_what_is_not_one() {
        assert!(denies(&words("No record was kept.")));
        assert!(denies(&words("It wasn't kept.")));
        assert!(!denies(&words("It was not published until 1989.")));
        assert!(!denies(&words("A record was kept.")));
    }

    #[test]
    fn one_side_denying_is_a_clash() {
        let src = "No stenographic record of the session was kept.";
        assert_eq!(
            run("A stenographic record of the session was kept.", src),
            Some(Clash::SourceDenies)
        );
        assert_eq!(
            run("No stenographic record of the session was kept.", src),
            None
        );
        assert_eq!(
            run(
                "The session was not recorded.",
                "The session was recorded on tape."
            ),
            Some(Clash::ClaimDenies)
        );
        assert_eq!(run("Farmers cheered in Kyiv.", src), None, "nothing shared");
    }
}
