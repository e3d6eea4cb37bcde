//! The snapshot store: captures as WARC 1.1 files laid out as a pywb collection, a sorted CDXJ
//! index, and a manifest of every file's size and SHA-256.
//!
//! Crash safety comes from the order of writes. A WARC file is written under a temporary name,
//! synced and renamed; then a journal names it; then the index and the manifest are replaced
//! (each written, synced, renamed); then the journal goes. A kill at any point leaves either the
//! old state, or the new WARC not yet committed (ignored by readers, adopted by the next writer),
//! or a journal that explains the one file that changed. WARC files are never rewritten.

pub mod capture;
pub mod cdxj;
pub mod choice;
pub mod foreign;
mod integrity;
pub mod merge;
mod paths;
pub mod set;
pub mod shard;
pub mod wacz;
pub mod warc;
pub mod wiki;

pub use integrity::{presence, verify, VerifyReport};

use crate::fetch::{Capture, Exchange};
use crate::time::Timestamp;
use cdxj::Entry;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use warc::{digest, NewRecord};

/// Folder of the store's WARC files, relative to its root (pywb collection layout).
pub const ARCHIVE_DIR: &str = "archive";
/// The sorted CDXJ index of every record, relative to the store's root.
pub const INDEX_PATH: &str = "indexes/index.cdxj";
/// JSON list of every file in the store with its size and SHA-256, relative to the root.
pub const MANIFEST: &str = "manifest.json";
/// Present only while a commit is in progress: names the WARC file being added (see the module
/// doc for the order of writes).
pub const JOURNAL: &str = "journal.json";
pub(crate) const LOCK: &str = ".lock";

/// How the store writes: `[store]` in sources.toml.
#[derive(Debug, Clone, Copy, serde::Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct StoreSettings {
    /// Deflate level of the WARC records, 0 (stored) to 9 (smallest). On real pages 1 writes
    /// 3.5:1 at about three times the speed of 6 (4.8:1); compression is most of the CPU time
    /// of a fetch.
    pub gzip_level: u32,
}

impl Default for StoreSettings {
    fn default() -> Self {
        StoreSettings {
            gzip_level: warc::DEFAULT_LEVEL,
        }
    }
}

/// Why the store could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file or folder of the store could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder, as a path.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file of the store is not what the store wrote (bad index line, digest mismatch, a path
    /// outside the store, a symlink).
    #[error("{path}: {message}")]
    Corrupt {
        /// The file, as a path (with the offset for a record).
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// Another process holds the store's lock; writers never share a store.
    #[error("{path}: another ibid run holds the store's lock; wait for it to finish")]
    Locked {
        /// The store's root folder.
        path: String,
    },
    /// An operation failed for a reason outside the store's files (a capture task that failed, a
    /// merge into itself, a WACZ that could not be written); the message says which.
    #[error("{0}")]
    Capture(String),
}

fn io(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// `manifest.json`: what the store holds, for `ibid verify` and for packaging as WACZ.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Manifest {
    /// Always "ibid-snapshots": marks the folder as an ibid store.
    pub profile: String,
    /// The ibid version that last wrote the store.
    pub ibid_version: String,
    /// When the store was last written, ISO 8601 UTC (`2026-11-26T18:00:00Z`).
    pub modified: String,
    /// Every WARC file and the index, sorted by path.
    pub resources: Vec<Resource>,
}

/// One file of the store, as a WACZ datapackage lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Resource {
    /// Path relative to the store's root, e.g. `archive/NAME.warc.gz` or the index.
    pub path: String,
    /// `sha256:` + lowercase hex of the whole file.
    pub hash: String,
    /// Size of the file in bytes.
    pub bytes: u64,
}

/// What `ibid reindex` did, and what it found changed since the manifest it replaced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reindexed {
    /// Entries of the rebuilt index.
    pub entries: usize,
    /// WARC files (`archive/NAME`) whose bytes differ from the hash the old manifest recorded:
    /// changed since they were written, and now recorded as they are.
    pub changed: Vec<String>,
    /// WARC files the old manifest listed that are no longer in `archive/`.
    pub gone: Vec<String>,
}

/// A commit in progress: the WARC being added and the index it leads to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Journal {
    /// The WARC file being committed.
    pub warc: Resource,
    /// `sha256:` digest of the index the commit writes.
    pub index_hash: String,
}

/// A capture being written into the store's next WARC file.
struct Pending {
    tmp: PathBuf,
    name: String,
    file: std::io::BufWriter<File>,
    offset: u64,
    entries: Vec<Entry>,
    /// Payload digest -> position in `entries` of a response written to this file.
    by_digest: HashMap<String, usize>,
    /// SHA-256 of the bytes written so far: the manifest's hash without reading the file back.
    hash: sha2::Sha256,
    /// Writes the file's bytes to disk in the background as they accumulate.
    early: EarlySync,
}

/// Start a background sync of a pending WARC each time this many more bytes have reached the
/// file: the fsync that commits it then waits for the last few MiB only, not for the whole file
/// (on the loopback benchmark, 12 MiB took 30-45 ms to sync at the end of the run).
const EARLY_SYNC_EVERY: u64 = 2 << 20;

/// Syncs a pending WARC's data to disk on another thread while the fetch goes on. It only
/// moves work earlier: the commit still syncs the whole file before renaming it, so what is
/// durable after a commit, and the order of writes the store's crash safety rests on, are
/// unchanged. A failed early sync is ignored for the same reason (the commit's sync reports).
struct EarlySync {
    /// A second handle on the pending file (the same open file), for the syncing thread.
    file: Option<File>,
    /// The sync in flight, if any: at most one at a time.
    running: Option<std::thread::JoinHandle<()>>,
    /// Bytes of the file that the last sync started covered.
    started_at: u64,
}

impl EarlySync {
    fn new(file: &File) -> EarlySync {
        EarlySync {
            file: file.try_clone().ok(),
            running: None,
            started_at: 0,
        }
    }

    /// Start a sync when `on_disk` bytes have reached the file and the last sync covered
    /// `EARLY_SYNC_EVERY` fewer, unless one is still running.
    fn maybe_start(&mut self, on_disk: u64) {
        if on_disk < self.started_at + EARLY_SYNC_EVERY
            || self.running.as_ref().is_some_and(|h| !h.is_finished())
        {
            return;
        }
        let Some(file) = self.file.as_ref().and_then(|f| f.try_clone().ok()) else {
            return;
        };
        self.running = std::thread::Builder::new()
            .name("ibid-warc-sync".into())
            .spawn(move || {
                let _ = file.sync_data();
            })
            .ok();
        self.started_at = on_disk;
    }

    /// Wait for the sync in flight, before the commit's own.
    fn finish(&mut self) {
        if let Some(h) = self.running.take() {
            let _ = h.join();
        }
        self.file = None;
    }
}

/// A snapshot store on disk, its index held in memory. Opened for reading (no lock, no repair)
/// or for writing (locked, with an interrupted run's leftovers repaired).
pub struct Store {
    root: PathBuf,
    settings: StoreSettings,
    _lock: Option<File>,
    entries: Vec<Entry>,
    manifest: Manifest,
    pending: Option<Pending>,
    seq: u64,
    /// Payload digest -> the response a revisit of it names, for deduplication; built lazily.
    by_digest: HashMap<String, Original>,
    digests_of: usize,
}

/// What a revisit record names of the response whose payload it repeats: kept per digest
/// instead of the whole index entry, which a commit of 2,000 captures spent 6 ms copying.
#[derive(Debug, Clone)]
struct Original {
    url: String,
    timestamp: String,
}

impl Original {
    fn of(e: &Entry) -> Original {
        Original {
            url: e.url.clone(),
            timestamp: e.timestamp.clone(),
        }
    }
}

/// What `Store::open` had to repair after an interrupted run.
#[derive(Debug, Default)]
pub struct Recovery {
    /// Temporary files (`.tmp-*`) of an interrupted write that were deleted.
    pub removed_temp: usize,
    /// WARC files found on disk but not in the manifest, readable, and now indexed.
    pub adopted: Vec<String>,
    /// WARC files found on disk but not in the manifest that could not be read: renamed to
    /// `*.corrupt` and left out of the index.
    pub quarantined: Vec<String>,
    /// A journal was found (a commit was cut short): the index and manifest were rebuilt.
    pub rolled_forward: bool,
    /// Manifest entries naming a path outside the store's layout, left out (only when opened
    /// to reindex; otherwise such a manifest is refused): what is wrong with each.
    pub dropped: Vec<String>,
}

/// Refuse symlinks anywhere the store reads or writes.
fn no_symlink(p: &Path) -> Result<(), StoreError> {
    paths::refuse_link(p)
}

/// A regular file of the store, whole (never a link, a device or a FIFO: see `paths`).
fn read_file(p: &Path) -> Result<Vec<u8>, StoreError> {
    paths::read_regular(p)
}

/// Write `data` to `path` atomically: temporary file in the same directory, sync, rename.
/// Write any file atomically (reports given with --output use it too).
pub fn write_atomic_path(path: &Path, data: &[u8]) -> Result<(), StoreError> {
    write_atomic(path, data)
}

pub(crate) fn write_atomic(path: &Path, data: &[u8]) -> Result<(), StoreError> {
    no_symlink(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempfile_in(dir)
        .map_err(|e| io(dir, e))?;
    tmp.write_all(data).map_err(|e| io(path, e))?;
    #[cfg(unix)]
    {
        // a file replaced keeps its mode (a sources.toml or a report the user made private
        // stays private); a new one is readable by all, as files the user writes usually are
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        let _ = tmp
            .as_file()
            .set_permissions(fs::Permissions::from_mode(mode));
    }
    tmp.as_file().sync_all().map_err(|e| io(path, e))?;
    tmp.persist(path).map_err(|e| io(path, e.error))?;
    sync_dir(dir);
    Ok(())
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

impl Store {
    /// Open for reading: no lock, no repair. A missing store is an empty one.
    pub fn open_read(root: &Path) -> Result<Store, StoreError> {
        let mut s = Store {
            root: root.to_path_buf(),
            settings: StoreSettings::default(),
            _lock: None,
            entries: vec![],
            manifest: Manifest::default(),
            pending: None,
            seq: 0,
            by_digest: HashMap::new(),
            digests_of: usize::MAX,
        };
        s.load_index()?;
        Ok(s)
    }

    /// Open for writing: take the lock, finish or undo whatever an interrupted run left.
    ///
    /// The lock file is made right after the folder and before the store's subfolders, so a run
    /// killed while creating the store leaves either no store, or one `verify` recognises (an
    /// empty folder, the moment between the two, is the only other state).
    ///
    /// A manifest listing a path outside the store's layout (`..`, an absolute path) is
    /// refused, not carried into the next manifest: `ibid reindex` ([`Store::open_to_reindex`])
    /// is the repair.
    pub fn open(root: &Path) -> Result<(Store, Recovery), StoreError> {
        Store::open_with(root, false)
    }

    /// Open for writing in order to [`Store::reindex`]: as [`Store::open`], except that the
    /// manifest's paths outside the store's layout are left out (listed in
    /// [`Recovery::dropped`]) rather than refused, since reindex lists the files of `archive/`
    /// anew.
    pub fn open_to_reindex(root: &Path) -> Result<(Store, Recovery), StoreError> {
        Store::open_with(root, true)
    }

    fn open_with(root: &Path, reindexing: bool) -> Result<(Store, Recovery), StoreError> {
        no_symlink(root)?;
        fs::create_dir_all(root).map_err(|e| io(root, e))?;
        let lock_path = root.join(LOCK);
        no_symlink(&lock_path)?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    path: root.display().to_string(),
                })
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(&lock_path, e)),
        }
        for d in [root.join(ARCHIVE_DIR), root.join("indexes")] {
            no_symlink(&d)?;
            fs::create_dir_all(&d).map_err(|e| io(&d, e))?;
        }
        let mut s = Store {
            root: root.to_path_buf(),
            settings: StoreSettings::default(),
            _lock: Some(lock),
            entries: vec![],
            manifest: Manifest::default(),
            pending: None,
            seq: 0,
            by_digest: HashMap::new(),
            digests_of: usize::MAX,
        };
        let rec = s.recover(reindexing)?;
        Ok((s, rec))
    }

    /// The folder the store lives in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How new records are written (a store opened for reading ignores it).
    pub fn settings(&self) -> &StoreSettings {
        &self.settings
    }

    /// Set how new records are written (the gzip level); records already written keep theirs.
    pub fn configure(&mut self, settings: StoreSettings) {
        self.settings = settings;
    }

    fn load_index(&mut self) -> Result<(), StoreError> {
        no_symlink(&self.root)?;
        let mpath = self.root.join(MANIFEST);
        if mpath.exists() {
            let data = read_file(&mpath)?;
            self.manifest = serde_json::from_slice(&data).map_err(|e| StoreError::Corrupt {
                path: mpath.display().to_string(),
                message: format!("not a valid manifest: {e}"),
            })?;
        }
        let ipath = paths::confine(&self.root, INDEX_PATH)?;
        if ipath.exists() {
            let data = read_file(&ipath)?;
            let text = String::from_utf8(data).map_err(|_| StoreError::Corrupt {
                path: ipath.display().to_string(),
                message: "index is not UTF-8".into(),
            })?;
            self.entries = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('!'))
                .map(|(n, l)| {
                    Entry::parse(l).map_err(|m| StoreError::Corrupt {
                        path: format!("{}:{}", ipath.display(), n + 1),
                        message: m,
                    })
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(())
    }

    fn warc_names_on_disk(&self) -> Result<Vec<String>, StoreError> {
        let dir = self.root.join(ARCHIVE_DIR);
        let mut names = Vec::new();
        if let Ok(rd) = fs::read_dir(&dir) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if name.ends_with(".warc.gz") || name.ends_with(".warc") {
                    names.push(name);
                }
            }
        }
        names.sort();
        Ok(names)
    }

    fn recover(&mut self, reindexing: bool) -> Result<Recovery, StoreError> {
        let mut rec = Recovery::default();
        for dir in [
            self.root.clone(),
            self.root.join(ARCHIVE_DIR),
            self.root.join("indexes"),
        ] {
            if let Ok(rd) = fs::read_dir(&dir) {
                for e in rd.flatten() {
                    if e.file_name().to_string_lossy().starts_with(".tmp-") {
                        let _ = fs::remove_file(e.path());
                        rec.removed_temp += 1;
                    }
                }
            }
        }
        self.load_index().or_else(|_| {
            // an unreadable index or manifest is rebuilt from the WARCs below
            self.entries.clear();
            Ok::<(), StoreError>(())
        })?;
        // a path outside the store is never followed nor written into the next manifest
        if let Err(e) = paths::check_manifest_paths(&self.root, &self.manifest.resources) {
            if !reindexing {
                return Err(match e {
                    StoreError::Corrupt { path, message } => StoreError::Corrupt {
                        path,
                        message: format!(
                            "{message}; `ibid reindex` rewrites the manifest from the WARC files of {ARCHIVE_DIR}/"
                        ),
                    },
                    e => e,
                });
            }
            self.manifest.resources.retain(|r| {
                let problem = paths::manifest_path_problem(&r.path);
                rec.dropped.extend(problem.clone());
                problem.is_none()
            });
        }
        let journal = self.root.join(JOURNAL);
        let mut dirty = false;
        if journal.exists() {
            let _ = fs::remove_file(&journal);
            rec.rolled_forward = true;
            dirty = true;
        }
        let known: Vec<String> = self
            .manifest
            .resources
            .iter()
            .map(|r| r.path.clone())
            .collect();
        for name in self.warc_names_on_disk()? {
            let rel = format!("{ARCHIVE_DIR}/{name}");
            if known.contains(&rel) {
                continue;
            }
            let path = paths::confine(&self.root, &rel)?;
            match index_warc_file(&name, &path) {
                Ok(_) => {
                    let (hash, bytes) = paths::hash_file(&path)?;
                    self.manifest.resources.push(Resource {
                        path: rel,
                        hash,
                        bytes,
                    });
                    rec.adopted.push(name);
                }
                Err(_) => {
                    let aside = path.with_extension("corrupt");
                    fs::rename(&path, &aside).map_err(|e| io(&path, e))?;
                    rec.quarantined.push(name);
                }
            }
            dirty = true;
        }
        if dirty || self.entries.is_empty() && !self.manifest.resources.is_empty() {
            self.rebuild_entries()?;
            self.write_index_and_manifest()?;
        }
        Ok(rec)
    }

    /// Rebuild the in-memory index from the WARC files the manifest lists.
    fn rebuild_entries(&mut self) -> Result<(), StoreError> {
        let mut entries = Vec::new();
        for r in self
            .manifest
            .resources
            .iter()
            .filter(|r| r.path != INDEX_PATH)
        {
            // every path the manifest names is confined to the store before it is opened
            let path = paths::confine(&self.root, &r.path)?;
            let name = r
                .path
                .trim_start_matches(&format!("{ARCHIVE_DIR}/"))
                .to_string();
            entries.extend(
                index_warc_file(&name, &path).map_err(|m| StoreError::Corrupt {
                    path: path.display().to_string(),
                    message: m,
                })?,
            );
        }
        sort_entries(&mut entries);
        self.entries = entries;
        Ok(())
    }

    /// `ibid reindex`: rebuild the index from the WARCs and rewrite index and manifest.
    pub fn reindex(&mut self) -> Result<Reindexed, StoreError> {
        // the manifest's WARC hashes are recomputed from disk: reindex is the user's statement
        // that the WARCs as they are now are the truth; what differs from the manifest it
        // replaces is said, so that the statement is never made unknowingly
        let recorded: HashMap<String, String> = self
            .manifest
            .resources
            .iter()
            .filter(|r| r.path != INDEX_PATH)
            .map(|r| (r.path.clone(), r.hash.clone()))
            .collect();
        let mut resources = Vec::new();
        let mut out = Reindexed::default();
        for name in self.warc_names_on_disk()? {
            let rel = format!("{ARCHIVE_DIR}/{name}");
            let (hash, bytes) = paths::hash_file(&paths::confine(&self.root, &rel)?)?;
            if recorded.get(&rel).is_some_and(|h| *h != hash) {
                out.changed.push(rel.clone());
            }
            resources.push(Resource {
                path: rel,
                hash,
                bytes,
            });
        }
        out.gone = recorded
            .keys()
            .filter(|p| !resources.iter().any(|r| &r.path == *p))
            .cloned()
            .collect();
        out.gone.sort();
        self.manifest.resources = resources;
        self.rebuild_entries()?;
        self.write_index_and_manifest()?;
        out.entries = self.entries.len();
        Ok(out)
    }

    fn write_index_and_manifest(&mut self) -> Result<(), StoreError> {
        let index = cdxj::lines(&self.entries);
        let hash = digest(index.as_bytes());
        self.write_index_text_and_manifest(&index, hash)
    }

    /// Replace the index with `index` (the text of `self.entries`, whose digest is `hash`) and
    /// the manifest with one that lists it.
    fn write_index_text_and_manifest(
        &mut self,
        index: &str,
        hash: String,
    ) -> Result<(), StoreError> {
        write_atomic(&self.root.join(INDEX_PATH), index.as_bytes())?;
        self.manifest.resources.retain(|r| r.path != INDEX_PATH);
        self.manifest.resources.push(Resource {
            path: INDEX_PATH.into(),
            hash,
            bytes: index.len() as u64,
        });
        self.manifest.resources.sort_by(|a, b| a.path.cmp(&b.path));
        self.manifest.profile = "ibid-snapshots".into();
        self.manifest.ibid_version = env!("CARGO_PKG_VERSION").into();
        self.manifest.modified = Timestamp::now().iso();
        let json = serde_json::to_vec_pretty(&self.manifest).unwrap_or_default();
        write_atomic(&self.root.join(MANIFEST), &json)
    }

    fn pending(&mut self) -> Result<&mut Pending, StoreError> {
        if self.pending.is_none() {
            let now = Timestamp::now();
            let dir = self.root.join(ARCHIVE_DIR);
            // two stores opened one after another in one process (a wiki page's revision,
            // then its sources) may both write a file within the same second: a process-wide
            // count keeps their names apart, so a rename never replaces a committed file
            static FILES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let seed = format!("{}-{}-{}-{n}", now.secs, std::process::id(), self.seq);
            let name = format!(
                "ibid-{}-{}.warc.gz",
                now.digits14(),
                &warc::sha256_hex(seed.as_bytes())[..8]
            );
            let tmp = dir.join(format!(".tmp-{name}"));
            no_symlink(&tmp)?;
            let file = File::options()
                .create_new(true)
                .write(true)
                .open(&tmp)
                .map_err(|e| io(&tmp, e))?;
            let early = EarlySync::new(&file);
            let mut p = Pending {
                tmp,
                name: name.clone(),
                early,
                file: std::io::BufWriter::with_capacity(1 << 20, file),
                offset: 0,
                entries: vec![],
                by_digest: HashMap::new(),
                hash: sha2::Digest::new(),
            };
            let info = format!("software: ibid/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n", env!("CARGO_PKG_VERSION"));
            let rec = NewRecord {
                headers: vec![
                    ("WARC-Type".into(), "warcinfo".into()),
                    (
                        "WARC-Record-ID".into(),
                        warc::record_id(format!("{name}/warcinfo").as_bytes()),
                    ),
                    ("WARC-Date".into(), now.iso()),
                    ("WARC-Filename".into(), name.clone()),
                    ("Content-Type".into(), "application/warc-fields".into()),
                ],
                block: info.into_bytes(),
            };
            append(&mut p, &rec, None)?;
            self.pending = Some(p);
        }
        Ok(self.pending.as_mut().expect("set above"))
    }

    /// The response entry with this payload digest, for deduplication.
    fn original_for(&mut self, payload_digest: &str) -> Option<Original> {
        if self.digests_of != self.entries.len() {
            self.by_digest = self
                .entries
                .iter()
                .filter(|e| !e.is_revisit())
                .map(|e| (e.digest.clone(), Original::of(e)))
                .collect();
            self.digests_of = self.entries.len();
        }
        if let Some(e) = self.by_digest.get(payload_digest) {
            return Some(e.clone());
        }
        self.pending.as_ref().and_then(|p| {
            p.by_digest
                .get(payload_digest)
                .map(|&i| Original::of(&p.entries[i]))
        })
    }

    /// Append a capture (every hop, its request, and a metadata record) to the pending WARC.
    pub fn add(&mut self, cap: &Capture) -> Result<(), StoreError> {
        self.add_prepared(prepare(cap, warc::DEFAULT_LEVEL))
    }

    /// Append a capture whose records were encoded beforehand (see [`prepare`]); only the
    /// deduplication decision, which needs the store, happens here.
    pub fn add_prepared(&mut self, cap: Prepared) -> Result<(), StoreError> {
        for hop in cap.hops {
            self.seq += 1;
            let dup = if hop.empty {
                None
            } else {
                self.original_for(&hop.payload_digest)
            };
            let bytes = match &dup {
                Some(orig) => {
                    let mut headers = hop.revisit_headers.clone();
                    headers.push(("WARC-Refers-To-Target-URI".into(), orig.url.clone()));
                    if let Some(t) = Timestamp::parse_digits(&orig.timestamp) {
                        headers.push(("WARC-Refers-To-Date".into(), t.iso()));
                    }
                    headers.push((
                        "Content-Type".into(),
                        "application/http;msgtype=response".into(),
                    ));
                    headers.push(("WARC-Payload-Digest".into(), hop.payload_digest.clone()));
                    warc::encode(&NewRecord {
                        headers,
                        block: hop.head.clone(),
                    })
                }
                None => hop.response,
            };
            let mut entry = hop.entry;
            if dup.is_some() {
                entry.mime = "warc/revisit".into();
            }
            let p = self.pending()?;
            entry.filename = p.name.clone();
            append_bytes(p, &bytes, Some(entry))?;
            append_bytes(p, &hop.request, None)?;
        }
        let p = self.pending()?;
        append_bytes(p, &cap.metadata, None)?;
        Ok(())
    }

    /// Make the pending WARC part of the store (see the module doc for the order of writes).
    pub fn commit(&mut self) -> Result<usize, StoreError> {
        let Some(mut p) = self.pending.take() else {
            return Ok(0);
        };
        p.early.finish();
        let file = p
            .file
            .into_inner()
            .map_err(|e| io(&p.tmp, e.into_error()))?;
        file.sync_all().map_err(|e| io(&p.tmp, e))?;
        drop(file);
        let dest = self.root.join(ARCHIVE_DIR).join(&p.name);
        no_symlink(&dest)?;
        fs::rename(&p.tmp, &dest).map_err(|e| io(&p.tmp, e))?;
        sync_dir(&self.root.join(ARCHIVE_DIR));
        let rel = format!("{ARCHIVE_DIR}/{}", p.name);
        let resource = Resource {
            path: rel,
            hash: format!("sha256:{}", warc::hex(&sha2::Digest::finalize(p.hash))),
            bytes: p.offset,
        };
        let n = p.entries.len();
        if self.digests_of == self.entries.len() {
            // keep the deduplication map current instead of rebuilding it from every entry; the
            // file's own map has each response's digest (the last of equal ones, as here)
            self.by_digest.reserve(p.by_digest.len());
            for (digest, i) in p.by_digest.drain() {
                self.by_digest.insert(digest, Original::of(&p.entries[i]));
            }
            self.digests_of += n;
        }
        self.entries.extend(p.entries);
        sort_entries(&mut self.entries);
        let index = cdxj::lines(&self.entries);
        let journal = Journal {
            warc: resource.clone(),
            index_hash: digest(index.as_bytes()),
        };
        write_atomic(
            &self.root.join(JOURNAL),
            &serde_json::to_vec_pretty(&journal).unwrap_or_default(),
        )?;
        self.manifest.resources.push(resource);
        // the text the journal's hash was taken of, written as it is: built and hashed once
        self.write_index_text_and_manifest(&index, journal.index_hash)?;
        let _ = fs::remove_file(self.root.join(JOURNAL));
        sync_dir(&self.root);
        Ok(n)
    }

    /// Every capture of `url`, oldest first.
    pub fn history(&self, url: &str) -> Vec<&Entry> {
        let key = cdxj::surt(url);
        let start = self.entries.partition_point(|e| e.surt < key);
        self.entries[start..]
            .iter()
            .take_while(|e| e.surt == key)
            .collect()
    }

    /// The first records of captures of other copies (archive, TimeGate, Wayback) made for
    /// `cited`.
    pub fn captures_for(&self, cited: &str) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| e.cited.as_deref() == Some(cited))
            .collect()
    }

    /// Every index entry, in index order (SURT, then timestamp, file and offset).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The record at `offset` of the archive file `name`, read alone (never the whole file).
    fn record_at(&self, name: &str, offset: u64) -> Result<warc::Record, StoreError> {
        if let Some(why) = paths::warc_name_problem(name) {
            return Err(StoreError::Corrupt {
                path: crate::text::one_line(name),
                message: format!("the index names a file outside the archive folder: it {why}"),
            });
        }
        let path = paths::confine(&self.root, &format!("{ARCHIVE_DIR}/{name}"))?;
        let file = paths::open_regular(&path)?;
        warc::read_file_at(file, offset).map_err(|m| StoreError::Corrupt {
            path: format!("{ARCHIVE_DIR}/{name}"),
            message: m.to_string(),
        })
    }

    /// The stored response behind an index entry, with revisits resolved and digests checked.
    pub fn load(&self, e: &Entry) -> Result<Stored, StoreError> {
        let corrupt = |m: String| StoreError::Corrupt {
            path: format!("{}/{} at offset {}", ARCHIVE_DIR, e.filename, e.offset),
            message: m,
        };
        let mut rec = self.record_at(&e.filename, e.offset())?;
        if rec.header("WARC-Block-Digest") != Some(digest(&rec.block).as_str()) {
            return Err(corrupt("block digest does not match the bytes".into()));
        }
        let (status, headers, payload) =
            warc::split_http(&rec.block).ok_or_else(|| corrupt("not an HTTP response".into()))?;
        // the payload is the block without its HTTP head, cut in place (no second copy of a
        // body of up to 64 MiB)
        let head_len = rec.block.len() - payload.len();
        let mut payload = std::mem::take(&mut rec.block);
        payload.drain(..head_len);
        let mut truncated = rec.header("WARC-Truncated").is_some();
        if rec.kind() == "revisit" {
            // usually an earlier capture of the same URL (found by its key); otherwise any
            let same = |o: &&Entry| o.digest == e.digest && !o.is_revisit();
            let orig = self
                .history(&e.url)
                .into_iter()
                .find(same)
                .or_else(|| self.entries.iter().find(same))
                .ok_or_else(|| corrupt("revisit of a payload the store does not hold".into()))?;
            let o = self.load(orig)?;
            payload = o.payload;
            // the payload is the original's: so is its being cut short
            truncated |= o.truncated;
        }
        if digest(&payload) != e.digest
            || rec.header("WARC-Payload-Digest") != Some(e.digest.as_str())
        {
            return Err(corrupt("payload digest does not match the bytes".into()));
        }
        Ok(Stored {
            status,
            headers,
            payload,
            truncated,
            date: rec.header("WARC-Date").unwrap_or("").to_string(),
            digest: e.digest.clone(),
            url: e.url.clone(),
        })
    }
}

/// A capture's records, encoded (gzipped) ahead of writing so that the expensive part runs in
/// parallel with fetching.
pub struct Prepared {
    hops: Vec<PreparedHop>,
    metadata: Vec<u8>,
}

impl Prepared {
    /// Compressed size of the records, should the payloads be new to the store.
    pub fn stored_bytes(&self) -> usize {
        self.metadata.len()
            + self
                .hops
                .iter()
                .map(|h| h.response.len() + h.request.len())
                .sum::<usize>()
    }
}

struct PreparedHop {
    payload_digest: String,
    empty: bool,
    /// Status line and headers, the block of a revisit record.
    head: Vec<u8>,
    /// The response record, gzipped.
    response: Vec<u8>,
    /// Headers for a revisit record, should the payload already be stored.
    revisit_headers: Vec<(String, String)>,
    request: Vec<u8>,
    entry: Entry,
}

/// Encode a capture's records. Record ids come from the URL, the time and a process-wide
/// counter, so they are unique without knowing where the records will land.
pub fn prepare(cap: &Capture, gzip_level: u32) -> Prepared {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nonce = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // asked once: a system call for each of thousands of captures showed in the profile
    static PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let pid = *PID.get_or_init(std::process::id);
    let mut hops = Vec::new();
    let mut first_id = None;
    // a capture of another copy names the cited URL on its first record (see `choice`)
    let rescue = cap.copy != crate::fetch::CopyKind::Live;
    for (n, hop) in cap.hops.iter().enumerate() {
        let rescue = rescue && n == 0;
        let payload_digest = digest(&hop.body);
        let id =
            warc::record_id(format!("{pid}/{nonce}/{n}/{}/{}", hop.time.secs, hop.url).as_bytes());
        let head = http_head(hop);
        let mut base = vec![
            ("WARC-Record-ID".to_string(), id.clone()),
            ("WARC-Date".into(), hop.time.iso()),
            ("WARC-Target-URI".into(), hop.url.clone()),
        ];
        if let Some(ip) = hop.ip {
            base.push(("WARC-IP-Address".into(), ip.to_string()));
        }
        let mut resp_headers = vec![("WARC-Type".to_string(), "response".to_string())];
        resp_headers.extend(base.iter().cloned());
        resp_headers.push((
            "Content-Type".into(),
            "application/http;msgtype=response".into(),
        ));
        resp_headers.push(("WARC-Payload-Digest".into(), payload_digest.clone()));
        if let Some(why) = &hop.truncated {
            resp_headers.push(("WARC-Truncated".into(), why.clone()));
        }
        let response = warc::encode_parts(&resp_headers, &[&head, &hop.body], gzip_level);
        let mut revisit_headers = vec![("WARC-Type".to_string(), "revisit".to_string())];
        revisit_headers.extend(base);
        revisit_headers.push((
            "WARC-Profile".into(),
            "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest".into(),
        ));
        let request = warc::encode(&NewRecord {
            headers: vec![
                ("WARC-Type".into(), "request".into()),
                (
                    "WARC-Record-ID".into(),
                    warc::record_id(
                        format!("{pid}/{nonce}/{n}/{}/{}/request", hop.time.secs, hop.url)
                            .as_bytes(),
                    ),
                ),
                ("WARC-Date".into(), hop.time.iso()),
                ("WARC-Target-URI".into(), hop.url.clone()),
                ("WARC-Concurrent-To".into(), id.clone()),
                (
                    "Content-Type".into(),
                    "application/http;msgtype=request".into(),
                ),
            ],
            block: request_block(hop),
        });
        let entry = Entry {
            surt: cdxj::surt(&hop.url),
            timestamp: hop.time.digits14(),
            url: hop.url.clone(),
            mime: mime_of(&hop.response_headers),
            status: hop.status.to_string(),
            digest: payload_digest.clone(),
            length: String::new(),
            offset: String::new(),
            filename: String::new(),
            copy: rescue.then_some(cap.copy),
            cited: rescue.then(|| cap.cited.clone()),
        };
        if n == 0 {
            first_id = Some(id);
        }
        hops.push(PreparedHop {
            payload_digest,
            empty: hop.body.is_empty(),
            head,
            response,
            revisit_headers,
            request,
            entry,
        });
    }
    // the metadata record: redirect chain, final URL, which copy, settings, version
    let mut fields = String::with_capacity(512 + cap.settings.len());
    let mut field = |k: &str, v: &str| push_field(&mut fields, k, v);
    field("ibid-version", env!("CARGO_PKG_VERSION"));
    field("requested-url", &cap.requested);
    for h in &cap.hops {
        field("hop", &format!("{} {}", h.status, h.url));
    }
    if let Some(f) = cap.final_exchange() {
        field("final-url", &f.url);
    }
    field("copy", cap.copy.as_str());
    field("cited-url", &cap.cited);
    if let Some(n) = &cap.note {
        field("note", n);
    }
    field("fetch-settings", &cap.settings);
    field("gzip-level", &gzip_level.to_string());
    let time = cap
        .hops
        .first()
        .map(|h| h.time)
        .unwrap_or_else(Timestamp::now);
    let mut headers = vec![
        ("WARC-Type".to_string(), "metadata".to_string()),
        (
            "WARC-Record-ID".into(),
            warc::record_id(
                format!("{pid}/{nonce}/{}/{}/metadata", time.secs, cap.requested).as_bytes(),
            ),
        ),
        ("WARC-Date".into(), time.iso()),
        ("WARC-Target-URI".into(), cap.requested.clone()),
    ];
    if let Some(id) = first_id {
        headers.push(("WARC-Concurrent-To".into(), id));
    }
    headers.push(("Content-Type".into(), "application/warc-fields".into()));
    let metadata = warc::encode(&NewRecord {
        headers,
        block: fields.into_bytes(),
    });
    Prepared { hops, metadata }
}

/// A response read back from the store.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The URL of the hop this response answered.
    pub url: String,
    /// HTTP status code.
    pub status: u16,
    /// HTTP response header fields as stored, in order.
    pub headers: Vec<(String, String)>,
    /// The body as stored: transfer decoding undone, content-encoding kept (for a revisit, the
    /// original's body).
    pub payload: Vec<u8>,
    /// The record (or the original a revisit points to) is marked `WARC-Truncated`: the body was
    /// cut at the size cap or by a broken connection.
    pub truncated: bool,
    /// WARC-Date of the capture.
    pub date: String,
    /// Payload digest (`sha256:` + hex), checked against `payload` when read.
    pub digest: String,
}

impl Stored {
    /// The first value of HTTP header field `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::fetch::header(&self.headers, name)
    }
}

fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        (&a.surt, &a.timestamp, &a.filename, a.offset()).cmp(&(
            &b.surt,
            &b.timestamp,
            &b.filename,
            b.offset(),
        ))
    });
}

fn append(p: &mut Pending, rec: &NewRecord, entry: Option<Entry>) -> Result<(), StoreError> {
    append_bytes(p, &warc::encode(rec), entry)
}

fn append_bytes(p: &mut Pending, bytes: &[u8], entry: Option<Entry>) -> Result<(), StoreError> {
    p.file.write_all(bytes).map_err(|e| io(&p.tmp, e))?;
    sha2::Digest::update(&mut p.hash, bytes);
    if let Some(mut e) = entry {
        e.offset = p.offset.to_string();
        e.length = bytes.len().to_string();
        if !e.is_revisit() {
            p.by_digest.insert(e.digest.clone(), p.entries.len());
        }
        p.entries.push(e);
    }
    p.offset += bytes.len() as u64;
    let on_disk = p.offset - p.file.buffer().len() as u64;
    p.early.maybe_start(on_disk);
    Ok(())
}

/// The index's mime: the Content-Type without parameters, lower case; `unk` when absent.
fn mime_of(headers: &[(String, String)]) -> String {
    crate::fetch::header(headers, "content-type")
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

/// Status line and headers of a response, as stored (transfer-encoding removed: the body is
/// stored de-chunked).
fn http_head(hop: &Exchange) -> Vec<u8> {
    let size: usize = hop
        .response_headers
        .iter()
        .map(|(k, v)| k.len() + v.len() + 4)
        .sum();
    let mut s = String::with_capacity(size + 64);
    s.push_str(&hop.http_version);
    s.push(' ');
    s.push_str(&hop.status.to_string());
    s.push(' ');
    s.push_str(&hop.reason);
    s.push_str("\r\n");
    for (k, v) in &hop.response_headers {
        if k.eq_ignore_ascii_case("transfer-encoding") {
            continue;
        }
        push_field(&mut s, k, v);
    }
    s.push_str("\r\n");
    s.into_bytes()
}

/// Append the line `name: value` + CRLF to `out`, with any CR or LF in the value turned into a
/// space, so a value cannot start a line of its own. Written piece by piece: a capture has a
/// few dozen such lines, and a `format!` for each was a fair share of encoding a small page.
fn push_field(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str(": ");
    if value.contains(['\r', '\n']) {
        out.extend(
            value
                .chars()
                .map(|c| if c == '\r' || c == '\n' { ' ' } else { c }),
        );
    } else {
        out.push_str(value);
    }
    out.push_str("\r\n");
}

fn request_block(hop: &Exchange) -> Vec<u8> {
    let (host, path) = split_url(&hop.url);
    let mut s = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n");
    for (k, v) in &hop.request_headers {
        if k.eq_ignore_ascii_case("host") {
            continue;
        }
        s.push_str(k);
        s.push_str(": ");
        s.push_str(v);
        s.push_str("\r\n");
    }
    s.push_str("\r\n");
    s.into_bytes()
}

fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map(|x| x.1).unwrap_or(url);
    match rest.find('/') {
        Some(p) => (&rest[..p], &rest[p..]),
        None => (rest, "/"),
    }
}

/// Index entries for every response and revisit record of a WARC file.
pub fn index_warc(name: &str, data: &[u8]) -> Result<Vec<Entry>, String> {
    index_records(name, warc::Reader::new(data))
}

/// [`index_warc`] on a file of the store, read one record at a time.
fn index_warc_file(name: &str, path: &Path) -> Result<Vec<Entry>, String> {
    let file = paths::open_regular(path).map_err(|e| e.to_string())?;
    index_records(
        name,
        warc::Reader::new(std::io::BufReader::with_capacity(256 * 1024, file)),
    )
}

/// Index entries for records as they are read: only the current record is in memory.
pub(crate) fn index_records(
    name: &str,
    recs: impl Iterator<Item = Result<warc::Record, warc::WarcError>>,
) -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    // record id of a response -> its entry, so a capture's metadata record can name the copy
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for r in recs {
        let r = r.map_err(|e| e.to_string())?;
        let kind = r.kind();
        if kind == "metadata" {
            mark_copy(&r, &first_of, &mut out);
            continue;
        }
        if kind != "response" && kind != "revisit" {
            continue;
        }
        let url = r.header("WARC-Target-URI").unwrap_or("").to_string();
        let date = r
            .header("WARC-Date")
            .and_then(Timestamp::parse_iso)
            .ok_or_else(|| format!("offset {}: bad WARC-Date", r.offset))?;
        let (status, headers, _) = warc::split_http(&r.block)
            .ok_or_else(|| format!("offset {}: block is not an HTTP response", r.offset))?;
        let mime = if kind == "revisit" {
            "warc/revisit".to_string()
        } else {
            mime_of(&headers)
        };
        out.push(Entry {
            surt: cdxj::surt(&url),
            timestamp: date.digits14(),
            url,
            mime,
            status: status.to_string(),
            digest: r.header("WARC-Payload-Digest").unwrap_or("").to_string(),
            length: r.length.to_string(),
            offset: r.offset.to_string(),
            filename: name.to_string(),
            copy: None,
            cited: None,
        });
        if let Some(id) = r.header("WARC-Record-ID") {
            first_of.insert(id.to_string(), out.len() - 1);
        }
    }
    Ok(out)
}

/// A metadata record written by ibid names the copy of its capture and the cited URL; put them
/// on the capture's first response entry, as `prepare` does when it writes them.
fn mark_copy(r: &warc::Record, first_of: &HashMap<String, usize>, out: &mut [Entry]) {
    let Some(&i) = r
        .header("WARC-Concurrent-To")
        .and_then(|id| first_of.get(id))
    else {
        return;
    };
    let text = String::from_utf8_lossy(&r.block);
    let field = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(k)?.strip_prefix(": "))
            .map(str::trim)
    };
    let copy = match field("copy").and_then(crate::fetch::CopyKind::parse) {
        Some(crate::fetch::CopyKind::Live) | None => return,
        Some(other) => other,
    };
    if let Some(cited) = field("cited-url") {
        out[i].copy = Some(copy);
        out[i].cited = Some(cited.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::{Capture, CopyKind, Exchange};

    fn capture(url: &str, body: &str) -> Capture {
        Capture {
            requested: url.into(),
            hops: vec![Exchange {
                url: url.into(),
                request_headers: vec![],
                http_version: "HTTP/1.1".into(),
                status: 200,
                reason: "OK".into(),
                response_headers: vec![("Content-Type".into(), "text/plain".into())],
                body: body.as_bytes().to_vec(),
                truncated: None,
                ip: None,
                time: Timestamp::now(),
            }],
            copy: CopyKind::Live,
            cited: url.into(),
            note: None,
            settings: "{}".into(),
        }
    }

    #[test]
    fn two_stores_in_one_second_never_share_a_file() {
        let dir = tempfile::tempdir().unwrap();
        for (url, body) in [
            ("http://a.example/", "first"),
            ("http://b.example/", "second"),
        ] {
            let (mut st, _) = Store::open(dir.path()).unwrap();
            st.add(&capture(url, body)).unwrap();
            st.commit().unwrap();
        }
        let st = Store::open_read(dir.path()).unwrap();
        for (url, body) in [
            ("http://a.example/", "first"),
            ("http://b.example/", "second"),
        ] {
            let e = st.history(url)[0];
            assert_eq!(st.load(e).unwrap().payload, body.as_bytes());
        }
        assert!(verify(dir.path()).ok());
    }

    #[test]
    fn a_warc_synced_early_while_written_commits_whole_and_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let (mut st, _) = Store::open(dir.path()).unwrap();
        // level 0 stores bodies as they are, so 40 captures of 128 KiB put 5 MiB in the file:
        // past EARLY_SYNC_EVERY twice
        st.configure(StoreSettings { gzip_level: 0 });
        let body = |i: usize| format!("{i:08}").repeat(16 * 1024);
        for i in 0..40 {
            let url = format!("http://example.com/{i}");
            st.add_prepared(prepare(&capture(&url, &body(i)), 0))
                .unwrap();
        }
        let p = st.pending.as_ref().unwrap();
        assert!(
            p.early.started_at >= EARLY_SYNC_EVERY,
            "no early sync was started after {} bytes",
            p.offset
        );
        assert_eq!(st.commit().unwrap(), 40);
        assert!(verify(dir.path()).ok());
        let st = Store::open_read(dir.path()).unwrap();
        for i in [0, 17, 39] {
            let e = st.history(&format!("http://example.com/{i}"))[0];
            assert_eq!(st.load(e).unwrap().payload, body(i).as_bytes());
        }
    }
}
