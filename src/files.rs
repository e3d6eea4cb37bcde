//! Opening files whose names come from users or from store files: regular files only, opened
//! without following a final symbolic link where asked and without blocking, read up to a cap.
//! A name such as /dev/zero, /dev/stdin or a FIFO is refused before it is opened (it would read
//! forever or hang), and the opened file is checked again, so swapping one in after the check
//! does not help either.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file could not be inspected, opened or read (missing, no permission, an I/O failure).
    #[error("{0}")]
    Io(#[from] io::Error),
    /// A device, FIFO, socket or folder: reading it could block forever or never end.
    #[error(
        "is not a regular file (a device, FIFO, socket or folder); only regular files are read"
    )]
    NotRegular,
    /// A symbolic link where the caller asked for links not to be followed.
    #[error("is a symbolic link, which is not followed here")]
    Link,
    /// The file is larger than the cap (in bytes) the caller set for it.
    #[error("is larger than {0} bytes, the most read from such a file")]
    TooLarge(u64),
}

/// Open `p` for reading if it is a regular file (through links unless `no_links`), without
/// blocking on a FIFO that takes its place.
pub fn open_regular(p: &Path, no_links: bool) -> Result<File, FileError> {
    let m = if no_links {
        std::fs::symlink_metadata(p)?
    } else {
        std::fs::metadata(p)?
    };
    if m.file_type().is_symlink() {
        return Err(FileError::Link);
    }
    if !m.is_file() {
        return Err(FileError::NotRegular);
    }
    let mut opts = File::options();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let flags = libc::O_NONBLOCK | if no_links { libc::O_NOFOLLOW } else { 0 };
        opts.custom_flags(flags);
    }
    let f = opts.open(p)?;
    if !f.metadata()?.is_file() {
        return Err(FileError::NotRegular);
    }
    Ok(f)
}

/// The bytes of a regular file of at most `cap` bytes.
pub fn read_regular(p: &Path, cap: u64, no_links: bool) -> Result<Vec<u8>, FileError> {
    let f = open_regular(p, no_links)?;
    let len = f.metadata()?.len();
    if len > cap {
        return Err(FileError::TooLarge(cap));
    }
    let mut data = Vec::with_capacity(len as usize);
    // a file that grows while it is read is still cut at the cap
    f.take(cap + 1).read_to_end(&mut data)?;
    if data.len() as u64 > cap {
        return Err(FileError::TooLarge(cap));
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_oversized_files_are_refused_at_once() {
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10, false),
            Err(FileError::NotRegular)
        ));
        let d = tempfile::tempdir().unwrap();
        let fifo = d.path().join("f");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            assert!(matches!(
                read_regular(&fifo, 10, false),
                Err(FileError::NotRegular)
            ));
        }
        let big = d.path().join("big");
        std::fs::write(&big, vec![b'x'; 11]).unwrap();
        assert!(matches!(
            read_regular(&big, 10, false),
            Err(FileError::TooLarge(10))
        ));
        assert_eq!(read_regular(&big, 11, false).unwrap().len(), 11);
        let link = d.path().join("l");
        std::os::unix::fs::symlink(&big, &link).unwrap();
        assert!(matches!(
            read_regular(&link, 11, true),
            Err(FileError::Link)
        ));
        assert!(read_regular(&link, 11, false).is_ok());
    }
}
