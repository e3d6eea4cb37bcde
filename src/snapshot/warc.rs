//! WARC 1.1 records: writing (one gzip member per record, SHA-256 digests) and reading.

use flate2::Compression;
use sha2::{Digest, Sha256};
use std::io::{BufRead, Read};

use crate::fetch::header;
pub use crate::fetch::Headers;

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// `bytes` as lowercase hex, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(H[(b >> 4) as usize] as char);
        s.push(H[(b & 15) as usize] as char);
    }
    s
}

/// `sha256:` + lowercase hex.
pub fn digest(data: &[u8]) -> String {
    format!("sha256:{}", sha256_hex(data))
}

/// A record to write: headers (without Content-Length and Block-Digest, which are computed)
/// and its block.
pub struct NewRecord {
    /// WARC header fields in order; Content-Length and WARC-Block-Digest are added when encoded.
    pub headers: Vec<(String, String)>,
    /// The record's block, uncompressed: `encode` gzips it with the header section.
    pub block: Vec<u8>,
}

/// Serialise and gzip one record as its own member. Header values are stripped of CR and LF so
/// a hostile URL cannot inject WARC headers.
pub fn encode(rec: &NewRecord) -> Vec<u8> {
    encode_parts(&rec.headers, &[&rec.block], DEFAULT_LEVEL)
}

/// [`encode`] for a block given in parts (an HTTP head and a body): the parts are hashed and
/// compressed where they lie, so a 50 MiB body is never copied into a second buffer.
pub fn encode_parts(headers: &[(String, String)], block: &[&[u8]], level: u32) -> Vec<u8> {
    let len: usize = block.iter().map(|b| b.len()).sum();
    let mut digest = Sha256::new();
    for b in block {
        digest.update(b);
    }
    let mut head = Vec::with_capacity(512);
    head.extend_from_slice(b"WARC/1.1\r\n");
    for (k, v) in headers {
        head.extend_from_slice(k.as_bytes());
        head.extend_from_slice(b": ");
        // CR and LF become spaces: a hostile value cannot start a header of its own
        head.extend(
            v.bytes()
                .map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
        );
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"WARC-Block-Digest: sha256:");
    head.extend_from_slice(hex(&digest.finalize()).as_bytes());
    head.extend_from_slice(format!("\r\nContent-Length: {len}\r\n\r\n").as_bytes());
    let mut parts = Vec::with_capacity(block.len() + 2);
    parts.push(head.as_slice());
    parts.extend_from_slice(block);
    parts.push(b"\r\n\r\n");
    gzip_member(&parts, level)
}

/// One gzip member (RFC 1952) around raw deflate of the concatenated parts.
fn gzip_member(parts: &[&[u8]], level: u32) -> Vec<u8> {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(member_capacity(total, level));
    // header: magic, deflate, no flags, no mtime, default extra flags, OS unknown
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    if total < 2048 {
        // small records (requests, metadata) as one stored block: compressing them saves
        // little and resetting a compressor costs more than the whole record
        out.push(1); // BFINAL, BTYPE=00
        out.extend_from_slice(&(total as u16).to_le_bytes());
        out.extend_from_slice(&(!(total as u16)).to_le_bytes());
        for p in parts {
            out.extend_from_slice(p);
        }
    } else {
        deflate_into(parts, &mut out, level);
    }
    let mut crc = flate2::Crc::new();
    for p in parts {
        crc.update(p);
    }
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out
}

/// Room for a gzip member of `total` bytes at `level`, so the output is not grown (and copied)
/// while it is written: level 0 stores the input in blocks of at most 65,535 bytes with 5 bytes
/// of framing each; deflate at level 1 keeps web pages to about 40 % of their size (our
/// loopback pages: 38 %), so half the input plus a margin is enough, and more is given back
/// when the member is freed. Header and trailer: 18 bytes.
fn member_capacity(total: usize, level: u32) -> usize {
    if level == 0 {
        total + 5 * (total / 65_535 + 1) + 32
    } else {
        total / 2 + 1024
    }
}

/// Deflate level when none is configured (see `gzip_level` in the fetch settings).
pub const DEFAULT_LEVEL: u32 = 1;

/// The compressor is kept per thread and reset for each record: a fresh one per record spent
/// most of a fetch run zeroing its tables.
fn deflate_into(parts: &[&[u8]], out: &mut Vec<u8>, level: u32) {
    thread_local! {
        static DEFLATE: std::cell::RefCell<(u32, flate2::Compress)> = std::cell::RefCell::new((DEFAULT_LEVEL, flate2::Compress::new(Compression::new(DEFAULT_LEVEL), false)));
    }
    DEFLATE.with(|d| {
        let mut d = d.borrow_mut();
        if d.0 != level {
            *d = (level, flate2::Compress::new(Compression::new(level), false));
        }
        let d = &mut d.1;
        d.reset();
        let last = parts.len().saturating_sub(1);
        for (i, part) in parts.iter().enumerate() {
            let flush = if i == last {
                flate2::FlushCompress::Finish
            } else {
                flate2::FlushCompress::None
            };
            let mut used = 0;
            loop {
                if out.capacity() - out.len() < 1024 {
                    out.reserve(out.len() / 2 + 4096);
                }
                let before = d.total_in();
                match d.compress_vec(&part[used..], out, flush) {
                    Ok(flate2::Status::StreamEnd) => return,
                    Ok(_) => {}
                    Err(_) => return,
                }
                used += (d.total_in() - before) as usize;
                if used == part.len() && i != last {
                    break;
                }
            }
        }
    });
}

/// A record read back.
#[derive(Debug, Clone)]
pub struct Record {
    /// Offset of the record's gzip member (or of `WARC/` when uncompressed) in the file.
    pub offset: u64,
    /// Compressed length of the member.
    pub length: u64,
    /// WARC header fields in order, as read.
    pub headers: Vec<(String, String)>,
    /// The record's block, decompressed.
    pub block: Vec<u8>,
}

impl Record {
    /// The first value of WARC header field `name`, whatever its case.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
    /// The record's `WARC-Type` (response, revisit, request, metadata, ...); empty when absent.
    pub fn kind(&self) -> &str {
        self.header("WARC-Type").unwrap_or("")
    }
}

/// Why a WARC file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    /// A record cannot be read at `offset`: not WARC, a broken gzip member, over `MAX_RECORD`, or
    /// past the end of the file.
    #[error("offset {offset}: {message}")]
    Malformed {
        /// Byte offset in the file where the bad record starts.
        offset: u64,
        /// What is wrong with it.
        message: String,
    },
}

fn malformed(offset: u64, message: impl Into<String>) -> WarcError {
    WarcError::Malformed {
        offset,
        message: message.into(),
    }
}

/// Largest decompressed record accepted: a little over the fetch body cap.
pub const MAX_RECORD: u64 = 64 * 1024 * 1024;

/// Read every record of a WARC file held in memory (gzipped per record, or plain).
pub fn read_all(data: &[u8]) -> Result<Vec<Record>, WarcError> {
    Reader::new(data).collect()
}

/// A [`BufRead`] that counts the bytes consumed from it: the offset of the next record.
struct Counted<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt)
    }
}

/// Records read one at a time from a file (or any reader): only the record being read is in
/// memory, so verifying or indexing a store costs at most one record (capped at
/// [`MAX_RECORD`]) whatever the number of records. Stops at the first malformed record.
pub struct Reader<R> {
    input: Counted<R>,
    failed: bool,
}

impl<R: BufRead> Reader<R> {
    /// A reader over a whole file, from its first byte.
    pub fn new(input: R) -> Self {
        Self::at(input, 0)
    }

    /// A reader whose input starts at `offset` of the file (offsets of records count from the
    /// file's start).
    pub fn at(input: R, offset: u64) -> Self {
        Reader {
            input: Counted {
                inner: input,
                pos: offset,
            },
            failed: false,
        }
    }

    /// The first two bytes of the next record (fewer at the end of the input), consumed. They
    /// are taken from as many buffer fills as it needs: a record may start at the last byte of
    /// the reader's buffer, where one fill shows only `1f` of the gzip magic `1f 8b`, and a
    /// gzip member was then read as an uncompressed record and the file called unreadable.
    fn magic(&mut self, offset: u64) -> Result<([u8; 2], usize), WarcError> {
        let mut magic = [0u8; 2];
        let mut n = 0;
        while n < magic.len() {
            let buf = self
                .input
                .fill_buf()
                .map_err(|e| malformed(offset, e.to_string()))?;
            if buf.is_empty() {
                break;
            }
            let k = (magic.len() - n).min(buf.len());
            magic[n..n + k].copy_from_slice(&buf[..k]);
            self.input.consume(k);
            n += k;
        }
        Ok((magic, n))
    }

    fn next_record(&mut self) -> Result<Option<Record>, WarcError> {
        let offset = self.input.pos;
        let (magic, n) = self.magic(offset)?;
        if n == 0 {
            return Ok(None);
        }
        // the two bytes taken, then the rest of the input
        let mut input = (&magic[..n]).chain(&mut self.input);
        let raw = if magic[..n] == [0x1f, 0x8b] {
            let mut raw = Vec::new();
            flate2::bufread::GzDecoder::new(&mut input)
                .take(MAX_RECORD + 1)
                .read_to_end(&mut raw)
                .map_err(|e| malformed(offset, format!("gzip: {e}")))?;
            if raw.len() as u64 > MAX_RECORD {
                return Err(malformed(offset, "record larger than the limit"));
            }
            raw
        } else {
            read_plain(&mut input).map_err(|m| malformed(offset, m))?
        };
        let (headers, block, clean_tail) =
            parse_record_owned(raw).map_err(|m| malformed(offset, m))?;
        if !clean_tail {
            return Err(malformed(offset, "more than one record in a gzip member"));
        }
        Ok(Some(Record {
            offset,
            length: self.input.pos - offset,
            headers,
            block,
        }))
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Record, WarcError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let r = self.next_record().transpose();
        if matches!(r, Some(Err(_))) {
            self.failed = true;
        }
        r
    }
}

/// An uncompressed record: headers up to the blank line, the block its Content-Length gives,
/// the trailing CRLF CRLF; each part capped, so a hostile length cannot allocate.
fn read_plain<R: BufRead>(r: &mut R) -> Result<Vec<u8>, String> {
    const MAX_HEAD: u64 = 1 << 20;
    let mut raw = Vec::new();
    loop {
        let n = r
            .by_ref()
            .take(MAX_HEAD)
            .read_until(b'\n', &mut raw)
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("no end of WARC headers".into());
        }
        if raw.ends_with(b"\r\n\r\n") {
            break;
        }
        if raw.len() as u64 > MAX_HEAD {
            return Err("WARC headers longer than 1 MiB".into());
        }
    }
    let head = String::from_utf8_lossy(&raw);
    let len: u64 = head
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .ok_or("missing or bad Content-Length")?;
    if len > MAX_RECORD {
        return Err("record larger than the limit".into());
    }
    let want = len + 4;
    let got = r
        .by_ref()
        .take(want)
        .read_to_end(&mut raw)
        .map_err(|e| e.to_string())?;
    if (got as u64) < want {
        return Err("block shorter than Content-Length".into());
    }
    Ok(raw)
}

/// [`parse_record`] on an owned buffer, keeping the block in place of the buffer instead of
/// copying it; `used` says whether only CR and LF follow the record.
fn parse_record_owned(mut raw: Vec<u8>) -> Result<(Headers, Vec<u8>, bool), String> {
    let (headers, start, end) = parse_head(&raw)?;
    let clean_tail = raw[end..].iter().all(|&b| b == b'\r' || b == b'\n');
    raw.truncate(end);
    raw.drain(..start);
    Ok((headers, raw, clean_tail))
}

/// Read the record whose member starts at `offset`.
pub fn read_at(data: &[u8], offset: u64) -> Result<Record, WarcError> {
    let off = usize::try_from(offset).map_err(|_| malformed(offset, "offset out of range"))?;
    if off >= data.len() {
        return Err(malformed(offset, "offset past the end of the file"));
    }
    Reader::at(&data[off..], offset)
        .next()
        .unwrap_or_else(|| Err(malformed(offset, "offset past the end of the file")))
}

/// Read the record whose member starts at `offset` of an open file: only that record is read.
pub fn read_file_at(file: std::fs::File, offset: u64) -> Result<Record, WarcError> {
    use std::io::{Seek, SeekFrom};
    let mut file = file;
    let len = file
        .metadata()
        .map_err(|e| malformed(offset, e.to_string()))?
        .len();
    if offset >= len {
        return Err(malformed(offset, "offset past the end of the file"));
    }
    file.seek(SeekFrom::Start(offset))
        .map_err(|e| malformed(offset, e.to_string()))?;
    Reader::at(std::io::BufReader::with_capacity(64 * 1024, file), offset)
        .next()
        .unwrap_or_else(|| Err(malformed(offset, "offset past the end of the file")))
}

/// The headers of a record and where its block starts and ends in `raw`; the block must be
/// followed by CRLF CRLF.
fn parse_head(raw: &[u8]) -> Result<(Headers, usize, usize), String> {
    let head_end = find(raw, b"\r\n\r\n").ok_or("no end of WARC headers")?;
    let head = std::str::from_utf8(&raw[..head_end]).map_err(|_| "WARC headers are not UTF-8")?;
    let mut lines = head.split("\r\n");
    let first = lines.next().unwrap_or("");
    if !first.starts_with("WARC/1.") {
        return Err(format!(
            "not a WARC record (starts with {:?})",
            first.chars().take(20).collect::<String>()
        ));
    }
    let mut headers = Vec::new();
    for l in lines {
        let (k, v) = l
            .split_once(':')
            .ok_or_else(|| format!("bad header line {l:?}"))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let len: usize = header(&headers, "Content-Length")
        .and_then(|v| v.parse().ok())
        .ok_or("missing or bad Content-Length")?;
    let start = head_end + 4;
    let end = start
        .checked_add(len)
        .filter(|&e| e <= raw.len())
        .ok_or("block shorter than Content-Length")?;
    if !raw[end..].starts_with(b"\r\n\r\n") {
        return Err("record does not end with CRLF CRLF".into());
    }
    Ok((headers, start, end))
}

/// Byte position of the first `needle` in `hay`; `needle` must not be empty.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Split an HTTP message (the block of a response record) into status line, headers, payload.
pub fn split_http(block: &[u8]) -> Option<(u16, Headers, &[u8])> {
    let end = find(block, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&block[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let status: u16 = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some((status, headers, &block[end + 4..]))
}

/// A version-4 style UUID URN derived from a digest of the record's identity, so record ids are
/// unique without a random-number crate.
pub fn record_id(seed: &[u8]) -> String {
    let h = Sha256::digest(seed);
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = hex(&b);
    format!(
        "<urn:uuid:{}-{}-{}-{}-{}>",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_offsets() {
        let a = encode(&NewRecord {
            headers: vec![
                ("WARC-Type".into(), "resource".into()),
                ("WARC-Target-URI".into(), "http://x/\r\nEvil: 1".into()),
            ],
            block: b"hello".to_vec(),
        });
        let b = encode(&NewRecord {
            headers: vec![("WARC-Type".into(), "metadata".into())],
            block: vec![],
        });
        let mut file = a.clone();
        file.extend_from_slice(&b);
        let recs = read_all(&file).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[1].offset, a.len() as u64);
        assert_eq!(recs[0].block, b"hello");
        assert_eq!(
            recs[0].header("WARC-Block-Digest").unwrap(),
            digest(b"hello")
        );
        assert!(
            recs[0].header("Evil").is_none(),
            "CRLF in a value must not make a header"
        );
    }

    #[test]
    fn every_level_and_size_reads_back_as_written() {
        // sizes around the stored-record threshold and the 65,535-byte stored-block limit,
        // blocks given in several parts as a response is (head, body)
        let body: Vec<u8> = (0..200_000u32)
            .map(|i| b"the secret speech was read "[(i % 27) as usize] ^ (i / 9_000) as u8)
            .collect();
        for level in [0, 1, 6, 9] {
            for size in [0, 100, 2_100, 65_535, 65_536, 131_071, 200_000] {
                let head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
                let bytes = encode_parts(
                    &[("WARC-Type".into(), "response".into())],
                    &[head, &body[..size]],
                    level,
                );
                let recs =
                    read_all(&bytes).unwrap_or_else(|e| panic!("level {level}, size {size}: {e}"));
                assert_eq!(recs.len(), 1);
                let mut want = head.to_vec();
                want.extend_from_slice(&body[..size]);
                assert_eq!(recs[0].block, want, "level {level}, size {size}");
                assert_eq!(recs[0].header("WARC-Block-Digest"), Some(&*digest(&want)));
                // any gzip reader takes it (the reader above is ours)
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut plain)
                    .unwrap();
                assert!(plain.starts_with(b"WARC/1.1\r\n"));
                assert!(plain.ends_with(&[&body[..size], b"\r\n\r\n"].concat()));
                if level == 0 {
                    assert!(bytes.len() >= plain.len(), "level 0 stores");
                    // the room given up front holds the whole member: never grown and copied
                    assert!(
                        bytes.len() <= member_capacity(plain.len(), 0),
                        "size {size}"
                    );
                } else if size >= 65_535 {
                    assert!(bytes.len() < plain.len() / 2, "level {level} compresses");
                }
            }
        }
    }

    #[test]
    fn a_record_starting_at_the_last_byte_of_the_read_buffer_is_read() {
        // every placement of the second record against the buffer's end, the last byte among
        // them (one fill then shows only the first byte of the gzip magic), gzipped and plain
        let mut one = encode_parts(&[("WARC-Type".into(), "resource".into())], &[b"one"], 1);
        let two = encode_parts(&[("WARC-Type".into(), "resource".into())], &[b"two"], 1);
        let plain = b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 5\r\n\r\nthree\r\n\r\n";
        for tail in [&two[..], &plain[..]] {
            let file = [&one[..], tail].concat();
            for cap in one.len() - 2..=one.len() + 2 {
                let recs: Vec<Record> =
                    Reader::new(std::io::BufReader::with_capacity(cap, &file[..]))
                        .collect::<Result<_, _>>()
                        .unwrap_or_else(|e| panic!("buffer of {cap} bytes: {e}"));
                assert_eq!(recs.len(), 2, "buffer of {cap} bytes");
                assert_eq!(recs[1].offset, one.len() as u64);
                assert_eq!(recs[1].length, tail.len() as u64);
            }
        }
        one.truncate(1);
        assert!(read_all(&one).is_err(), "a lone 1f byte is not a record");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [
            &b"\x1f\x8b\x08garbage"[..],
            b"WARC/1.1\r\nContent-Length: 99\r\n\r\nshort",
            b"HTTP/1.1 200",
            b"WARC/1.1\r\nContent-Length: -1\r\n\r\n",
        ] {
            assert!(read_all(bad).is_err());
        }
    }
}
