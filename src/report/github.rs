//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding,
//! shown as an annotation on the article's line. Every value from input is escaped so no
//! output line can start a workflow command of its own.

use super::escape::{gh_data, gh_prop};
use super::{Renderer, Report};
use crate::findings::Severity;
use crate::text::one_line;
use std::fmt::Write;

pub struct Github;

impl Renderer for Github {
    fn render(&self, r: &Report) -> String {
        github(r)
    }
}

fn github(r: &Report) -> String {
    let mut out = String::new();
    for f in r.findings() {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = Vec::new();
        if let Some(l) = &f.location {
            props.push(format!("file={}", gh_prop(&l.file)));
            props.push(format!("line={}", l.line));
            props.push(format!("col={}", l.column));
        }
        props.push(format!("title={}", gh_prop(&format!("ibid {}", f.code))));
        let mut msg = f.message.clone();
        if let Some(u) = &f.url {
            msg.push_str(&format!(
                " (source [{}] {u})",
                f.source_id.as_deref().unwrap_or("")
            ));
        }
        let _ = writeln!(
            out,
            "::{level} {}::{}",
            props.join(","),
            gh_data(&one_line(&msg))
        );
    }
    let _ = writeln!(out, "{}", r.summary_line());
    out
}
