#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let st = ibid::extract::from_html(&s);
    for b in &st.blocks {
        assert!(b.start <= b.end && b.end <= st.text.len() && st.text.is_char_boundary(b.start) && st.text.is_char_boundary(b.end));
    }
});
