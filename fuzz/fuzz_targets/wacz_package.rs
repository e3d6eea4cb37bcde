#![no_main]
//! A WACZ package, any bytes after the zip magic: the zip directory, member names, overlapping
//! members, deflated indexes and the WARCs inside must give entries or a refusal, never a panic
//! or a read past a member's window.
use ibid::snapshot::foreign::ForeignArchive;
use ibid::snapshot::set::CaptureSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend_from_slice(data);
    let Ok(a) = ForeignArchive::from_bytes("f.wacz", bytes) else {
        return;
    };
    for e in a.entries().iter().take(64) {
        let _ = a.load(e);
    }
});
