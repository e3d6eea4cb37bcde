//! A set of captures, as `choice::decide` reads it: the project's own store, a web archive
//! another tool wrote (read-only, `foreign`), or the two layered for one run.
//!
//! The decision of which copy is checked is made once, in `choice`, over this trait; what
//! differs between the sets is only which capture of a URL answers for it: the project's
//! latest (ibid captured it for this project), or in another tool's archive the capture closest
//! to the day the reference says the source was read.

use super::cdxj::Entry;
use super::foreign::ForeignArchive;
use super::{Store, StoreError, Stored};
use crate::time::Timestamp;

/// The day a reference says its source was read: `[start, end)` in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessDay {
    /// Midnight UTC that starts the day.
    pub start: Timestamp,
    /// Midnight UTC that ends it (start + 86,400 s), excluded.
    pub end: Timestamp,
}

impl AccessDay {
    /// From a reference's access date as written ("2024-05-02", "2 May 2024", ...).
    pub fn parse(accessed: &str) -> Option<AccessDay> {
        let (y, m, d) = crate::text::dates::parse_one(accessed)?;
        let start = crate::time::days_from_civil(y as i64, m, d) * 86_400;
        Some(AccessDay {
            start: Timestamp { secs: start },
            end: Timestamp {
                secs: start + 86_400,
            },
        })
    }

    /// Seconds between a capture time and this day (0 within it).
    pub fn distance(&self, t: Timestamp) -> i64 {
        if t < self.start {
            self.start.secs - t.secs
        } else if t >= self.end {
            t.secs - self.end.secs + 1
        } else {
            0
        }
    }
}

/// Captures of URLs, each loadable with its digests checked.
pub trait CaptureSet {
    /// Every capture (response, revisit or resource record) of `url`, oldest first.
    fn history(&self, url: &str) -> Vec<&Entry>;
    /// The first records of captures of other copies (archive, TimeGate) made for `cited`.
    fn captures_for(&self, cited: &str) -> Vec<&Entry>;
    /// The stored response behind an entry of this set, revisits resolved, digests checked.
    fn load(&self, e: &Entry) -> Result<Stored, StoreError>;
    /// The capture that answers for `url` (a 304 is answered by the capture before it). The
    /// project's store: its latest capture.
    fn answer(&self, url: &str, _accessed: Option<AccessDay>) -> Option<&Entry> {
        latest(self.history(url))
    }
}

/// The newest capture that is not a 304.
pub fn latest(history: Vec<&Entry>) -> Option<&Entry> {
    history.into_iter().rev().find(|e| e.status != "304")
}

/// The capture nearest to the access day (the newest among equally near ones); the newest when
/// the reference gives no day.
pub fn closest(history: Vec<&Entry>, day: Option<AccessDay>) -> Option<&Entry> {
    let Some(day) = day else {
        return latest(history);
    };
    history
        .into_iter()
        .filter(|e| e.status != "304")
        .filter_map(|e| Some((e, Timestamp::parse_digits(&e.timestamp)?)))
        // min_by_key keeps the first of equals: walk newest first
        .rev()
        .min_by_key(|(_, t)| day.distance(*t))
        .map(|(e, _)| e)
}

/// Is `e` an element of `entries` (the very one, not an equal copy)? Tells a layered set which
/// of its sets an entry came from.
pub(crate) fn holds(entries: &[Entry], e: &Entry) -> bool {
    entries.as_ptr_range().contains(&std::ptr::from_ref(e))
}

impl CaptureSet for Store {
    fn history(&self, url: &str) -> Vec<&Entry> {
        Store::history(self, url)
    }
    fn captures_for(&self, cited: &str) -> Vec<&Entry> {
        Store::captures_for(self, cited)
    }
    fn load(&self, e: &Entry) -> Result<Stored, StoreError> {
        Store::load(self, e)
    }
}

/// The project's store with other tools' archives under it (`ibid check --archive`). For each
/// URL the store's captures come first; the archives answer for what the store lacks or holds
/// only a failure of (an error page, a dead link), since a crawl may have caught the page while
/// it lived.
pub struct Layers<'a> {
    /// The project's own store, whose captures come first.
    pub store: &'a Store,
    /// Other tools' archives, read-only, that answer for what the store lacks.
    pub archives: &'a [ForeignArchive],
}

impl Layers<'_> {
    fn foreign_history(&self, url: &str) -> Vec<&Entry> {
        let mut all: Vec<&Entry> = self.archives.iter().flat_map(|a| a.history(url)).collect();
        all.sort_by(|a, b| a.timestamp.cmp(&b.timestamp));
        all
    }
}

impl CaptureSet for Layers<'_> {
    fn history(&self, url: &str) -> Vec<&Entry> {
        let own = self.store.history(url);
        if own.is_empty() {
            self.foreign_history(url)
        } else {
            own
        }
    }

    fn captures_for(&self, cited: &str) -> Vec<&Entry> {
        let mut all = self.store.captures_for(cited);
        all.extend(self.archives.iter().flat_map(|a| a.captures_for(cited)));
        all
    }

    fn load(&self, e: &Entry) -> Result<Stored, StoreError> {
        if holds(self.store.entries(), e) {
            return self.store.load(e);
        }
        match self.archives.iter().find(|a| a.holds(e)) {
            Some(a) => a.load(e),
            None => Err(StoreError::Corrupt {
                path: e.filename.clone(),
                message: "an index entry that belongs to no archive of this run".into(),
            }),
        }
    }

    fn answer(&self, url: &str, accessed: Option<AccessDay>) -> Option<&Entry> {
        let own = latest(self.store.history(url));
        // the store's own answer stands unless it is an error page or absent
        if own.is_some_and(|e| (200..400).contains(&e.status_code())) {
            return own;
        }
        closest(self.foreign_history(url), accessed).or(own)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(ts: &str, status: &str) -> Entry {
        Entry {
            surt: "example,a)/".into(),
            timestamp: ts.into(),
            url: "http://a.example/".into(),
            mime: "text/html".into(),
            status: status.into(),
            digest: format!("sha256:{ts}"),
            length: "1".into(),
            offset: "0".into(),
            filename: "a.warc.gz".into(),
            copy: None,
            cited: None,
        }
    }

    #[test]
    fn the_capture_nearest_the_access_day_answers() {
        let all = [
            entry("20190101000000", "200"),
            entry("20200505120000", "200"),
            entry("20200506000000", "304"),
            entry("20230101000000", "200"),
        ];
        let h: Vec<&Entry> = all.iter().collect();
        let day = AccessDay::parse("2020-05-06");
        // the 304 on the day itself is answered by the capture before it
        assert_eq!(closest(h.clone(), day).unwrap().timestamp, "20200505120000");
        assert_eq!(
            closest(h.clone(), AccessDay::parse("1 March 2022"))
                .unwrap()
                .timestamp,
            "20230101000000"
        );
        assert_eq!(
            closest(h.clone(), None).unwrap().timestamp,
            "20230101000000"
        );
        assert_eq!(latest(h).unwrap().timestamp, "20230101000000");
        assert!(AccessDay::parse("not a date").is_none());
    }

    #[test]
    fn among_equally_near_captures_the_newest_answers() {
        let all = [
            entry("20200506010000", "200"),
            entry("20200506230000", "200"),
        ];
        let h: Vec<&Entry> = all.iter().collect();
        assert_eq!(
            closest(h, AccessDay::parse("2020-05-06"))
                .unwrap()
                .timestamp,
            "20200506230000"
        );
    }

    #[test]
    fn holds_tells_the_element_from_an_equal_copy() {
        let v = vec![entry("20200101000000", "200")];
        let copy = v[0].clone();
        assert!(holds(&v, &v[0]));
        assert!(!holds(&v, &copy));
    }
}
