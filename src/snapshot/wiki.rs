//! A wiki page's revision as a capture: the Action API's answer is fetched (one request at a
//! time, with `maxlag`, waiting out replication lag as the wiki asks) and stored in the
//! snapshot store like any capture, so `check --offline` reads exactly the revision that was
//! checked. A redirect page is followed once, and the report says so.

use super::{Store, StoreError};
use crate::article::wiki::{
    read_answer, redirect_target, Revision, WikiError, WikiPage, WikiRevision,
};
use crate::fetch::{header, CopyKind, Fetcher};
use crate::findings::{Code, Finding};
use std::time::Duration;

/// Answers of replication lag waited out before giving up.
const MAXLAG_TRIES: u32 = 4;
/// The longest wait a wiki's Retry-After may ask for between two tries.
const MAXLAG_WAIT_CAP: Duration = Duration::from_secs(60);

/// A wiki page read: its revision, what the report says about it, and findings (a redirect).
#[derive(Debug, Clone)]
pub struct PageRead {
    /// The revision checked (after a redirect, the target page's).
    pub revision: Revision,
    /// What the report says about it: title, revision id and links to exactly that revision.
    pub info: WikiRevision,
    /// A wiki-redirect note when the page given was a redirect; empty otherwise.
    pub findings: Vec<Finding>,
}

/// Why a wiki page's revision could not be read, fetched or found in the store.
#[derive(Debug, thiserror::Error)]
pub enum RevisionError {
    /// The API's answer holds no readable revision (missing page, lag, an API error, not wikitext).
    #[error(transparent)]
    Wiki(#[from] WikiError),
    /// The API request failed (DNS, refused, timeout, blocked address).
    #[error("{page}: cannot reach the wiki's API: {message}")]
    Unreachable {
        /// The page URL as given.
        page: String,
        /// Why the request failed.
        message: String,
    },
    /// The API answered with a status other than 200.
    #[error("{page}: the wiki's API answered HTTP {status} to {url}")]
    Status {
        /// The page URL as given.
        page: String,
        /// The HTTP status of the final answer.
        status: u16,
        /// The API URL that answered.
        url: String,
    },
    /// The page redirects to a page that redirects again; ibid follows one redirect only.
    #[error("{page}: {from:?} redirects to {to:?}, which is a redirect too; ibid follows one redirect (fix the double redirect, or give the final page)")]
    DoubleRedirect {
        /// The page URL as given.
        page: String,
        /// The redirect target's title.
        from: String,
        /// Where that target redirects in turn.
        to: String,
    },
    /// `--offline` and the store holds no answer to this page's API question.
    #[error("{page}: the snapshot store holds no answer for this page; run without --offline to fetch it")]
    NotStored {
        /// The page URL as given.
        page: String,
    },
    /// Storing the answer failed, or reading it back did.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The newest stored answer (HTTP 200) to exactly this question, read. Titles differ by case
/// where an index key does not, so the URL is compared whole. Captures carry whole seconds:
/// of answers stored within the newest second, the one with the highest revision id (the
/// later edit) wins.
fn stored_answer(
    store: &Store,
    page: &WikiPage,
    url: &str,
) -> Result<Option<Result<Revision, WikiError>>, StoreError> {
    let answers: Vec<_> = store
        .history(url)
        .into_iter()
        .filter(|e| e.url == url && e.status == "200")
        .collect();
    let Some(newest) = answers.last().map(|e| e.timestamp.clone()) else {
        return Ok(None);
    };
    let mut best: Option<Result<Revision, WikiError>> = None;
    for e in answers.into_iter().filter(|e| e.timestamp == newest) {
        let read = read_answer(&page.url, &store.load(e)?.payload);
        let later = match (&best, &read) {
            (None, _) => true,
            (Some(Ok(b)), Ok(r)) => r.revid > b.revid,
            (Some(Err(_)), Ok(_)) => true,
            _ => false,
        };
        if later {
            best = Some(read);
        }
    }
    Ok(best)
}

/// A stored answer of the same wiki that holds revision `revid`, whatever question it answered
/// (the current revision of a title, asked before the revision had an id to pin).
fn stored_revision(
    store: &Store,
    page: &WikiPage,
    revid: u64,
) -> Result<Option<Revision>, StoreError> {
    let prefix = format!("{}?", page.api);
    for e in store
        .entries()
        .iter()
        .filter(|e| e.url.starts_with(&prefix) && e.status == "200")
    {
        let body = store.load(e)?.payload;
        if let Ok(rev) = read_answer(&page.url, &body) {
            if rev.revid == revid {
                return Ok(Some(rev));
            }
        }
    }
    Ok(None)
}

/// Headers of an API request: the User-Agent the wiki's policy asks for, JSON, and no
/// content-encoding (the answer is stored as received and read back without decoding).
fn api_headers(user_agent: &str) -> Vec<(String, String)> {
    vec![
        ("User-Agent".into(), user_agent.to_string()),
        ("Accept".into(), "application/json".into()),
        ("Accept-Encoding".into(), "identity".into()),
    ]
}

/// How long the wiki asks to wait (Retry-After, in seconds), 5 s when it does not say.
fn lag_wait(headers: &[(String, String)]) -> Duration {
    header(headers, "retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(5))
        .min(MAXLAG_WAIT_CAP)
}

/// Ask the API one question; store the answer unless it was replication lag, which is waited
/// out and asked again. `reuse`: a stored answer stands (a fixed revision never changes).
async fn ask(
    store: &mut Store,
    fetcher: &Fetcher,
    page: &WikiPage,
    url: &str,
    user_agent: &str,
    reuse: bool,
) -> Result<Revision, RevisionError> {
    if reuse {
        if let Some(answer) = stored_answer(store, page, url)? {
            return Ok(answer?);
        }
        if let Some(rev) = page
            .oldid
            .map(|id| stored_revision(store, page, id))
            .transpose()?
            .flatten()
        {
            return Ok(rev);
        }
    }
    let headers = api_headers(user_agent);
    let mut tries = 0;
    loop {
        tries += 1;
        let cap = fetcher
            .fetch(url, CopyKind::Live, &headers)
            .await
            .map_err(|f| RevisionError::Unreachable {
                page: page.url.clone(),
                message: f.message,
            })?;
        let Some(ex) = cap.final_exchange() else {
            return Err(RevisionError::Unreachable {
                page: page.url.clone(),
                message: "no answer".into(),
            });
        };
        if ex.status != 200 {
            return Err(RevisionError::Status {
                page: page.url.clone(),
                status: ex.status,
                url: ex.url.clone(),
            });
        }
        if let Some(enc) = header(&ex.response_headers, "content-encoding")
            .filter(|e| !e.trim().eq_ignore_ascii_case("identity"))
        {
            return Err(WikiError::Malformed {
                page: page.url.clone(),
                message: format!("the answer is {enc}-encoded although identity was asked for"),
            }
            .into());
        }
        let answer = read_answer(&page.url, &ex.body);
        match answer {
            Err(e) if e.is_maxlag() && tries < MAXLAG_TRIES => {
                tokio::time::sleep(lag_wait(&ex.response_headers)).await;
            }
            Err(e) if e.is_maxlag() => return Err(e.into()),
            answer => {
                store.add(&cap)?;
                store.commit()?;
                return Ok(answer?);
            }
        }
    }
}

/// What was read for `page`: the first answer, or the page a redirect leads to.
fn conclude(
    page: &WikiPage,
    first_url: &str,
    first: Revision,
    followed: Option<(String, Revision)>,
) -> Result<PageRead, RevisionError> {
    let Some((url, target)) = followed else {
        return Ok(PageRead {
            info: page.describe(&first, first_url, None),
            revision: first,
            findings: vec![],
        });
    };
    if let Some(again) = redirect_target(&target.content) {
        return Err(RevisionError::DoubleRedirect {
            page: page.url.clone(),
            from: target.title,
            to: again,
        });
    }
    let note = Finding::new(
        Code::WikiRedirect,
        format!(
            "{:?} is a redirect to {:?} (revision {} of {}); checked {:?}, revision {} of {}",
            first.title,
            target.title,
            first.revid,
            first.timestamp,
            target.title,
            target.revid,
            target.timestamp
        ),
    );
    Ok(PageRead {
        info: page.describe(&target, &url, Some(first.title.clone())),
        revision: target,
        findings: vec![note],
    })
}

/// Fetch (and store) the revision `page` names, following one redirect. A revision given by
/// id is asked for only when the store does not hold it yet; a title always gets its current
/// revision.
pub async fn capture(
    store: &mut Store,
    fetcher: &Fetcher,
    page: &WikiPage,
    user_agent: &str,
) -> Result<PageRead, RevisionError> {
    let url = page.query_url();
    let first = ask(store, fetcher, page, &url, user_agent, page.oldid.is_some()).await?;
    let followed = match redirect_target(&first.content) {
        Some(target) => {
            let u = page.query_for_title(&target);
            let rev = ask(store, fetcher, page, &u, user_agent, false).await?;
            Some((u, rev))
        }
        None => None,
    };
    conclude(page, &url, first, followed)
}

/// The revision `page` names as the store holds it (`check --offline`): the newest stored
/// answer to its question, and to its redirect's.
pub fn stored(store: &Store, page: &WikiPage) -> Result<PageRead, RevisionError> {
    let read = |url: &str| -> Result<Revision, RevisionError> {
        let answer = stored_answer(store, page, url)?.ok_or_else(|| RevisionError::NotStored {
            page: page.url.clone(),
        })?;
        Ok(answer?)
    };
    let url = page.query_url();
    // a pinned revision may have been stored as the answer to its title's question
    let pinned = match page.oldid {
        Some(id) if stored_answer(store, page, &url)?.is_none() => {
            stored_revision(store, page, id)?
        }
        _ => None,
    };
    let first = match pinned {
        Some(rev) => rev,
        None => read(&url)?,
    };
    let followed = match redirect_target(&first.content) {
        Some(target) => {
            let u = page.query_for_title(&target);
            let rev = read(&u)?;
            Some((u, rev))
        }
        None => None,
    };
    conclude(page, &url, first, followed)
}
