//! UTC timestamps without a date crate: WARC-Date (ISO 8601) and CDXJ's 14-digit form.

use std::time::{SystemTime, UNIX_EPOCH};

/// (year, month, day) from days since 1970-01-01 (Howard Hinnant's civil_from_days).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u64;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i64 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u64;
    let mp = if m > 2 { m - 3 } else { m + 9 } as u64;
    let doy = (153 * mp + 2) / 5 + d as u64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i64 - 719_468
}

/// A UTC instant to the second: the clock WARC-Date and CDXJ keys are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub secs: i64,
}

impl Timestamp {
    /// The current time (the epoch if the clock is before 1970).
    pub fn now() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Timestamp { secs }
    }
    fn parts(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        (
            y,
            m,
            d,
            (rem / 3600) as u32,
            (rem % 3600 / 60) as u32,
            (rem % 60) as u32,
        )
    }
    /// `2026-11-26T18:00:00Z`
    pub fn iso(self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
    /// `20261126180000`
    pub fn digits14(self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}")
    }
    /// Read a date-time such as `2026-11-26T18:00:00Z` by its digits; a date alone is midnight.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let s = s.trim();
        let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
        Self::parse_digits(&digits)
    }
    /// Read `YYYYMMDD[hh[mm[ss]]]` (CDXJ, Wayback); `None` if shorter than 8 digits or not a date.
    pub fn parse_digits(d: &str) -> Option<Self> {
        if d.len() < 8 || !d.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let num = |a: usize, b: usize| d.get(a..b).and_then(|x| x.parse::<i64>().ok()).unwrap_or(0);
        let (y, mo, da) = (num(0, 4), num(4, 6), num(6, 8));
        if !(1..=12).contains(&mo) || !(1..=31).contains(&da) {
            return None;
        }
        let days = days_from_civil(y, mo as u32, da as u32);
        Some(Timestamp {
            secs: days * 86_400 + num(8, 10) * 3600 + num(10, 12) * 60 + num(12, 14),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn round_trips() {
        let t = Timestamp {
            secs: 1_764_180_000,
        };
        assert_eq!(t.iso(), "2025-11-26T18:00:00Z");
        assert_eq!(Timestamp::parse_digits(&t.digits14()), Some(t));
        assert_eq!(
            Timestamp::parse_iso("1956-02-25T00:00:00Z").unwrap().iso(),
            "1956-02-25T00:00:00Z"
        );
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }
}
