#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend_from_slice(data);
    let _ = ibid::extract::extract(&pdf, &[], "f.pdf");
    let _ = ibid::extract::extract(data, &[], "f.pdf");
});
