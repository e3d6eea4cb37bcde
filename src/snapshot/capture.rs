//! Capture cited sources into the store: fetch each URL (all at once, within the fetch policy),
//! fall back to the archive copy, a Memento TimeGate or the Wayback Machine's availability API
//! when the live one is dead, and commit in batches so a long run that is interrupted keeps
//! most of its work.

use super::choice::{decide, usable, Cited};
use super::{prepare, Prepared, Store, StoreError};
use crate::fetch::{Capture, CopyKind, Failure, Fetcher};
use crate::findings::{Code, Finding};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// One URL to capture, with its fallbacks.
#[derive(Debug, Clone)]
pub struct Job {
    /// The source ids that cite this URL (for messages).
    pub ids: Vec<String>,
    /// The cited (live) URL, fetched first.
    pub url: String,
    /// The reference's own archive copy, fetched when the live URL is dead.
    pub archive_url: Option<String>,
    /// The reference's access date, for a TimeGate request.
    pub accessed: Option<String>,
}

/// What capturing one job left in the store, as check will judge it.
#[derive(Debug, Clone)]
pub struct JobResult {
    /// The cited URL of the job.
    pub url: String,
    /// The source ids that cite it (for messages).
    pub ids: Vec<String>,
    /// The copy the check will read, when one was captured.
    pub copy: Option<CopyKind>,
    /// What the store now holds for the source, as check reports it (`choice::decide`).
    pub findings: Vec<Finding>,
    /// Attempts that left no capture (DNS, refused, blocked address), as they failed.
    pub failures: Vec<Finding>,
}

/// Commit (make durable and visible) after this many captures or seconds: a kill loses at
/// most one batch (the next run fetches it again), and the index is rewritten once per batch.
/// A commit costs about nine fsyncs and a rewrite of the whole index, so batches are bounded
/// by time first; the count only bounds very fast runs.
const COMMIT_EVERY: usize = 10_000;
const COMMIT_SECS: u64 = 5;

/// How long the writing thread waits between two turns of writing finished captures: up to a
/// few dozen gather meanwhile (a 2,000-page loopback fetch finishes about 6 a millisecond), and
/// the last one waits at most this long.
const GATHER_PAUSE: Duration = Duration::from_millis(2);

/// Captures with at most this many body bytes are encoded on the async worker itself.
const INLINE_ENCODE: usize = 256 * 1024;

/// Conditional-request headers from the latest good capture of `url`.
fn conditional(store: &Store, url: &str) -> Vec<(String, String)> {
    let Some(e) = store
        .history(url)
        .into_iter()
        .rev()
        .find(|e| e.status == "200")
    else {
        return vec![];
    };
    let Ok(s) = store.load(e) else { return vec![] };
    let mut h = vec![];
    if let Some(et) = s.header("etag") {
        h.push(("If-None-Match".to_string(), et.to_string()));
    }
    if let Some(lm) = s.header("last-modified") {
        h.push(("If-Modified-Since".to_string(), lm.to_string()));
    }
    h
}

/// HTTP date of a reference's access date, for Accept-Datetime.
fn accept_datetime(accessed: Option<&str>) -> Option<String> {
    let t = crate::text::dates::parse_one(accessed?)?;
    let secs = crate::time::days_from_civil(t.0 as i64, t.1, t.2) * 86_400;
    Some(httpdate::fmt_http_date(
        std::time::UNIX_EPOCH + Duration::from_secs(secs.max(0) as u64),
    ))
}

/// Where to look for a copy of a dead source besides its own `archive_url`.
#[derive(Debug, Clone, Default)]
pub struct Rescuers {
    /// A Memento TimeGate base URL (`[fetch] timegate`).
    pub timegate: Option<String>,
    /// The Wayback Machine's availability API (`[fetch] wayback_available`).
    pub wayback_available: Option<String>,
}

impl Rescuers {
    /// The rescuers the fetch policy names (`timegate`, `wayback_available`).
    pub fn from_settings(s: &crate::fetch::FetchSettings) -> Rescuers {
        Rescuers {
            timegate: s.timegate.clone(),
            wayback_available: s.wayback_available.clone(),
        }
    }
}

/// The availability API's question for `url`: the capture closest to the access date
/// (`timestamp=YYYYMMDD`), or the newest when the reference gives no access date.
fn wayback_lookup(api: &str, url: &str, accessed: Option<&str>) -> Option<String> {
    let mut u = reqwest::Url::parse(api).ok()?;
    u.query_pairs_mut().append_pair("url", url);
    if let Some((y, m, d)) = accessed.and_then(crate::text::dates::parse_one) {
        u.query_pairs_mut()
            .append_pair("timestamp", &format!("{y:04}{m:02}{d:02}"));
    }
    Some(u.to_string())
}

/// The capture URL in an availability answer
/// (`{"archived_snapshots":{"closest":{"available":true,"url":...,"status":"200"}}}`), when
/// the Wayback Machine holds a good one.
fn wayback_closest(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let c = v.get("archived_snapshots")?.get("closest")?;
    let available = c.get("available").and_then(|a| a.as_bool()) != Some(false);
    let status_ok = c
        .get("status")
        .and_then(|s| s.as_str())
        .is_none_or(|s| s.parse().is_ok_and(usable));
    let url = c.get("url")?.as_str()?;
    (available && status_ok && (url.starts_with("http://") || url.starts_with("https://")))
        .then(|| url.to_string())
}

/// Ask the availability API for `job`'s URL and fetch the capture it names.
async fn wayback_rescue(fetcher: &Fetcher, api: &str, job: &Job) -> Result<Capture, Finding> {
    let no_copy = |why: String| Finding::new(Code::SourceUnreachable, why);
    let lookup = wayback_lookup(api, &job.url, job.accessed.as_deref())
        .ok_or_else(|| no_copy(format!("wayback_available {api:?} is not a URL")))?;
    let answer = fetcher
        .fetch(&lookup, CopyKind::Wayback, &[])
        .await
        .map_err(|f| {
            no_copy(format!(
                "the Wayback availability API failed: {}",
                f.message
            ))
        })?;
    let body = answer.final_exchange().map(|e| e.body.as_slice());
    let Some(memento) = body.and_then(wayback_closest) else {
        return Err(no_copy(format!(
            "the Wayback Machine has no good capture of {}",
            job.url
        )));
    };
    let mut cap = fetcher
        .fetch(&memento, CopyKind::Wayback, &[])
        .await
        .map_err(|f| no_copy(f.message))?;
    cap.note = Some(match &job.accessed {
        Some(d) => format!("named by the Wayback availability API as closest to {d}"),
        None => "named by the Wayback availability API as the newest capture".into(),
    });
    Ok(cap)
}

/// Does this capture end in the source itself (a 2xx answer after its redirects)?
fn good(c: &Capture) -> bool {
    c.final_exchange().is_some_and(|e| usable(e.status))
}

/// Fetch one cited URL and, when the live copy is dead, the copies that may stand in for it:
/// the reference's archive URL, then the TimeGate's memento, then the capture the Wayback
/// availability API names. Which copy is checked is not decided here but from the stored
/// captures (`choice::decide`). Returns the captures and the failures of attempts that left no
/// capture (they explain a source with no copy at all).
async fn run_job(
    fetcher: Arc<Fetcher>,
    job: Job,
    cond: Vec<(String, String)>,
    rescuers: Rescuers,
) -> (Job, Vec<Capture>, Vec<Finding>) {
    let mut caps = Vec::new();
    let mut failures = Vec::new();
    let mut attempt = |outcome: crate::fetch::Outcome, caps: &mut Vec<Capture>| match outcome {
        Ok(mut c) => {
            c.cited = job.url.clone();
            let ok = good(&c);
            caps.push(c);
            ok
        }
        Err(Failure {
            code,
            message,
            partial,
            ..
        }) => {
            if let Some(mut p) = partial {
                p.cited = job.url.clone();
                caps.push(p);
            }
            failures.push(Finding::new(code, message));
            false
        }
    };
    let live = fetcher.fetch(&job.url, CopyKind::Live, &cond).await;
    let blocked = matches!(&live, Err(f) if f.code == Code::SourceBlocked);
    let mut ok = attempt(live, &mut caps);
    if !ok && !blocked {
        if let Some(a) = &job.archive_url {
            ok = attempt(fetcher.fetch(a, CopyKind::Archive, &[]).await, &mut caps);
        }
    }
    if !ok && !blocked {
        if let Some(tg) = &rescuers.timegate {
            let mut extra = vec![];
            if let Some(d) = accept_datetime(job.accessed.as_deref()) {
                extra.push(("Accept-Datetime".to_string(), d));
            }
            let memento = fetcher
                .fetch(&format!("{tg}{}", job.url), CopyKind::Timegate, &extra)
                .await;
            ok = attempt(memento, &mut caps);
        }
    }
    if !ok && !blocked {
        if let Some(api) = &rescuers.wayback_available {
            match wayback_rescue(&fetcher, api, &job).await {
                Ok(cap) => {
                    attempt(Ok(cap), &mut caps);
                }
                Err(why) => failures.push(why),
            }
        }
    }
    (job, caps, failures)
}

/// Debug builds only (the tests' binary): with `IBID_FAILPOINT=encode-panic`, encoding the
/// captures of a URL whose path ends in `/panic` panics, so tests can check that a capture lost
/// to a panicking task fails the run and leaves a store that verifies. Release builds have no
/// such switch.
#[cfg(debug_assertions)]
fn failpoint(url: &str) {
    if url.ends_with("/panic") && std::env::var("IBID_FAILPOINT").is_ok_and(|v| v == "encode-panic")
    {
        panic!("failpoint: encoding {url} panicked");
    }
}

#[cfg(not(debug_assertions))]
fn failpoint(_url: &str) {}

/// Gzip and hash a job's captures into records.
fn encode(caps: &[Capture], level: u32) -> Vec<Prepared> {
    caps.iter()
        .map(|c| {
            failpoint(&c.requested);
            prepare(c, level)
        })
        .collect()
}

/// Capture every job; `progress` is told of each finished URL (done, total, url, ok).
pub async fn capture_all(
    store: &mut Store,
    fetcher: Arc<Fetcher>,
    jobs: Vec<Job>,
    refresh: bool,
    rescuers: Rescuers,
    progress: &(dyn Fn(usize, usize, &str, bool) + Sync),
) -> Result<Vec<JobResult>, StoreError> {
    let total = jobs.len();
    // gzip and hashing are CPU work: as many at once as there are cores, so finished bodies
    // wait in a short queue instead of each holding a blocking thread and a compressor
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let encoders = Arc::new(tokio::sync::Semaphore::new(cores));
    let level = store.settings().gzip_level;
    let mut set = JoinSet::new();
    for job in jobs {
        let cond = if refresh {
            conditional(store, &job.url)
        } else {
            vec![]
        };
        let (f, rs, enc) = (fetcher.clone(), rescuers.clone(), encoders.clone());
        set.spawn(async move {
            let (job, caps, failures) = run_job(f, job, cond, rs).await;
            let any_good = caps.iter().any(good);
            // gzip and hash: a small capture right here on the runtime's worker (about 0.2 ms
            // for 20 KB; a hand-off to another thread costs more than that), a large one on the
            // blocking pool so it cannot stall other downloads
            let size: usize = caps
                .iter()
                .flat_map(|c| &c.hops)
                .map(|h| h.body.len())
                .sum();
            let prepared: Vec<Prepared> = if size <= INLINE_ENCODE {
                encode(&caps, level)
            } else {
                let permit = enc.acquire_owned().await;
                let encoded = tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    encode(&caps, level)
                })
                .await;
                // an encoder that panicked lost the captures: the run must fail, not drop them
                match encoded {
                    Ok(p) => p,
                    Err(e) => {
                        return Err(format!("encoding the captures of {} failed: {e}", job.url))
                    }
                }
            };
            Ok((job, prepared, failures, any_good))
        });
    }
    let mut finished = Vec::new();
    let mut since_commit = 0;
    let mut last_commit = Instant::now();
    while let Some(first) = set.join_next().await {
        // the captures that finished meanwhile are taken too, then this thread waits a moment
        // so that the next ones gather: waking it for each of 2,000 captures cost more CPU
        // than writing them
        let mut joined = vec![first];
        while let Some(more) = set.try_join_next() {
            joined.push(more);
        }
        for j in joined {
            // a task that panicked lost its captures: the run must not look complete
            let (job, caps, failures, any_good) = j
                .map_err(|e| StoreError::Capture(format!("a capture task failed: {e}")))?
                .map_err(StoreError::Capture)?;
            for c in caps {
                store.add_prepared(c)?;
                since_commit += 1;
            }
            progress(finished.len() + 1, total, &job.url, any_good);
            finished.push((job, failures));
        }
        if since_commit >= COMMIT_EVERY || last_commit.elapsed() > Duration::from_secs(COMMIT_SECS)
        {
            store.commit()?;
            since_commit = 0;
            last_commit = Instant::now();
        }
        if !set.is_empty() {
            tokio::time::sleep(GATHER_PAUSE).await;
        }
    }
    store.commit()?;
    let mut results: Vec<JobResult> = finished
        .into_iter()
        .map(|(job, failures)| outcome(store, job, failures))
        .collect();
    results.sort_by(|a, b| a.url.cmp(&b.url));
    Ok(results)
}

/// What the store now holds for a job, as check will see it.
pub fn outcome(store: &Store, job: Job, failures: Vec<Finding>) -> JobResult {
    let cited = Cited {
        url: &job.url,
        archive_url: job.archive_url.as_deref(),
        accessed: job.accessed.as_deref(),
    };
    let decision = decide(store, cited, &failures);
    let label = job.ids.join(", ");
    let findings = decision
        .findings
        .into_iter()
        .map(|f| {
            let mut f = f.source(label.clone());
            f.url = Some(job.url.clone());
            f
        })
        .collect();
    JobResult {
        copy: decision.chosen.map(|c| c.copy),
        url: job.url,
        ids: job.ids,
        findings,
        failures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wayback_questions_and_answers() {
        assert_eq!(
            wayback_lookup(
                "https://archive.org/wayback/available",
                "http://a.example/x?y=1",
                Some("2 March 2015")
            )
            .as_deref(),
            Some("https://archive.org/wayback/available?url=http%3A%2F%2Fa.example%2Fx%3Fy%3D1&timestamp=20150302")
        );
        assert!(wayback_lookup(
            "https://archive.org/wayback/available",
            "http://a.example/",
            None
        )
        .is_some_and(|u| !u.contains("timestamp")));
        let found = br#"{"url":"a.example","archived_snapshots":{"closest":{"status":"200","available":true,"url":"http://web.archive.org/web/20150302000000/http://a.example/","timestamp":"20150302000000"}}}"#;
        assert_eq!(
            wayback_closest(found).as_deref(),
            Some("http://web.archive.org/web/20150302000000/http://a.example/")
        );
        assert_eq!(wayback_closest(br#"{"archived_snapshots":{}}"#), None);
        let error_page = br#"{"archived_snapshots":{"closest":{"status":"404","available":true,"url":"http://web.archive.org/web/2015/http://a.example/"}}}"#;
        assert_eq!(wayback_closest(error_page), None);
        let odd =
            br#"{"archived_snapshots":{"closest":{"available":true,"url":"javascript:alert(1)"}}}"#;
        assert_eq!(wayback_closest(odd), None);
        assert_eq!(wayback_closest(b"<html>"), None);
    }
}
