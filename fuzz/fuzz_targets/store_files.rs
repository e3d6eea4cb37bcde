#![no_main]
//! The store's own files as an attacker or a damaged disk leaves them: manifest.json,
//! journal.json and the index taken from the input (split at the first two 0 bytes) beside
//! one valid WARC. Reading (check), verifying, recovering (fetch) and reindexing must return
//! errors, never panic, hang or read a file outside the store.
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// A small valid WARC (one capture), made once.
fn warc() -> &'static [u8] {
    static W: OnceLock<Vec<u8>> = OnceLock::new();
    W.get_or_init(|| {
        let rec = ibid::snapshot::warc::encode_parts(
            &[
                ("WARC-Type".into(), "response".into()),
                ("WARC-Record-ID".into(), "<urn:uuid:00000000-0000-4000-8000-000000000000>".into()),
                ("WARC-Date".into(), "2024-01-01T00:00:00Z".into()),
                ("WARC-Target-URI".into(), "http://x.example/".into()),
                ("WARC-Payload-Digest".into(), ibid::snapshot::warc::digest(b"hi")),
            ],
            &[b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", b"hi"],
            1,
        );
        rec
    })
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let manifest = parts.next().unwrap_or_default();
    let journal = parts.next();
    let index = parts.next();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("snapshots");
    std::fs::create_dir_all(root.join("archive")).unwrap();
    std::fs::create_dir_all(root.join("indexes")).unwrap();
    std::fs::write(root.join("archive/ibid-20240101000000-00000000.warc.gz"), warc()).unwrap();
    std::fs::write(root.join("manifest.json"), manifest).unwrap();
    if let Some(j) = journal {
        std::fs::write(root.join("journal.json"), j).unwrap();
    }
    if let Some(i) = index {
        std::fs::write(root.join("indexes/index.cdxj"), i).unwrap();
    }
    // a file outside the store that a hostile path could name
    std::fs::write(dir.path().join("outside.warc.gz"), warc()).unwrap();
    let _ = ibid::snapshot::verify(&root);
    if let Ok(s) = ibid::snapshot::Store::open_read(&root) {
        for e in s.entries().iter().take(8) {
            let _ = s.load(e);
        }
    }
    if let Ok((mut s, _)) = ibid::snapshot::Store::open(&root) {
        let _ = s.reindex();
        assert!(
            s.entries().iter().all(|e| !e.filename.contains('/')),
            "an index entry names a file outside archive/"
        );
    }
});
