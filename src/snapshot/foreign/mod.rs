//! Web archives written by other tools, read-only: `ibid check --archive PATH`.
//!
//! PATH is a WARC file, a folder of WARC files (with CDX or CDXJ index files beside them, or
//! none), a pywb collection (`archive/` and `indexes/`), or a WACZ package. Records written by
//! wget (WARC/1.0, sha1 digests in base32), warcio and pywb, Heritrix, Browsertrix (WARC/1.1,
//! sha256) and ibid itself are read. Each file is read only where an index or a scan points,
//! inside the files given: index lines naming any other file are refused, symbolic links are
//! not followed, a WARC inside a WACZ is a window of the zip that cannot be read past.
//!
//! Files that no index covers are scanned to build one in memory. A file that is damaged part
//! way (a truncated gzip member, a WARC/0.17 record) keeps the records before the damage, and
//! the archive's `problems` say what was lost. A record is checked when it is loaded: its
//! block and payload digests (sha1 or sha256, hex or base32) must match its bytes, or the load
//! fails as corrupt (`snapshot-corrupt` in a report).

mod blob;
pub mod digest;
pub mod index;
pub mod record;
mod zip;

use super::cdxj::{surt, Entry};
use super::set::{closest, holds, AccessDay, CaptureSet};
use super::{StoreError, Stored};
use crate::time::Timestamp;
use blob::{Blob, Span};
use rayon::prelude::*;
use record::{Check, Indexed};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why another tool's archive cannot be read at all (damage within it is a `problem` instead).
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A file of the archive could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file, as a path.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The archive cannot be used at all: what is wrong with it.
    #[error("{path}: {message}")]
    Refused {
        /// The archive, or the file of it, as a path.
        path: String,
        /// What is wrong with it.
        message: String,
    },
}

fn io_err(path: &Path, source: std::io::Error) -> ArchiveError {
    ArchiveError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn refused(path: &Path, message: impl Into<String>) -> ArchiveError {
    ArchiveError::Refused {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// What kind of archive a path was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One WARC file (gzipped per record or plain), given by its path.
    WarcFile,
    /// A folder of WARC files, with CDX or CDXJ index files beside them or none.
    Folder,
    /// A pywb collection: `archive/` with the WARC files, `indexes/` with CDXJ.
    Collection,
    /// A WACZ package (a zip of WARC files, a CDXJ index and a datapackage).
    Wacz,
}

impl Layout {
    /// How a report names the layout ("pywb collection", ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::WarcFile => "WARC file",
            Layout::Folder => "folder of WARC files",
            Layout::Collection => "pywb collection",
            Layout::Wacz => "WACZ package",
        }
    }
}

/// A WARC file of the archive, by the name its index lines use.
struct WarcFile {
    name: String,
    span: Span,
}

/// An index file's text, by the name to report it under.
struct IndexText {
    name: String,
    text: String,
}

/// A web archive another tool wrote, indexed in memory.
pub struct ForeignArchive {
    /// The path given to `--archive`.
    pub path: PathBuf,
    /// What kind of archive it was found to be.
    pub layout: Layout,
    files: Vec<WarcFile>,
    by_name: HashMap<String, usize>,
    /// Sorted like the store's index: by key, then time.
    entries: Vec<Entry>,
    /// Index files read, and files scanned because no index covered them.
    pub indexes_read: Vec<String>,
    /// WARC files scanned to index them, because no index covered them.
    pub scanned: Vec<String>,
    /// Damage that did not stop the archive from being used: what was skipped and why.
    pub problems: Vec<String>,
}

/// The pieces an archive is made of, found by its layout.
struct Parts {
    layout: Layout,
    files: Vec<WarcFile>,
    indexes: Vec<IndexText>,
    problems: Vec<String>,
}

fn is_warc_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".warc") || n.ends_with(".warc.gz")
}

fn is_index_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".cdxj") || n.ends_with(".cdx") || n.ends_with(".cdx.gz")
}

/// The largest index text read (decompressed): a guard against a gzip bomb posing as an index.
pub const MAX_INDEX: u64 = 2 << 30;

/// The most index text read for WARCs of `warc_bytes` bytes: 8 times their size, at least
/// 64 MiB, at most [`MAX_INDEX`]. An index holds a line of a few hundred bytes per record, and
/// each record takes about as much in its WARC, so an index many times larger than the WARCs
/// it indexes is a decompression bomb (a 2 MB package inflating a 2 GiB index), not an index.
pub fn index_limit(warc_bytes: u64) -> u64 {
    warc_bytes.saturating_mul(8).clamp(64 << 20, MAX_INDEX)
}

/// The text of an index file (gzip members, as ZipNum blocks or whole, are decompressed), up
/// to `limit` bytes.
fn index_text(name: &str, bytes: &[u8], limit: u64) -> Result<String, String> {
    use std::io::Read;
    let mut out = Vec::new();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        flate2::read::MultiGzDecoder::new(bytes)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("{name}: gzip: {e}"))?;
    } else {
        out = bytes.to_vec();
    }
    if out.len() as u64 > limit {
        return Err(too_large(name, limit));
    }
    String::from_utf8(out).map_err(|_| format!("{name}: index is not UTF-8"))
}

/// No WARC was read: `what`, and why each one found was skipped.
fn why_none(what: &str, problems: &[String]) -> String {
    let mut why = what.to_string();
    for p in problems {
        why.push_str("; ");
        why.push_str(p);
    }
    why
}

/// Why an index was not read: larger than `limit` decompressed.
fn too_large(name: &str, limit: u64) -> String {
    format!(
        "{name}: index larger than {} MiB when decompressed (8 times the WARCs it indexes, at \
         least 64 MiB); not read, the WARCs are indexed instead",
        limit >> 20
    )
}

/// Files of a folder: WARCs and index files, symbolic links refused.
fn folder_parts(dir: &Path, warcs_in: &Path, indexes_in: &Path) -> Result<Parts, ArchiveError> {
    let mut parts = Parts {
        layout: Layout::Folder,
        files: vec![],
        indexes: vec![],
        problems: vec![],
    };
    let list = |d: &Path| -> Result<Vec<(String, PathBuf)>, ArchiveError> {
        let mut v = Vec::new();
        for e in std::fs::read_dir(d).map_err(|e| io_err(d, e))? {
            let e = e.map_err(|e| io_err(d, e))?;
            v.push((e.file_name().to_string_lossy().to_string(), e.path()));
        }
        v.sort();
        Ok(v)
    };
    let regular = |p: &Path, problems: &mut Vec<String>| match std::fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => {
            problems.push(format!("{}: a symbolic link; not followed", p.display()));
            false
        }
        Ok(m) if !m.is_file() => {
            problems.push(format!(
                "{}: not a regular file (a FIFO, device or folder); skipped",
                p.display()
            ));
            false
        }
        Ok(_) => true,
        Err(_) => false,
    };
    for (name, p) in list(warcs_in)? {
        if is_warc_name(&name) && regular(&p, &mut parts.problems) {
            let blob = Blob::open(&p).map_err(|e| io_err(&p, e))?;
            parts.files.push(WarcFile {
                name,
                span: Span::whole(Arc::new(blob)),
            });
        }
    }
    let limit = index_limit(parts.files.iter().map(|f| f.span.len).sum());
    if indexes_in.is_dir() {
        for (name, p) in list(indexes_in)? {
            if is_index_name(&name) && regular(&p, &mut parts.problems) {
                let bytes = std::fs::read(&p).map_err(|e| io_err(&p, e))?;
                match index_text(&p.display().to_string(), &bytes, limit) {
                    Ok(text) => parts.indexes.push(IndexText {
                        name: p.display().to_string(),
                        text,
                    }),
                    Err(m) => parts.problems.push(m),
                }
            }
        }
    }
    if parts.files.is_empty() {
        return Err(refused(
            dir,
            why_none(
                "no readable WARC files (*.warc, *.warc.gz) in it",
                &parts.problems,
            ),
        ));
    }
    Ok(parts)
}

impl ForeignArchive {
    /// Open and index the archive at `path` (its layout is told from what it is).
    pub fn open(path: &Path) -> Result<ForeignArchive, ArchiveError> {
        let meta = std::fs::metadata(path).map_err(|e| io_err(path, e))?;
        let parts = if meta.is_dir() {
            if path.join("archive").is_dir() {
                let mut p = folder_parts(path, &path.join("archive"), &path.join("indexes"))?;
                p.layout = Layout::Collection;
                p
            } else {
                folder_parts(path, path, path)?
            }
        } else {
            let blob = Arc::new(Blob::open(path).map_err(|e| io_err(path, e))?);
            Self::file_parts(path, blob)?
        };
        Ok(Self::build(path, parts))
    }

    /// An archive held in memory (a WARC or a WACZ file's bytes): for tests and fuzzing.
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<ForeignArchive, ArchiveError> {
        let path = Path::new(name);
        let parts = Self::file_parts(path, Arc::new(Blob::Bytes(bytes.into())))?;
        Ok(Self::build(path, parts))
    }

    fn file_parts(path: &Path, blob: Arc<Blob>) -> Result<Parts, ArchiveError> {
        let mut magic = [0u8; 4];
        let n = blob.read_at(&mut magic, 0).map_err(|e| io_err(path, e))?;
        if n == 4 && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06") {
            return zip::parts(path, blob);
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "archive.warc".into());
        Ok(Parts {
            layout: Layout::WarcFile,
            files: vec![WarcFile {
                name,
                span: Span::whole(blob),
            }],
            indexes: vec![],
            problems: vec![],
        })
    }

    fn build(path: &Path, parts: Parts) -> ForeignArchive {
        let mut a = ForeignArchive {
            path: path.to_path_buf(),
            layout: parts.layout,
            by_name: parts
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.name.clone(), i))
                .collect(),
            files: parts.files,
            entries: vec![],
            indexes_read: vec![],
            scanned: vec![],
            problems: parts.problems,
        };
        let mut covered: HashSet<String> = HashSet::new();
        for ix in &parts.indexes {
            let (entries, problems) = index::read(&ix.name, &ix.text);
            a.problems.extend(problems);
            let mut outside = 0usize;
            for e in entries {
                if a.by_name.contains_key(&e.filename) {
                    covered.insert(e.filename.clone());
                    a.entries.push(e);
                } else {
                    outside += 1;
                }
            }
            if outside > 0 {
                a.problems.push(format!(
                    "{}: {outside} line(s) name files that are not in the archive; skipped",
                    ix.name
                ));
            }
            a.indexes_read.push(ix.name.clone());
        }
        // files no index covers: scan them (in parallel, each file in order)
        let todo: Vec<usize> = (0..a.files.len())
            .filter(|&i| !covered.contains(&a.files[i].name))
            .collect();
        let scanned: Vec<(usize, Vec<Entry>, Vec<String>)> = todo
            .par_iter()
            .map(|&i| {
                let f = &a.files[i];
                let (recs, problem) = record::scan(&f.span);
                let mut problems = Vec::new();
                let entries = entries_of(&f.name, recs, &mut problems);
                if let Some(p) = problem {
                    problems.push(format!(
                        "{}: {p}; the {} record(s) before it are read, the rest of the file is not",
                        f.name,
                        entries.len()
                    ));
                }
                (i, entries, problems)
            })
            .collect();
        for (i, entries, problems) in scanned {
            a.scanned.push(a.files[i].name.clone());
            a.entries.extend(entries);
            a.problems.extend(problems);
        }
        a.resolve_revisit_status();
        a.entries.sort_by(|x, y| {
            (&x.surt, &x.timestamp, &x.filename, x.offset()).cmp(&(
                &y.surt,
                &y.timestamp,
                &y.filename,
                y.offset(),
            ))
        });
        a
    }

    /// A revisit whose record gives no HTTP status answers with its original's.
    fn resolve_revisit_status(&mut self) {
        let status: HashMap<String, String> = self
            .entries
            .iter()
            .filter(|e| !e.is_revisit() && e.digest.contains(':'))
            .map(|e| (e.digest.clone(), e.status.clone()))
            .collect();
        for e in self.entries.iter_mut().filter(|e| e.status == "-") {
            if let Some(s) = status.get(&e.digest) {
                e.status = s.clone();
            }
        }
    }

    /// Every capture the archive holds, sorted like the store's index: by SURT key, then time.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many WARC files the archive has.
    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Is `e` one of this archive's own entries (the very one, not an equal copy)? Tells a layered
    /// set which archive an entry came from.
    pub fn holds(&self, e: &Entry) -> bool {
        holds(&self.entries, e)
    }

    fn span_of(&self, e: &Entry) -> Result<&Span, StoreError> {
        self.by_name
            .get(&e.filename)
            .map(|&i| &self.files[i].span)
            .ok_or_else(|| StoreError::Corrupt {
                path: format!("{}: {}", self.path.display(), e.filename),
                message: "the index names a file the archive does not have".into(),
            })
    }

    /// The original a revisit refers to: by the URI and date it names, else any capture of the
    /// same payload in this archive.
    fn original_of(&self, e: &Entry, refers_to: Option<(&str, &str)>) -> Option<&Entry> {
        let same = |o: &&Entry| o.digest == e.digest && !o.is_revisit();
        if let Some((uri, date)) = refers_to {
            let ts = Timestamp::parse_iso(date).map(|t| t.digits14());
            let found = self
                .history(uri)
                .into_iter()
                .filter(same)
                .find(|o| ts.as_deref().is_none_or(|t| o.timestamp == t));
            if found.is_some() {
                return found;
            }
        }
        if !e.digest.contains(':') {
            return None;
        }
        self.history(&e.url)
            .into_iter()
            .find(same)
            .or_else(|| self.entries.iter().find(same))
    }

    fn load_depth(&self, e: &Entry, depth: usize) -> Result<Stored, StoreError> {
        let at = format!(
            "{}: {} offset {}",
            self.path.display(),
            e.filename,
            e.offset
        );
        let corrupt = |m: String| StoreError::Corrupt {
            path: at.clone(),
            message: m,
        };
        let span = self.span_of(e)?;
        let rec = record::load(span, e.offset()).map_err(|m| corrupt(m.message))?;
        let target = rec.head.target();
        if surt(target) != e.surt {
            return Err(corrupt(format!(
                "the record there is for {target}, not {} (a stale index?)",
                e.url
            )));
        }
        if let Check::Differs(got) = &rec.block_check {
            return Err(corrupt(format!(
                "block digest does not match the bytes (record says {}, bytes hash to {got})",
                rec.head.header("WARC-Block-Digest").unwrap_or("")
            )));
        }
        let kind = rec.head.kind().to_string();
        let payload_field = rec.head.header("WARC-Payload-Digest").map(str::to_string);
        let truncated = rec.cut || rec.head.header("WARC-Truncated").is_some();
        let date = rec.head.header("WARC-Date").unwrap_or("").to_string();
        let http = if kind == "resource" {
            None
        } else {
            record::http_head(&rec.block)
        };
        let (mut status, mut headers, mut payload) = match (&http, kind.as_str()) {
            (Some((s, h, end)), _) => (*s, h.clone(), rec.block[*end..].to_vec()),
            (None, "resource") => {
                let ct = rec.head.header("Content-Type").unwrap_or("").to_string();
                (
                    200,
                    vec![("Content-Type".to_string(), ct)],
                    rec.block.clone(),
                )
            }
            (None, "revisit") => (0, vec![], vec![]),
            (None, _) => return Err(corrupt("the block is not an HTTP response".into())),
        };
        let mut truncated = truncated;
        if kind == "revisit" {
            if depth >= 4 {
                return Err(corrupt("a chain of revisits longer than 4".into()));
            }
            let refers = rec
                .head
                .header("WARC-Refers-To-Target-URI")
                .zip(rec.head.header("WARC-Refers-To-Date"));
            let orig = self.original_of(e, refers).ok_or_else(|| {
                corrupt("a revisit of a payload the archive does not hold".into())
            })?;
            let o = self.load_depth(orig, depth + 1)?;
            // a revisit of a 304 or without an HTTP head answers as its original did
            if status == 0 || status == 304 {
                status = o.status;
                headers = o.headers.clone();
            }
            payload = o.payload;
            truncated |= o.truncated;
            // the original's load checked its payload against its own digest; a revisit naming
            // that same digest is settled, another one is checked against the bytes
            let named_same = payload_field
                .as_deref()
                .is_some_and(|f| digest::canonical(f) == orig.digest);
            if let Some(f) = payload_field.as_ref().filter(|_| !named_same) {
                if let Check::Differs(got) = record::check_field(Some(f), &payload) {
                    return Err(corrupt(format!(
                        "revisit names payload {f}, but its original's payload hashes to {got}"
                    )));
                }
            }
        } else {
            payload =
                self.checked_payload(&rec, payload, &headers, payload_field.as_deref(), &corrupt)?;
        }
        Ok(Stored {
            url: e.url.clone(),
            status,
            digest: crate::snapshot::warc::digest(&payload),
            headers,
            payload,
            truncated,
            date,
        })
    }

    /// The payload after its digest is checked: as stored, or de-chunked when the record kept
    /// the transfer encoding (wget does) and the digest was taken either way.
    fn checked_payload(
        &self,
        rec: &record::Loaded,
        raw: Vec<u8>,
        headers: &[(String, String)],
        field: Option<&str>,
        corrupt: &dyn Fn(String) -> StoreError,
    ) -> Result<Vec<u8>, StoreError> {
        let chunked = crate::fetch::header(headers, "transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        let dechunked = if chunked { dechunk(&raw) } else { None };
        let check = match &rec.streamed_payload_check {
            Some(c) => c.clone(),
            None => record::check_field(field, &raw),
        };
        match check {
            Check::Differs(got) => {
                let alt = dechunked.as_ref().map(|d| record::check_field(field, d));
                if alt != Some(Check::Matches) {
                    return Err(corrupt(format!(
                        "payload digest does not match the bytes (record says {}, bytes hash to {got})",
                        field.unwrap_or("")
                    )));
                }
            }
            Check::Absent | Check::Unusable(_) | Check::Matches => {}
        }
        Ok(dechunked.unwrap_or(raw))
    }
}

/// De-chunk an HTTP body kept with its chunked transfer encoding; `None` when it is not one.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let line_end = crate::snapshot::warc::find(rest, b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        let end = size.checked_add(2).filter(|&e| e <= rest.len())?;
        if &rest[size..end] != b"\r\n" {
            return None;
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// Index entries for the records of one scanned file.
fn entries_of(name: &str, recs: Vec<Indexed>, problems: &mut Vec<String>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    // record id of a response -> its entry, so an ibid metadata record can name the copy
    let mut first_of: HashMap<String, usize> = HashMap::new();
    let mut bad_dates = 0usize;
    for r in recs {
        let kind = r.head.kind().to_string();
        if kind == "metadata" {
            if let Some(block) = r.block {
                let rec = crate::snapshot::warc::Record {
                    offset: r.offset,
                    length: r.length,
                    headers: r.head.headers,
                    block,
                };
                super::mark_copy(&rec, &first_of, &mut out);
            }
            continue;
        }
        if !matches!(kind.as_str(), "response" | "revisit" | "resource") {
            continue;
        }
        let Some(time) = r.head.header("WARC-Date").and_then(Timestamp::parse_iso) else {
            bad_dates += 1;
            continue;
        };
        let url = r.head.target().to_string();
        let (status, mime) = match (&r.http, kind.as_str()) {
            (_, "resource") => ("200".to_string(), mime_of(r.head.header("Content-Type"))),
            (Some((s, _)), "revisit") => (s.to_string(), "warc/revisit".to_string()),
            (None, "revisit") => ("-".to_string(), "warc/revisit".to_string()),
            (Some((s, h)), _) => (
                s.to_string(),
                mime_of(crate::fetch::header(h, "content-type")),
            ),
            (None, _) => continue,
        };
        let digest = digest::canonical(r.head.header("WARC-Payload-Digest").unwrap_or("-"));
        out.push(Entry {
            surt: surt(&url),
            timestamp: time.digits14(),
            url,
            mime,
            status,
            digest,
            length: r.length.to_string(),
            offset: r.offset.to_string(),
            filename: name.to_string(),
            copy: None,
            cited: None,
        });
        if let Some(id) = r.head.header("WARC-Record-ID") {
            first_of.insert(id.to_string(), out.len() - 1);
        }
    }
    if bad_dates > 0 {
        problems.push(format!(
            "{name}: {bad_dates} record(s) without a readable WARC-Date; skipped"
        ));
    }
    out
}

/// The index's mime: the type without parameters, lower case; `unk` when absent.
fn mime_of(content_type: Option<&str>) -> String {
    content_type
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "unk".into())
}

impl CaptureSet for ForeignArchive {
    fn history(&self, url: &str) -> Vec<&Entry> {
        let key = surt(url);
        let start = self.entries.partition_point(|e| e.surt < key);
        self.entries[start..]
            .iter()
            .take_while(|e| e.surt == key)
            .collect()
    }

    fn captures_for(&self, cited: &str) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| e.cited.as_deref() == Some(cited))
            .collect()
    }

    fn load(&self, e: &Entry) -> Result<Stored, StoreError> {
        self.load_depth(e, 0)
    }

    /// Another tool's archive may hold years of captures: the one nearest the day the
    /// reference says its source was read answers.
    fn answer(&self, url: &str, accessed: Option<AccessDay>) -> Option<&Entry> {
        closest(self.history(url), accessed)
    }
}

#[cfg(test)]
mod tests;
