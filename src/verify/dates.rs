//! Dates: each of the claim's dates must be confirmed by a date of a cited source that lies
//! within it (25 February 1956 confirms "February 1956" and "1956", not the other way round).
//!
//! Anchored to the page: the source's publication date counts as one of its dates (a page of
//! 30 June 2018 confirms "(June 2018)"), resolves "Wednesday evening" and "yesterday", and
//! gives a year to a lone month ("through October" on a page of May 2007) or to a day without
//! one; a lone month may also take its year from the passage or the sentences beside it.

use super::claim::{Claim, MAX_FACTS};
use super::coverage::Cover;
use super::numbers::is_year_word;
use super::source::{years_of, Sources};
use super::Check;
use crate::findings::Code;
use crate::text::dates::{self, Anchor, Date, DateSpan};

/// Where the claim's dates are confirmed: per passage, a bit for each of the first
/// [`MAX_FACTS`] dates; for every date, whether anything confirms it.
pub(super) struct Located {
    pub masks: Vec<u16>,
    pub found: Vec<bool>,
}

pub(super) fn locate(claim: &Claim, sources: &Sources, anchored: bool) -> Located {
    confirm(&claim.dates, sources, anchored)
}

/// Where each of `wanted` is confirmed.
fn confirm(wanted: &[Date], sources: &Sources, anchored: bool) -> Located {
    let n = wanted.len();
    let mut found = vec![false; n];
    let published: Vec<Option<i64>> = sources
        .docs
        .iter()
        .map(|d| d.published.filter(|_| anchored).and_then(dates::parse_day))
        .collect();
    // the page's own date confirms the claim's dates that contain it
    for (i, d) in wanted.iter().enumerate() {
        found[i] = published
            .iter()
            .flatten()
            .any(|&day| dates::contains_day(d, day));
    }
    let years: Vec<&[i64]> = (0..sources.docs.len())
        .map(|k| sources.lookup_years(k))
        .collect();
    let ps = &sources.passages;
    let masks = ps
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let pd = sources.texts[p.tok].dates(p.nth, anchored);
            if pd.is_empty() {
                return 0;
            }
            // years of this passage and the sentences beside it, for a lone month
            let nearby: Vec<i64> = if pd.iter().any(|d| matches!(d.span, DateSpan::Month { .. })) {
                let same = |j: usize| ps[j].tok == p.tok;
                let lo = if i > 0 && same(i - 1) { i - 1 } else { i };
                let hi = if i + 1 < ps.len() && same(i + 1) {
                    i + 1
                } else {
                    i
                };
                (lo..=hi)
                    .flat_map(|j| years_of(sources.words(&ps[j])))
                    .collect()
            } else {
                vec![]
            };
            let anchor = Anchor {
                years: years[p.source],
                nearby: &nearby,
                published: published[p.source],
            };
            let mut mask = 0u16;
            for (k, d) in wanted.iter().enumerate() {
                if dates::confirmed(d, pd, &anchor) {
                    found[k] = true;
                    if k < MAX_FACTS {
                        mask |= 1 << k;
                    }
                }
            }
            mask
        })
        .collect();
    Located { masks, found }
}

/// Share of the claim's dates confirmed; a `date-mismatch` for each one that is not, naming
/// the part the source lacks when it has the rest (the day of "4 November 2001" on a page
/// that has 2001), with the dates the closest passage gives.
pub(super) fn report(
    claim: &Claim,
    sources: &Sources,
    located: &Located,
    cover: &Cover,
    anchored: bool,
    findings: &mut Vec<Check>,
) -> f64 {
    let near: Vec<String> = cover
        .chosen
        .iter()
        .flat_map(|&c| {
            let p = &sources.passages[c];
            dates::dates(sources.texts[p.tok].text, sources.words(p))
        })
        .map(|d: Date| d.text)
        .collect();
    for (d, _) in claim.dates.iter().zip(&located.found).filter(|(_, f)| !**f) {
        let mut message = match missing_part(claim, d, sources, anchored) {
            Some((part, held)) => format!(
                "\"{part}\" of the date \"{}\" is not in the source, which has {held}",
                d.text
            ),
            None => format!("date \"{}\" is not in the source", d.text),
        };
        if !near.is_empty() {
            message.push_str(&format!("; the closest passage says {}", near.join(", ")));
        }
        findings.push(Check {
            code: Code::DateMismatch,
            message,
            source_id: cover.first_source(sources),
            evidence: cover.first_text(sources),
        });
    }
    located.found.iter().filter(|f| **f).count() as f64 / claim.dates.len() as f64
}

/// For a day or a month the sources do not confirm, when they confirm its month or its year:
/// the claim's words they lack (the day, or the day and month) and what they have instead
/// ("November 2001", "2001"). None when the year is not confirmed either, or when the date is
/// not written with its year at one end.
fn missing_part(
    claim: &Claim,
    d: &Date,
    sources: &Sources,
    anchored: bool,
) -> Option<(String, String)> {
    let wider: Vec<Date> = dates::coarser(&d.span)
        .into_iter()
        .map(|span| Date { span, ..d.clone() })
        .collect();
    let held = confirm(&wider, sources, anchored)
        .found
        .iter()
        .position(|f| *f)?;
    let is_year = |i: &usize| is_year_word(&claim.words[*i].folded);
    let year = (d.first..=d.last).find(is_year)?;
    // the date's words other than the year, which must sit at one end
    let (a, b) = if year == d.last && year > d.first {
        (d.first, year - 1)
    } else if year == d.first && year < d.last {
        (year + 1, d.last)
    } else {
        return None;
    };
    let day_held = wider.len() == 2 && held == 0;
    let DateSpan::Range { start, .. } = wider[held].span else {
        return None;
    };
    let (y, m, _) = crate::time::civil_from_days(start);
    if day_held {
        // the month and year are there: only the day is missing
        // year first (2001-11-04): month then day; year last: the day is its number word
        let day = if year == d.first {
            Some(b).filter(|&i| dates::day(&claim.words[i].folded).is_some())
        } else {
            (a..=b).find(|&i| dates::day(&claim.words[i].folded).is_some())
        }?;
        let month = dates::month_name(m)?;
        Some((claim.written(day, day).to_string(), format!("{month} {y}")))
    } else {
        Some((claim.written(a, b).to_string(), y.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Rules, SourceDoc};
    use super::*;
    use crate::verify::source::{gather_for, prepare_each};

    fn found(claim: &str, doc: SourceDoc, anchored: bool) -> Vec<bool> {
        let docs = [doc];
        let c = Claim::parse(claim, &Rules::default());
        let p = prepare_each(&docs);
        let s = gather_for(&p, &c);
        locate(&c, &s, anchored).found
    }

    fn page<'a>(text: &'a str, published: &'a str) -> SourceDoc<'a> {
        SourceDoc {
            published: Some(published),
            ..SourceDoc::new("s", text)
        }
    }

    #[test]
    fn the_page_date_confirms_and_resolves() {
        let tour = "The trek kicks off in August and will run through October.";
        let claim = "They toured from August through October 2007.";
        assert_eq!(found(claim, page(tour, "2007-05-22"), true), vec![true]);
        assert_eq!(found(claim, page(tour, "2007-05-22"), false), vec![false]);
        assert_eq!(found(claim, page(tour, "2011-05-22"), true), vec![false]);
        let open = "The investigation remains open.";
        let claim = "The investigation remains open (June 2018).";
        assert_eq!(
            found(claim, page(open, "2018-06-30T07:00:00Z"), true),
            vec![true]
        );
        assert_eq!(found(claim, SourceDoc::new("s", open), true), vec![false]);
        let wed = "The list was narrowed to three Wednesday evening.";
        let claim = "On March 1, 2017 the list was narrowed.";
        assert_eq!(found(claim, page(wed, "March 2, 2017"), true), vec![true]);
    }

    #[test]
    fn a_lone_month_takes_the_year_of_the_next_sentence() {
        let src = "The band announced a tour of 2007.\nIt runs through October.";
        let claim = "The tour ran through October 2007.";
        assert_eq!(found(claim, SourceDoc::new("s", src), true), vec![true]);
        let far = "The band announced a tour of 2007.\nTickets sold out.\nIt runs through October.";
        assert_eq!(found(claim, SourceDoc::new("s", far), true), vec![false]);
    }

    #[test]
    fn near_misses_are_reported_with_the_closest_dates() {
        let docs = [SourceDoc::new(
            "s",
            "The protests were put down on 9 March 1956.",
        )];
        let c = Claim::parse(
            "The protests were put down on 15 March 1956.",
            &Rules::default(),
        );
        let p = prepare_each(&docs);
        let s = gather_for(&p, &c);
        let l = locate(&c, &s, true);
        let cover = super::super::coverage::cover(&c, &s, None, Some(&l));
        let mut f = vec![];
        assert_eq!(report(&c, &s, &l, &cover, true, &mut f), 0.0);
        assert_eq!(f[0].code, Code::DateMismatch);
        assert!(
            f[0].message.contains("says 9 March 1956"),
            "{}",
            f[0].message
        );
    }

    /// The message's first quoted piece is the part of the date the source lacks.
    fn message(claim: &str, source: &str) -> String {
        let docs = [SourceDoc::new("s", source)];
        let c = Claim::parse(claim, &Rules::default());
        let p = prepare_each(&docs);
        let s = gather_for(&p, &c);
        let l = locate(&c, &s, true);
        let cover = super::super::coverage::cover(&c, &s, None, Some(&l));
        let mut f = vec![];
        report(&c, &s, &l, &cover, true, &mut f);
        f.pop().map(|f| f.message).unwrap_or_default()
    }

    #[test]
    fn the_missing_part_of_a_date_is_named() {
        let m = message("Put down on 15 March 1956.", "Put down on 9 March 1956.");
        assert!(
            m.starts_with(
                "\"15\" of the date \"15 March 1956\" is not in the source, which has March 1956"
            ),
            "{m}"
        );
        let m = message(
            "It opened on November 4, 2001.",
            "It opened in 2001, in spring.",
        );
        assert!(
            m.starts_with("\"November 4\" of the date \"November 4, 2001\" is not in the source, which has 2001"),
            "{m}"
        );
        let m = message("It opened in March 2001.", "It opened in 2001, in spring.");
        assert!(m.starts_with("\"March\" of the date \"March 2001\""), "{m}");
        let m = message("It opened on 2001-11-04.", "It opened on 9 November 2001.");
        assert!(
            m.starts_with("\"04\" of the date \"2001-11-04\""),
            "the day of a date written year first: {m}"
        );
        let m = message("It opened in 1999.", "It opened in 2001.");
        assert!(m.starts_with("date \"1999\" is not in the source"), "{m}");
        let m = message(
            "It opened on 4 November 1999.",
            "It opened on 4 November 2001.",
        );
        assert!(
            m.starts_with("date \"4 November 1999\" is not in the source"),
            "{m}"
        );
    }
}
