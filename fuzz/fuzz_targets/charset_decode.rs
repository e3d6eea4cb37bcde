#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (ct, body) = data.split_at(data.len().min(data.first().copied().unwrap_or(0) as usize % 64));
    let ct = String::from_utf8_lossy(ct);
    let _ = ibid::extract::decode::to_text(body, Some(&ct), true);
    let _ = ibid::extract::decode::content_decode(body, Some("gzip"));
    let _ = ibid::extract::decode::content_decode(body, Some("br"));
    let _ = ibid::extract::decode::content_decode(body, Some("deflate"));
});
