//! `ibid verify`: every byte of the store re-hashed against the manifest, every record against
//! its own digests, and the index against a rebuild from the WARCs.

use super::paths::{
    confine, hash_file, layout_problem, manifest_path_problem, open_regular, refuse_link,
    warc_name_problem,
};
use super::{
    cdxj::Entry, index_records, read_file, warc, Journal, Manifest, StoreError, ARCHIVE_DIR,
    INDEX_PATH, JOURNAL, LOCK, MANIFEST,
};
use std::collections::HashSet;
use std::path::Path;

/// What `ibid verify` found: counts of what was checked, problems (damage) and notes.
#[derive(Debug, Default)]
pub struct VerifyReport {
    /// Files the manifest lists that were re-hashed (WARC files and the index).
    pub files: usize,
    /// WARC records read and checked against their own digests.
    pub records: usize,
    /// Lines of the index on disk, compared with a rebuild from the WARC files.
    pub index_lines: usize,
    /// Each problem names the file (and record) and what is wrong.
    pub problems: Vec<String>,
    /// Things that are not damage: an interrupted run's uncommitted file.
    pub notes: Vec<String>,
}

impl VerifyReport {
    /// No problem found (notes do not count: they are not damage).
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Is there a store at `root` at all? A folder that does not exist or holds nothing of a store
/// (a typo in `--store`) must not verify as "all digests match".
pub fn presence(root: &Path) -> Result<(), StoreError> {
    let missing = |message: &str| StoreError::Corrupt {
        path: root.display().to_string(),
        message: message.into(),
    };
    let m = std::fs::symlink_metadata(root)
        .map_err(|_| missing("no snapshot store here: the folder does not exist"))?;
    if m.file_type().is_symlink() {
        return Err(missing(
            "is a symbolic link; the store does not follow links",
        ));
    }
    if !m.is_dir() {
        return Err(missing("is not a folder, so not a snapshot store"));
    }
    let has = |rel: &str| std::fs::symlink_metadata(root.join(rel)).is_ok();
    let any_warc = std::fs::read_dir(root.join(ARCHIVE_DIR))
        .map(|rd| rd.flatten().next().is_some())
        .unwrap_or(false);
    if !(has(MANIFEST) || has(INDEX_PATH) || has(JOURNAL) || has(LOCK) || any_warc) {
        return Err(missing(
            "is empty: no manifest.json, index or WARC file (is --store the right folder?)",
        ));
    }
    Ok(())
}

/// Check the store at `root`: every file against the manifest, every record against its digests,
/// the index against a rebuild. Never fails: whatever cannot be read is a problem in the report.
pub fn verify(root: &Path) -> VerifyReport {
    let mut rep = VerifyReport::default();
    if let Err(e) = presence(root) {
        rep.problems.push(e.to_string());
        return rep;
    }
    // what the writers refuse to follow (the lock too: a writer would take a linked one for
    // its own and lock a file elsewhere)
    for dir in [ARCHIVE_DIR, "indexes", LOCK] {
        if let Err(e) = refuse_link(&root.join(dir)) {
            rep.problems.push(e.to_string());
            return rep;
        }
    }
    let mpath = root.join(MANIFEST);
    let manifest: Manifest = if std::fs::symlink_metadata(&mpath).is_ok() {
        match read_file(&mpath).map(|d| serde_json::from_slice::<Manifest>(&d)) {
            Ok(Ok(m)) => m,
            Ok(Err(e)) => {
                rep.problems
                    .push(format!("{MANIFEST}: not a valid manifest: {e}"));
                return rep;
            }
            Err(e) => {
                rep.problems.push(e.to_string());
                return rep;
            }
        }
    } else {
        Manifest::default()
    };
    let journal = read_journal(root, &mut rep);
    // the index as it is now: the journal's when a commit was cut short after writing it
    // (on the first commit there is no manifest entry for the index yet)
    let index_hash = confine(root, INDEX_PATH)
        .and_then(|p| hash_file(&p))
        .ok()
        .map(|(h, _)| h);
    let index_is_journals = journal
        .as_ref()
        .is_some_and(|j| Some(&j.index_hash) == index_hash.as_ref());
    // 1. files against the manifest
    let mut warcs: Vec<String> = Vec::new();
    for r in &manifest.resources {
        if let Some(problem) = manifest_path_problem(&r.path) {
            rep.problems.push(format!("{MANIFEST}: {problem}"));
            continue;
        }
        rep.files += 1;
        match confine(root, &r.path).and_then(|p| hash_file(&p)) {
            Ok((h, bytes)) => {
                let changed = h != r.hash || bytes != r.bytes;
                if changed && !(r.path == INDEX_PATH && index_is_journals) {
                    rep.problems.push(format!("{}: changed since it was written (manifest says {} bytes, {}; now {} bytes, {})", r.path, r.bytes, r.hash, bytes, h));
                }
            }
            Err(e) => rep
                .problems
                .push(format!("{}: missing or unreadable: {e}", r.path)),
        }
        if r.path.starts_with(ARCHIVE_DIR) {
            warcs.push(r.path.clone());
        }
    }
    if let Some(j) = journal.as_ref().filter(|_| index_is_journals) {
        if !warcs.contains(&j.warc.path) {
            match confine(root, &j.warc.path).and_then(|p| hash_file(&p)) {
                Ok((h, _)) if h == j.warc.hash => warcs.push(j.warc.path.clone()),
                _ => rep.problems.push(format!(
                    "{JOURNAL}: names {} but that file does not match",
                    crate::text::one_line(&j.warc.path)
                )),
            }
        }
    }
    // 2. every record against its digests, one record at a time; rebuild the index
    let mut rebuilt: Vec<Entry> = Vec::new();
    let mut payloads: HashSet<String> = HashSet::new();
    let mut revisits: Vec<(String, String)> = Vec::new();
    for rel in &warcs {
        let Ok(file) = confine(root, rel).and_then(|p| open_regular(&p)) else {
            continue;
        };
        let name = rel
            .trim_start_matches(&format!("{ARCHIVE_DIR}/"))
            .to_string();
        let records = warc::Reader::new(std::io::BufReader::with_capacity(256 * 1024, file))
            .inspect(|r| {
                if let Ok(r) = r {
                    check_record(rel, r, &mut rep, &mut payloads, &mut revisits);
                }
            });
        match index_records(&name, records) {
            Ok(e) => rebuilt.extend(e),
            Err(m) => rep
                .problems
                .push(format!("{rel}: unreadable record at {m}")),
        }
    }
    for (at, d) in revisits {
        if !payloads.contains(&d) {
            rep.problems.push(format!(
                "{at}: revisit of payload {d}, which no response record holds"
            ));
        }
    }
    // 3. the index against the rebuild
    super::sort_entries(&mut rebuilt);
    let index_text = match confine(root, INDEX_PATH).and_then(|p| read_file(&p)) {
        Ok(d) => String::from_utf8_lossy(&d).to_string(),
        Err(_) if rebuilt.is_empty() => String::new(),
        Err(e) => {
            rep.problems.push(format!("{INDEX_PATH}: {e}"));
            String::new()
        }
    };
    let lines: Vec<&str> = index_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    rep.index_lines = lines.len();
    let want: Vec<String> = rebuilt.iter().map(|e| e.line()).collect();
    let have: HashSet<&str> = lines.iter().copied().collect();
    let want_set: HashSet<&str> = want.iter().map(|s| s.as_str()).collect();
    for (n, l) in lines.iter().enumerate() {
        if !want_set.contains(l) {
            rep.problems.push(format!(
                "{INDEX_PATH}:{}: line does not match any record in the WARCs: {}",
                n + 1,
                l.chars().take(160).collect::<String>()
            ));
        }
    }
    for w in &want {
        if !have.contains(w.as_str()) {
            rep.problems.push(format!(
                "{INDEX_PATH}: no line for record {}",
                w.chars().take(160).collect::<String>()
            ));
        }
    }
    // lines that differ from the rebuild only in their key: an index written by a version of
    // ibid with other key rules, not damage to the archive
    let unkeyed = |l: &str| l.split_once(' ').map_or("", |x| x.1).to_string();
    let stray: Vec<String> = lines
        .iter()
        .filter(|l| !want_set.contains(*l))
        .map(|l| unkeyed(l))
        .collect();
    if !stray.is_empty() {
        let want_unkeyed: HashSet<String> = want.iter().map(|w| unkeyed(w)).collect();
        if stray.iter().all(|l| want_unkeyed.contains(l)) {
            rep.notes.push(format!(
                "{INDEX_PATH}: {} line(s) differ from the rebuild only in their URL key (an index written by another version of ibid?); `ibid reindex` rewrites it from the WARCs",
                stray.len()
            ));
        }
    }
    if lines.windows(2).any(|w| w[0] > w[1]) && want_set.len() == lines.len() {
        // same lines in the wrong order
        let sorted: Vec<&str> = want.iter().map(|s| s.as_str()).collect();
        if sorted != lines {
            rep.problems
                .push(format!("{INDEX_PATH}: lines are not sorted"));
        }
    }
    // 4. files on disk that nothing lists
    unlisted_files(root, &warcs, &mut rep);
    rep
}

/// The journal of an interrupted commit, if any; a journal naming a path outside the store's
/// layout is a problem and is not followed.
fn read_journal(root: &Path, rep: &mut VerifyReport) -> Option<Journal> {
    let path = root.join(JOURNAL);
    std::fs::symlink_metadata(&path).ok()?;
    let j: Journal = match read_file(&path).map(|d| serde_json::from_slice(&d)) {
        Ok(Ok(j)) => j,
        Ok(Err(e)) => {
            rep.problems
                .push(format!("{JOURNAL}: not a valid journal: {e}"));
            return None;
        }
        Err(e) => {
            rep.problems.push(e.to_string());
            return None;
        }
    };
    if let Some(why) = layout_problem(&j.warc.path).or_else(|| {
        (!j.warc.path.starts_with(ARCHIVE_DIR)).then_some("is not a WARC file of archive/")
    }) {
        rep.problems.push(format!(
            "{JOURNAL}: path {} {why}; a store file may name only files of the store",
            crate::text::one_line(&format!("{:?}", j.warc.path))
        ));
        return None;
    }
    Some(j)
}

/// One record against its own digests; response payloads and revisits are collected so that
/// every revisit can be matched with a response afterwards.
fn check_record(
    rel: &str,
    r: &warc::Record,
    rep: &mut VerifyReport,
    payloads: &mut HashSet<String>,
    revisits: &mut Vec<(String, String)>,
) {
    rep.records += 1;
    let id = r.header("WARC-Record-ID").unwrap_or("?");
    let uri = r.header("WARC-Target-URI").unwrap_or("");
    let at = crate::text::one_line(&format!(
        "{rel} offset {} ({} {id} {uri})",
        r.offset,
        r.kind()
    ));
    let problems = digest_problems(r);
    for p in &problems {
        rep.problems.push(format!("{at}: {p}"));
    }
    match r.kind() {
        "response" if problems.is_empty() => {
            if let Some(d) = r.header("WARC-Payload-Digest") {
                payloads.insert(d.to_string());
            }
        }
        "revisit" => revisits.push((
            at,
            r.header("WARC-Payload-Digest").unwrap_or("").to_string(),
        )),
        _ => {}
    }
}

/// What is wrong with a record against its own digests: the block digest of every record, the
/// payload digest of a response. `verify` reports these and `merge` refuses a file with any,
/// so a merged store passes `verify`.
pub(crate) fn digest_problems(r: &warc::Record) -> Vec<&'static str> {
    let mut out = Vec::new();
    if r.header("WARC-Block-Digest") != Some(warc::digest(&r.block).as_str()) {
        out.push("block digest does not match");
    }
    if r.kind() == "response" {
        let pd = warc::split_http(&r.block).map(|(_, _, p)| warc::digest(p));
        if pd.as_deref() != r.header("WARC-Payload-Digest") {
            out.push("payload digest does not match");
        }
    }
    out
}

/// Files in archive/ that no manifest entry lists: an interrupted run's temporary or
/// uncommitted file is a note; a symbolic link, a device or a FIFO is a problem, because every
/// writer (fetch, reindex) refuses the store while it is there.
fn unlisted_files(root: &Path, listed: &[String], rep: &mut VerifyReport) {
    let Ok(rd) = std::fs::read_dir(root.join(ARCHIVE_DIR)) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let rel = format!("{ARCHIVE_DIR}/{name}");
        let shown = crate::text::one_line(&rel);
        let kind = e.file_type().ok();
        if kind.is_some_and(|k| k.is_symlink()) {
            rep.problems.push(format!(
                "{shown}: is a symbolic link; the store does not follow links (fetch and reindex refuse the store until it is removed)"
            ));
        } else if !kind.is_some_and(|k| k.is_file()) {
            rep.problems.push(format!(
                "{shown}: is not a regular file (a folder, device, FIFO or socket); the store holds only regular files"
            ));
        } else if name.starts_with(".tmp-") {
            rep.notes.push(format!(
                "{shown}: temporary file of an interrupted run; the next fetch removes it"
            ));
        } else if !listed.contains(&rel) && warc_name_problem(&name).is_none() {
            rep.notes.push(format!(
                "{shown}: not yet committed (an interrupted run); the next fetch adopts it"
            ));
        }
    }
}
