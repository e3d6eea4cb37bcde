//! JUnit XML: one test suite per article, one test case per claim (and one for findings about
//! sources and references), failed at the run's `fail_on` severity.

use super::escape::{clip, xml};
use super::{Renderer, Report};
use crate::findings::Finding;
use crate::text::strip_controls;
use std::fmt::Write;

pub struct Junit;

impl Renderer for Junit {
    fn render(&self, r: &Report) -> String {
        junit(r)
    }
}

fn junit(r: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total: usize = r
        .articles
        .iter()
        .map(|a| a.claims.len() + usize::from(!a.findings.is_empty()))
        .sum();
    let failed = |fs: &[Finding]| fs.iter().any(|f| f.severity >= r.fail_on);
    let failures: usize = r
        .articles
        .iter()
        .map(|a| {
            a.claims.iter().filter(|c| failed(&c.findings)).count()
                + usize::from(failed(&a.findings))
        })
        .sum();
    let _ = writeln!(
        out,
        "<testsuites name=\"ibid\" tests=\"{total}\" failures=\"{failures}\">"
    );
    for a in &r.articles {
        let n = a.claims.len() + usize::from(!a.findings.is_empty());
        let f = a.claims.iter().filter(|c| failed(&c.findings)).count()
            + usize::from(failed(&a.findings));
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{f}\" errors=\"0\" skipped=\"0\">",
            xml(&a.path)
        );
        let case = |name: String, fs: &[Finding], out: &mut String| {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(&a.path),
                xml(&name)
            );
            let fails: Vec<&Finding> = fs.iter().filter(|f| f.severity >= r.fail_on).collect();
            if fails.is_empty() && fs.is_empty() {
                out.push_str("/>\n");
                return;
            }
            out.push_str(">\n");
            if let Some(first) = fails.first() {
                let body: String = fails
                    .iter()
                    .map(|f| format!("{} [{}] {}\n", f.severity.as_str(), f.code, f.message))
                    .collect();
                let _ = writeln!(
                    out,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    first.code,
                    xml(&clip(&first.message, 300)),
                    xml(&strip_controls(&body))
                );
            }
            let rest: String = fs
                .iter()
                .filter(|f| f.severity < r.fail_on)
                .map(|f| format!("{} [{}] {}\n", f.severity.as_str(), f.code, f.message))
                .collect();
            if !rest.is_empty() {
                let _ = writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    xml(&strip_controls(&rest))
                );
            }
            out.push_str("    </testcase>\n");
        };
        if !a.findings.is_empty() {
            case("sources and references".to_string(), &a.findings, &mut out);
        }
        for c in &a.claims {
            case(
                format!(
                    "{}:{} {} {}",
                    c.claim.location.line,
                    c.claim.location.column,
                    c.claim
                        .citations
                        .iter()
                        .map(|l| format!("[{l}]"))
                        .collect::<String>(),
                    clip(&c.claim.text, 100)
                ),
                &c.findings,
                &mut out,
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
