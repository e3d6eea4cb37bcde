//! Archives that travel: `export --wacz`, `merge`, `index`, and opening the `--archive` paths
//! of `check`.

use super::commands::{article_paths, load_config};
use super::{diag, emit, Kind};
use crate::article;
use crate::snapshot::choice::{decide, Cited};
use crate::snapshot::foreign::ForeignArchive;
use crate::snapshot::set::CaptureSet;
use crate::snapshot::wacz::Page;
use crate::snapshot::Store;
use crate::sources;
use anyhow::{bail, Context};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Open every `--archive` path, saying on standard error what each is and what was skipped.
pub(crate) fn open_all(paths: &[PathBuf]) -> anyhow::Result<Vec<ForeignArchive>> {
    let mut out = Vec::new();
    for p in paths {
        let started = Instant::now();
        let a = ForeignArchive::open(p)?;
        let how = if a.scanned.is_empty() {
            format!("index {}", a.indexes_read.join(", "))
        } else if a.indexes_read.is_empty() {
            "no index: built one by reading the files".to_string()
        } else {
            format!(
                "index {}, and {} file(s) no index covers read",
                a.indexes_read.join(", "),
                a.scanned.len()
            )
        };
        diag(&format!(
            "ibid: archive {} ({}): {} WARC file(s), {} capture(s); {how} ({:.2} s)",
            p.display(),
            a.layout.as_str(),
            a.file_count(),
            a.entries().len(),
            started.elapsed().as_secs_f64()
        ));
        for problem in &a.problems {
            diag(&format!(
                "ibid: warning: {}",
                crate::text::one_line(problem)
            ));
        }
        out.push(a);
    }
    Ok(out)
}

/// A page per cited source (at the capture that is checked), titled as the reference titles
/// it, else as the page does; every good capture's URL when there is no project file.
fn pages(config: &Path, store: &Store) -> anyhow::Result<Vec<Page>> {
    let mut pages: BTreeMap<(String, String), Page> = BTreeMap::new();
    let title_of = |e: &crate::snapshot::cdxj::Entry| {
        let s = store.load(e).ok()?;
        crate::extract::extract(&s.payload, &s.headers, &s.url)
            .ok()?
            .title
    };
    let iso = |ts: &str| {
        crate::time::Timestamp::parse_digits(ts)
            .map(|t| t.iso())
            .unwrap_or_default()
    };
    if config.exists() {
        let cfg = load_config(config, true)?;
        for p in article_paths(config, &cfg, &[])? {
            let a = article::read_file(&p, None)?;
            for s in sources::resolve(&a, &cfg.sources).sources.into_values() {
                let Some(url) = &s.url else { continue };
                let cited = Cited {
                    url,
                    archive_url: s.archive_url.as_deref(),
                    accessed: s.accessed.as_deref(),
                };
                let Some(chosen) = decide(store, cited, &[]).chosen else {
                    continue;
                };
                let e = chosen.entry;
                let key = (e.url.clone(), e.timestamp.clone());
                if pages.contains_key(&key) {
                    continue;
                }
                pages.insert(
                    key,
                    Page {
                        id: s.id.clone(),
                        url: e.url.clone(),
                        ts: iso(&e.timestamp),
                        title: s.title.clone().or_else(|| title_of(e)),
                    },
                );
            }
        }
        return Ok(pages.into_values().collect());
    }
    let mut latest: BTreeMap<&str, &crate::snapshot::cdxj::Entry> = BTreeMap::new();
    for e in store.entries() {
        if crate::snapshot::choice::usable(e.status_code()) {
            latest.insert(&e.url, e);
        }
    }
    Ok(latest
        .into_values()
        .enumerate()
        .map(|(i, e)| Page {
            id: format!("page-{}", i + 1),
            url: e.url.clone(),
            ts: iso(&e.timestamp),
            title: title_of(e),
        })
        .collect())
}

pub fn export(config: &Path, store_root: &Path, out: &Path) -> anyhow::Result<i32> {
    let store = Store::open_read(store_root)
        .with_context(|| format!("opening the snapshot store {}", store_root.display()))?;
    if store.entries().is_empty() {
        bail!(
            "{}: the store holds no captures; nothing to export",
            store_root.display()
        );
    }
    let pages = pages(config, &store)?;
    let started = Instant::now();
    let done = crate::snapshot::wacz::export(&store, &pages, out)?;
    diag(&format!(
        "ibid: wrote {} ({} bytes): {} WARC file(s), {} index lines, {} page(s), in {:.2} s",
        out.display(),
        done.bytes,
        done.warcs,
        done.index_lines,
        done.pages,
        started.elapsed().as_secs_f64()
    ));
    Ok(0)
}

pub fn merge(store_root: &Path, sources: &[PathBuf]) -> anyhow::Result<i32> {
    let started = Instant::now();
    let mut store = super::commands::open_for_writing(store_root)?;
    let srcs: Vec<&Path> = sources.iter().map(PathBuf::as_path).collect();
    let m = crate::snapshot::merge::merge(&mut store, &srcs)?;
    diag(&format!(
        "ibid: merged {} store(s) into {} in {:.2} s: {} WARC file(s) copied, {} copied with {} response(s) made revisits of payloads already held, {} already held; the index has {} entries",
        sources.len(),
        store_root.display(),
        started.elapsed().as_secs_f64(),
        m.copied,
        m.rewritten,
        m.revisits,
        m.already,
        m.entries
    ));
    Ok(0)
}

pub fn index(paths: &[PathBuf], verify: bool) -> anyhow::Result<i32> {
    let started = Instant::now();
    let archives = open_all(paths)?;
    let mut out = String::new();
    for a in &archives {
        out.push_str(&crate::snapshot::cdxj::lines(a.entries()));
    }
    emit(None, &out, Kind::Lines)?;
    if !verify {
        return Ok(0);
    }
    // what could not be read (a truncated file, a bad index line, a skipped file) is damage too:
    // it was reported when the archive was opened
    let mut bad: usize = archives.iter().map(|a| a.problems.len()).sum();
    let mut checked = 0usize;
    for a in &archives {
        let problems: Vec<String> = a
            .entries()
            .par_iter()
            .filter_map(|e| a.load(e).err().map(|err| err.to_string()))
            .collect();
        checked += a.entries().len();
        bad += problems.len();
        for p in problems {
            diag(&format!("BAD {}", crate::text::one_line(&p)));
        }
    }
    diag(&format!(
        "ibid: {checked} capture(s) loaded and their digests checked in {:.2} s; {}",
        started.elapsed().as_secs_f64(),
        if bad == 0 {
            "all match".to_string()
        } else {
            format!("{bad} problem(s)")
        }
    ));
    Ok(i32::from(bad > 0))
}
