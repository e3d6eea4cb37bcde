#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(recs) = ibid::snapshot::warc::read_all(data) {
        for r in recs {
            let _ = ibid::snapshot::warc::split_http(&r.block);
        }
    }
    let _ = ibid::snapshot::index_warc("f.warc.gz", data);
});
