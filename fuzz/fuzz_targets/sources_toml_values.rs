#![no_main]
//! sources.toml values: each setting (and a source's fields) given a fuzzed value, as written
//! or as raw bytes. Parsing must give a value in range or an error with a position; a parsed
//! config must build a fetcher without a panic (a timeout of inf or 1e300 once did).
use libfuzzer_sys::fuzz_target;

const KEYS: &[&str] = &[
    "[fetch]\nconcurrency",
    "[fetch]\nper_host",
    "[fetch]\nhost_delay_ms",
    "[fetch]\nconnect_timeout_secs",
    "[fetch]\ntimeout_secs",
    "[fetch]\nretries",
    "[fetch]\nmax_redirects",
    "[fetch]\nmax_body_bytes",
    "[fetch]\nuser_agent",
    "[fetch]\ntimegate",
    "[fetch]\nresolve",
    "[store]\ngzip_level",
    "[check]\nfail_on",
    "[check]\nignore",
    "articles",
    "[[source]]\nid = \"1\"\nurl",
    "[[source]]\nid",
    "[[source]]\nid = \"1\"\narchive_url",
];

fuzz_target!(|data: &[u8]| {
    let Some((&k, value)) = data.split_first() else {
        return;
    };
    let key = KEYS[k as usize % KEYS.len()];
    let mut src = format!("{key} = ").into_bytes();
    src.extend_from_slice(value);
    src.push(b'\n');
    let text = match ibid::config::utf8("sources.toml", &src) {
        Ok(t) => t,
        Err(e) => {
            assert!(e.to_string().starts_with("sources.toml:"), "{e}");
            return;
        }
    };
    match ibid::config::Config::parse("sources.toml", text) {
        Ok(cfg) => {
            assert!(cfg.fetch.problems().is_empty(), "accepted out of range: {:?}", cfg.fetch);
            let _ = ibid::fetch::Fetcher::new(&cfg.fetch);
        }
        Err(e) => assert!(e.to_string().starts_with("sources.toml:"), "{e}"),
    }
});
