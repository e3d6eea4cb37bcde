//! The rescue patch (`check --patch FILE`): for every wikitext article, a unified diff that adds
//! the archived copy the check found for each dead source (`archive-url`, `archive-date`,
//! `url-status=dead` on its cite template, or a `{{Webarchive}}` after a bare link), and
//! changes nothing else: no byte outside those insertions differs. Live sources get nothing.
//! An editor applies it with `patch`, or pastes the changed lines into the wiki's edit box.

use super::review::Standing;
use super::{ArticleReport, Report};
use crate::article::edit::{self, civil_date, Edit, Rescue};
use crate::fetch::CopyKind;
use std::fmt::Write;

/// Lines of context around each change, as `diff -u` writes them.
const CONTEXT: usize = 3;

/// The patch and what it does.
#[derive(Debug, Clone, Default)]
pub struct Patch {
    /// The unified diff (empty when there is nothing to rescue).
    pub diff: String,
    /// Dead sources an archived copy rescues, over all wikitext articles.
    pub rescued: usize,
    /// Places in the wikitext changed.
    pub edits: usize,
    /// (article, URL) of rescued sources the wikitext does not cite where ibid edits (a URL
    /// given only in sources.toml, or inside a template other than a citation).
    pub not_found: Vec<(String, String)>,
}

/// The rescue patch of every wikitext article of the report.
pub fn rescue_patch(r: &Report) -> Patch {
    let mut p = Patch::default();
    for a in r.articles.iter().filter(|a| a.format == "wikitext") {
        let rescues = rescues(a);
        p.rescued += rescues.len();
        let done = edit::rescue(&a.source, &rescues);
        p.not_found
            .extend(done.not_found.into_iter().map(|u| (a.path.clone(), u)));
        if done.edits.is_empty() {
            continue;
        }
        p.edits += done.edits.len();
        let (name, from, to) = match &a.wiki {
            Some(w) => (
                crate::article::wiki::file_name(&w.title),
                format!("revision {} ({})", w.revid, w.timestamp),
                "with archived copies (ibid)".to_string(),
            ),
            None => (
                a.path.clone(),
                "as checked".to_string(),
                "with archived copies (ibid)".to_string(),
            ),
        };
        p.diff
            .push_str(&unified(&a.source, &done.edits, &name, &from, &to));
    }
    p
}

/// The dead sources of an article that an archived copy rescues, with the copy to cite: the
/// reference's own archive URL when that is the copy that was checked, else the copy found
/// (TimeGate, Wayback); dated when it was archived, else when it was captured.
fn rescues(a: &ArticleReport) -> Vec<Rescue> {
    a.references
        .iter()
        .filter(|r| r.standing == Standing::Rescued)
        .filter_map(|r| {
            let u = &r.source;
            let url = u.url.clone()?;
            let archive_url = match u.copy? {
                CopyKind::Archive => u.archive_url.clone().or_else(|| u.checked_url.clone()),
                CopyKind::Live => None,
                _ => u.checked_url.clone(),
            }?;
            let archived = u
                .archived
                .as_deref()
                .or(u.captured.as_deref())
                .and_then(civil_date)?;
            Some(Rescue {
                url,
                archive_url,
                archived,
            })
        })
        .collect()
}

/// An insertion that opens a new line at the end of a line (`X` + `\n | k = v` before `\n}}`)
/// is the same text as whole lines inserted after it (`X\n` + ` | k = v\n` + `}}`): written that
/// way, the diff shows only added lines, as `diff -u` would.
fn as_line_insertion(old: &str, e: &Edit) -> Edit {
    for nl in ["\r\n", "\n"] {
        if e.start == e.end && old[e.start..].starts_with(nl) && e.text.starts_with(nl) {
            return Edit {
                start: e.start + nl.len(),
                end: e.start + nl.len(),
                text: format!("{}{nl}", &e.text[nl.len()..]),
            };
        }
    }
    e.clone()
}

/// A unified diff (`diff -u` format) of `old` against `old` with `edits` applied.
pub fn unified(old: &str, edits: &[Edit], name: &str, from: &str, to: &str) -> String {
    let edits: Vec<Edit> = edits.iter().map(|e| as_line_insertion(old, e)).collect();
    let lines: Vec<&str> = old.split_inclusive('\n').collect();
    let mut starts = Vec::with_capacity(lines.len() + 1);
    let mut off = 0;
    for l in &lines {
        starts.push(off);
        off += l.len();
    }
    starts.push(off);
    let line_at = |o: usize| starts.partition_point(|&s| s <= o).saturating_sub(1);
    // changed runs of old lines, half open: [first, end), and the edits inside; whole lines
    // inserted before line `l` are the empty run [l, l)
    let mut changes: Vec<(usize, usize, Vec<&Edit>)> = Vec::new();
    for e in &edits {
        let whole_lines =
            e.start == e.end && e.text.ends_with('\n') && starts.binary_search(&e.start).is_ok();
        let (a, b) = if whole_lines {
            let l = line_at(e.start).min(lines.len());
            let l = if e.start == off { lines.len() } else { l };
            (l, l)
        } else {
            let a = line_at(e.start).min(lines.len().saturating_sub(1));
            let b =
                line_at(e.end.saturating_sub(1).max(e.start)).min(lines.len().saturating_sub(1));
            (a, b + 1)
        };
        match changes.last_mut() {
            Some(c) if a < c.1 => {
                c.1 = c.1.max(b);
                c.2.push(e);
            }
            _ => changes.push((a, b, vec![e])),
        }
    }
    let new_text = |c: &(usize, usize, Vec<&Edit>)| -> String {
        let base = starts[c.0];
        let shifted: Vec<Edit> =
            c.2.iter()
                .map(|e| Edit {
                    start: e.start - base,
                    end: e.end - base,
                    text: e.text.clone(),
                })
                .collect();
        edit::apply(&old[base..starts[c.1]], &shifted)
    };
    let mut out = format!("--- {name}\t{from}\n+++ {name}\t{to}\n");
    let mut delta: isize = 0;
    let mut i = 0;
    while i < changes.len() {
        // changes with at most two contexts between them share a hunk
        let mut j = i;
        while j + 1 < changes.len() && changes[j + 1].0 <= changes[j].1 + 2 * CONTEXT {
            j += 1;
        }
        let first = changes[i].0.saturating_sub(CONTEXT);
        let last = (changes[j].1 + CONTEXT).min(lines.len());
        let mut body = String::new();
        let mut added = 0isize;
        let mut at = first;
        for c in &changes[i..=j] {
            for l in &lines[at..c.0] {
                push_line(&mut body, ' ', l);
            }
            for l in &lines[c.0..c.1] {
                push_line(&mut body, '-', l);
            }
            let new = new_text(c);
            let n = new.split_inclusive('\n').count();
            for l in new.split_inclusive('\n') {
                push_line(&mut body, '+', l);
            }
            added += n as isize - (c.1 - c.0) as isize;
            at = c.1;
        }
        for l in &lines[at..last] {
            push_line(&mut body, ' ', l);
        }
        let old_count = last - first;
        let new_count = (old_count as isize + added) as usize;
        let new_start = (first as isize + 1 + delta) as usize;
        let _ = write!(
            out,
            "@@ -{},{old_count} +{new_start},{new_count} @@\n{body}",
            first + 1
        );
        delta += added;
        i = j + 1;
    }
    out
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_carry_context_and_counts() {
        let old: String = (1..=20).map(|n| format!("line {n}\n")).collect();
        let at = |n: usize| old.find(&format!("line {n}\n")).unwrap() + format!("line {n}").len();
        let edits = vec![
            Edit {
                start: at(2),
                end: at(2),
                text: " +a".into(),
            },
            Edit {
                start: at(5),
                end: at(5),
                text: "\nline 5b".into(),
            },
            Edit {
                start: at(18),
                end: at(18),
                text: " +c".into(),
            },
        ];
        let d = unified(&old, &edits, "p.wikitext", "old", "new");
        let expected = "--- p.wikitext\told\n+++ p.wikitext\tnew\n\
@@ -1,8 +1,9 @@\n line 1\n-line 2\n+line 2 +a\n line 3\n line 4\n line 5\n+line 5b\n line 6\n line 7\n line 8\n\
@@ -15,6 +16,6 @@\n line 15\n line 16\n line 17\n-line 18\n+line 18 +c\n line 19\n line 20\n";
        assert_eq!(d, expected);
    }

    #[test]
    fn a_new_line_at_a_line_end_is_an_added_line() {
        let e = Edit {
            start: 1,
            end: 1,
            text: "\r\n | url-status = dead".into(),
        };
        let d = unified("a\r\n}}\r\n", &[e], "x", "1", "2");
        assert!(
            d.ends_with("@@ -1,2 +1,3 @@\n a\r\n+ | url-status = dead\r\n }}\r\n"),
            "{d:?}"
        );
    }

    #[test]
    fn a_last_line_without_newline_says_so() {
        let old = "a\nb";
        let e = Edit {
            start: 3,
            end: 3,
            text: "c".into(),
        };
        let d = unified(old, &[e], "x", "1", "2");
        assert!(
            d.ends_with(
                " a\n-b\n\\ No newline at end of file\n+bc\n\\ No newline at end of file\n"
            ),
            "{d}"
        );
    }
}
