//! Dates in prose as day ranges: "25 February 1956" = "February 25, 1956" = "1956-02-25";
//! "February 1956", "early March 1956", "1956", "the late 1930s" are ranges; "9 March" has no
//! year. A claim's date is confirmed by a source date that lies within it.

use super::tokens::Word;
use crate::time::days_from_civil;

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

fn month(w: &str) -> Option<u32> {
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum DateSpan {
    /// Inclusive day numbers (days since 1970-01-01).
    Range { start: i64, end: i64 },
    /// A day of a month with no year given.
    DayMonth { month: u32, day: u32 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Date {
    pub span: DateSpan,
    pub first: usize,
    pub last: usize,
    /// How it was written, for messages.
    pub text: String,
}

fn range(y: i64, m: Option<u32>, d: Option<u32>) -> DateSpan {
    match (m, d) {
        (Some(m), Some(d)) => {
            let x = days_from_civil(y, m, d);
            DateSpan::Range { start: x, end: x }
        }
        (Some(m), None) => DateSpan::Range {
            start: days_from_civil(y, m, 1),
            end: days_from_civil(y, m, days_in_month(y, m)),
        },
        _ => DateSpan::Range {
            start: days_from_civil(y, 1, 1),
            end: days_from_civil(y, 12, 31),
        },
    }
}

fn year(w: &str) -> Option<i64> {
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1000..=2100).contains(y))
}

fn day(w: &str) -> Option<u32> {
    let d = w.trim_end_matches(|c: char| c.is_alphabetic());
    if d.is_empty()
        || d.len() > 2
        || !d.bytes().all(|b| b.is_ascii_digit())
        || !(w.len() == d.len() || matches!(&w[d.len()..], "st" | "nd" | "rd" | "th"))
    {
        return None;
    }
    d.parse().ok().filter(|d| (1..=31).contains(d))
}

/// Dates in text given its words.
pub fn dates(text: &str, words: &[Word]) -> Vec<Date> {
    let mut out = Vec::new();
    let f = |i: usize| words.get(i).map(|w| w.folded.as_str()).unwrap_or("");
    let snippet = |a: usize, b: usize| text[words[a].start..words[b].end].to_string();
    // a day and a month starting at word i, with the year at i + 2 when one is written there
    let day_of_month = |i: usize, m: u32, d: u32| -> (Date, usize) {
        match year(f(i + 2)) {
            Some(y) => (
                Date {
                    span: range(y, Some(m), Some(d)),
                    first: i,
                    last: i + 2,
                    text: snippet(i, i + 2),
                },
                3,
            ),
            None => (
                Date {
                    span: DateSpan::DayMonth { month: m, day: d },
                    first: i,
                    last: i + 1,
                    text: snippet(i, i + 1),
                },
                2,
            ),
        }
    };
    let mut i = 0;
    while i < words.len() {
        let w = f(i);
        // ISO 1956-02-25
        if let Some(y) = year(w) {
            if text[words[i].end..].starts_with('-')
                && f(i + 1).len() == 2
                && f(i + 2).len() == 2
                && text[words[i + 1].end..].starts_with('-')
            {
                if let (Ok(m), Ok(d)) = (f(i + 1).parse::<u32>(), f(i + 2).parse::<u32>()) {
                    if (1..=12).contains(&m) && (1..=31).contains(&d) {
                        out.push(Date {
                            span: range(y, Some(m), Some(d)),
                            first: i,
                            last: i + 2,
                            text: snippet(i, i + 2),
                        });
                        i += 3;
                        continue;
                    }
                }
            }
            // year ranges: 1950-55, 1950–1955
            let after =
                &text[words[i].end..words.get(i + 1).map(|n| n.start).unwrap_or(words[i].end)];
            if matches!(after.trim(), "-" | "\u{2013}" | "\u{2014}" | "to") || f(i + 1) == "to" {
                let nx = if f(i + 1) == "to" { i + 2 } else { i + 1 };
                let end_y = match f(nx) {
                    e if year(e).is_some() => year(e),
                    e if e.len() == 2 && e.bytes().all(|b| b.is_ascii_digit()) => {
                        e.parse::<i64>().ok().map(|v| y / 100 * 100 + v)
                    }
                    _ => None,
                };
                if let Some(ey) = end_y.filter(|&ey| ey > y && ey - y < 200) {
                    out.push(Date {
                        span: range(y, None, None),
                        first: i,
                        last: i,
                        text: snippet(i, i),
                    });
                    out.push(Date {
                        span: range(ey, None, None),
                        first: nx,
                        last: nx,
                        text: snippet(nx, nx),
                    });
                    i = nx + 1;
                    continue;
                }
            }
            out.push(Date {
                span: range(y, None, None),
                first: i,
                last: i,
                text: snippet(i, i),
            });
            i += 1;
            continue;
        }
        // decades: 1930s, "the late 1930s", "early 1960s", "mid-1950s"
        if w.len() == 5 && w.ends_with('s') && year(&w[..4]).is_some() && w[..4].ends_with('0') {
            let y = year(&w[..4]).unwrap_or(0);
            let (a, b) = match i.checked_sub(1).map(f) {
                Some("early") => (y, y + 3),
                Some("mid") => (y + 3, y + 6),
                Some("late") => (y + 6, y + 9),
                _ => (y, y + 9),
            };
            let first = if matches!(i.checked_sub(1).map(f), Some("early" | "mid" | "late")) {
                i - 1
            } else {
                i
            };
            out.push(Date {
                span: DateSpan::Range {
                    start: days_from_civil(a, 1, 1),
                    end: days_from_civil(b, 12, 31),
                },
                first,
                last: i,
                text: snippet(first, i),
            });
            i += 1;
            continue;
        }
        // 25 February [1956]
        if let (Some(d), Some(m)) = (day(w), month(f(i + 1))) {
            let (date, used) = day_of_month(i, m, d);
            out.push(date);
            i += used;
            continue;
        }
        if let Some(m) = month(w) {
            // "may" is a verb too: only as a date when a day or year is next to it
            let capital = text[words[i].start..].starts_with(|c: char| c.is_uppercase());
            // February 25, 1956 / February 25
            if let Some(d) = day(f(i + 1)) {
                if capital || w != "may" {
                    let (date, used) = day_of_month(i, m, d);
                    out.push(date);
                    i += used;
                    continue;
                }
            }
            // [early|mid|late] February 1956
            if let Some(y) = year(f(i + 1)) {
                if capital || w != "may" {
                    let q = i.checked_sub(1).map(f);
                    let dim = days_in_month(y, m);
                    let (a, b) = match q {
                        Some("early") => (1, 10),
                        Some("mid") => (11, 20),
                        Some("late") => (21, dim),
                        _ => (1, dim),
                    };
                    let first = if matches!(q, Some("early" | "mid" | "late")) {
                        i - 1
                    } else {
                        i
                    };
                    out.push(Date {
                        span: DateSpan::Range {
                            start: days_from_civil(y, m, a),
                            end: days_from_civil(y, m, b),
                        },
                        first,
                        last: i + 1,
                        text: snippet(first, i + 1),
                    });
                    i += 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

/// Is the claim's date confirmed by one of the source's?
pub fn confirmed(claim: &Date, source: &[Date], source_years: &[i64]) -> bool {
    source.iter().any(|s| match (&claim.span, &s.span) {
        (DateSpan::Range { start, end }, DateSpan::Range { start: a, end: b }) => {
            a >= start && b <= end
        }
        (DateSpan::DayMonth { month, day }, DateSpan::Range { start: a, end: b }) if a == b => {
            let (_, m, d) = crate::time::civil_from_days(*a);
            m == *month && d == *day
        }
        (DateSpan::DayMonth { month, day }, DateSpan::DayMonth { month: m, day: d }) => {
            m == month && d == day
        }
        (DateSpan::Range { start, end }, DateSpan::DayMonth { month, day }) if start == end => {
            let (y, m, d) = crate::time::civil_from_days(*start);
            m == *month && d == *day && source_years.contains(&y)
        }
        _ => false,
    })
}

/// One date as (year, month, day), for access dates in references.
pub fn parse_one(s: &str) -> Option<(i32, u32, u32)> {
    let w = super::tokens::words(s);
    let d = dates(s, &w)
        .into_iter()
        .find(|d| matches!(d.span, DateSpan::Range { .. }))?;
    match d.span {
        DateSpan::Range { start, .. } => {
            let (y, m, dd) = crate::time::civil_from_days(start);
            Some((y as i32, m, dd))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::words;

    fn ds(t: &str) -> Vec<Date> {
        dates(t, &words(t))
    }

    #[test]
    fn same_day_written_three_ways() {
        let a = ds("on 25 February 1956");
        let b = ds("on February 25, 1956");
        let c = ds("dated 1956-02-25");
        assert_eq!(a[0].span, b[0].span);
        assert_eq!(a[0].span, c[0].span);
        assert!(confirmed(&a[0], &b, &[]));
    }

    #[test]
    fn partial_dates_and_near_misses() {
        let claim = &ds("in early March 1956")[0];
        assert!(confirmed(claim, &ds("on 5 March 1956"), &[]));
        assert!(!confirmed(claim, &ds("on 15 March 1956"), &[]));
        let claim = &ds("the late 1930s")[0];
        assert!(confirmed(claim, &ds("in 1937"), &[]));
        assert!(!confirmed(claim, &ds("in 1932"), &[]));
        let claim = &ds("on 24 February 1956")[0];
        assert!(!confirmed(claim, &ds("February 25, 1956"), &[]));
        assert!(
            !confirmed(claim, &ds("February 1956"), &[]),
            "a month does not confirm a day"
        );
        assert!(confirmed(
            &ds("in 1956")[0],
            &ds("on 25 February 1956"),
            &[]
        ));
        assert!(confirmed(
            &ds("on 9 March 1956")[0],
            &ds("on 9 March the army moved"),
            &[1956]
        ));
        assert!(ds("you may go").is_empty());
    }

    #[test]
    fn parse_access_dates() {
        assert_eq!(parse_one("1 May 2020"), Some((2020, 5, 1)));
        assert_eq!(parse_one("2021-03-04"), Some((2021, 3, 4)));
    }
}
