//! Articles as the commands get them: files read from disk, and wiki page URLs whose revision
//! is fetched through the wiki's API (one request at a time, stored in the snapshot store) or,
//! offline, read back from the store.

use super::commands::{load_store, runtime, settings};
use super::{diag, NetArgs};
use crate::article::wiki::{self, WikiPage, WikiRevision};
use crate::article::{self, Article, Format};
use crate::config::Config;
use crate::findings::Finding;
use crate::snapshot::wiki::{capture, stored, PageRead};
use crate::snapshot::Store;
use anyhow::{anyhow, Context};
use std::path::Path;

/// An article ready to check: what was read, its text, and for a wiki page the revision.
pub(crate) struct Loaded {
    pub article: Article,
    pub text: String,
    pub wiki: Option<WikiRevision>,
    /// About how the article was obtained (a redirect followed).
    pub findings: Vec<Finding>,
}

/// Read every article: files from disk, wiki pages from their API (or from the store when
/// `offline`). Wiki pages are fetched one after another, never two requests at once.
pub(crate) fn load_articles(
    paths: &[String],
    forced: Option<Format>,
    cfg: &Config,
    net: &NetArgs,
    store_root: &Path,
    offline: bool,
) -> anyhow::Result<Vec<Loaded>> {
    let wiki_settings = net.wiki_settings(&cfg.wiki);
    let mut pages = Vec::new();
    for p in paths.iter().filter(|p| wiki::is_url(p)) {
        let page = wiki::page(p, wiki_settings.api.as_deref()).ok_or_else(|| {
            anyhow!(
                "{p}: not a wiki page URL (SCHEME://HOST/wiki/TITLE, or .../index.php?title=TITLE \
                 with &oldid=N for one revision); save the article to a file and give its path"
            )
        })?;
        pages.push(page);
    }
    let mut reads = if pages.is_empty() {
        Vec::new()
    } else if offline {
        let store = Store::open_read(store_root)
            .with_context(|| format!("opening the snapshot store {}", store_root.display()))?;
        pages
            .iter()
            .map(|p| stored(&store, p).map_err(anyhow::Error::from))
            .collect::<anyhow::Result<Vec<_>>>()?
    } else {
        fetch_pages(
            &pages,
            cfg,
            net,
            store_root,
            wiki_settings.contact.as_deref(),
        )?
    }
    .into_iter();
    paths
        .iter()
        .map(|p| {
            if wiki::is_url(p) {
                let read = reads.next().expect("one read per wiki page");
                Ok(from_wiki(p, read))
            } else {
                let (article, text) = article::read_file_with_text(p, forced)?;
                Ok(Loaded {
                    article,
                    text,
                    wiki: None,
                    findings: vec![],
                })
            }
        })
        .collect()
}

fn from_wiki(given: &str, read: PageRead) -> Loaded {
    let PageRead {
        revision,
        info,
        findings,
    } = read;
    let article = article::read_str(given, &revision.content, Some(Format::Wikitext));
    Loaded {
        article,
        text: revision.content,
        wiki: Some(info),
        findings,
    }
}

/// Fetch each page's revision into the store, one request at a time.
fn fetch_pages(
    pages: &[WikiPage],
    cfg: &Config,
    net: &NetArgs,
    store_root: &Path,
    contact: Option<&str>,
) -> anyhow::Result<Vec<PageRead>> {
    let fetch_settings = settings(cfg, net)?;
    if contact.is_none() && fetch_settings.user_agent.is_none() {
        diag(
            "ibid: note: set `contact` under [wiki] in sources.toml (or --contact) to an e-mail \
             address or user page: Wikimedia's User-Agent policy asks clients for one",
        );
    }
    let user_agent = crate::fetch::wiki_user_agent(&fetch_settings, contact);
    let fetcher = crate::fetch::Fetcher::new(&fetch_settings)?;
    let mut store = load_store(store_root, net.store_settings(cfg.store))?;
    let rt = runtime()?;
    pages
        .iter()
        .map(|p| {
            rt.block_on(capture(&mut store, &fetcher, p, &user_agent))
                .map_err(anyhow::Error::from)
        })
        .collect()
}
