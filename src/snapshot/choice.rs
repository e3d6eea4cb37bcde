//! Which copy of a cited source is checked: the one place this is decided.
//!
//! A fetch may store several captures for one cited URL: the live page (with its redirect
//! hops), the reference's `archive_url`, a TimeGate's memento, the capture the Wayback
//! Machine's availability API named. The capture records say which
//! copy each capture is and which cited URL it was made for (`copy` and `cited` in the index,
//! rebuilt from each capture's metadata record by `reindex`). Fetch asks this module what it
//! achieved and check asks it what to read, so the two can never disagree.
//!
//! The captures come from a `CaptureSet`: the project's store, or the store layered over other
//! tools' archives (`check --archive`). Which capture of a URL answers for it is the set's to
//! say: the store's latest; in another tool's archive, the one nearest the reference's access
//! date.
//!
//! The rule: the live copy when its latest capture ends, after redirects, in a 2xx answer;
//! otherwise the newest capture of another copy (archive, TimeGate or Wayback: whichever
//! rescue path stored it) made for this URL that does; otherwise the
//! reference's `archive_url` if the store holds a good capture of it (stores written before
//! the index named the cited URL); otherwise the source has no usable copy and the findings
//! say why.

use super::cdxj::Entry;
use super::set::{AccessDay, CaptureSet};
use crate::fetch::CopyKind;
use crate::findings::{Code, Finding};
use crate::time::Timestamp;

/// Redirect hops followed through the index before a chain counts as endless.
const MAX_HOPS: usize = 32;

/// Is this a status whose body is the source (rather than an error page or a redirect)?
pub fn usable(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The cited source as the reference gives it.
#[derive(Debug, Clone, Copy)]
pub struct Cited<'a> {
    /// The URL the reference cites (the live copy).
    pub url: &'a str,
    /// The reference's own archive copy (its `archive_url`), when it gives one.
    pub archive_url: Option<&'a str>,
    /// The day the reference says the source was read, as written.
    pub accessed: Option<&'a str>,
}

/// The copy that is checked, and the capture its text is read from.
#[derive(Debug, Clone)]
pub struct Chosen<'a> {
    /// Which copy is checked: live, or the archive, TimeGate or Wayback copy standing in for it.
    pub copy: CopyKind,
    /// The capture that answered 2xx (the last hop of its redirect chain).
    pub entry: &'a Entry,
}

/// What the store holds for one cited source.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    /// The copy that is checked, or None when the store holds no usable one (the findings say why).
    pub chosen: Option<Chosen<'a>>,
    /// About the copy: source-archived, source-unreachable, snapshot-missing, source-changed.
    /// Not yet tagged with a source id or a location.
    pub findings: Vec<Finding>,
}

/// Where a redirect chain through the index ended.
#[derive(Debug)]
enum ChainEnd<'a> {
    /// The final capture (any status but a redirect that was followed).
    Final(&'a Entry),
    /// The chain stopped before a final answer: why.
    Broken(String),
    /// No capture of the first URL.
    NotCaptured,
}

/// Follow `url` through the index: the capture of each hop that answers for it (the latest, or
/// the nearest the access day; a 304 is answered by the capture before it), redirects resolved
/// against their hop.
fn follow<'a, C: CaptureSet + ?Sized>(
    store: &'a C,
    url: &str,
    day: Option<AccessDay>,
) -> ChainEnd<'a> {
    let mut cur = url.to_string();
    let mut seen = std::collections::HashSet::new();
    for hop in 0..MAX_HOPS {
        if !seen.insert(cur.clone()) {
            return ChainEnd::Broken(format!("the redirects of {url} loop back to {cur}"));
        }
        let Some(e) = store.answer(&cur, day) else {
            return if hop == 0 {
                ChainEnd::NotCaptured
            } else {
                ChainEnd::Broken(format!(
                    "{url} redirects to {cur}, which was not captured (an address that is not \
                     public, or more redirects than max_redirects)"
                ))
            };
        };
        if !(300..400).contains(&e.status_code()) {
            return ChainEnd::Final(e);
        }
        let next = store
            .load(e)
            .ok()
            .and_then(|s| s.header("location").map(str::to_string))
            .and_then(|l| reqwest::Url::parse(&cur).ok()?.join(&l).ok());
        match next {
            Some(n) => cur = n.to_string(),
            None => {
                return ChainEnd::Broken(format!(
                    "{cur} answered HTTP {} without a usable Location",
                    e.status
                ))
            }
        }
    }
    ChainEnd::Broken(format!("{url} redirects more than {MAX_HOPS} times"))
}

/// The copy of `cited` to check, from the captures in `store`. `attempts` are this run's
/// fetch failures for the URL (DNS, refused, blocked): they explain a source with no capture.
pub fn decide<'a, C: CaptureSet + ?Sized>(
    store: &'a C,
    cited: Cited<'_>,
    attempts: &[Finding],
) -> Decision<'a> {
    let day = cited.accessed.and_then(AccessDay::parse);
    let live = follow(store, cited.url, day);
    let mut findings = Vec::new();
    if let ChainEnd::Final(e) = live {
        if usable(e.status_code()) {
            findings.extend(changed(store, e));
            return Decision {
                chosen: Some(Chosen {
                    copy: CopyKind::Live,
                    entry: e,
                }),
                findings,
            };
        }
    }
    // this run's failure says more than the store can (the blocked address, the DNS error)
    let why_dead = match (&live, attempts.first()) {
        (ChainEnd::Final(e), _) => format!("live copy answered HTTP {}", e.status),
        (_, Some(failed)) => failed.message.clone(),
        (ChainEnd::Broken(why), None) => why.clone(),
        (ChainEnd::NotCaptured, None) => "live copy could not be fetched".into(),
    };
    if let Some(chosen) = rescue(store, cited, day) {
        let how = match chosen.copy {
            CopyKind::Timegate => format!("the TimeGate's memento {}", chosen.entry.url),
            CopyKind::Wayback => format!(
                "the Wayback Machine's capture {} (named by its availability API)",
                chosen.entry.url
            ),
            _ => format!("the archive copy {}", chosen.entry.url),
        };
        findings.push(Finding::new(
            Code::SourceArchived,
            format!("{why_dead}; checked {how} instead"),
        ));
        findings.extend(changed(store, chosen.entry));
        return Decision {
            chosen: Some(chosen),
            findings,
        };
    }
    findings.push(match (live, attempts.first()) {
        (ChainEnd::Final(e), _) => Finding::new(
            Code::SourceUnreachable,
            format!(
                "{} answered HTTP {} when captured ({}){}{}",
                cited.url,
                e.status,
                iso(&e.timestamp),
                no_rescue(store, cited),
                attempts
                    .iter()
                    .map(|f| format!("; {}", f.message))
                    .collect::<String>()
            ),
        ),
        (_, Some(failed)) if failed.code == Code::SourceBlocked => failed.clone(),
        (_, Some(failed)) => Finding::new(
            failed.code,
            format!("{}{}", failed.message, no_rescue(store, cited)),
        ),
        (ChainEnd::Broken(why), None) => Finding::new(
            Code::SourceUnreachable,
            format!("{why}{}", no_rescue(store, cited)),
        ),
        (ChainEnd::NotCaptured, None) => Finding::new(
            Code::SnapshotMissing,
            format!("no snapshot of {}; run `ibid fetch`", cited.url),
        ),
    });
    Decision {
        chosen: None,
        findings,
    }
}

/// The newest good capture of another copy made for this URL, else of its `archive_url`.
fn rescue<'a, C: CaptureSet + ?Sized>(
    store: &'a C,
    cited: Cited<'_>,
    day: Option<AccessDay>,
) -> Option<Chosen<'a>> {
    let mut made_for: Vec<&Entry> = store.captures_for(cited.url);
    made_for.sort_by(|a, b| b.timestamp.cmp(&a.timestamp));
    let recorded = made_for
        .into_iter()
        .find_map(|first| match follow(store, &first.url, day) {
            ChainEnd::Final(e) if usable(e.status_code()) => Some(Chosen {
                copy: first.copy.unwrap_or(CopyKind::Archive),
                entry: e,
            }),
            _ => None,
        });
    recorded.or_else(|| match follow(store, cited.archive_url?, day) {
        ChainEnd::Final(e) if usable(e.status_code()) => Some(Chosen {
            copy: CopyKind::Archive,
            entry: e,
        }),
        _ => None,
    })
}

/// The end of an unreachable message: what was tried besides the live copy.
fn no_rescue<C: CaptureSet + ?Sized>(store: &C, cited: Cited<'_>) -> &'static str {
    if !store.captures_for(cited.url).is_empty() || cited.archive_url.is_some() {
        ", and no archive copy has a good capture"
    } else {
        "; add an archive_url to rescue it"
    }
}

/// `source-changed` when the checked capture is the latest good one of its URL and differs
/// from the good capture before it. Digests of two algorithms (one archive's sha1, another's
/// sha256) cannot tell, and say nothing.
fn changed<C: CaptureSet + ?Sized>(store: &C, entry: &Entry) -> Option<Finding> {
    let good: Vec<&Entry> = store
        .history(&entry.url)
        .into_iter()
        .filter(|e| usable(e.status_code()))
        .collect();
    let [.., prev, last] = good.as_slice() else {
        return None;
    };
    let algorithm = |d: &str| d.split(':').next().unwrap_or("").to_string();
    let comparable = algorithm(&prev.digest) == algorithm(&last.digest);
    let checked_latest = last.timestamp == entry.timestamp && last.digest == entry.digest;
    (comparable && checked_latest && prev.digest != last.digest).then(|| {
        Finding::new(
            Code::SourceChanged,
            format!(
                "{} changed between the captures of {} and {} ({} -> {}); checked the latest",
                entry.url,
                iso(&prev.timestamp),
                iso(&last.timestamp),
                short(&prev.digest),
                short(&last.digest)
            ),
        )
    })
}

fn iso(digits14: &str) -> String {
    Timestamp::parse_digits(digits14)
        .map(|t| t.iso())
        .unwrap_or_else(|| digits14.to_string())
}

/// `sha256:` and the first 12 hex digits.
fn short(d: &str) -> String {
    d.chars().take(19).collect()
}

/// When an archive copy was archived (its memento datetime), as an ISO date-time: the
/// `Memento-Datetime` header of the stored answer (RFC 7089), else the 14 digits a
/// Wayback-style URL carries (`/web/20190301000000/...`). What an editor writes as
/// `archive-date`.
pub fn archived_at(stored: &super::Stored) -> Option<String> {
    if let Some(t) = stored
        .header("memento-datetime")
        .and_then(|v| httpdate::parse_http_date(v.trim()).ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
    {
        return Some(
            Timestamp {
                secs: t.as_secs() as i64,
            }
            .iso(),
        );
    }
    stored
        .url
        .split('/')
        .find(|seg| {
            let digits = seg.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '_');
            digits.len() == 14 && digits.bytes().all(|b| b.is_ascii_digit())
        })
        .and_then(|seg| Timestamp::parse_digits(&seg[..14]))
        .map(|t| t.iso())
}
