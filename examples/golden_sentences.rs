//! Score the sentence splitter on a golden-rules JSONL file: `{"text", "sentences": [...]}`.
//! Usage: cargo run --release --example golden_sentences -- PATH/english-golden-rules.jsonl
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: golden_sentences RULES.jsonl");
    let data = std::fs::read_to_string(&path).expect("read rules");
    let (mut pass, mut total) = (0, 0);
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let text = v["text"].as_str().unwrap_or_default();
        let want: Vec<&str> = v["sentences"]
            .as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str()).collect())
            .unwrap_or_default();
        let got: Vec<&str> = ibid::text::sentences::split(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect();
        total += 1;
        if got == want {
            pass += 1;
        } else {
            println!("FAIL {text:?}\n  want {want:?}\n  got  {got:?}");
        }
    }
    println!("golden rules passed: {pass}/{total}");
}
