//! A WACZ package read in place: its WARCs (`archive/`, stored, as WACZ requires) become windows
//! of the zip file, its index (`indexes/`) is read, nothing is extracted. A package is refused
//! whole when an entry's name leaves it (`../`, an absolute path) or when entries overlap (the
//! trick of the smallest zip bombs); deflated members are inflated only within a size limit.

use super::blob::{Blob, Span};
use super::{
    index_limit, index_text, is_index_name, is_warc_name, refused, too_large, why_none,
    ArchiveError, IndexText, Layout,
};
use super::{Parts, WarcFile};
use rawzip::{CompressionMethod, ZipArchiveEntryWayfinder};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// More entries than this is not a web archive package.
const MAX_MEMBERS: usize = 1_000_000;

/// Does a member's name point outside the package when extracted?
pub fn leaves_package(name: &str) -> bool {
    name.starts_with('/')
        || name.starts_with('\\')
        || name.contains('\0')
        || name.as_bytes().get(1) == Some(&b':')
        || name.split(['/', '\\']).any(|c| c == "..")
}

struct Member {
    name: String,
    way: ZipArchiveEntryWayfinder,
    method: CompressionMethod,
    /// Where its data lies in the zip file.
    start: u64,
    end: u64,
}

pub(super) fn parts(path: &Path, blob: Arc<Blob>) -> Result<Parts, ArchiveError> {
    let mut buf = vec![0u8; rawzip::RECOMMENDED_BUFFER_SIZE];
    let len = blob.len();
    let zip = rawzip::ZipLocator::new()
        .locate_in_reader(blob.clone(), &mut buf, len)
        .map_err(|(_, e)| refused(path, format!("not a readable zip file: {e}")))?;
    let mut heads = Vec::new();
    {
        let mut it = zip.entries(&mut buf);
        while let Some(h) = it
            .next_entry()
            .map_err(|e| refused(path, format!("zip central directory: {e}")))?
        {
            if heads.len() >= MAX_MEMBERS {
                return Err(refused(
                    path,
                    format!("more than {MAX_MEMBERS} entries; not a WACZ package"),
                ));
            }
            let raw = h.file_path();
            let name = std::str::from_utf8(raw.as_ref())
                .map_err(|_| refused(path, "an entry name is not UTF-8"))?
                .to_string();
            if leaves_package(&name) {
                return Err(refused(
                    path,
                    format!(
                        "entry {:?} points outside the package (an absolute path or ..); \
                         the package is not read",
                        crate::text::one_line(&name)
                    ),
                ));
            }
            if h.is_dir() {
                continue;
            }
            heads.push((name, h.wayfinder(), h.compression_method()));
        }
    }
    let mut members = Vec::with_capacity(heads.len());
    for (name, way, method) in heads {
        let entry = zip
            .get_entry(way)
            .map_err(|e| refused(path, format!("entry {name}: {e}")))?;
        let (start, end) = entry.compressed_data_range();
        if end > len || start > end {
            return Err(refused(
                path,
                format!("entry {name}: its data lies past the end of the file"),
            ));
        }
        members.push(Member {
            name,
            way,
            method,
            start,
            end,
        });
    }
    no_overlap(path, &members)?;
    let mut out = Parts {
        layout: Layout::Wacz,
        files: vec![],
        indexes: vec![],
        problems: vec![],
    };
    let shown = path.display().to_string();
    for m in &members {
        if let Some(rest) = m.name.strip_prefix("archive/") {
            if !is_warc_name(rest) {
                continue;
            }
            if m.method != CompressionMethod::STORE {
                out.problems.push(format!(
                    "{shown}: {} is compressed inside the package (WACZ stores WARCs \
                     uncompressed so records can be reached by offset); skipped",
                    m.name
                ));
                continue;
            }
            out.files.push(WarcFile {
                name: rest.to_string(),
                span: Span {
                    blob: blob.clone(),
                    start: m.start,
                    len: m.end - m.start,
                },
            });
        }
    }
    // indexes after the WARCs: how much index text is believable depends on their size
    let limit = index_limit(out.files.iter().map(|f| f.span.len).sum());
    for m in &members {
        if m.name.starts_with("indexes/") && is_index_name(&m.name) {
            let named = format!("{shown}: {}", m.name);
            match member_bytes(&zip, m, limit).and_then(|b| index_text(&named, &b, limit)) {
                Ok(text) => out.indexes.push(IndexText { name: named, text }),
                Err(e) => out.problems.push(e),
            }
        }
    }
    if out.files.is_empty() {
        return Err(refused(
            path,
            why_none(
                "no readable WARC files under archive/ in the package",
                &out.problems,
            ),
        ));
    }
    Ok(out)
}

/// Entries whose data overlap: one compressed stream counted many times is how a few
/// kilobytes claim terabytes.
fn no_overlap(path: &Path, members: &[Member]) -> Result<(), ArchiveError> {
    let mut ranges: Vec<(u64, u64, &str)> = members
        .iter()
        .filter(|m| m.end > m.start)
        .map(|m| (m.start, m.end, m.name.as_str()))
        .collect();
    ranges.sort();
    for w in ranges.windows(2) {
        if w[1].0 < w[0].1 {
            return Err(refused(
                path,
                format!(
                    "entries {} and {} share their data (overlapping entries: a zip bomb?); \
                     the package is not read",
                    w[0].2, w[1].2
                ),
            ));
        }
    }
    Ok(())
}

/// A member's bytes: stored ones as they are, deflated ones inflated (CRC and size checked)
/// up to `max` bytes.
fn member_bytes(
    zip: &rawzip::ZipArchive<Arc<Blob>>,
    m: &Member,
    max: u64,
) -> Result<Vec<u8>, String> {
    let entry = zip
        .get_entry(m.way)
        .map_err(|e| format!("{}: {e}", m.name))?;
    let mut out = Vec::new();
    let limit = max + 1;
    let read = match m.method {
        CompressionMethod::STORE => entry
            .verifying_reader(entry.reader())
            .take(limit)
            .read_to_end(&mut out),
        CompressionMethod::DEFLATE => {
            let inflate = flate2::read::DeflateDecoder::new(entry.reader());
            entry
                .verifying_reader(inflate)
                .take(limit)
                .read_to_end(&mut out)
        }
        other => {
            return Err(format!(
                "{}: compression method {other:?} is not read (only stored and deflated)",
                m.name
            ))
        }
    };
    read.map_err(|e| format!("{}: {e}", m.name))?;
    if out.len() as u64 > max {
        return Err(too_large(&m.name, max));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_package() {
        for bad in [
            "../evil.warc.gz",
            "archive/../../x",
            "/etc/passwd",
            "\\\\server\\share",
            "C:/x",
            "archive\\..\\x",
        ] {
            assert!(leaves_package(bad), "{bad}");
        }
        for good in ["archive/a.warc.gz", "indexes/index.cdx.gz", "a..b/c"] {
            assert!(!leaves_package(good), "{good}");
        }
    }
}
