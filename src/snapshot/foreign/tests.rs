//! Archives as other tools write them, constructed here byte by byte (the real tools make more
//! in CI: see tests/archives.rs), and damaged ones.

use super::digest::{base32, Algorithm, Digest};
use super::*;
use crate::snapshot::choice::{decide, Cited};
use std::io::Write;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn sha1_b32(data: &[u8]) -> String {
    format!(
        "sha1:{}",
        base32(&Digest::of_parts(Algorithm::Sha1, &[data]).bytes)
    )
}

fn record(version: &str, headers: &[(&str, String)], block: &[u8]) -> Vec<u8> {
    let mut r = format!("WARC/{version}\r\n");
    for (k, v) in headers {
        r.push_str(&format!("{k}: {v}\r\n"));
    }
    r.push_str(&format!("Content-Length: {}\r\n\r\n", block.len()));
    let mut r = r.into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn chunked(body: &str) -> String {
    let (a, b) = body.split_at(body.len() / 2);
    format!("{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n", a.len(), b.len())
}

/// A wget capture: WARC/1.0, gzip per record, sha1 in base32, the body kept chunked as it came
/// (and its payload digest taken over the chunked bytes), a request and a metadata record.
fn wget_capture(url: &str, date: &str, id: &str, body: &str) -> Vec<u8> {
    let raw = chunked(body);
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n{raw}");
    let request = format!(
        "GET / HTTP/1.1\r\nHost: {}\r\n\r\n",
        crate::snapshot::shard::host_key(url)
    );
    let mut out = gz(&record(
        "1.0",
        &[
            ("WARC-Type", "request".into()),
            ("WARC-Target-URI", format!("<{url}>")),
            ("WARC-Date", date.into()),
            ("WARC-Record-ID", format!("<urn:uuid:{id}-req>")),
            ("Content-Type", "application/http;msgtype=request".into()),
            ("WARC-Block-Digest", sha1_b32(request.as_bytes())),
        ],
        request.as_bytes(),
    ));
    out.extend(gz(&record(
        "1.0",
        &[
            ("WARC-Type", "response".into()),
            ("WARC-Record-ID", format!("<urn:uuid:{id}>")),
            ("WARC-Warcinfo-ID", "<urn:uuid:info>".into()),
            ("WARC-Concurrent-To", format!("<urn:uuid:{id}-req>")),
            ("WARC-Target-URI", format!("<{url}>")),
            ("WARC-Date", date.into()),
            ("WARC-IP-Address", "127.0.0.1".into()),
            ("WARC-Block-Digest", sha1_b32(http.as_bytes())),
            ("WARC-Payload-Digest", sha1_b32(raw.as_bytes())),
            ("Content-Type", "application/http;msgtype=response".into()),
        ],
        http.as_bytes(),
    )));
    out
}

fn wget_warcinfo() -> Vec<u8> {
    gz(&record(
        "1.0",
        &[
            ("WARC-Type", "warcinfo".into()),
            ("WARC-Record-ID", "<urn:uuid:info>".into()),
            ("WARC-Date", "2024-05-02T10:00:00Z".into()),
            ("Content-Type", "application/warc-fields".into()),
        ],
        b"software: Wget/1.21.3 (linux-gnu)\r\nformat: WARC File Format 1.0\r\n",
    ))
}

/// A Browsertrix/warcio.js capture: WARC/1.1, sha256 in hex, page metadata headers.
fn browsertrix_capture(url: &str, date: &str, body: &str) -> Vec<u8> {
    let http = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    gz(&record(
        "1.1",
        &[
            ("WARC-Target-URI", url.into()),
            ("WARC-Date", date.into()),
            ("WARC-Type", "response".into()),
            ("WARC-Record-ID", format!("<urn:uuid:{date}>")),
            ("WARC-Page-ID", "a3f1".into()),
            ("WARC-Resource-Type", "document".into()),
            ("WARC-JSON-Metadata", "{\"ipType\":\"public\"}".into()),
            ("Content-Type", "application/http; msgtype=response".into()),
            (
                "WARC-Payload-Digest",
                crate::snapshot::warc::digest(body.as_bytes()),
            ),
            (
                "WARC-Block-Digest",
                crate::snapshot::warc::digest(http.as_bytes()),
            ),
        ],
        http.as_bytes(),
    ))
}

/// A zip written by hand, so that names and offsets can be what an attacker makes them.
#[derive(Default)]
struct RawZip {
    out: Vec<u8>,
    central: Vec<u8>,
    count: u16,
}

impl RawZip {
    fn add(&mut self, name: &str, data: &[u8], deflate: bool) -> u32 {
        let offset = self.out.len() as u32;
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let stored = if deflate {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        } else {
            data.to_vec()
        };
        let method: u16 = if deflate { 8 } else { 0 };
        let local = |out: &mut Vec<u8>| {
            out.extend_from_slice(&0x04034b50u32.to_le_bytes());
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&[0, 0, 0x21, 0]);
            out.extend_from_slice(&crc.sum().to_le_bytes());
            out.extend_from_slice(&(stored.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
        };
        local(&mut self.out);
        self.out.extend_from_slice(&stored);
        self.central_entry(
            name,
            method,
            crc.sum(),
            stored.len() as u32,
            data.len() as u32,
            offset,
        );
        offset
    }

    /// A second name for the data of an earlier entry (how overlapping zip bombs are made).
    fn alias(&mut self, name: &str, of_offset: u32, size: u32) {
        self.central_entry(name, 0, 0, size, size, of_offset);
    }

    fn central_entry(
        &mut self,
        name: &str,
        method: u16,
        crc: u32,
        csize: u32,
        usize: u32,
        offset: u32,
    ) {
        let c = &mut self.central;
        c.extend_from_slice(&0x02014b50u32.to_le_bytes());
        c.extend_from_slice(&[20, 3, 20, 0]);
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&method.to_le_bytes());
        c.extend_from_slice(&[0, 0, 0x21, 0]);
        c.extend_from_slice(&crc.to_le_bytes());
        c.extend_from_slice(&csize.to_le_bytes());
        c.extend_from_slice(&usize.to_le_bytes());
        c.extend_from_slice(&(name.len() as u16).to_le_bytes());
        c.extend_from_slice(&[0; 8]);
        c.extend_from_slice(&0o100644u32.wrapping_shl(16).to_le_bytes());
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name.as_bytes());
        self.count += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let at = self.out.len() as u32;
        self.out.extend_from_slice(&self.central);
        self.out.extend_from_slice(&0x06054b50u32.to_le_bytes());
        self.out.extend_from_slice(&[0; 4]);
        self.out.extend_from_slice(&self.count.to_le_bytes());
        self.out.extend_from_slice(&self.count.to_le_bytes());
        self.out
            .extend_from_slice(&(self.central.len() as u32).to_le_bytes());
        self.out.extend_from_slice(&at.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes());
        self.out
    }
}

/// A Browsertrix-style WACZ: two captures of one page a year apart, a ZipNum CDXJ index.
fn browsertrix_wacz() -> Vec<u8> {
    let a = browsertrix_capture(
        "https://news.example/story",
        "2023-05-01T12:00:00.000Z",
        "<p>first version</p>",
    );
    let b = browsertrix_capture(
        "https://news.example/story",
        "2024-05-01T12:00:00.000Z",
        "<p>second version</p>",
    );
    let warc = [a.clone(), b].concat();
    let line = |off: usize, len: usize, ts: &str, body: &str| {
        format!(
            "example,news)/story {ts} {{\"url\":\"https://news.example/story\",\"mime\":\"text/html\",\"status\":\"200\",\"digest\":\"{}\",\"length\":\"{len}\",\"offset\":\"{off}\",\"filename\":\"crawl.warc.gz\"}}\n",
            crate::snapshot::warc::digest(body.as_bytes())
        )
    };
    let cdxj = line(0, a.len(), "20230501120000", "<p>first version</p>")
        + &line(
            a.len(),
            warc.len() - a.len(),
            "20240501120000",
            "<p>second version</p>",
        );
    let mut z = RawZip::default();
    z.add("archive/crawl.warc.gz", &warc, false);
    z.add("indexes/index.cdx.gz", &gz(cdxj.as_bytes()), false);
    z.add(
        "indexes/index.idx",
        b"!meta 0 {\"format\": \"cdxj-gzip-1.0\"}\n",
        true,
    );
    z.add(
        "pages/pages.jsonl",
        b"{\"format\": \"json-pages-1.0\"}\n",
        true,
    );
    z.add("datapackage.json", b"{}", true);
    z.finish()
}

fn corrupt_message(r: Result<Stored, StoreError>) -> String {
    match r {
        Err(StoreError::Corrupt { message, .. }) => message,
        Err(e) => panic!("not a corruption: {e}"),
        Ok(_) => panic!("loaded"),
    }
}

#[test]
fn a_wget_folder_is_read_with_its_cdx_and_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let first = wget_capture(
        "http://a.example/page",
        "2024-05-02T10:00:00Z",
        "1",
        "<p>the speech</p>",
    );
    let second = wget_capture(
        "http://b.example/",
        "2024-05-02T10:00:01Z",
        "2",
        "<p>other</p>",
    );
    let info = wget_warcinfo();
    let file = [info.clone(), first.clone(), second].concat();
    std::fs::write(dir.path().join("crawl.warc.gz"), &file).unwrap();
    let scanned = ForeignArchive::open(dir.path()).unwrap();
    assert_eq!(scanned.layout, Layout::Folder);
    assert_eq!(scanned.scanned, vec!["crawl.warc.gz"]);
    assert!(scanned.problems.is_empty(), "{:?}", scanned.problems);
    let e = scanned.history("http://a.example/page");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].status, "200");
    assert_eq!(e[0].mime, "text/html");
    let s = scanned.load(e[0]).unwrap();
    assert_eq!(s.payload, b"<p>the speech</p>", "de-chunked");
    assert_eq!(
        s.digest,
        crate::snapshot::warc::digest(b"<p>the speech</p>")
    );
    // wget's own CDX: the same entries, found through it
    let cdx = scanned
        .entries()
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {} {} {} - - {} crawl.warc.gz\n",
                e.url,
                e.timestamp,
                e.url,
                e.mime,
                e.status,
                e.digest.trim_start_matches("sha1:"),
                e.offset
            )
        })
        .collect::<String>();
    std::fs::write(
        dir.path().join("crawl.cdx"),
        format!(" CDX a b a m s k r M V g\n{cdx}"),
    )
    .unwrap();
    let indexed = ForeignArchive::open(dir.path()).unwrap();
    assert!(indexed.scanned.is_empty());
    assert_eq!(indexed.indexes_read.len(), 1);
    let urls = |a: &ForeignArchive| {
        a.entries()
            .iter()
            .map(|e| (e.url.clone(), e.offset.clone(), e.status.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(urls(&indexed), urls(&scanned));
    let e = indexed.history("http://a.example/page")[0];
    let s = indexed.load(e).unwrap();
    assert_eq!(s.payload, b"<p>the speech</p>");
}

#[test]
fn a_warcio_file_uncompressed_with_fractional_dates() {
    let body = "<p>warcio</p>";
    let http = format!("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n{body}");
    let file = record(
        "1.1",
        &[
            ("WARC-Type", "response".into()),
            ("WARC-Record-ID", "<urn:uuid:w1>".into()),
            ("WARC-Target-URI", "http://c.example/x".into()),
            ("WARC-Date", "2024-05-02T10:00:00.123456Z".into()),
            ("WARC-Payload-Digest", sha1_b32(body.as_bytes())),
            ("WARC-Block-Digest", sha1_b32(http.as_bytes())),
            ("Content-Type", "application/http; msgtype=response".into()),
        ],
        http.as_bytes(),
    );
    let a = ForeignArchive::from_bytes("capture.warc", [file.clone(), file].concat()).unwrap();
    assert_eq!(a.layout, Layout::WarcFile);
    assert_eq!(a.entries().len(), 2);
    let e = a.history("http://c.example/x")[1];
    assert_eq!(e.timestamp, "20240502100000");
    assert_eq!(a.load(e).unwrap().payload, body.as_bytes());
}

#[test]
fn a_browsertrix_wacz_answers_with_the_capture_nearest_the_access_date() {
    let a = ForeignArchive::from_bytes("crawl.wacz", browsertrix_wacz()).unwrap();
    assert_eq!(a.layout, Layout::Wacz);
    assert_eq!(a.indexes_read.len(), 1, "{:?}", a.problems);
    assert!(a.scanned.is_empty());
    // the latest capture checked is said to differ from the one before; an older one is not
    for (accessed, want, changed) in [
        (Some("1 June 2023"), "<p>first version</p>", false),
        (Some("2024-04-30"), "<p>second version</p>", true),
        (None, "<p>second version</p>", true),
    ] {
        let d = decide(
            &a,
            Cited {
                url: "https://news.example/story",
                archive_url: None,
                accessed,
            },
            &[],
        );
        let chosen = d.chosen.expect("a copy");
        assert_eq!(
            a.load(chosen.entry).unwrap().payload,
            want.as_bytes(),
            "{accessed:?}"
        );
        let codes: Vec<_> = d.findings.iter().map(|f| f.code).collect();
        let want_codes = if changed {
            vec![crate::findings::Code::SourceChanged]
        } else {
            vec![]
        };
        assert_eq!(codes, want_codes, "{accessed:?}");
    }
}

#[test]
fn a_wrong_digest_is_corrupt_and_says_what_the_bytes_hash_to() {
    let good = browsertrix_capture(
        "https://news.example/x",
        "2024-05-01T12:00:00Z",
        "<p>as captured</p>",
    );
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&good[..]), &mut plain).unwrap();
    let text = String::from_utf8(plain).unwrap();
    // the body changed after capture, the block digest recomputed to match (a careful forger):
    // the payload digest still tells
    let forged_http = text
        .split("\r\n\r\n")
        .skip(1)
        .collect::<Vec<_>>()
        .join("\r\n\r\n")
        .trim_end()
        .replace("as captured", "as changed!");
    let block_digest = crate::snapshot::warc::digest(forged_http.as_bytes());
    let forged = text
        .replace("as captured", "as changed!")
        .lines()
        .map(|l| {
            if l.starts_with("WARC-Block-Digest") {
                format!("WARC-Block-Digest: {block_digest}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let a = ForeignArchive::from_bytes("x.warc.gz", gz(forged.as_bytes())).unwrap();
    let e = a.history("https://news.example/x")[0];
    let m = corrupt_message(a.load(e));
    assert!(m.contains("payload digest does not match"), "{m}");
    // and a changed byte under an unchanged block digest
    let a = ForeignArchive::from_bytes(
        "y.warc.gz",
        gz(text.replace("as captured", "as changed!").as_bytes()),
    )
    .unwrap();
    let m = corrupt_message(a.load(a.history("https://news.example/x")[0]));
    assert!(
        m.contains("block digest does not match") && m.contains("sha256:"),
        "{m}"
    );
}

#[test]
fn a_truncated_file_keeps_the_records_before_the_damage() {
    let a = browsertrix_capture("https://a.example/", "2024-05-01T12:00:00Z", "<p>a</p>");
    let b = browsertrix_capture("https://b.example/", "2024-05-01T12:00:01Z", "<p>b</p>");
    let file = [a.clone(), b[..b.len() - 10].to_vec()].concat();
    let arch = ForeignArchive::from_bytes("cut.warc.gz", file).unwrap();
    assert_eq!(arch.entries().len(), 1);
    assert!(arch.load(&arch.entries()[0]).is_ok());
    assert_eq!(arch.problems.len(), 1);
    let p = &arch.problems[0];
    assert!(
        p.starts_with(&format!("cut.warc.gz: offset {}:", a.len())),
        "{p}"
    );
    assert!(p.contains("the 1 record(s) before it are read"), "{p}");
}

#[test]
fn warc_0_17_is_named_not_misread() {
    let rec = String::from_utf8(record(
        "0.17",
        &[("WARC-Type", "response".into())],
        b"HTTP/1.0 200 OK\r\n\r\nold",
    ))
    .unwrap();
    let a = ForeignArchive::from_bytes("old.warc.gz", gz(rec.as_bytes())).unwrap();
    assert!(a.entries().is_empty());
    assert!(
        a.problems[0].contains("WARC/0.17 records are not supported"),
        "{:?}",
        a.problems
    );
}

#[test]
fn a_package_naming_paths_outside_itself_is_refused() {
    let mut z = RawZip::default();
    z.add("archive/ok.warc.gz", &wget_warcinfo(), false);
    z.add("../../etc/cron.d/evil", b"* * * * * root sh", false);
    let Err(ArchiveError::Refused { message, .. }) =
        ForeignArchive::from_bytes("evil.wacz", z.finish())
    else {
        panic!("accepted a package with ../ names");
    };
    assert!(message.contains("points outside the package"), "{message}");
}

#[test]
fn overlapping_entries_a_zip_bomb_are_refused() {
    let mut z = RawZip::default();
    let off = z.add("archive/a.warc.gz", &wget_warcinfo(), false);
    for i in 0..3 {
        z.alias(&format!("archive/copy{i}.warc.gz"), off, 100);
    }
    let Err(ArchiveError::Refused { message, .. }) =
        ForeignArchive::from_bytes("bomb.wacz", z.finish())
    else {
        panic!("accepted overlapping entries");
    };
    assert!(message.contains("share their data"), "{message}");
}

#[test]
fn a_deflated_warc_or_a_lying_index_member_is_skipped_with_a_reason() {
    let mut z = RawZip::default();
    z.add("archive/packed.warc.gz", &wget_warcinfo(), true);
    z.add(
        "archive/fine.warc.gz",
        &browsertrix_capture("https://a.example/", "2024-05-01T12:00:00Z", "x"),
        false,
    );
    // a deflated index of no lines: read, and the WARC it does not cover is scanned
    z.add("indexes/index.cdxj", &[b'\n'; 5000], true);
    let a = ForeignArchive::from_bytes("mixed.wacz", z.finish()).unwrap();
    assert_eq!(a.file_count(), 1);
    assert!(
        a.problems
            .iter()
            .any(|p| p.contains("packed.warc.gz is compressed inside the package")),
        "{:?}",
        a.problems
    );
    assert_eq!(a.entries().len(), 1);
    assert_eq!(a.scanned, vec!["fine.warc.gz"]);
}

#[test]
fn index_lines_naming_files_outside_the_folder_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        secret.path(),
        wget_capture("http://s.example/", "2024-05-02T10:00:00Z", "9", "secret"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a.warc.gz"),
        browsertrix_capture("https://a.example/", "2024-05-01T12:00:00Z", "x"),
    )
    .unwrap();
    let line = |f: &str| {
        format!("example,s)/ 20240502100000 {{\"url\":\"http://s.example/\",\"status\":\"200\",\"offset\":\"0\",\"filename\":\"{f}\"}}\n")
    };
    let abs = secret.path().display().to_string();
    std::fs::write(
        dir.path().join("index.cdxj"),
        line("../../x.warc.gz") + &line(&abs) + &line("a.warc.gz/../a.warc.gz"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(secret.path(), dir.path().join("link.warc.gz")).unwrap();
    let a = ForeignArchive::open(dir.path()).unwrap();
    assert!(a.history("http://s.example/").is_empty());
    assert!(
        a.problems
            .iter()
            .any(|p| p.contains("3 line(s) name files that are not in the archive")),
        "{:?}",
        a.problems
    );
    #[cfg(unix)]
    assert!(
        a.problems
            .iter()
            .any(|p| p.contains("link.warc.gz: a symbolic link; not followed")),
        "{:?}",
        a.problems
    );
    assert_eq!(a.file_count(), 1);
}

#[test]
fn a_revisit_without_an_http_head_answers_as_its_original() {
    // Heritrix writes revisits whose block is empty; the index has no status for them
    let body = "<p>same</p>";
    let orig = wget_capture("http://h.example/", "2024-05-02T10:00:00Z", "h1", body);
    let revisit = gz(&record(
        "1.0",
        &[
            ("WARC-Type", "revisit".into()),
            ("WARC-Record-ID", "<urn:uuid:h2>".into()),
            ("WARC-Target-URI", "http://h.example/".into()),
            ("WARC-Date", "2024-06-02T10:00:00Z".into()),
            ("WARC-Payload-Digest", sha1_b32(chunked(body).as_bytes())),
            (
                "WARC-Profile",
                "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest".into(),
            ),
        ],
        b"",
    ));
    let a = ForeignArchive::from_bytes("h.warc.gz", [orig, revisit].concat()).unwrap();
    let h = a.history("http://h.example/");
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].status, "200", "status taken from the original");
    let s = a.load(h[1]).unwrap();
    assert_eq!((s.status, s.payload.as_slice()), (200, body.as_bytes()));
}

#[test]
fn chunked_bodies_and_lies_about_sizes() {
    assert_eq!(
        dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").unwrap(),
        b"abcde"
    );
    assert!(dechunk(b"ffffffffffffffff\r\nabc\r\n0\r\n\r\n").is_none());
    assert!(dechunk(b"5\r\nabc\r\n0\r\n\r\n").is_none());
    assert!(dechunk(b"<html>not chunked</html>").is_none());
}

#[test]
fn an_index_far_larger_than_its_warcs_is_not_read() {
    // a deflated index member inflating to 65 MiB of spaces for WARCs of a few hundred bytes
    let warc = browsertrix_capture(
        "https://news.example/story",
        "2023-05-01T12:00:00.000Z",
        "<p>first version</p>",
    );
    let mut z = RawZip::default();
    z.add("archive/crawl.warc.gz", &warc, false);
    z.add("indexes/index.cdxj", &vec![b' '; 65 << 20], true);
    let bytes = z.finish();
    assert!(bytes.len() < 1 << 20, "the package is small");
    let a = ForeignArchive::from_bytes("bomb.wacz", bytes).unwrap();
    assert!(a.indexes_read.is_empty());
    assert!(
        a.problems.iter().any(|p| p.contains("larger than 64 MiB")),
        "{:?}",
        a.problems
    );
    assert_eq!(
        a.history("https://news.example/story").len(),
        1,
        "the WARC is read instead"
    );
    assert_eq!(index_limit(1_000), 64 << 20);
    assert_eq!(index_limit(1 << 30), MAX_INDEX);
}

#[test]
fn a_package_whose_warcs_are_all_compressed_says_so() {
    let warc = browsertrix_capture(
        "https://news.example/story",
        "2023-05-01T12:00:00.000Z",
        "<p>first version</p>",
    );
    let mut z = RawZip::default();
    z.add("archive/crawl.warc.gz", &warc, true);
    let err = ForeignArchive::from_bytes("deflated.wacz", z.finish())
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("compressed inside the package"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_folder_whose_warcs_were_all_skipped_says_why() {
    let d = tempfile::tempdir().unwrap();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::os::unix::fs::symlink(outside.path(), d.path().join("a.warc.gz")).unwrap();
    let err = ForeignArchive::open(d.path())
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("a.warc.gz: a symbolic link"), "{err}");
}
