#![no_main]
//! CDX and CDXJ index text as other tools write it: entries or line-numbered problems.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ibid::snapshot::foreign::index::read("f.cdxj", text);
    }
});
