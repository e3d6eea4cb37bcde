//! `ibid export --wacz`: the store as one WACZ 1.1.1 file, the package Webrecorder's tools
//! exchange (ReplayWeb.page opens it; pywb and `ibid check --archive` read it).
//!
//! Layout: `archive/` the store's WARC files as they are (stored, not compressed again, so a
//! reader reaches a record by offset), `indexes/index.cdx.gz` the CDXJ index in gzip blocks of
//! 3,000 lines with `indexes/index.idx` naming each block's first key (the ZipNum layout
//! py-wacz writes), `pages/pages.jsonl` a page per cited source with its title,
//! `datapackage.json` every file's size and SHA-256, `datapackage-digest.json` the SHA-256 of
//! that. The WARCs are streamed, hashed as they are copied and checked against the store's
//! manifest: a file changed since it was written stops the export. A manifest naming a path
//! outside the store's layout (`..`, an absolute path) is refused before anything is written,
//! only regular files are read and never more than the manifest's size of each. The package is
//! written under a temporary name and renamed into place, never inside the store's folder.

use super::{cdxj::Entry, io, paths, Store, StoreError, ARCHIVE_DIR};
use crate::time::Timestamp;
use rawzip::{CompressionMethod, ZipArchiveWriter};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{BufWriter, Read, Write};
use std::path::Path;

/// The WACZ specification version written in `datapackage.json`.
pub const WACZ_VERSION: &str = "1.1.1";
/// CDXJ lines per gzip block of the index.
const BLOCK_LINES: usize = 3000;

/// A page of the package: a cited source, at the capture that is checked.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// The source id, or `page-N` when the export has no project file to name sources.
    pub id: String,
    /// The URL of the capture shown: the checked copy's last hop (an archive URL for a rescue).
    pub url: String,
    /// ISO 8601 capture time.
    pub ts: String,
    /// The reference's title for the source, else the title extracted from the page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// What was written.
#[derive(Debug, Default)]
pub struct Exported {
    /// WARC files copied into the package.
    pub warcs: usize,
    /// CDXJ lines in the package's index.
    pub index_lines: usize,
    /// Pages listed in `pages/pages.jsonl`.
    pub pages: usize,
    /// Size of the written package in bytes.
    pub bytes: u64,
}

#[derive(Serialize)]
struct Resource {
    name: String,
    path: String,
    hash: String,
    bytes: u64,
}

#[derive(Serialize)]
struct DataPackage<'a> {
    profile: &'static str,
    wacz_version: &'static str,
    title: &'a str,
    created: String,
    modified: String,
    software: String,
    #[serde(rename = "mainPageUrl", skip_serializing_if = "Option::is_none")]
    main_page_url: Option<&'a str>,
    #[serde(rename = "mainPageDate", skip_serializing_if = "Option::is_none")]
    main_page_date: Option<&'a str>,
    resources: &'a [Resource],
}

/// A writer that hashes and counts what passes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn zip_err(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Capture(format!("{}: writing the package: {e}", path.display()))
}

/// The index as ZipNum blocks: the compressed file and the block index.
fn zipnum(entries: &[Entry]) -> (Vec<u8>, String) {
    let mut gz = Vec::new();
    let mut idx =
        String::from("!meta 0 {\"format\": \"cdxj-gzip-1.0\", \"filename\": \"index.cdx.gz\"}\n");
    for block in entries.chunks(BLOCK_LINES) {
        let text = super::cdxj::lines(block);
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        // writing to a Vec cannot fail
        let _ = enc.write_all(text.as_bytes());
        let member = enc.finish().unwrap_or_default();
        idx.push_str(&format!(
            "{} {} {}\n",
            block[0].surt,
            block[0].timestamp,
            serde_json::json!({
                "offset": gz.len(),
                "length": member.len(),
                "digest": super::warc::digest(&member),
                "filename": "index.cdx.gz",
            })
        ));
        gz.extend_from_slice(&member);
    }
    (gz, idx)
}

/// `pages/pages.jsonl`: the header line, then a line per page.
fn pages_jsonl(pages: &[Page]) -> String {
    let mut s =
        serde_json::json!({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})
            .to_string();
    s.push('\n');
    for p in pages {
        s.push_str(&serde_json::to_string(p).unwrap_or_default());
        s.push('\n');
    }
    s
}

/// A WARC of the store that is not what its manifest says; `now` says what it is.
fn changed(src: &Path, r: &super::Resource, now: &str) -> StoreError {
    StoreError::Corrupt {
        path: src.display().to_string(),
        message: format!(
            "changed since it was written (manifest: {} bytes, {}; {now}); run `ibid verify`",
            r.bytes, r.hash
        ),
    }
}

/// Refuse a package path inside the store's folder (`dir` is the folder it is written in): the
/// package would replace a file of the store (its own WARC) or add one the store does not list.
/// Both are resolved as `merge` resolves the store merged into (links followed), so a relative
/// path or a link to the store is seen for what it is.
fn refuse_output_in_store(root: &Path, dir: &Path, out: &Path) -> Result<(), StoreError> {
    let (Ok(canon_root), Ok(dir)) = (std::fs::canonicalize(root), std::fs::canonicalize(dir))
    else {
        // no store folder, or no folder to write in (the write then says so)
        return Ok(());
    };
    let target = match out.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    };
    if target.starts_with(&canon_root) {
        return Err(StoreError::Capture(format!(
            "{}: is inside the snapshot store {}; write the package outside the store (it would replace or add a file of the store)",
            out.display(),
            root.display()
        )));
    }
    Ok(())
}

/// Write the store at `store` as a WACZ package at `out`, with `pages` listed.
pub fn export(store: &Store, pages: &[Page], out: &Path) -> Result<Exported, StoreError> {
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    super::no_symlink(out)?;
    refuse_output_in_store(&store.root, dir, out)?;
    paths::check_manifest_paths(&store.root, &store.manifest.resources)?;
    let tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(".wacz")
        .tempfile_in(dir)
        .map_err(|e| io(dir, e))?;
    let file = tmp.as_file().try_clone().map_err(|e| io(out, e))?;
    let mut zip = ZipArchiveWriter::new(BufWriter::with_capacity(1 << 20, file));
    let now = Timestamp::now();
    let mtime = rawzip::time::UtcDateTime::from_unix(now.secs);
    let mut resources = Vec::new();
    let mut report = Exported::default();
    let add = |zip: &mut ZipArchiveWriter<BufWriter<std::fs::File>>,
               path: &str,
               data: &mut dyn Read,
               deflate: bool|
     -> Result<(String, u64), StoreError> {
        let method = if deflate {
            CompressionMethod::DEFLATE
        } else {
            CompressionMethod::STORE
        };
        let (mut entry, config) = zip
            .new_file(path)
            .compression_method(method)
            .last_modified(mtime)
            .unix_permissions(0o644)
            .start()
            .map_err(|e| zip_err(out, e))?;
        let (hash, bytes, desc) = if deflate {
            let enc = flate2::write::DeflateEncoder::new(&mut entry, flate2::Compression::new(6));
            let mut w = Hashing {
                inner: config.wrap(enc),
                hash: Sha256::new(),
                bytes: 0,
            };
            std::io::copy(data, &mut w).map_err(|e| io(out, e))?;
            let Hashing { inner, hash, bytes } = w;
            let (enc, desc) = inner.finish().map_err(|e| zip_err(out, e))?;
            enc.finish().map_err(|e| io(out, e))?;
            (hash, bytes, desc)
        } else {
            let mut w = Hashing {
                inner: config.wrap(&mut entry),
                hash: Sha256::new(),
                bytes: 0,
            };
            std::io::copy(data, &mut w).map_err(|e| io(out, e))?;
            let Hashing { inner, hash, bytes } = w;
            let (_, desc) = inner.finish().map_err(|e| zip_err(out, e))?;
            (hash, bytes, desc)
        };
        entry.finish(desc).map_err(|e| zip_err(out, e))?;
        let hashed = (hash, bytes);
        Ok((
            format!("sha256:{}", super::warc::hex(&hashed.0.finalize())),
            hashed.1,
        ))
    };
    let mut resource = |path: &str, (hash, bytes): (String, u64)| {
        resources.push(Resource {
            name: path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase(),
            path: path.to_string(),
            hash,
            bytes,
        })
    };
    // the WARCs, checked against the manifest as they stream past
    for r in store
        .manifest
        .resources
        .iter()
        .filter(|r| r.path.starts_with(&format!("{ARCHIVE_DIR}/")))
    {
        let src = paths::confine(&store.root, &r.path)?;
        let f = paths::open_regular(&src)?;
        let len = f.metadata().map_err(|e| io(&src, e))?.len();
        if len != r.bytes {
            return Err(changed(&src, r, &format!("now {len} bytes")));
        }
        // never more than the manifest's size, should the file grow while it is read
        let (hash, bytes) = add(&mut zip, &r.path, &mut f.take(r.bytes), false)?;
        if hash != r.hash || bytes != r.bytes {
            return Err(changed(&src, r, &format!("now {bytes} bytes, {hash}")));
        }
        resource(&r.path, (hash, bytes));
        report.warcs += 1;
    }
    let (gz, idx) = zipnum(store.entries());
    report.index_lines = store.entries().len();
    let h = add(&mut zip, "indexes/index.cdx.gz", &mut gz.as_slice(), false)?;
    resource("indexes/index.cdx.gz", h);
    let h = add(&mut zip, "indexes/index.idx", &mut idx.as_bytes(), true)?;
    resource("indexes/index.idx", h);
    let jsonl = pages_jsonl(pages);
    report.pages = pages.len();
    let h = add(&mut zip, "pages/pages.jsonl", &mut jsonl.as_bytes(), true)?;
    resource("pages/pages.jsonl", h);
    let package = DataPackage {
        profile: "data-package",
        wacz_version: WACZ_VERSION,
        title: "ibid snapshots",
        created: now.iso(),
        modified: now.iso(),
        software: format!("ibid {}", env!("CARGO_PKG_VERSION")),
        main_page_url: pages.first().map(|p| p.url.as_str()),
        main_page_date: pages.first().map(|p| p.ts.as_str()),
        resources: &resources,
    };
    let json = serde_json::to_vec_pretty(&package).unwrap_or_default();
    let (digest, _) = add(&mut zip, "datapackage.json", &mut json.as_slice(), true)?;
    let digest_json = serde_json::to_vec_pretty(&serde_json::json!({
        "path": "datapackage.json",
        "hash": digest,
    }))
    .unwrap_or_default();
    add(
        &mut zip,
        "datapackage-digest.json",
        &mut digest_json.as_slice(),
        true,
    )?;
    let writer = zip.finish().map_err(|e| zip_err(out, e))?;
    let file = writer.into_inner().map_err(|e| io(out, e.into_error()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    file.sync_all().map_err(|e| io(out, e))?;
    report.bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    drop(file);
    tmp.persist(out).map_err(|e| io(out, e.error))?;
    super::sync_dir(dir);
    Ok(report)
}
