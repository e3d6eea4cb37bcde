#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // one JSON line as `ibid judge` reads it, then the claim against the source
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) {
        if let (Some(c), Some(s)) = (v.get("claim").and_then(|c| c.as_str()), v.get("source").and_then(|s| s.as_str())) {
            use ibid::verify::Judge;
            let a = ibid::verify::Rules::default().assess(c, &[ibid::verify::SourceDoc::new("s", s)]);
            assert!((0.0..=1.0).contains(&a.score));
            for e in &a.evidence {
                assert_eq!(&s[e.start..e.end], e.text);
            }
        }
    }
    let s = String::from_utf8_lossy(data);
    let (c, src) = s.split_at(s.char_indices().nth(s.chars().count() / 3).map(|(i, _)| i).unwrap_or(0));
    use ibid::verify::Judge;
    let _ = ibid::verify::Rules::default().assess(c, &[ibid::verify::SourceDoc::new("s", src)]);
});
