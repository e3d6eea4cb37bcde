//! Dates in prose as day ranges: "25 February 1956" = "February 25, 1956" = "1956-02-25";
//! "February 1956", "early March 1956", "1956", "the late 1930s" are ranges; "9 March" has no
//! year. A claim's date is confirmed by a source date that lies within it.
//!
//! Sources also say dates relative to the page: "through October" (the year is in a
//! neighbouring sentence or is the page's), "Wednesday evening", "yesterday" (days before the
//! page was published). [`source_dates`] reads those too, and an [`Anchor`] resolves them.

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

/// The English name of month `m` (1 to 12), capitalised: "March".
pub fn month_name(m: u32) -> Option<String> {
    let (name, _) = MONTHS.iter().find(|(_, n)| *n == m)?;
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// The dates a single day or a whole month lies in, finest first: the day's month and year, or
/// the month's year. What a claim's date still says when its finer part is wrong.
pub fn coarser(span: &DateSpan) -> Vec<DateSpan> {
    let DateSpan::Range { start, end } = *span else {
        return vec![];
    };
    let (y, m, d) = crate::time::civil_from_days(start);
    let (y2, m2, d2) = crate::time::civil_from_days(end);
    if start == end {
        vec![range(y, Some(m), None), range(y, None, None)]
    } else if y == y2 && m == m2 && d == 1 && d2 == days_in_month(y, m) {
        vec![range(y, None, None)]
    } else {
        vec![]
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// What days a date in prose can mean: a fixed range, or a form resolved against a year or a
/// page's publication date (an [`Anchor`]).
#[derive(Debug, Clone, PartialEq)]
pub enum DateSpan {
    /// Inclusive day numbers (days since 1970-01-01).
    Range {
        /// First day of the range.
        start: i64,
        /// Last day of the range (inclusive; equal to `start` for a single day).
        end: i64,
    },
    /// A day of a month with no year given.
    DayMonth {
        /// 1 to 12.
        month: u32,
        /// 1 to 31.
        day: u32,
    },
    /// A month named alone ("through October"); sources only.
    Month {
        /// 1 to 12.
        month: u32,
    },
    /// A day of the week ("Wednesday evening"), 0 = Monday: one of the seven days up to the
    /// page's publication; sources only.
    Weekday {
        /// 0 = Monday to 6 = Sunday.
        weekday: u32,
    },
    /// "today" (0), "yesterday" (1): days before the page's publication; sources only.
    DaysBefore {
        /// Days before publication: 0 for "today", 1 for "yesterday".
        days: i64,
    },
}

/// A date found in a text, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Date {
    /// The days it can mean.
    pub span: DateSpan,
    /// Index of its first word in the text's [`Word`] list.
    pub first: usize,
    /// Index of its last word (inclusive).
    pub last: usize,
    /// How it was written, for messages.
    pub text: String,
}

fn range(y: i64, m: Option<u32>, d: Option<u32>) -> DateSpan {
    match (m, d) {
        // "31 February 2020" is no day: counted from the 1st it would be 2 March, and a source
        // saying 2 March would confirm it. An empty range (its end before its start) holds no
        // day, so no source date confirms it and it confirms no claim's day or month.
        (Some(m), Some(d)) if d > days_in_month(y, m) => {
            let x = days_from_civil(y, m, 1) + i64::from(d) - 1;
            DateSpan::Range {
                start: x,
                end: x - 1,
            }
        }
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

/// A day of the month as written: "4", "04", "21st" (1 to 31).
pub fn day(w: &str) -> Option<u32> {
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

const FULL_MONTHS: &[&str] = &[
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

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words before "May" or "March" that make it the month, not the verb or the noun.
const MONTH_LEADS: &[&str] = &[
    "in", "since", "until", "till", "through", "by", "from", "early", "late", "mid", "last",
    "next", "this", "during", "of", "to", "and", "or", "between", "before", "after",
];

/// Dates written out in text (a claim's): full dates, months of a year, years, decades, and a
/// day of a month without its year.
pub fn dates(text: &str, words: &[Word]) -> Vec<Date> {
    scan(text, words, false)
}

/// Dates in a source's text: those of [`dates`], and the ones that need the page to be read: a
/// month named alone, a weekday, "today", "yesterday".
pub fn source_dates(text: &str, words: &[Word]) -> Vec<Date> {
    scan(text, words, true)
}

/// A date read relative to the page: a lone month, a weekday or "yesterday" at word `i`.
fn relative(text: &str, words: &[Word], i: usize) -> Option<DateSpan> {
    let w = words[i].folded.as_str();
    let capital = text[words[i].start..].starts_with(|c: char| c.is_uppercase());
    if let Some(k) = WEEKDAYS.iter().position(|d| *d == w).filter(|_| capital) {
        return Some(DateSpan::Weekday { weekday: k as u32 });
    }
    match w {
        "today" | "tonight" => return Some(DateSpan::DaysBefore { days: 0 }),
        "yesterday" => return Some(DateSpan::DaysBefore { days: 1 }),
        _ => {}
    }
    // a full month name, capitalised; "May" and "March" only after a word that makes them dates
    let m = month(w).filter(|_| FULL_MONTHS.contains(&w))?;
    let lead = i
        .checked_sub(1)
        .map(|j| words[j].folded.as_str())
        .unwrap_or("");
    if matches!(w, "may" | "march") && !MONTH_LEADS.contains(&lead) {
        return None;
    }
    capital.then_some(DateSpan::Month { month: m })
}

fn scan(text: &str, words: &[Word], relative_dates: bool) -> Vec<Date> {
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
        if relative_dates {
            if let Some(span) = relative(text, words, i) {
                out.push(Date {
                    span,
                    first: i,
                    last: i,
                    text: snippet(i, i),
                });
            }
        }
        i += 1;
    }
    out
}

/// What a source's relative dates are read against.
#[derive(Debug, Clone, Copy, Default)]
pub struct Anchor<'a> {
    /// Years written anywhere in the source: the year of a "9 March".
    pub years: &'a [i64],
    /// Years written in the passage and its neighbouring sentences: the year of a lone
    /// "October".
    pub nearby: &'a [i64],
    /// The page's publication day (days since 1970-01-01), when known.
    pub published: Option<i64>,
}

impl Anchor<'_> {
    /// The year of a month named alone or of a day without a year, nearest the publication:
    /// "in June" on a page of December 2018 is June 2019; "in May" in September is May.
    fn publication_year(&self, month: u32) -> Option<i64> {
        let (y, m, _) = crate::time::civil_from_days(self.published?);
        let diff = month as i64 - m as i64;
        Some(if diff > 6 {
            y - 1
        } else if diff <= -6 {
            y + 1
        } else {
            y
        })
    }

    /// The day a weekday or "yesterday" names: within the week up to the publication.
    fn resolve_relative(&self, span: &DateSpan) -> Option<i64> {
        let p = self.published?;
        match *span {
            DateSpan::Weekday { weekday } => {
                // 1970-01-01 was a Thursday (3 with Monday = 0)
                let today = (p + 3).rem_euclid(7);
                Some(p - (today - weekday as i64).rem_euclid(7))
            }
            DateSpan::DaysBefore { days } => Some(p - days),
            _ => None,
        }
    }
}

/// Is the claim's date confirmed by one of the source's?
pub fn confirmed(claim: &Date, source: &[Date], anchor: &Anchor) -> bool {
    source
        .iter()
        .any(|s| confirms(&claim.span, &s.span, anchor))
}

fn confirms(claim: &DateSpan, source: &DateSpan, anchor: &Anchor) -> bool {
    use DateSpan::*;
    match (claim, source) {
        (Range { start, end }, Range { start: a, end: b }) => a <= b && a >= start && b <= end,
        (Range { start, end }, DayMonth { month, day }) => anchor
            .years
            .iter()
            .copied()
            .chain(anchor.publication_year(*month))
            .any(|y| {
                *day <= days_in_month(y, *month)
                    && (*start..=*end).contains(&days_from_civil(y, *month, *day))
            }),
        (Range { start, end }, Month { month }) => anchor
            .nearby
            .iter()
            .copied()
            .chain(anchor.publication_year(*month))
            .any(|y| {
                days_from_civil(y, *month, 1) >= *start
                    && days_from_civil(y, *month, days_in_month(y, *month)) <= *end
            }),
        (Range { start, end }, Weekday { .. } | DaysBefore { .. }) => anchor
            .resolve_relative(source)
            .is_some_and(|d| (*start..=*end).contains(&d)),
        (DayMonth { month, day }, Range { start: a, end: b }) if a == b => {
            let (_, m, d) = crate::time::civil_from_days(*a);
            m == *month && d == *day
        }
        (DayMonth { month, day }, DayMonth { month: m, day: d }) => m == month && d == day,
        (DayMonth { month, day }, Weekday { .. } | DaysBefore { .. }) => {
            anchor.resolve_relative(source).is_some_and(|x| {
                let (_, m, d) = crate::time::civil_from_days(x);
                m == *month && d == *day
            })
        }
        _ => false,
    }
}

/// Does a day (the page's publication day) confirm the claim's date?
pub fn contains_day(claim: &Date, day: i64) -> bool {
    match claim.span {
        DateSpan::Range { start, end } => (start..=end).contains(&day),
        DateSpan::DayMonth { month, day: d } => {
            let (_, m, dd) = crate::time::civil_from_days(day);
            m == month && dd == d
        }
        _ => false,
    }
}

/// A full day written as a timestamp or in prose: "2017-10-31", "2017-10-31T04:57:12+10:00",
/// "2004-10-19 14:49", "20171031", Unix seconds ("1528320203"), "March 2, 2017", as days since
/// 1970-01-01. A month or a year alone is not a day.
pub fn parse_day(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        (!part.is_empty() && part.bytes().all(|c| c.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let ymd = |y: u32, m: u32, d: u32| -> Option<i64> {
        ((1000..=2100).contains(&y)
            && (1..=12).contains(&m)
            && (1..=days_in_month(y as i64, m)).contains(&d))
        .then(|| days_from_civil(y as i64, m, d))
    };
    let ends_date = |n: usize| b.get(n).is_none_or(|c| !c.is_ascii_digit());
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && ends_date(10) {
        return ymd(digits(0..4)?, digits(5..7)?, digits(8..10)?);
    }
    if b.len() >= 8 && ends_date(8) && b[..8].iter().all(u8::is_ascii_digit) {
        return ymd(digits(0..4)?, digits(4..6)?, digits(6..8)?);
    }
    if (9..=10).contains(&b.len()) && b.iter().all(u8::is_ascii_digit) {
        return s.parse::<i64>().ok().map(|secs| secs.div_euclid(86_400));
    }
    let w = super::tokens::words(s);
    dates(s, &w).into_iter().find_map(|d| match d.span {
        DateSpan::Range { start, end } if start == end => Some(start),
        _ => None,
    })
}

/// Is `s` a date and nothing else: a day or timestamp ("2024-05-02", "2 May 2024",
/// "2024-05-02T10:00:00Z"), a month ("May 2024") or a year? "2024-13-45" is not.
pub fn is_date(s: &str) -> bool {
    let s = s.trim();
    if parse_day(s).is_some() {
        return true;
    }
    let w = super::tokens::words(s);
    let ds = dates(s, &w);
    matches!(ds.as_slice(), [d] if matches!(d.span, DateSpan::Range { start, end } if start <= end)
        && w.first().is_some_and(|f| f.start == 0)
        && d.first == 0
        && d.last + 1 == w.len()
        && s[w[d.last].end..].chars().all(|c| c == '.' || c.is_whitespace()))
}

/// One date as (year, month, day), for access dates in references.
pub fn parse_one(s: &str) -> Option<(i32, u32, u32)> {
    let w = super::tokens::words(s);
    let d = dates(s, &w)
        .into_iter()
        .find(|d| matches!(d.span, DateSpan::Range { start, end } if start <= end))?;
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
    fn a_value_is_a_date_only_when_it_is_nothing_else() {
        for good in [
            "2024-05-02",
            "2 May 2024",
            "May 2, 2024",
            "May 2024",
            "2024",
            "2024-05-02T10:00:00Z",
            " 2 May 2024. ",
        ] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2024-13-45",
            "yesterday-ish",
            "",
            "soon",
            "May 2024 or so",
            "c. 2024",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn same_day_written_three_ways() {
        let a = ds("on 25 February 1956");
        let b = ds("on February 25, 1956");
        let c = ds("dated 1956-02-25");
        assert_eq!(a[0].span, b[0].span);
        assert_eq!(a[0].span, c[0].span);
        assert!(confirmed(&a[0], &b, &Anchor::default()));
    }

    #[test]
    fn an_impossible_day_confirms_nothing_and_is_confirmed_by_nothing() {
        let none = Anchor::default();
        let feb31 = &ds("on 31 February 2020")[0];
        assert!(!confirmed(feb31, &ds("on 2 March 2020"), &none));
        assert!(!confirmed(feb31, &ds("in March 2020"), &none));
        assert!(!confirmed(
            &ds("on 2 March 2020")[0],
            &ds("31 February 2020"),
            &none
        ));
        assert!(!confirmed(
            &ds("in March 2020")[0],
            &ds("2020-02-30"),
            &none
        ));
        assert!(!is_date("31 February 2020"));
        assert_eq!(parse_one("accessed 31 February 2020"), None);
        assert!(is_date("29 February 2020"), "a leap day is a day");
    }

    #[test]
    fn partial_dates_and_near_misses() {
        let none = Anchor::default();
        let claim = &ds("in early March 1956")[0];
        assert!(confirmed(claim, &ds("on 5 March 1956"), &none));
        assert!(!confirmed(claim, &ds("on 15 March 1956"), &none));
        let claim = &ds("the late 1930s")[0];
        assert!(confirmed(claim, &ds("in 1937"), &none));
        assert!(!confirmed(claim, &ds("in 1932"), &none));
        let claim = &ds("on 24 February 1956")[0];
        assert!(!confirmed(claim, &ds("February 25, 1956"), &none));
        assert!(
            !confirmed(claim, &ds("February 1956"), &none),
            "a month does not confirm a day"
        );
        assert!(confirmed(
            &ds("in 1956")[0],
            &ds("on 25 February 1956"),
            &none
        ));
        let years = Anchor {
            years: &[1956],
            ..Anchor::default()
        };
        assert!(confirmed(
            &ds("on 9 March 1956")[0],
            &ds("on 9 March the army moved"),
            &years
        ));
        assert!(!confirmed(
            &ds("on 9 March 1957")[0],
            &ds("on 9 March the army moved"),
            &years
        ));
        assert!(ds("you may go").is_empty());
    }

    fn sds(t: &str) -> Vec<Date> {
        source_dates(t, &words(t))
    }

    fn day(y: i64, m: u32, d: u32) -> Option<i64> {
        Some(days_from_civil(y, m, d))
    }

    #[test]
    fn lone_months_take_the_year_nearby_or_of_the_page() {
        let claim = &ds("from August through October 2007")[0];
        let src = sds("the trek, which kicks off in August, will run through October.");
        assert!(matches!(src[1].span, DateSpan::Month { month: 10 }));
        assert!(
            !confirmed(claim, &src, &Anchor::default()),
            "no year at all"
        );
        let page = Anchor {
            published: day(2007, 5, 22),
            ..Anchor::default()
        };
        assert!(confirmed(claim, &src, &page), "the page is of May 2007");
        let late = Anchor {
            published: day(2009, 5, 22),
            ..Anchor::default()
        };
        assert!(!confirmed(claim, &src, &late));
        let nearby = Anchor {
            nearby: &[2007],
            ..Anchor::default()
        };
        assert!(confirmed(claim, &src, &nearby), "2007 in the next sentence");
        // the nearest June to a page of December 2018 is June 2019
        let june = sds("The first debate is planned for June.");
        let dec = Anchor {
            published: day(2018, 12, 20),
            ..Anchor::default()
        };
        assert!(confirmed(&ds("in June 2019")[0], &june, &dec));
        assert!(!confirmed(&ds("in June 2018")[0], &june, &dec));
        // a month does not confirm a day, and "may" the verb is no month
        assert!(!confirmed(&ds("on 3 October 2007")[0], &src, &page));
        assert!(sds("Visitors May enter. It may rain.").is_empty());
        assert_eq!(sds("They met in May.").len(), 1);
        assert!(
            ds("They met in May.").is_empty(),
            "claims keep lone months out"
        );
    }

    #[test]
    fn weekdays_and_yesterday_count_back_from_the_page() {
        // 2 March 2017 was a Thursday
        let page = Anchor {
            published: day(2017, 3, 2),
            ..Anchor::default()
        };
        let src = sds("The list was narrowed to three Wednesday evening.");
        assert!(confirmed(&ds("On March 1, 2017")[0], &src, &page));
        assert!(!confirmed(&ds("On March 2, 2017")[0], &src, &page));
        assert!(!confirmed(
            &ds("On March 1, 2017")[0],
            &src,
            &Anchor::default()
        ));
        let src = sds("The fire broke out yesterday.");
        assert!(confirmed(&ds("on 1 March 2017")[0], &src, &page));
        assert!(confirmed(&ds("in March 2017")[0], &src, &page));
        assert!(
            sds("a wednesday market").is_empty(),
            "lower case is no weekday"
        );
    }

    #[test]
    fn publication_days_in_every_form() {
        let d = days_from_civil(2017, 10, 31);
        for s in [
            "2017-10-31",
            "2017-10-31T04:57:12+10:00",
            " 2017-10-31 19:02",
            "20171031",
            "October 31, 2017",
            "31 Oct 2017",
        ] {
            assert_eq!(parse_day(s), Some(d), "{s}");
        }
        assert_eq!(parse_day("1528320203"), day(2018, 6, 6));
        for bad in [
            "2017",
            "October 2017",
            "2017-13-01",
            "2017-02-30",
            "",
            "soon",
            "99999999999",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        assert!(contains_day(
            &ds("June 2018")[0],
            days_from_civil(2018, 6, 30)
        ));
        assert!(!contains_day(
            &ds("July 2018")[0],
            days_from_civil(2018, 6, 30)
        ));
    }

    #[test]
    fn parse_access_dates() {
        assert_eq!(parse_one("1 May 2020"), Some((2020, 5, 1)));
        assert_eq!(parse_one("2021-03-04"), Some((2021, 3, 4)));
    }
}
