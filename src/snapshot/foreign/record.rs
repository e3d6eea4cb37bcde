//! Reading WARC records as other tools write them, one at a time and in bounded memory: gzip
//! per record (the norm) or uncompressed, WARC/1.0 (wget, Heritrix) or WARC/1.1 (warcio,
//! Browsertrix, ibid), headers folded over lines or ended by bare LF. A record is read from its
//! offset to the end of its gzip member; nothing past the file (or the WARC's window inside a
//! WACZ) can be reached.

use super::blob::{Counted, Span};
use super::digest::{Algorithm, Digest, Unusable};
use crate::fetch::Headers;
use std::io::{BufRead, BufReader, Read};

/// Longest header section accepted (WARC headers, and an HTTP head inside a block).
const MAX_HEAD: usize = 1 << 20;
/// Block bytes kept in memory when a record is loaded: beyond this the block is still hashed
/// to its end, but only the first part is kept (and the source is marked truncated).
pub const MAX_KEEP: usize = 64 << 20;
/// Blocks of ibid metadata records are read while indexing when no larger than this.
const MAX_METADATA: u64 = 64 << 10;
/// Bytes after a record's block in its gzip member: CR and LF only, a few of them.
const MAX_TRAILER: usize = 64 << 10;
/// Read buffer while scanning a file.
const SCAN_BUFFER: usize = 256 << 10;

/// A record's header section.
#[derive(Debug, Clone)]
pub struct Head {
    /// `1.0` or `1.1`.
    pub version: String,
    /// WARC header fields in order, as written (folded lines joined).
    pub headers: Headers,
    /// Content-Length: the block's size.
    pub block_len: u64,
}

impl Head {
    /// The first value of WARC header field `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::fetch::header(&self.headers, name)
    }
    /// The record's `WARC-Type` (response, revisit, request, metadata, ...); empty when absent.
    pub fn kind(&self) -> &str {
        self.header("WARC-Type").unwrap_or("")
    }
    /// WARC-Target-URI, without the angle brackets some WARC/1.0 writers put around it.
    pub fn target(&self) -> &str {
        let t = self.header("WARC-Target-URI").unwrap_or("").trim();
        t.strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(t)
    }
    /// Does the block hold an HTTP message (response, revisit of one)?
    fn holds_http(&self) -> bool {
        matches!(self.kind(), "response" | "revisit")
            && self
                .header("Content-Type")
                .is_none_or(|c| c.to_ascii_lowercase().starts_with("application/http"))
    }
}

/// A record found while indexing a file.
#[derive(Debug, Clone)]
pub struct Indexed {
    /// Byte offset in the file where the record starts (its gzip member, or `WARC/` when plain).
    pub offset: u64,
    /// Bytes the record takes in the file (its gzip member).
    pub length: u64,
    /// The record's WARC header section.
    pub head: Head,
    /// Status and headers of the HTTP message the block holds.
    pub http: Option<(u16, Headers)>,
    /// The block of a small metadata record (ibid's name the copy a capture is).
    pub block: Option<Vec<u8>>,
}

/// What a digest field said about the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// The record gives no such digest.
    Absent,
    /// An algorithm this reader does not compute, or a value that is no digest.
    Unusable(String),
    /// The bytes hash to the value the field gives.
    Matches,
    /// The bytes hash to something else: the canonical digest they have.
    Differs(String),
}

/// A record loaded to be read: its block (or the first `MAX_KEEP` bytes of it) and what its
/// block digest said. The payload digest is checked by the caller, which knows how to find the
/// payload (after the HTTP head, de-chunked or not).
#[derive(Debug)]
pub struct Loaded {
    /// The record's WARC header section.
    pub head: Head,
    /// The block: the whole of it, or its first `MAX_KEEP` bytes when `cut`.
    pub block: Vec<u8>,
    /// The block was longer than `MAX_KEEP`: `block` is its beginning.
    pub cut: bool,
    /// What `WARC-Block-Digest` said about the block (checked over all of it, even when cut).
    pub block_check: Check,
    /// With `cut`: the payload digest, checked while streaming (after the HTTP head, raw).
    pub streamed_payload_check: Option<Check>,
}

/// A record that cannot be read: where it starts and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("offset {offset}: {message}")]
pub struct RecordError {
    /// Byte offset in the file where the record starts.
    pub offset: u64,
    /// What is wrong with it.
    pub message: String,
}

fn err(offset: u64, message: impl Into<String>) -> RecordError {
    RecordError {
        offset,
        message: message.into(),
    }
}

fn is_gzip(start: &[u8]) -> bool {
    start.starts_with(&[0x1f, 0x8b])
}

/// Read a header section: the version line, then `Name: value` lines to an empty line.
fn read_head(r: &mut impl BufRead, offset: u64) -> Result<Head, RecordError> {
    let mut line = Vec::new();
    let mut used = 0usize;
    let mut next_line = |r: &mut dyn BufRead, line: &mut Vec<u8>| -> Result<bool, RecordError> {
        line.clear();
        let n = r
            .take((MAX_HEAD - used.min(MAX_HEAD)) as u64 + 1)
            .read_until(b'\n', line)
            .map_err(|e| err(offset, io_message(&e)))?;
        used += n;
        if used > MAX_HEAD {
            return Err(err(offset, "WARC header section longer than 1 MiB"));
        }
        while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            line.pop();
        }
        Ok(n > 0)
    };
    if !next_line(r, &mut line)? {
        return Err(err(offset, "record ends before its first line"));
    }
    let first = String::from_utf8_lossy(&line).to_string();
    let version = match first.strip_prefix("WARC/") {
        Some(v @ ("1.0" | "1.1")) => v.to_string(),
        Some(v) => {
            return Err(err(
                offset,
                format!(
                    "WARC/{} records are not supported (WARC/1.0 and WARC/1.1 are)",
                    v.chars().take(12).collect::<String>()
                ),
            ))
        }
        None if first.starts_with("filedesc://") => {
            return Err(err(
                offset,
                "an ARC file (the format before WARC), which ibid does not read; convert it to WARC first",
            ))
        }
        None => {
            return Err(err(
                offset,
                format!(
                    "not a WARC record (starts with {:?})",
                    first.chars().take(24).collect::<String>()
                ),
            ))
        }
    };
    let mut headers: Headers = Vec::new();
    loop {
        if !next_line(r, &mut line)? {
            return Err(err(offset, "record ends inside its headers"));
        }
        if line.is_empty() {
            break;
        }
        let text = String::from_utf8_lossy(&line);
        if text.starts_with([' ', '\t']) {
            // a folded header continues the one before it
            match headers.last_mut() {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(text.trim());
                }
                None => return Err(err(offset, "header continuation before any header")),
            }
            continue;
        }
        let (k, v) = text.split_once(':').ok_or_else(|| {
            err(
                offset,
                format!(
                    "bad header line {:?}",
                    text.chars().take(60).collect::<String>()
                ),
            )
        })?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let block_len = crate::fetch::header(&headers, "Content-Length")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| err(offset, "missing or bad Content-Length"))?;
    Ok(Head {
        version,
        headers,
        block_len,
    })
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            "the data ends early (a truncated file or gzip member)".into()
        }
        _ => format!("{e}"),
    }
}

/// Status and headers of an HTTP head at the start of `block`, and where the payload starts.
/// Tolerates bare LF line ends.
pub fn http_head(block: &[u8]) -> Option<(u16, Headers, usize)> {
    let crlf = crate::snapshot::warc::find(block, b"\r\n\r\n").map(|p| p + 4);
    let lf = crate::snapshot::warc::find(block, b"\n\n").map(|p| p + 2);
    let end = match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    let head = String::from_utf8_lossy(&block[..end]);
    let mut lines = head.lines();
    let status_line = lines.next()?;
    if !status_line.starts_with("HTTP/") {
        return None;
    }
    let status: u16 = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some((status, headers, end))
}

/// Skip `n` bytes; false when the data ended first.
fn skip(r: &mut impl BufRead, mut n: u64) -> std::io::Result<bool> {
    while n > 0 {
        let avail = r.fill_buf()?.len();
        if avail == 0 {
            return Ok(false);
        }
        let k = (avail as u64).min(n) as usize;
        r.consume(k);
        n -= k as u64;
    }
    Ok(true)
}

/// What indexing keeps of a block: the HTTP status and headers, a small metadata block.
type IndexedBlock = (Option<(u16, Headers)>, Option<Vec<u8>>);

/// The block as indexing needs it: the HTTP head of a response, the whole of a small ibid
/// metadata record, nothing else. Leaves `r` at the block's end.
fn index_block(
    r: &mut impl BufRead,
    head: &Head,
    offset: u64,
) -> Result<IndexedBlock, RecordError> {
    let short = || {
        err(
            offset,
            "the block is shorter than its Content-Length (truncated?)",
        )
    };
    let io = |e: std::io::Error| err(offset, io_message(&e));
    if head.holds_http() {
        let want = head.block_len.min(MAX_HEAD as u64);
        let mut start = Vec::with_capacity(want.min(16 << 10) as usize);
        // the head is usually in the first few hundred bytes: read in growing steps
        let mut step = 4096u64;
        let mut http = None;
        while (start.len() as u64) < want {
            let k = step.min(want - start.len() as u64);
            let got = r.take(k).read_to_end(&mut start).map_err(io)?;
            if got as u64 != k {
                return Err(short());
            }
            if let Some((status, headers, _)) = http_head(&start) {
                http = Some((status, headers));
                break;
            }
            step *= 4;
        }
        if !skip(r, head.block_len - start.len() as u64).map_err(io)? {
            return Err(short());
        }
        return Ok((http, None));
    }
    if head.kind() == "metadata" && head.block_len <= MAX_METADATA {
        let mut block = Vec::with_capacity(head.block_len as usize);
        r.take(head.block_len).read_to_end(&mut block).map_err(io)?;
        if block.len() as u64 != head.block_len {
            return Err(short());
        }
        return Ok((None, Some(block)));
    }
    if !skip(r, head.block_len).map_err(io)? {
        return Err(short());
    }
    Ok((None, None))
}

/// The rest of a gzip member after its record: line ends only, then the member's end (which
/// checks its CRC). More data means one member holds several records.
fn finish_member(r: &mut impl Read, offset: u64) -> Result<(), RecordError> {
    let mut rest = Vec::new();
    r.take(MAX_TRAILER as u64 + 1)
        .read_to_end(&mut rest)
        .map_err(|e| err(offset, format!("gzip: {}", io_message(&e))))?;
    if rest.len() > MAX_TRAILER || rest.iter().any(|&b| b != b'\r' && b != b'\n') {
        return Err(err(
            offset,
            "one gzip member holds more than one record (was the file gzipped whole?); \
             recompress it record by record, e.g. `warcio recompress IN OUT`",
        ));
    }
    Ok(())
}

/// Plain WARC: the CRLF CRLF after a block (tolerating bare LFs or none at the file's end).
fn skip_line_ends(r: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        let n = buf
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        if n == 0 {
            return Ok(());
        }
        let all = n == buf.len();
        r.consume(n);
        if !all {
            return Ok(());
        }
    }
}

/// Index one record at the reader's position; `None` at the end of the file.
fn index_one(src: &mut Counted) -> Result<Option<Indexed>, RecordError> {
    let pos = src.position();
    skip_line_ends(src).map_err(|e| err(pos, io_message(&e)))?;
    let offset = src.position();
    // two bytes for the gzip magic, even when the record starts at the last byte of a fill
    let start = src
        .fill_at_least(2)
        .map_err(|e| err(offset, io_message(&e)))?;
    if start.is_empty() {
        return Ok(None);
    }
    let (head, http, block) = if is_gzip(start) {
        let mut dec =
            BufReader::with_capacity(64 << 10, flate2::bufread::GzDecoder::new(&mut *src));
        let head = read_head(&mut dec, offset)?;
        let (http, block) = index_block(&mut dec, &head, offset)?;
        finish_member(&mut dec, offset)?;
        (head, http, block)
    } else {
        let head = read_head(src, offset)?;
        let (http, block) = index_block(src, &head, offset)?;
        (head, http, block)
    };
    Ok(Some(Indexed {
        offset,
        length: src.position() - offset,
        head,
        http,
        block,
    }))
}

/// Every record of a file, in order. A record that cannot be read ends the scan (the next
/// record's start cannot be known): the records before it are returned with the error.
pub fn scan(span: &Span) -> (Vec<Indexed>, Option<RecordError>) {
    let mut src = span.reader_at(0, SCAN_BUFFER);
    let mut out = Vec::new();
    loop {
        match index_one(&mut src) {
            Ok(Some(r)) => out.push(r),
            Ok(None) => return (out, None),
            Err(e) => return (out, Some(e)),
        }
    }
}

/// Hashers for the digest fields a record names.
struct Hashing {
    expected: Result<Digest, Unusable>,
    sha1: Option<sha1::Sha1>,
    sha256: Option<sha2::Sha256>,
}

impl Hashing {
    fn new(field: Option<&str>) -> Option<Hashing> {
        let expected = Digest::parse(field?);
        let alg = expected.as_ref().ok().map(|d| d.algorithm);
        use sha2::Digest as _;
        Some(Hashing {
            sha1: (alg == Some(Algorithm::Sha1)).then(sha1::Sha1::new),
            sha256: (alg == Some(Algorithm::Sha256)).then(sha2::Sha256::new),
            expected,
        })
    }
    fn update(&mut self, data: &[u8]) {
        use sha2::Digest as _;
        if let Some(h) = &mut self.sha1 {
            h.update(data);
        }
        if let Some(h) = &mut self.sha256 {
            h.update(data);
        }
    }
    fn check(self) -> Check {
        use sha2::Digest as _;
        let expected = match self.expected {
            Ok(d) => d,
            Err(Unusable::Unsupported(a)) => return Check::Unusable(format!("algorithm {a}")),
            Err(Unusable::Malformed(v)) => return Check::Unusable(format!("value {v:?}")),
        };
        let bytes = match (self.sha1, self.sha256) {
            (Some(h), _) => h.finalize().to_vec(),
            (_, Some(h)) => h.finalize().to_vec(),
            _ => return Check::Absent,
        };
        let got = Digest {
            algorithm: expected.algorithm,
            bytes,
        };
        if got == expected {
            Check::Matches
        } else {
            Check::Differs(got.canonical())
        }
    }
}

/// Check `data` against a digest field.
pub fn check_field(field: Option<&str>, data: &[u8]) -> Check {
    match Hashing::new(field) {
        None => Check::Absent,
        Some(mut h) => {
            h.update(data);
            h.check()
        }
    }
}

/// Load the record at `offset`: its block (the first `MAX_KEEP` bytes of a larger one), hashed
/// to its end against the block digest.
pub fn load(span: &Span, offset: u64) -> Result<Loaded, RecordError> {
    if offset >= span.len {
        return Err(err(offset, "offset past the end of the file"));
    }
    let mut src = span.reader_at(offset, 64 << 10);
    let start = src.fill_buf().map_err(|e| err(offset, io_message(&e)))?;
    if is_gzip(start) {
        let mut dec = BufReader::with_capacity(64 << 10, flate2::bufread::GzDecoder::new(&mut src));
        let loaded = load_block(&mut dec, offset)?;
        finish_member(&mut dec, offset)?;
        Ok(loaded)
    } else {
        load_block(&mut src, offset)
    }
}

fn load_block(r: &mut impl BufRead, offset: u64) -> Result<Loaded, RecordError> {
    let head = read_head(r, offset)?;
    let mut block_hash = Hashing::new(head.header("WARC-Block-Digest"));
    let mut payload_hash: Option<Hashing> = None;
    let keep = head.block_len.min(MAX_KEEP as u64) as usize;
    // grown as bytes arrive: a record may claim more than it has
    let mut block = Vec::with_capacity(keep.min(1 << 20));
    let mut left = head.block_len;
    let mut cut = false;
    while left > 0 {
        let buf = r.fill_buf().map_err(|e| err(offset, io_message(&e)))?;
        if buf.is_empty() {
            return Err(err(
                offset,
                "the block is shorter than its Content-Length (truncated?)",
            ));
        }
        let n = (buf.len() as u64).min(left) as usize;
        let chunk = &buf[..n];
        if let Some(h) = &mut block_hash {
            h.update(chunk);
        }
        if block.len() < keep {
            let k = n.min(keep - block.len());
            block.extend_from_slice(&chunk[..k]);
            if block.len() == keep && keep < head.block_len as usize {
                // from here on only hashing: start the payload digest over what was kept
                cut = true;
                payload_hash = Hashing::new(head.header("WARC-Payload-Digest"));
                if let Some(h) = &mut payload_hash {
                    let from = if head.holds_http() {
                        http_head(&block).map_or(block.len(), |(_, _, e)| e)
                    } else {
                        0
                    };
                    h.update(&block[from..]);
                    h.update(&chunk[k..]);
                }
            }
        } else if let Some(h) = &mut payload_hash {
            h.update(chunk);
        }
        r.consume(n);
        left -= n as u64;
    }
    if !cut {
        skip_line_ends(r).map_err(|e| err(offset, io_message(&e)))?;
    }
    Ok(Loaded {
        block_check: block_hash.map_or(Check::Absent, Hashing::check),
        streamed_payload_check: cut.then(|| payload_hash.map_or(Check::Absent, Hashing::check)),
        head,
        block,
        cut,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn span(bytes: Vec<u8>) -> Span {
        Span::whole(Arc::new(super::super::blob::Blob::Bytes(bytes.into())))
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut e, data).unwrap();
        e.finish().unwrap()
    }

    /// A WARC/1.0 response as wget writes one: sha1 base32 digests, CRLF line ends.
    fn wget_response(url: &str, body: &str) -> Vec<u8> {
        let http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let b32 = |d: &[u8]| {
            let sha1 = Digest::of_parts(Algorithm::Sha1, &[d]);
            format!("sha1:{}", super::super::digest::base32(&sha1.bytes))
        };
        let payload = b32(body.as_bytes());
        let block = b32(http.as_bytes());
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2024-05-02T10:00:00Z\r\nWARC-Target-URI: <{url}>\r\nContent-Type: application/http;msgtype=response\r\nWARC-Block-Digest: {block}\r\nWARC-Payload-Digest: {payload}\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
            http.len()
        )
        .into_bytes()
    }

    #[test]
    fn a_member_starting_at_the_last_byte_of_the_scan_buffer_is_indexed() {
        // an uncompressed first record exactly one byte shorter than the scan buffer, padded
        // in its body, then a gzip member: the member's first byte is the buffer's last
        let second = gz(&wget_response("http://b.example/", "<p>two</p>"));
        let target = SCAN_BUFFER - 1;
        // the record grows by one byte a body byte, give or take the digits of its lengths
        let near = target - wget_response("http://a.example/", "").len() - 12;
        let first = (near..near + 24)
            .map(|k| wget_response("http://a.example/", &"x".repeat(k)))
            .find(|r| r.len() == target)
            .expect("a body length that gives the layout");
        assert_eq!(first.len(), SCAN_BUFFER - 1, "the test's own layout");
        let (recs, problem) = scan(&span([first.clone(), second].concat()));
        assert!(problem.is_none(), "{problem:?}");
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[1].offset, first.len() as u64);
    }

    #[test]
    fn a_file_of_members_is_indexed_record_by_record() {
        let a = gz(&wget_response("http://a.example/", "<p>one</p>"));
        let b = gz(&wget_response("http://b.example/x", "<p>two</p>"));
        let file = [a.clone(), b.clone()].concat();
        let (recs, problem) = scan(&span(file.clone()));
        assert!(problem.is_none(), "{problem:?}");
        assert_eq!(recs.len(), 2);
        assert_eq!((recs[0].offset, recs[0].length), (0, a.len() as u64));
        assert_eq!(
            (recs[1].offset, recs[1].length),
            (a.len() as u64, b.len() as u64)
        );
        assert_eq!(recs[1].head.target(), "http://b.example/x");
        assert_eq!(recs[1].head.version, "1.0");
        assert_eq!(recs[1].http.as_ref().unwrap().0, 200);
        let l = load(&span(file), a.len() as u64).unwrap();
        assert_eq!(l.block_check, Check::Matches);
        assert!(l.block.ends_with(b"<p>two</p>"));
    }

    #[test]
    fn an_uncompressed_file_is_indexed_too() {
        let a = wget_response("http://a.example/", "<p>one</p>");
        let b = wget_response("http://b.example/", "<p>two</p>");
        let file = [a.clone(), b].concat();
        let (recs, problem) = scan(&span(file.clone()));
        assert!(problem.is_none(), "{problem:?}");
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[1].offset, a.len() as u64);
        assert_eq!(
            load(&span(file), recs[1].offset).unwrap().block_check,
            Check::Matches
        );
    }

    #[test]
    fn damage_is_named_with_its_offset() {
        let good = gz(&wget_response("http://a.example/", "<p>one</p>"));
        // truncated gzip: the second member is cut in half
        let second = gz(&wget_response("http://b.example/", "<p>two</p>"));
        let file = [good.clone(), second[..second.len() / 2].to_vec()].concat();
        let (recs, problem) = scan(&span(file));
        assert_eq!(recs.len(), 1, "the record before the damage is kept");
        let p = problem.unwrap();
        assert_eq!(p.offset, good.len() as u64);
        assert!(p.message.contains("ends early"), "{p}");
        // WARC 0.17
        let old = String::from_utf8(wget_response("http://a.example/", "x"))
            .unwrap()
            .replace("WARC/1.0", "WARC/0.17");
        let (_, p) = scan(&span(gz(old.as_bytes())));
        assert!(p
            .unwrap()
            .message
            .contains("WARC/0.17 records are not supported"));
        // a whole file gzipped as one member
        let plain = [
            wget_response("http://a.example/", "1"),
            wget_response("http://b.example/", "2"),
        ]
        .concat();
        let (_, p) = scan(&span(gz(&plain)));
        assert!(p.unwrap().message.contains("more than one record"));
        // an ARC file
        let (_, p) = scan(&span(
            b"filedesc://x.arc 0.0.0.0 20240101 text/plain 10\n".to_vec(),
        ));
        assert!(p.unwrap().message.contains("ARC file"));
        // a block shorter than announced
        let mut cut = wget_response("http://a.example/", "<p>one</p>");
        cut.truncate(cut.len() - 8);
        assert!(load(&span(cut), 0).unwrap_err().message.contains("shorter"));
        // an offset outside the file
        assert!(load(&span(good.clone()), 10_000).is_err());
        assert!(load(&span(good), 3).is_err(), "not the start of a record");
    }

    #[test]
    fn a_wrong_block_digest_is_reported_with_what_the_bytes_hash_to() {
        let rec = String::from_utf8(wget_response("http://a.example/", "<p>one</p>"))
            .unwrap()
            .replace("<p>one</p>", "<p>ONE</p>");
        let l = load(&span(gz(rec.as_bytes())), 0).unwrap();
        assert!(
            matches!(l.block_check, Check::Differs(_)),
            "{:?}",
            l.block_check
        );
    }

    #[test]
    fn folded_headers_and_bare_line_feeds_are_read() {
        let rec = b"WARC/1.1\nWARC-Type: resource\nWARC-Target-URI: http://a.example/\n  continued\nContent-Length: 2\n\nhi\n\n";
        let (recs, p) = scan(&span(rec.to_vec()));
        assert!(p.is_none(), "{p:?}");
        assert_eq!(recs[0].head.target(), "http://a.example/ continued");
        assert_eq!(
            http_head(b"HTTP/1.0 404 Not Found\nA: b\n\nbody")
                .unwrap()
                .0,
            404
        );
        assert!(http_head(b"GET / HTTP/1.1\r\n\r\n").is_none());
    }
}
