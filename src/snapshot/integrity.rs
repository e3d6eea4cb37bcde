//! `ibid verify`: every byte of the store re-hashed against the manifest, every record against
//! its own digests, and the index against a rebuild from the WARCs.

use super::{
    cdxj::Entry, index_warc, no_symlink, read_file, warc, Journal, Manifest, ARCHIVE_DIR,
    INDEX_PATH, JOURNAL, MANIFEST,
};
use std::collections::HashSet;
use std::path::Path;

#[derive(Debug, Default)]
pub struct VerifyReport {
    pub files: usize,
    pub records: usize,
    pub index_lines: usize,
    /// Each problem names the file (and record) and what is wrong.
    pub problems: Vec<String>,
    /// Things that are not damage: an interrupted run's uncommitted file.
    pub notes: Vec<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

pub fn verify(root: &Path) -> VerifyReport {
    let mut rep = VerifyReport::default();
    let mpath = root.join(MANIFEST);
    if let Err(e) = no_symlink(root) {
        rep.problems.push(e.to_string());
        return rep;
    }
    let manifest: Manifest = if mpath.exists() {
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
    let journal: Option<Journal> = match read_file(&root.join(JOURNAL)) {
        Ok(d) => match serde_json::from_slice(&d) {
            Ok(j) => Some(j),
            Err(e) => {
                rep.problems
                    .push(format!("{JOURNAL}: not a valid journal: {e}"));
                None
            }
        },
        Err(_) => None,
    };
    // 1. files against the manifest
    let mut index_matches_journal = false;
    let mut warcs: Vec<String> = Vec::new();
    for r in &manifest.resources {
        if r.path.contains("..") || r.path.starts_with('/') {
            rep.problems.push(format!(
                "{MANIFEST}: path {:?} points outside the store",
                r.path
            ));
            continue;
        }
        let p = root.join(&r.path);
        rep.files += 1;
        match read_file(&p) {
            Ok(data) => {
                let h = warc::digest(&data);
                if h != r.hash || data.len() as u64 != r.bytes {
                    if r.path == INDEX_PATH && journal.as_ref().is_some_and(|j| j.index_hash == h) {
                        index_matches_journal = true;
                    } else {
                        rep.problems.push(format!("{}: changed since it was written (manifest says {} bytes, {}; now {} bytes, {})", r.path, r.bytes, r.hash, data.len(), h));
                    }
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
    if let Some(j) = &journal {
        if index_matches_journal {
            match read_file(&root.join(&j.warc.path)) {
                Ok(d) if warc::digest(&d) == j.warc.hash => warcs.push(j.warc.path.clone()),
                _ => rep.problems.push(format!(
                    "{JOURNAL}: names {} but that file does not match",
                    j.warc.path
                )),
            }
        }
    }
    // 2. every record against its digests; rebuild the index
    let mut rebuilt: Vec<Entry> = Vec::new();
    let mut payloads: HashSet<String> = HashSet::new();
    let mut revisits: Vec<(String, String)> = Vec::new();
    for rel in &warcs {
        let Ok(data) = read_file(&root.join(rel)) else {
            continue;
        };
        let name = rel
            .trim_start_matches(&format!("{ARCHIVE_DIR}/"))
            .to_string();
        match warc::read_all(&data) {
            Ok(recs) => {
                for r in &recs {
                    rep.records += 1;
                    let id = r.header("WARC-Record-ID").unwrap_or("?");
                    let uri = r.header("WARC-Target-URI").unwrap_or("");
                    let at = format!("{rel} offset {} ({} {id} {uri})", r.offset, r.kind());
                    if r.header("WARC-Block-Digest") != Some(warc::digest(&r.block).as_str()) {
                        rep.problems
                            .push(format!("{at}: block digest does not match"));
                    }
                    match r.kind() {
                        "response" => {
                            let pd = warc::split_http(&r.block).map(|(_, _, p)| warc::digest(p));
                            if pd.as_deref() != r.header("WARC-Payload-Digest") {
                                rep.problems
                                    .push(format!("{at}: payload digest does not match"));
                            } else if let Some(d) = pd {
                                payloads.insert(d);
                            }
                        }
                        "revisit" => revisits.push((
                            at,
                            r.header("WARC-Payload-Digest").unwrap_or("").to_string(),
                        )),
                        _ => {}
                    }
                }
                match index_warc(&name, &data) {
                    Ok(e) => rebuilt.extend(e),
                    Err(m) => rep.problems.push(format!("{rel}: {m}")),
                }
            }
            Err(e) => rep
                .problems
                .push(format!("{rel}: unreadable record at {e}")),
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
    let ipath = root.join(INDEX_PATH);
    let index_text = match read_file(&ipath) {
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
    if let Ok(rd) = std::fs::read_dir(root.join(ARCHIVE_DIR)) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let rel = format!("{ARCHIVE_DIR}/{name}");
            if name.starts_with(".tmp-") {
                rep.notes.push(format!(
                    "{rel}: temporary file of an interrupted run; the next fetch removes it"
                ));
            } else if !warcs.contains(&rel)
                && (name.ends_with(".warc.gz") || name.ends_with(".warc"))
            {
                rep.notes.push(format!(
                    "{rel}: not yet committed (an interrupted run); the next fetch adopts it"
                ));
            }
        }
    }
    rep
}
