//! The bytes of an archive file, read at any offset without a shared cursor (so several threads
//! read one file at once), and a window of them read in order. A WARC inside a WACZ is a window
//! of the zip file: nothing outside the window can be read through it.

use std::io::{self, BufRead, Read};
use std::sync::Arc;

/// A file opened once, or bytes held in memory (tests, fuzzing).
pub enum Blob {
    File { file: std::fs::File, len: u64 },
    Bytes(Arc<[u8]>),
}

impl Blob {
    /// Open a regular file: a FIFO or a device named as an archive would block or never end.
    pub fn open(path: &std::path::Path) -> io::Result<Blob> {
        let file = crate::files::open_regular(path, false).map_err(|e| match e {
            crate::files::FileError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidInput, other.to_string()),
        })?;
        let len = file.metadata()?.len();
        Ok(Blob::File { file, len })
    }

    pub fn len(&self) -> u64 {
        match self {
            Blob::File { len, .. } => *len,
            Blob::Bytes(b) => b.len() as u64,
        }
    }

    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        match self {
            Blob::File { file, .. } => positional_read(file, buf, offset),
            Blob::Bytes(b) => {
                let Ok(start) = usize::try_from(offset) else {
                    return Ok(0);
                };
                let src = b.get(start..).unwrap_or(&[]);
                let n = src.len().min(buf.len());
                buf[..n].copy_from_slice(&src[..n]);
                Ok(n)
            }
        }
    }
}

#[cfg(unix)]
fn positional_read(file: &std::fs::File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn positional_read(file: &std::fs::File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

impl rawzip::ReaderAt for Blob {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        Blob::read_at(self, buf, offset)
    }
}

/// `[start, end)` of a blob: one archive file (a whole WARC, or a WARC stored in a WACZ).
#[derive(Clone)]
pub struct Span {
    pub blob: Arc<Blob>,
    pub start: u64,
    pub len: u64,
}

impl Span {
    pub fn whole(blob: Arc<Blob>) -> Span {
        let len = blob.len();
        Span {
            blob,
            start: 0,
            len,
        }
    }

    /// A reader from `offset` (relative to the span) to the span's end, counting what it
    /// hands out so the caller knows where a gzip member ended.
    pub fn reader_at(&self, offset: u64, buffer: usize) -> Counted<'_> {
        Counted {
            span: self,
            pos: offset.min(self.len),
            buf: vec![0; buffer].into_boxed_slice(),
            filled: 0,
            used: 0,
        }
    }
}

/// Sequential, buffered reading of a span. `position` is the offset (in the span) of the next
/// byte a caller will get: it moves with `consume` and `read` only, never with read-ahead, so
/// a `bufread` gzip decoder leaves it exactly at the end of its member.
pub struct Counted<'a> {
    span: &'a Span,
    /// Span offset just past the buffered bytes.
    pos: u64,
    buf: Box<[u8]>,
    filled: usize,
    used: usize,
}

impl Counted<'_> {
    pub fn position(&self) -> u64 {
        self.pos - (self.filled - self.used) as u64
    }

    /// The buffered bytes, at least `n` of them unless the span ends first (and at most the
    /// buffer's size): a record may start at the last byte of a fill, where `fill_buf` alone
    /// shows only the first byte of its gzip magic. Moves no position.
    pub fn fill_at_least(&mut self, n: usize) -> io::Result<&[u8]> {
        let n = n.min(self.buf.len());
        if self.filled - self.used < n && self.used < self.filled {
            // keep the unread bytes, at the front, and read more behind them
            self.buf.copy_within(self.used..self.filled, 0);
            self.filled -= self.used;
            self.used = 0;
            while self.filled < n && self.pos < self.span.len {
                let want =
                    ((self.buf.len() - self.filled) as u64).min(self.span.len - self.pos) as usize;
                let got = self.span.blob.read_at(
                    &mut self.buf[self.filled..self.filled + want],
                    self.span.start + self.pos,
                )?;
                if got == 0 {
                    break;
                }
                self.pos += got as u64;
                self.filled += got;
            }
        }
        self.fill_buf()
    }
}

impl Read for Counted<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Counted<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.used == self.filled {
            let left = self.span.len - self.pos;
            let want = (self.buf.len() as u64).min(left) as usize;
            let n = if want == 0 {
                0
            } else {
                self.span
                    .blob
                    .read_at(&mut self.buf[..want], self.span.start + self.pos)?
            };
            self.pos += n as u64;
            self.filled = n;
            self.used = 0;
        }
        Ok(&self.buf[self.used..self.filled])
    }

    fn consume(&mut self, n: usize) {
        self.used = (self.used + n).min(self.filled);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_reads_only_its_window() {
        let blob = Arc::new(Blob::Bytes(b"0123456789".to_vec().into()));
        let span = Span {
            blob,
            start: 2,
            len: 5,
        };
        let mut r = span.reader_at(1, 2);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "3456");
        assert_eq!(r.position(), 5);
        let mut r = span.reader_at(0, 4);
        assert_eq!(r.fill_buf().unwrap(), b"2345");
        r.consume(1);
        assert_eq!(r.position(), 1, "read-ahead is not counted");
        let mut past = span.reader_at(99, 4);
        assert_eq!(past.fill_buf().unwrap(), b"");
    }

    #[test]
    fn fill_at_least_reads_across_the_end_of_a_fill() {
        let blob = Arc::new(Blob::Bytes(b"0123456789".to_vec().into()));
        let span = Span::whole(blob);
        let mut r = span.reader_at(0, 4);
        assert_eq!(r.fill_buf().unwrap(), b"0123");
        r.consume(3);
        assert_eq!(r.fill_buf().unwrap(), b"3", "one fill shows one byte");
        assert_eq!(r.fill_at_least(2).unwrap(), b"3456");
        assert_eq!(r.position(), 3);
        r.consume(4);
        r.consume(0);
        assert_eq!(r.fill_at_least(8).unwrap(), b"789", "the span ends first");
        r.consume(2);
        assert_eq!(r.fill_at_least(2).unwrap(), b"9");
        assert_eq!(r.position(), 9);
    }
}
