//! `ibid merge STORE...`: other ibid stores (the shards of `fetch --shard K/N`, a colleague's
//! captures) joined into this one.
//!
//! A source store is refused before anything is written when `verify` would refuse its layout
//! (a manifest path with `..` or outside its folders, a linked `archive/`). Each WARC file
//! listed in a source store's manifest is checked against that manifest's SHA-256 and each of
//! its records against its own digests, then copied in under the store's lock (written under a temporary name, synced,
//! renamed). A file this store already holds (same SHA-256: every shard of a CI matrix starts
//! from the same committed snapshots) is skipped. A file whose responses carry a payload this
//! store already holds is copied record by record, each gzip member as it is, except that
//! those responses become `revisit` records naming the capture that holds the payload: every
//! payload is kept once. A file whose captures the store already holds (merged before, even if
//! rewritten then) is skipped, so merging the same stores twice changes nothing. Then the
//! index (sorted) and the manifest are replaced as when the store adopts an interrupted run's
//! files, with the entries already read (no file is read twice). A merge killed part way
//! leaves copied files that the next writer adopts.

use super::cdxj::Entry;
use super::integrity::digest_problems;
use super::warc::{self, NewRecord};
use super::{
    index_records, index_warc, io, no_symlink, paths, read_file, Resource, Store, StoreError,
    ARCHIVE_DIR, MANIFEST,
};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What a merge did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Merged {
    /// WARC files copied as they were.
    pub copied: usize,
    /// WARC files copied with some responses turned into revisits.
    pub rewritten: usize,
    /// Responses turned into revisits (their payload was already held).
    pub revisits: usize,
    /// WARC files skipped because this store already held them.
    pub already: usize,
    /// Index entries of the store after the merge.
    pub entries: usize,
}

/// What makes two index entries the same capture, whichever file holds it and whether it is
/// stored as a response or as a revisit.
type CaptureKey = (String, String, String, String);

fn capture_key(e: &Entry) -> CaptureKey {
    (
        e.url.clone(),
        e.timestamp.clone(),
        e.status.clone(),
        e.digest.clone(),
    )
}

/// The payload digest of an empty body: redirects and empty answers share it, and are never
/// turned into revisits (as when captured).
fn empty_digest() -> String {
    warc::digest(b"")
}

/// Merge the stores at `sources` into `dest` (opened for writing, so locked).
///
/// Every source is checked before anything is written: it is not `dest`, its manifest names
/// only files of its own layout (no `..`, nothing absolute) and neither its `archive/` nor its
/// `indexes/` folder is a symbolic link. Each file is checked against its manifest and every
/// record against its own digests before it is copied; when any file is refused, the files
/// already copied by this merge are removed, so a refused merge leaves `dest` as it was.
pub fn merge(dest: &mut Store, sources: &[&Path]) -> Result<Merged, StoreError> {
    let dest_root = std::fs::canonicalize(&dest.root).map_err(|e| io(&dest.root, e))?;
    let stores = sources
        .iter()
        .map(|src| open_source(src, &dest_root).map(|s| (*src, s)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Merged::default();
    let mut written = Vec::new();
    let adopted = match copy_files(dest, &stores, &mut out, &mut written) {
        Ok(a) => a,
        Err(e) => {
            for p in &written {
                let _ = std::fs::remove_file(p);
            }
            super::sync_dir(&dest.root.join(ARCHIVE_DIR));
            return Err(e);
        }
    };
    // the copied files are in place: list them and their entries (known already, so no file is
    // read again), then replace index and manifest as recovery does. A kill before this leaves
    // files that the next writer adopts.
    if !adopted.is_empty() {
        for (resource, entries) in adopted {
            dest.manifest.resources.push(resource);
            dest.entries.extend(entries);
        }
        super::sort_entries(&mut dest.entries);
        dest.write_index_and_manifest()?;
    }
    out.entries = dest.entries().len();
    Ok(out)
}

/// The store at `src`, opened for reading once it is known to be another store than the one
/// merged into, with no linked folder and a manifest naming only files of its own layout (the
/// checks `verify` makes, so a store verify refuses is never merged).
fn open_source(src: &Path, dest_root: &Path) -> Result<Store, StoreError> {
    let canon = std::fs::canonicalize(src).map_err(|e| io(src, e))?;
    if canon == dest_root {
        return Err(StoreError::Capture(format!(
            "{}: is the store being merged into",
            src.display()
        )));
    }
    if !src.join(MANIFEST).is_file() {
        return Err(StoreError::Corrupt {
            path: src.display().to_string(),
            message: format!("not an ibid store (no {MANIFEST})"),
        });
    }
    for dir in [ARCHIVE_DIR, "indexes"] {
        paths::refuse_link(&src.join(dir))?;
    }
    let store = Store::open_read(src)?;
    paths::check_manifest_paths(src, &store.manifest.resources)?;
    Ok(store)
}

/// Copy the WARC files of the checked `stores` into `dest`'s archive folder; each file written
/// is added to `written` as soon as it is, so that a refusal can take it back.
fn copy_files(
    dest: &Store,
    stores: &[(&Path, Store)],
    out: &mut Merged,
    written: &mut Vec<PathBuf>,
) -> Result<Vec<(Resource, Vec<Entry>)>, StoreError> {
    let mut held_files: HashSet<String> = dest
        .manifest
        .resources
        .iter()
        .filter(|r| r.path.starts_with(ARCHIVE_DIR))
        .map(|r| r.hash.clone())
        .collect();
    let mut held: HashMap<String, Entry> = dest
        .entries
        .iter()
        .filter(|e| !e.is_revisit())
        .map(|e| (e.digest.clone(), e.clone()))
        .collect();
    let mut captures: HashSet<CaptureKey> = dest.entries.iter().map(capture_key).collect();
    let mut names: HashSet<String> = dest.warc_names_on_disk()?.into_iter().collect();
    let empty = empty_digest();
    let mut adopted: Vec<(Resource, Vec<Entry>)> = Vec::new();
    for (src, store) in stores {
        for r in store
            .manifest
            .resources
            .iter()
            .filter(|r| r.path.starts_with(&format!("{ARCHIVE_DIR}/")))
        {
            if held_files.contains(&r.hash) {
                out.already += 1;
                continue;
            }
            let path = paths::confine(src, &r.path)?;
            let data = read_file(&path)?;
            if warc::digest(&data) != r.hash || data.len() as u64 != r.bytes {
                return Err(StoreError::Corrupt {
                    path: path.display().to_string(),
                    message: format!(
                        "changed since it was written (its store's {MANIFEST} says {} bytes, {}); run `ibid verify --store {}`",
                        r.bytes,
                        r.hash,
                        src.display()
                    ),
                });
            }
            let name = r.path.trim_start_matches(&format!("{ARCHIVE_DIR}/"));
            let entries = index_checked(name, &data).map_err(|m| StoreError::Corrupt {
                path: path.display().to_string(),
                message: format!("{m}; run `ibid verify --store {}`", src.display()),
            })?;
            // a file rewritten by an earlier merge has another hash, but the same captures
            if !entries.is_empty() && entries.iter().all(|e| captures.contains(&capture_key(e))) {
                out.already += 1;
                held_files.insert(r.hash.clone());
                continue;
            }
            captures.extend(entries.iter().map(capture_key));
            let dups: HashMap<u64, Entry> = entries
                .iter()
                .filter(|e| !e.is_revisit() && e.digest != empty)
                .filter_map(|e| Some((e.offset(), held.get(&e.digest)?.clone())))
                .collect();
            let bytes = if dups.is_empty() {
                out.copied += 1;
                data
            } else {
                out.rewritten += 1;
                out.revisits += dups.len();
                with_revisits(&data, &dups).map_err(|m| StoreError::Corrupt {
                    path: path.display().to_string(),
                    message: m,
                })?
            };
            let name = free_name(name, &r.hash, &names);
            written.push(put(dest, &name, &bytes)?);
            names.insert(name.clone());
            held_files.insert(r.hash.clone());
            // the copy's own entries: the source's, renamed; a rewritten file is indexed anew
            let copied_entries = if dups.is_empty() {
                entries
                    .iter()
                    .map(|e| Entry {
                        filename: name.clone(),
                        ..e.clone()
                    })
                    .collect()
            } else {
                index_warc(&name, &bytes).map_err(|m| StoreError::Corrupt {
                    path: name.clone(),
                    message: m,
                })?
            };
            for e in entries
                .into_iter()
                .filter(|e| !e.is_revisit() && !dups.contains_key(&e.offset()))
            {
                held.entry(e.digest.clone()).or_insert(Entry {
                    filename: name.clone(),
                    ..e
                });
            }
            adopted.push((
                Resource {
                    path: format!("{ARCHIVE_DIR}/{name}"),
                    hash: if dups.is_empty() {
                        r.hash.clone()
                    } else {
                        warc::digest(&bytes)
                    },
                    bytes: bytes.len() as u64,
                },
                copied_entries,
            ));
        }
    }
    Ok(adopted)
}

/// The index entries of a WARC file whose every record matches its own digests; the first
/// record that does not is named by its offset, type, id and URI. A record that fails its
/// digests would make the merged store fail `verify`, so the file is refused, not copied.
fn index_checked(name: &str, data: &[u8]) -> Result<Vec<Entry>, String> {
    let mut bad: Option<String> = None;
    let records = warc::Reader::new(data).inspect(|r| {
        if let (Ok(r), None) = (r, &bad) {
            if let Some(p) = digest_problems(r).first() {
                bad = Some(crate::text::one_line(&format!(
                    "offset {} ({} {} {}): {p}; the record is not what was captured",
                    r.offset,
                    r.kind(),
                    r.header("WARC-Record-ID").unwrap_or("?"),
                    r.header("WARC-Target-URI").unwrap_or("")
                )));
            }
        }
    });
    let entries = index_records(name, records)?;
    match bad {
        Some(b) => Err(b),
        None => Ok(entries),
    }
}

/// The file's name, or (when this store has a file of that name: two CI jobs started in the
/// same second with the same process id) the name with its content hash added.
fn free_name(name: &str, hash: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(name) {
        return name.to_string();
    }
    let stem = name.trim_end_matches(".warc.gz").trim_end_matches(".warc");
    let ext = &name[stem.len()..];
    let h = hash.trim_start_matches("sha256:");
    format!("{stem}-{}{ext}", &h[..h.len().min(12)])
}

/// Write a WARC file into the store's archive folder: temporary name, sync, rename. Returns
/// the path written.
fn put(dest: &Store, name: &str, bytes: &[u8]) -> Result<PathBuf, StoreError> {
    let path = dest.root.join(ARCHIVE_DIR).join(name);
    no_symlink(&path)?;
    super::write_atomic(&path, bytes)?;
    Ok(path)
}

/// The file with the responses at the given offsets replaced by revisits of the held captures;
/// every other gzip member copied byte for byte.
fn with_revisits(data: &[u8], dups: &HashMap<u64, Entry>) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(data.len());
    let mut off = 0usize;
    while off < data.len() {
        let rec = warc::read_at(data, off as u64).map_err(|e| e.to_string())?;
        let end = off + rec.length as usize;
        match dups.get(&(off as u64)) {
            Some(orig) => out.extend_from_slice(&revisit_of(&rec, orig)?),
            None => out.extend_from_slice(&data[off..end]),
        }
        off = end;
    }
    Ok(out)
}

/// A response record as a revisit of `orig`: same id (so its request and metadata records still
/// point at it), date and URI; the HTTP head as its block.
fn revisit_of(rec: &warc::Record, orig: &Entry) -> Result<Vec<u8>, String> {
    let (_, _, payload) = warc::split_http(&rec.block)
        .ok_or_else(|| format!("offset {}: not an HTTP response", rec.offset))?;
    let head = rec.block[..rec.block.len() - payload.len()].to_vec();
    let mut headers = vec![("WARC-Type".to_string(), "revisit".to_string())];
    for k in [
        "WARC-Record-ID",
        "WARC-Date",
        "WARC-Target-URI",
        "WARC-IP-Address",
    ] {
        if let Some(v) = rec.header(k) {
            headers.push((k.to_string(), v.to_string()));
        }
    }
    headers.push((
        "WARC-Profile".into(),
        "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest".into(),
    ));
    headers.push(("WARC-Refers-To-Target-URI".into(), orig.url.clone()));
    if let Some(t) = crate::time::Timestamp::parse_digits(&orig.timestamp) {
        headers.push(("WARC-Refers-To-Date".into(), t.iso()));
    }
    headers.push((
        "Content-Type".into(),
        "application/http;msgtype=response".into(),
    ));
    headers.push(("WARC-Payload-Digest".into(), orig.digest.clone()));
    Ok(warc::encode(&NewRecord {
        headers,
        block: head,
    }))
}
