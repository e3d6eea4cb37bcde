//! Every path a store file names (the manifest's resources, the journal's WARC, the index's
//! file names) is resolved here and confined to the store before anything opens it: a plain
//! relative name in the store's own layout (`archive/NAME.warc.gz`, `indexes/index.cdxj`), no
//! `..`, nothing absolute, no symbolic link on the way, and only regular files are read (a
//! device such as /dev/zero or a FIFO is refused before it is opened, and opened without
//! blocking should it be swapped in after the check). A store copied from elsewhere is data,
//! never a way to make ibid read another file.

use super::{Resource, StoreError, ARCHIVE_DIR, INDEX_PATH, MANIFEST};
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why `rel` is not a path of the store's layout, or `None` when it is.
pub fn layout_problem(rel: &str) -> Option<&'static str> {
    if rel == INDEX_PATH {
        return None;
    }
    if rel.starts_with('/') || rel.starts_with('\\') || rel.contains(':') {
        return Some("is an absolute path");
    }
    if rel.split(['/', '\\']).any(|p| p == "..") {
        return Some("climbs out of the store with ..");
    }
    let Some(name) = rel
        .strip_prefix(ARCHIVE_DIR)
        .and_then(|r| r.strip_prefix('/'))
    else {
        return Some("is not in archive/ (nor the index)");
    };
    warc_name_problem(name)
}

/// What is wrong with a path a manifest lists, said as `verify` says it (`path "..." climbs
/// out of the store with ..; ...`), or `None` when it names a file of the store. Every reader
/// of a manifest (verify, merge, export, a writer's recovery) asks this one function.
pub fn manifest_path_problem(rel: &str) -> Option<String> {
    layout_problem(rel).map(|why| {
        format!(
            "path {} {why}; a store file may name only files of the store",
            crate::text::one_line(&format!("{rel:?}"))
        )
    })
}

/// Refuse a manifest (of the store at `root`) that lists any path outside the store's layout,
/// before any file it lists is opened: the error names the manifest and the path.
pub fn check_manifest_paths(root: &Path, resources: &[Resource]) -> Result<(), StoreError> {
    match resources
        .iter()
        .find_map(|r| manifest_path_problem(&r.path))
    {
        Some(message) => Err(StoreError::Corrupt {
            path: root.join(MANIFEST).display().to_string(),
            message,
        }),
        None => Ok(()),
    }
}

/// Why `name` is not a WARC file name of the archive folder, or `None`.
pub fn warc_name_problem(name: &str) -> Option<&'static str> {
    if name.contains(['/', '\\', '\0']) {
        return Some("names a file in a sub-folder");
    }
    if name.starts_with('.') {
        return Some("names a hidden or temporary file");
    }
    if !(name.ends_with(".warc.gz") || name.ends_with(".warc")) {
        return Some("is not a .warc.gz or .warc file");
    }
    None
}

/// `rel` (a path a store file names) resolved under `root`, after checking that it is in the
/// store's layout and that no folder on the way is a symbolic link.
pub fn confine(root: &Path, rel: &str) -> Result<PathBuf, StoreError> {
    if let Some(why) = layout_problem(rel) {
        return Err(StoreError::Corrupt {
            path: crate::text::one_line(rel),
            message: format!("{why}; a store file may name only files of the store"),
        });
    }
    let mut p = root.to_path_buf();
    for part in rel.split('/') {
        p.push(part);
        refuse_link(&p)?;
    }
    Ok(p)
}

/// A symbolic link where the store expects a file or folder is refused, not followed.
pub fn refuse_link(p: &Path) -> Result<(), StoreError> {
    match fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => Err(StoreError::Corrupt {
            path: p.display().to_string(),
            message: "is a symbolic link; the store does not follow links".into(),
        }),
        _ => Ok(()),
    }
}

/// Open `p` for reading if it is a regular file that is not a symbolic link (see
/// [`crate::files::open_regular`]: no link followed, no blocking on a FIFO).
pub fn open_regular(p: &Path) -> Result<File, StoreError> {
    crate::files::open_regular(p, true).map_err(|e| file_error(p, e))
}

fn file_error(p: &Path, e: crate::files::FileError) -> StoreError {
    match e {
        crate::files::FileError::Io(source) => StoreError::Io {
            path: p.display().to_string(),
            source,
        },
        e => StoreError::Corrupt {
            path: p.display().to_string(),
            message: e.to_string(),
        },
    }
}

/// The whole of a regular file (manifest, journal, index).
pub fn read_regular(p: &Path) -> Result<Vec<u8>, StoreError> {
    let mut f = open_regular(p)?;
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut data = Vec::with_capacity(usize::try_from(len).unwrap_or(0).min(1 << 30));
    f.read_to_end(&mut data).map_err(|e| StoreError::Io {
        path: p.display().to_string(),
        source: e,
    })?;
    Ok(data)
}

/// SHA-256 (`sha256:` + hex) and size of a regular file, read in blocks: a WARC of any size is
/// hashed in constant memory.
pub fn hash_file(p: &Path) -> Result<(String, u64), StoreError> {
    use sha2::Digest;
    let mut f = open_regular(p)?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(|e| StoreError::Io {
            path: p.display().to_string(),
            source: e,
        })?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((format!("sha256:{}", super::warc::hex(&h.finalize())), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_store_layout_is_accepted() {
        for ok in [
            "indexes/index.cdxj",
            "archive/ibid-20240101000000-abcd1234.warc.gz",
            "archive/x.warc",
        ] {
            assert_eq!(layout_problem(ok), None, "{ok}");
        }
        for bad in [
            "archive/../../x/creds.txt",
            "../x.warc.gz",
            "/etc/passwd",
            "archive//etc/passwd.warc.gz",
            "archive/sub/x.warc.gz",
            "archive/.tmp-x.warc.gz",
            "archive/x.txt",
            "manifest.json",
            "journal.json",
            "C:\\x.warc.gz",
            "archive\\..\\x.warc.gz",
            "",
        ] {
            assert!(layout_problem(bad).is_some(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_devices_and_fifos_are_refused_without_blocking() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        fs::create_dir_all(root.join("archive")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("archive/z.warc.gz")).unwrap();
        let e = confine(root, "archive/z.warc.gz").unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
        assert!(open_regular(Path::new("/dev/zero")).is_err());
        let fifo = root.join("archive/f.warc.gz");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = read_regular(&fifo).unwrap_err().to_string();
            assert!(e.contains("not a regular file"), "{e}");
        }
        // a symlinked folder on the way is refused too
        fs::create_dir_all(root.join("elsewhere")).unwrap();
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("indexes")).unwrap();
        let e = confine(root, INDEX_PATH).unwrap_err().to_string();
        assert!(e.contains("symbolic link"), "{e}");
    }
}
