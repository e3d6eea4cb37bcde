#![no_main]
//! Another tool's WARC file, any bytes: indexing it and loading every capture found must end
//! in entries or named problems, never a panic, a hang, or a read outside the bytes given.
use ibid::snapshot::foreign::ForeignArchive;
use ibid::snapshot::set::CaptureSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(a) = ForeignArchive::from_bytes("f.warc.gz", data.to_vec()) else {
        return;
    };
    for e in a.entries().iter().take(64) {
        let _ = a.load(e);
        let _ = a.answer(&e.url, None);
    }
});
