//! A fake MediaWiki Action API for tests and benchmarks: pages with revisions, answered in the
//! `formatversion=2` shape for exactly the question ibid asks (any other parameters are an API
//! error, so a test fails when ibid stops asking what it documents). It can answer that a page
//! is missing, that a revision's text was deleted, with an API error, or with replication lag.
#![allow(dead_code)]

use super::server::{Request, Route};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
struct Rev {
    revid: u64,
    timestamp: String,
    content: String,
    hidden: bool,
}

#[derive(Default)]
struct State {
    pages: BTreeMap<String, Vec<Rev>>,
    next: u64,
    /// Answers of replication lag still to give before a real answer.
    lag: usize,
    /// Title -> (code, info) of an API error to answer with.
    errors: HashMap<String, (String, String)>,
    /// User-Agent of every request.
    agents: Vec<String>,
}

#[derive(Clone, Default)]
pub struct FakeWiki {
    state: Arc<Mutex<State>>,
}

/// A title as MediaWiki stores it: spaces for underscores, first letter upper case.
fn normal(title: &str) -> String {
    let t = title.replace('_', " ").trim().to_string();
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => t,
    }
}

/// A query value as sent (`+` for space, `%XX` escapes) decoded.
pub fn decode(s: &str) -> String {
    let s = s.replace('+', " ");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn json_route(v: serde_json::Value) -> Route {
    Route::ok(
        "application/json; charset=utf-8",
        serde_json::to_vec(&v).unwrap(),
    )
}

impl FakeWiki {
    pub fn new() -> FakeWiki {
        let w = FakeWiki::default();
        w.state.lock().unwrap().next = 1000;
        w
    }

    /// Save a new revision of `title`; returns its id.
    pub fn edit(&self, title: &str, content: &str) -> u64 {
        let mut st = self.state.lock().unwrap();
        st.next += 1;
        let revid = st.next;
        let timestamp = format!("2024-05-{:02}T10:{:02}:00Z", 1 + revid % 28, revid % 60);
        st.pages.entry(normal(title)).or_default().push(Rev {
            revid,
            timestamp,
            content: content.to_string(),
            hidden: false,
        });
        revid
    }

    /// Delete the text of one revision (revision deletion).
    pub fn hide(&self, revid: u64) {
        let mut st = self.state.lock().unwrap();
        for revs in st.pages.values_mut() {
            for r in revs.iter_mut().filter(|r| r.revid == revid) {
                r.hidden = true;
            }
        }
    }

    /// Answer the next `n` questions with replication lag.
    pub fn lag(&self, n: usize) {
        self.state.lock().unwrap().lag = n;
    }

    /// Answer questions about `title` with an API error.
    pub fn error_for(&self, title: &str, code: &str, info: &str) {
        self.state
            .lock()
            .unwrap()
            .errors
            .insert(normal(title), (code.into(), info.into()));
    }

    /// The User-Agent of every request so far.
    pub fn agents(&self) -> Vec<String> {
        self.state.lock().unwrap().agents.clone()
    }

    /// The route that answers `/w/api.php?...`.
    pub fn route(&self) -> Route {
        let me = self.clone();
        Route::handler(move |req| me.answer(req))
    }

    fn answer(&self, req: &Request) -> Route {
        let mut st = self.state.lock().unwrap();
        let agent = req
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        st.agents.push(agent);
        let query = req.path.split_once('?').map(|x| x.1).unwrap_or("");
        let q: HashMap<String, String> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (decode(k), decode(v)))
            .collect();
        let want = [
            ("action", "query"),
            ("format", "json"),
            ("formatversion", "2"),
            ("prop", "revisions"),
            ("rvprop", "content|ids|timestamp"),
            ("rvslots", "main"),
            ("maxlag", "5"),
        ];
        for (k, v) in want {
            if q.get(k).map(String::as_str) != Some(v) {
                return json_route(
                    json!({"error": {"code": "badparams", "info": format!("expected {k}={v}")}}),
                );
            }
        }
        if st.lag > 0 {
            st.lag -= 1;
            return json_route(json!({"error": {"code": "maxlag", "info": "Waiting for db1: 7 seconds lagged", "host": "db1", "lag": 7}}))
                .with_header("Retry-After", "0")
                .with_header("X-Database-Lag", "7")
                .with_header("MediaWiki-API-Error", "maxlag");
        }
        let page_json = |title: &str, revs: &[Rev], pick: Option<u64>| {
            let rev = match pick {
                Some(id) => revs.iter().find(|r| r.revid == id),
                None => revs.last(),
            };
            let Some(r) = rev else {
                return json!({"ns": 0, "title": title, "missing": true});
            };
            let slot = if r.hidden {
                json!({"texthidden": true})
            } else {
                json!({"contentmodel": "wikitext", "contentformat": "text/x-wiki", "content": r.content})
            };
            json!({"pageid": 7, "ns": 0, "title": title, "revisions": [{"revid": r.revid, "parentid": r.revid - 1, "timestamp": r.timestamp, "slots": {"main": slot}}]})
        };
        if let Some(ids) = q.get("revids") {
            let id: u64 = ids.parse().unwrap_or(0);
            let found = st
                .pages
                .iter()
                .find(|(_, revs)| revs.iter().any(|r| r.revid == id));
            return match found {
                Some((title, revs)) => json_route(
                    json!({"batchcomplete": true, "query": {"pages": [page_json(title, revs, Some(id))]}}),
                ),
                None => json_route(
                    json!({"batchcomplete": true, "query": {"badrevids": {ids.as_str(): {"revid": id, "missing": true}}}}),
                ),
            };
        }
        let Some(title) = q.get("titles").map(|t| normal(t)) else {
            return json_route(
                json!({"error": {"code": "missingparam", "info": "titles or revids"}}),
            );
        };
        if let Some((code, info)) = st.errors.get(&title) {
            return json_route(json!({"error": {"code": code, "info": info}}));
        }
        let page = match st.pages.get(&title) {
            Some(revs) => page_json(&title, revs, None),
            None => json!({"ns": 0, "title": title, "missing": true}),
        };
        json_route(json!({"batchcomplete": true, "query": {"pages": [page]}}))
    }
}
