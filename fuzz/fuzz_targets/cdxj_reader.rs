#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        for line in s.lines() {
            let _ = ibid::snapshot::cdxj::Entry::parse(line);
        }
        let _ = ibid::snapshot::cdxj::surt(s);
    }
});
