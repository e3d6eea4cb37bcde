//! Capture cited sources into the store: fetch each URL (all at once, within the fetch policy),
//! fall back to the archive copy or a Memento TimeGate when the live one is dead, and commit in
//! batches so a long run that is interrupted keeps most of its work.

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
    pub url: String,
    pub archive_url: Option<String>,
    /// The reference's access date, for a TimeGate request.
    pub accessed: Option<String>,
}

#[derive(Debug, Clone)]
pub struct JobResult {
    pub url: String,
    pub ids: Vec<String>,
    /// The copy the check will read, when one was captured.
    pub copy: Option<CopyKind>,
    pub findings: Vec<Finding>,
}

/// Commit (make durable and visible) after this many captures or seconds: a kill loses at
/// most one batch (the next run fetches it again), and the index is rewritten once per batch.
/// A commit costs about nine fsyncs and a rewrite of the whole index, so batches are bounded
/// by time first; the count only bounds very fast runs.
const COMMIT_EVERY: usize = 10_000;
const COMMIT_SECS: u64 = 5;

/// Captures with at most this many body bytes are encoded on the async worker itself.
const INLINE_ENCODE: usize = 256 * 1024;

/// Is this final status a dead source (worth trying the archive copy)?
fn dead(status: u16) -> bool {
    status >= 400
}

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

async fn run_job(
    fetcher: Arc<Fetcher>,
    job: Job,
    cond: Vec<(String, String)>,
    timegate: Option<String>,
) -> (Job, Vec<Capture>, Vec<Finding>, Option<CopyKind>) {
    let mut caps = Vec::new();
    let mut findings = Vec::new();
    let label = job.ids.join(", ");
    let tag = |f: Finding, url: &str| {
        let mut f = f.source(label.clone());
        f.url = Some(url.to_string());
        f
    };
    let live = fetcher.fetch(&job.url, CopyKind::Live, &cond).await;
    let why_dead = match &live {
        Ok(c) => c
            .final_exchange()
            .filter(|e| dead(e.status))
            .map(|e| format!("live copy answered HTTP {}", e.status)),
        Err(f) => Some(f.message.clone()),
    };
    let mut copy = None;
    match live {
        Ok(c) => {
            if why_dead.is_none() {
                copy = Some(CopyKind::Live);
            }
            caps.push(c)
        }
        Err(Failure {
            code,
            message,
            partial,
            ..
        }) => {
            if let Some(p) = partial {
                caps.push(p);
            }
            if code == Code::SourceBlocked || job.archive_url.is_none() && timegate.is_none() {
                findings.push(tag(Finding::new(code, message), &job.url));
            }
        }
    }
    if let Some(why) = why_dead {
        let mut rescued = false;
        if let Some(a) = &job.archive_url {
            match fetcher.fetch(a, CopyKind::Archive, &[]).await {
                Ok(mut c) if c.final_exchange().is_some_and(|e| !dead(e.status)) => {
                    c.note = Some(format!("{why}; archive copy used"));
                    caps.push(c);
                    copy = Some(CopyKind::Archive);
                    rescued = true;
                    findings.push(tag(
                        Finding::new(
                            Code::SourceArchived,
                            format!("{why}; checked the archive copy {a} instead"),
                        ),
                        &job.url,
                    ));
                }
                Ok(c) => {
                    let st = c.final_exchange().map(|e| e.status).unwrap_or(0);
                    caps.push(c);
                    findings.push(tag(
                        Finding::new(
                            Code::SourceUnreachable,
                            format!("{why}, and the archive copy {a} answered HTTP {st}"),
                        ),
                        &job.url,
                    ));
                }
                Err(f) => findings.push(tag(
                    Finding::new(
                        Code::SourceUnreachable,
                        format!("{why}, and the archive copy failed: {}", f.message),
                    ),
                    &job.url,
                )),
            }
        }
        if !rescued {
            if let Some(tg) = &timegate {
                let mut extra = vec![];
                if let Some(d) = accept_datetime(job.accessed.as_deref()) {
                    extra.push(("Accept-Datetime".to_string(), d));
                }
                match fetcher
                    .fetch(&format!("{tg}{}", job.url), CopyKind::Timegate, &extra)
                    .await
                {
                    Ok(mut c) if c.final_exchange().is_some_and(|e| !dead(e.status)) => {
                        let memento = c
                            .final_exchange()
                            .map(|e| e.url.clone())
                            .unwrap_or_default();
                        c.note = Some(format!("{why}; memento {memento} from the TimeGate used"));
                        caps.push(c);
                        copy = Some(CopyKind::Timegate);
                        findings.retain(|f| f.code != Code::SourceUnreachable);
                        findings.push(tag(
                            Finding::new(
                                Code::SourceArchived,
                                format!("{why}; checked the TimeGate's memento {memento} instead"),
                            ),
                            &job.url,
                        ));
                    }
                    _ => {
                        if job.archive_url.is_none() {
                            findings.push(tag(
                                Finding::new(
                                    Code::SourceUnreachable,
                                    format!("{why}, and the TimeGate had no memento"),
                                ),
                                &job.url,
                            ));
                        }
                    }
                }
            } else if job.archive_url.is_none()
                && !findings
                    .iter()
                    .any(|f| matches!(f.code, Code::SourceUnreachable | Code::SourceBlocked))
            {
                findings.push(tag(
                    Finding::new(
                        Code::SourceUnreachable,
                        format!("{why}; no archive_url to fall back on"),
                    ),
                    &job.url,
                ));
            }
        }
    }
    (job, caps, findings, copy)
}

/// Capture every job; `progress` is told of each finished URL (done, total, url, ok).
pub async fn capture_all(
    store: &mut Store,
    fetcher: Arc<Fetcher>,
    jobs: Vec<Job>,
    refresh: bool,
    timegate: Option<String>,
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
        let (f, tg, enc) = (fetcher.clone(), timegate.clone(), encoders.clone());
        set.spawn(async move {
            let (job, caps, findings, copy) = run_job(f, job, cond, tg).await;
            // gzip and hash: a small capture right here on the runtime's worker (about 0.2 ms
            // for 20 KB; a hand-off to another thread costs more than that), a large one on the
            // blocking pool so it cannot stall other downloads
            let size: usize = caps
                .iter()
                .flat_map(|c| &c.hops)
                .map(|h| h.body.len())
                .sum();
            let prepared: Vec<Prepared> = if size <= INLINE_ENCODE {
                caps.iter().map(|c| prepare(c, level)).collect()
            } else {
                let permit = enc.acquire_owned().await;
                tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    caps.iter().map(|c| prepare(c, level)).collect()
                })
                .await
                .unwrap_or_default()
            };
            (job, prepared, findings, copy)
        });
    }
    let mut results = Vec::new();
    let mut since_commit = 0;
    let mut last_commit = Instant::now();
    let mut done = 0;
    while let Some(joined) = set.join_next().await {
        let Ok((job, caps, findings, copy)) = joined else {
            continue;
        };
        for c in caps {
            store.add_prepared(c)?;
            since_commit += 1;
        }
        done += 1;
        progress(done, total, &job.url, copy.is_some());
        results.push(JobResult {
            url: job.url,
            ids: job.ids,
            copy,
            findings,
        });
        if since_commit >= COMMIT_EVERY || last_commit.elapsed() > Duration::from_secs(COMMIT_SECS)
        {
            store.commit()?;
            since_commit = 0;
            last_commit = Instant::now();
        }
    }
    store.commit()?;
    results.sort_by(|a, b| a.url.cmp(&b.url));
    Ok(results)
}
