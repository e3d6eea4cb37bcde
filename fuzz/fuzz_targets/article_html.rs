#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ibid::article::read_bytes("f.html", data, Some(ibid::article::Format::Html));
});
