//! SARIF 2.1.0: one rule per finding code, results located in the article so code scanning
//! shows them on the line.

use super::Report;
use crate::findings::{Code, Severity};
use serde_json::{json, Value};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

pub fn render(r: &Report) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.as_str().split('-').map(|w| { let mut cs = w.chars(); cs.next().map(|f| f.to_uppercase().collect::<String>() + cs.as_str()).unwrap_or_default() }).collect::<String>(),
                "shortDescription": { "text": c.help() },
                "fullDescription": { "text": c.help() },
                "help": { "text": c.help(), "markdown": format!("`{}`: {}", c.as_str(), c.help()) },
                "defaultConfiguration": { "level": level(c.severity()) },
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut artifacts: Vec<String> = Vec::new();
    for a in &r.articles {
        if !artifacts.contains(&a.path) {
            artifacts.push(a.path.clone());
        }
        for f in a.all_findings() {
            let rule_index = Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0);
            let (line, col, offset, len) = match &f.location {
                Some(l) => (
                    l.line.max(1),
                    l.column.max(1),
                    l.start,
                    l.end.saturating_sub(l.start),
                ),
                None => (1, 1, 0, 0),
            };
            let file = f
                .location
                .as_ref()
                .map(|l| l.file.clone())
                .unwrap_or_else(|| a.path.clone());
            let mut region = json!({ "startLine": line, "startColumn": col });
            if len > 0 {
                region["charOffset"] = json!(offset);
                region["charLength"] = json!(len);
            }
            let mut props = serde_json::Map::new();
            for (k, v) in [
                ("sourceId", &f.source_id),
                ("url", &f.url),
                ("snapshotDigest", &f.digest),
                ("captured", &f.captured),
                ("evidence", &f.evidence),
            ] {
                if let Some(v) = v {
                    props.insert(k.into(), json!(v));
                }
            }
            let mut res = json!({
                "ruleId": f.code.as_str(),
                "ruleIndex": rule_index,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": file.trim_start_matches("./") }, "region": region } }],
                "partialFingerprints": { "ibidFinding/v1": crate::snapshot::warc::sha256_hex(format!("{}|{}|{}|{}", f.code, file, f.source_id.as_deref().unwrap_or(""), f.message).as_bytes())[..32].to_string() },
            });
            if !props.is_empty() {
                res["properties"] = Value::Object(props);
            }
            results.push(res);
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "ibid", "version": env!("CARGO_PKG_VERSION"), "semanticVersion": env!("CARGO_PKG_VERSION"), "informationUri": "https://crates.io/crates/ibid", "rules": rules } },
            "artifacts": artifacts.iter().map(|p| json!({ "location": { "uri": p.trim_start_matches("./") } })).collect::<Vec<_>>(),
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
