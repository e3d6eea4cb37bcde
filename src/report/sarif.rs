//! SARIF 2.1.0: one rule per finding code, results located in the article so code scanning
//! shows them on the line.

use super::{Renderer, Report};
use crate::findings::Code;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub struct Sarif;

impl Renderer for Sarif {
    fn render(&self, r: &Report) -> String {
        render(r)
    }
}

/// A stable id for a finding across runs, so code scanning tracks it rather than opening a new
/// alert each time: the code, file, source and message, hashed.
fn fingerprint(parts: &[&str]) -> String {
    let hash = Sha256::digest(parts.join("|").as_bytes());
    hash[..16].iter().map(|b| format!("{b:02x}")).collect()
}

fn render(r: &Report) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.as_str().split('-').map(|w| { let mut cs = w.chars(); cs.next().map(|f| f.to_uppercase().collect::<String>() + cs.as_str()).unwrap_or_default() }).collect::<String>(),
                "shortDescription": { "text": c.help() },
                "fullDescription": { "text": c.help() },
                "help": { "text": c.help(), "markdown": format!("`{}`: {}", c.as_str(), c.help()) },
                "defaultConfiguration": { "level": c.severity().as_str() },
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
                "level": f.severity.as_str(),
                "message": { "text": f.message },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": file.trim_start_matches("./") }, "region": region } }],
                "partialFingerprints": { "ibidFinding/v1": fingerprint(&[f.code.as_str(), &file, f.source_id.as_deref().unwrap_or(""), &f.message]) },
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
