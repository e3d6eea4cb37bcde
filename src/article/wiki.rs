//! An article given as a wiki page URL: which page and revision it names, the MediaWiki Action
//! API question that returns its wikitext, and the API's answer read into a revision (or into
//! the reason there is none: a missing page, a deleted revision, an API error, replication lag).
//!
//! Reading only: no network here. Fetching the answer and storing it is `snapshot::wiki`; the
//! wikitext itself is read by the wikitext reader like any wikitext file.

use serde::Serialize;

/// The `maxlag` every API request carries: 5 seconds is what Wikimedia asks non-interactive
/// clients to send. Fixed rather than a setting so that the stored answer of a question is
/// found again by its URL (`check --offline`).
pub const MAXLAG: u32 = 5;

/// A wiki page named by URL: `SCHEME://HOST/wiki/TITLE`, `.../w/index.php?title=T&oldid=N`,
/// or either with `?oldid=N` for one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WikiPage {
    /// The URL as given.
    pub url: String,
    /// The Action API endpoint: `SCHEME://HOST/w/api.php` unless `[wiki] api` says otherwise.
    pub api: String,
    /// The page title as the URL spells it (percent-decoded, `_` as space); `None` when only
    /// a revision id is given.
    pub title: Option<String>,
    /// One revision, from `oldid=N`; `None` for the page's current revision.
    pub oldid: Option<u64>,
}

/// The revision a question was answered with.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// The page title as the wiki normalised it.
    pub title: String,
    /// The wiki's page id; absent from some answers.
    pub pageid: Option<u64>,
    /// The revision id: `oldid=` of exactly this text.
    pub revid: u64,
    /// When the revision was saved, as the API gives it (`2024-05-01T10:00:00Z`).
    pub timestamp: String,
    /// The wikitext of the revision's main slot.
    pub content: String,
}

/// What a report says about the revision it checked: enough to open exactly that revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WikiRevision {
    /// The page URL as given.
    pub page: String,
    /// The title of the page read, as the wiki normalised it (after a redirect, the target's).
    pub title: String,
    /// The revision id checked.
    pub revid: u64,
    /// When that revision was saved, as the API gives it (`2024-05-01T10:00:00Z`).
    pub timestamp: String,
    /// `index.php?title=...&oldid=N`: this revision, whatever was saved since.
    pub revision_url: String,
    /// `index.php?title=...&action=edit&oldid=N`: where an editor pastes the rescue patch.
    pub edit_url: String,
    /// The API question whose stored answer holds the wikitext.
    pub api_url: String,
    /// The title given, when it was a redirect to `title` (followed once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirected_from: Option<String>,
}

/// Why a question has no revision to check.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WikiError {
    /// The wiki has no page of that title.
    #[error("{page}: the wiki has no page {title:?}")]
    Missing {
        /// The page as messages name it (its URL as given).
        page: String,
        /// The title as the wiki reported it.
        title: String,
    },
    /// The title is not one the wiki accepts (the API's `invalidreason`).
    #[error("{page}: {title:?} is not a valid page title ({reason})")]
    Invalid {
        /// The page as messages name it (its URL as given).
        page: String,
        /// The title as the wiki reported it.
        title: String,
        /// Why the wiki refuses it.
        reason: String,
    },
    /// The `oldid` does not exist, or was deleted with its page.
    #[error("{page}: revision {revid} does not exist or was deleted with its page")]
    BadRevision {
        /// The page as messages name it (its URL as given).
        page: String,
        /// The revision id the wiki does not have (0 when the answer gives none).
        revid: u64,
    },
    /// The revision exists but its text was hidden by revision deletion.
    #[error("{page}: the text of revision {revid} has been deleted (revision deletion); pick another revision")]
    TextHidden {
        /// The page as messages name it (its URL as given).
        page: String,
        /// The revision whose text is hidden.
        revid: u64,
    },
    /// The wiki's replicas lag more than `MAXLAG` seconds (API error `maxlag`); try again later.
    #[error("{page}: the wiki's database replicas lag behind ({info}); try again later")]
    MaxLag {
        /// The page as messages name it (its URL as given).
        page: String,
        /// The API's explanation (which replica, how many seconds).
        info: String,
    },
    /// Any other error the API answered with.
    #[error("{page}: the wiki's API answered with error {code:?}: {info}")]
    Api {
        /// The page as messages name it (its URL as given).
        page: String,
        /// The API's error code (`error.code`).
        code: String,
        /// The API's explanation (`error.info`).
        info: String,
    },
    /// The page holds another content model (Lua, JSON, CSS ...) that ibid cannot read as wikitext.
    #[error("{page}: {title:?} is stored as {model}, not wikitext; ibid reads wikitext pages")]
    NotWikitext {
        /// The page as messages name it (its URL as given).
        page: String,
        /// The title as the wiki reported it.
        title: String,
        /// The page's content model (`contentmodel`).
        model: String,
    },
    /// The answer is not JSON of a MediaWiki Action API answer.
    #[error("{page}: the API's answer is not what a MediaWiki Action API returns: {message}")]
    Malformed {
        /// The page as messages name it (its URL as given).
        page: String,
        /// What is missing or wrong in the answer.
        message: String,
    },
}

impl WikiError {
    /// Replication lag is worth waiting for; every other answer stands.
    pub fn is_maxlag(&self) -> bool {
        matches!(self, WikiError::MaxLag { .. })
    }
}

/// `Some` when `url` names a wiki page (`/wiki/TITLE` or `/w/index.php?title=` or `?oldid=`);
/// `api` is the `[wiki] api` setting, which replaces `SCHEME://HOST/w/api.php`.
pub fn page(url: &str, api: Option<&str>) -> Option<WikiPage> {
    let u = reqwest::Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let query = |k: &str| {
        u.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.to_string())
    };
    let oldid = query("oldid").and_then(|v| v.parse::<u64>().ok());
    let path = u.path();
    let title = if let Some(t) = path.strip_prefix("/wiki/") {
        Some(percent_decode(t))
    } else if path.ends_with("/index.php") {
        query("title")
    } else {
        return None;
    };
    let title = title
        .map(|t| t.replace('_', " ").trim().to_string())
        .filter(|t| !t.is_empty());
    if title.is_none() && oldid.is_none() {
        return None;
    }
    let api = match api {
        Some(a) => a.to_string(),
        None => {
            let mut a = u.clone();
            a.set_path("/w/api.php");
            a.set_query(None);
            a.set_fragment(None);
            a.to_string()
        }
    };
    Some(WikiPage {
        url: url.trim().to_string(),
        api,
        title,
        oldid,
    })
}

/// Does this article argument look like a URL at all (rather than a file name)?
pub fn is_url(s: &str) -> bool {
    let s = s.trim_start().to_ascii_lowercase();
    s.starts_with("http://") || s.starts_with("https://")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl WikiPage {
    /// The question for this page's revision: by revision id when one is given, else the
    /// current revision of the title.
    pub fn query_url(&self) -> String {
        match (self.oldid, &self.title) {
            (Some(id), _) => query_url(&self.api, "revids", &id.to_string()),
            (None, Some(t)) => query_url(&self.api, "titles", t),
            (None, None) => query_url(&self.api, "titles", ""),
        }
    }

    /// The question for the current revision of `title` on the same wiki (a redirect's target).
    pub fn query_for_title(&self, title: &str) -> String {
        query_url(&self.api, "titles", title)
    }

    /// What the report names: the page, the revision and where it is edited.
    pub fn describe(
        &self,
        rev: &Revision,
        api_url: &str,
        redirected_from: Option<String>,
    ) -> WikiRevision {
        let index = index_url(&self.api);
        let with = |extra: &[(&str, &str)]| {
            let mut u = reqwest::Url::parse(&index).ok();
            if let Some(u) = u.as_mut() {
                let mut q = u.query_pairs_mut();
                q.append_pair("title", &rev.title.replace(' ', "_"));
                for (k, v) in extra {
                    q.append_pair(k, v);
                }
            }
            u.map(|u| u.to_string()).unwrap_or_default()
        };
        let id = rev.revid.to_string();
        WikiRevision {
            page: self.url.clone(),
            title: rev.title.clone(),
            revid: rev.revid,
            timestamp: rev.timestamp.clone(),
            revision_url: with(&[("oldid", &id)]),
            edit_url: with(&[("action", "edit"), ("oldid", &id)]),
            api_url: api_url.to_string(),
            redirected_from,
        }
    }
}

/// A page title as a file name (for the rescue patch): `Bootham_Crescent.wikitext`.
pub fn file_name(title: &str) -> String {
    let t: String = title
        .chars()
        .map(|c| match c {
            ' ' | '/' | '\\' | ':' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    format!("{t}.wikitext")
}

/// `index.php` beside the API's `api.php`.
fn index_url(api: &str) -> String {
    match api.rfind("api.php") {
        Some(p) => format!("{}index.php", &api[..p]),
        None => format!("{}/index.php", api.trim_end_matches('/')),
    }
}

/// `action=query&prop=revisions&rvprop=content|ids|timestamp&rvslots=main&formatversion=2`,
/// with `maxlag`, for one title or revision id. The parameters are always written in this
/// order, so one question always has one URL.
fn query_url(api: &str, key: &str, value: &str) -> String {
    let mut u = match reqwest::Url::parse(api) {
        Ok(u) => u,
        Err(_) => return format!("{api}?{key}={value}"),
    };
    u.query_pairs_mut()
        .append_pair("action", "query")
        .append_pair("format", "json")
        .append_pair("formatversion", "2")
        .append_pair("prop", "revisions")
        .append_pair("rvprop", "content|ids|timestamp")
        .append_pair("rvslots", "main")
        .append_pair("maxlag", &MAXLAG.to_string())
        .append_pair(key, value);
    u.to_string()
}

/// The revision in an API answer, or why there is none. `page` names the page in messages.
pub fn read_answer(page: &str, body: &[u8]) -> Result<Revision, WikiError> {
    let malformed = |message: String| WikiError::Malformed {
        page: page.to_string(),
        message,
    };
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| malformed(format!("not JSON: {e}")))?;
    if let Some(err) = v.get("error") {
        let field = |k: &str| {
            err.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .to_string()
        };
        let (code, info) = (field("code"), field("info"));
        return Err(if code == "maxlag" {
            WikiError::MaxLag {
                page: page.to_string(),
                info,
            }
        } else {
            WikiError::Api {
                page: page.to_string(),
                code,
                info,
            }
        });
    }
    let query = v
        .get("query")
        .ok_or_else(|| malformed("no \"query\" object".into()))?;
    if let Some(bad) = query.get("badrevids").and_then(first_of) {
        let revid = bad
            .get("revid")
            .and_then(|r| r.as_u64())
            .unwrap_or_default();
        return Err(WikiError::BadRevision {
            page: page.to_string(),
            revid,
        });
    }
    let p = query
        .get("pages")
        .and_then(first_of)
        .ok_or_else(|| malformed("no page in \"query.pages\"".into()))?;
    let title = p
        .get("title")
        .and_then(|t| t.as_str())
        .unwrap_or("")
        .to_string();
    let flag = |o: &serde_json::Value, k: &str| o.get(k).is_some_and(|x| *x != false);
    if flag(p, "invalid") {
        let reason = p
            .get("invalidreason")
            .and_then(|r| r.as_str())
            .unwrap_or("invalid title")
            .to_string();
        return Err(WikiError::Invalid {
            page: page.to_string(),
            title,
            reason,
        });
    }
    if flag(p, "missing") {
        return Err(WikiError::Missing {
            page: page.to_string(),
            title,
        });
    }
    let rev = p
        .get("revisions")
        .and_then(first_of)
        .ok_or_else(|| malformed(format!("page {title:?} has no revision in the answer")))?;
    let revid = rev
        .get("revid")
        .and_then(|r| r.as_u64())
        .ok_or_else(|| malformed("the revision has no \"revid\"".into()))?;
    // formatversion=2 puts the text in slots.main.content; older wikis in slots.main["*"]
    // or, without slots, in the revision's own "*"
    let slot = rev.get("slots").and_then(|s| s.get("main")).unwrap_or(rev);
    if flag(slot, "texthidden") || flag(rev, "texthidden") || flag(slot, "textmissing") {
        return Err(WikiError::TextHidden {
            page: page.to_string(),
            revid,
        });
    }
    if let Some(model) = slot.get("contentmodel").and_then(|m| m.as_str()) {
        if model != "wikitext" {
            return Err(WikiError::NotWikitext {
                page: page.to_string(),
                title,
                model: model.to_string(),
            });
        }
    }
    let content = slot
        .get("content")
        .or_else(|| slot.get("*"))
        .and_then(|c| c.as_str())
        .ok_or_else(|| malformed("the revision carries no content".into()))?
        .to_string();
    Ok(Revision {
        title,
        pageid: p.get("pageid").and_then(|x| x.as_u64()),
        revid,
        timestamp: rev
            .get("timestamp")
            .and_then(|t| t.as_str())
            .unwrap_or("")
            .to_string(),
        content,
    })
}

/// The first element of an array, or the first value of an object (formatversion=1 keys
/// pages by id).
fn first_of(v: &serde_json::Value) -> Option<&serde_json::Value> {
    match v {
        serde_json::Value::Array(a) => a.first(),
        serde_json::Value::Object(o) => o.values().next(),
        _ => None,
    }
}

/// The target of a redirect page: its text begins with a redirect magic word (`#REDIRECT`,
/// or a translation such as `#WEITERLEITUNG`, `#転送`) followed by a link. The section part
/// of the target is dropped.
pub fn redirect_target(content: &str) -> Option<String> {
    let t = content.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let rest = t.strip_prefix('#')?;
    let word_len = rest
        .find(|c: char| c.is_whitespace() || c == ':' || c == '[')
        .unwrap_or(rest.len());
    if word_len < 2 || rest[..word_len].chars().any(|c| !c.is_alphabetic()) {
        return None;
    }
    let after = rest[word_len..].trim_start_matches([':', ' ', '\t']);
    let link = after.strip_prefix("[[")?;
    let end = link.find("]]")?;
    let target = link[..end].split(['|', '#']).next()?.trim();
    let target = target.trim_start_matches(':').replace('_', " ");
    (!target.is_empty() && !target.contains('\n')).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_of_any_wiki() {
        let p = page("https://en.wikipedia.org/wiki/Bootham_Crescent", None).unwrap();
        assert_eq!(p.api, "https://en.wikipedia.org/w/api.php");
        assert_eq!(p.title.as_deref(), Some("Bootham Crescent"));
        assert_eq!(p.oldid, None);
        let p = page(
            "https://de.wikipedia.org/w/index.php?title=K%C3%B6ln&oldid=123",
            None,
        )
        .unwrap();
        assert_eq!(p.title.as_deref(), Some("Köln"));
        assert_eq!(p.oldid, Some(123));
        let p = page("http://wiki.example/wiki/Caf%C3%A9?oldid=7", None).unwrap();
        assert_eq!(p.title.as_deref(), Some("Café"));
        assert_eq!(p.oldid, Some(7));
        assert_eq!(p.api, "http://wiki.example/w/api.php");
        let p = page(
            "https://ja.wikipedia.org/wiki/X",
            Some("http://127.0.0.1:9/api.php"),
        )
        .unwrap();
        assert_eq!(p.api, "http://127.0.0.1:9/api.php");
        assert!(page("https://example.org/news/1.html", None).is_none());
        assert!(page("https://en.wikipedia.org/wiki/", None).is_none());
        assert!(page("file:///wiki/X", None).is_none());
    }

    #[test]
    fn one_question_one_url() {
        let p = page("https://en.wikipedia.org/wiki/A_b", None).unwrap();
        assert_eq!(
            p.query_url(),
            "https://en.wikipedia.org/w/api.php?action=query&format=json&formatversion=2&prop=revisions&rvprop=content%7Cids%7Ctimestamp&rvslots=main&maxlag=5&titles=A+b"
        );
        let p = page("https://en.wikipedia.org/wiki/A_b?oldid=42", None).unwrap();
        assert!(p.query_url().ends_with("&revids=42"), "{}", p.query_url());
    }

    #[test]
    fn answers_read_into_revisions_or_reasons() {
        let ok = br#"{"batchcomplete":true,"query":{"pages":[{"pageid":5,"ns":0,"title":"A b","revisions":[{"revid":99,"parentid":98,"timestamp":"2024-05-01T10:00:00Z","slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":"Text.<ref>x</ref>"}}}]}]}}"#;
        let r = read_answer("p", ok).unwrap();
        assert_eq!((r.revid, r.title.as_str()), (99, "A b"));
        assert_eq!(r.content, "Text.<ref>x</ref>");
        assert_eq!(r.timestamp, "2024-05-01T10:00:00Z");
        let missing = br#"{"query":{"pages":[{"ns":0,"title":"Nope","missing":true}]}}"#;
        assert!(matches!(
            read_answer("p", missing),
            Err(WikiError::Missing { .. })
        ));
        let bad = br#"{"query":{"badrevids":{"7":{"revid":7,"missing":true}}}}"#;
        assert!(matches!(
            read_answer("p", bad),
            Err(WikiError::BadRevision { revid: 7, .. })
        ));
        let hidden = br#"{"query":{"pages":[{"pageid":5,"title":"A","revisions":[{"revid":8,"timestamp":"2024-01-01T00:00:00Z","slots":{"main":{"texthidden":true}}}]}]}}"#;
        assert!(matches!(
            read_answer("p", hidden),
            Err(WikiError::TextHidden { revid: 8, .. })
        ));
        let lag =
            br#"{"error":{"code":"maxlag","info":"Waiting for db1: 7 seconds lagged","lag":7}}"#;
        assert!(read_answer("p", lag).unwrap_err().is_maxlag());
        let api =
            br#"{"error":{"code":"badvalue","info":"Unrecognized value for parameter \"prop\""}}"#;
        let e = read_answer("https://w.example/wiki/A", api)
            .unwrap_err()
            .to_string();
        assert!(e.contains("badvalue") && e.contains("Unrecognized"), "{e}");
        let v1 = br#"{"query":{"pages":{"5":{"pageid":5,"title":"A","revisions":[{"revid":3,"timestamp":"t","*":"old wiki"}]}}}}"#;
        assert_eq!(read_answer("p", v1).unwrap().content, "old wiki");
        assert!(matches!(
            read_answer("p", b"<html>"),
            Err(WikiError::Malformed { .. })
        ));
        let lua = br#"{"query":{"pages":[{"title":"Module:X","revisions":[{"revid":1,"slots":{"main":{"contentmodel":"Scribunto","content":"return {}"}}}]}]}}"#;
        assert!(matches!(
            read_answer("p", lua),
            Err(WikiError::NotWikitext { .. })
        ));
    }

    #[test]
    fn redirect_pages_in_any_language() {
        assert_eq!(
            redirect_target("#REDIRECT [[Bootham Crescent#History]]"),
            Some("Bootham Crescent".into())
        );
        assert_eq!(
            redirect_target("#WEITERLEITUNG[[Köln]]\n{{R from move}}"),
            Some("Köln".into())
        );
        assert_eq!(
            redirect_target("#転送 [[安倍晋三]]"),
            Some("安倍晋三".into())
        );
        assert_eq!(redirect_target("#redirect: [[A_b|x]]"), Some("A b".into()));
        assert_eq!(redirect_target("# [[List item]] is prose"), None);
        assert_eq!(redirect_target("Text with #REDIRECT [[X]]"), None);
    }

    #[test]
    fn revision_links() {
        let p = page("https://en.wikipedia.org/wiki/A_b", None).unwrap();
        let r = Revision {
            title: "A b".into(),
            pageid: Some(1),
            revid: 42,
            timestamp: "2024-05-01T10:00:00Z".into(),
            content: String::new(),
        };
        let w = p.describe(&r, &p.query_url(), None);
        assert_eq!(
            w.revision_url,
            "https://en.wikipedia.org/w/index.php?title=A_b&oldid=42"
        );
        assert_eq!(
            w.edit_url,
            "https://en.wikipedia.org/w/index.php?title=A_b&action=edit&oldid=42"
        );
        assert_eq!(file_name("A b/c"), "A_b_c.wikitext");
    }
}
