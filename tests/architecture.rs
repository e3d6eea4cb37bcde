//! The shape of the house, checked: the top-level modules of `src/` import each other without
//! a cycle, every stage imports only stages before it in the pipeline (or the shared leaves),
//! and only `cli` prints. Read from the source text, so a new `use crate::…` that breaks the
//! layering fails here with the file that did it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The pipeline in order, then the wiring. A module may import modules listed before it.
const LAYERS: &[&str] = &[
    // shared leaves: no stage of their own
    "files", "time", "findings", "text", "html", //
    // the stages, in the order data flows
    "article", "sources", "fetch", "snapshot", "extract", "verify", "report",
    // reads the project file into each stage's settings; wired by cli
    "config", "cli",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to: `src/snapshot/choice.rs` -> `snapshot`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Code lines only: comments and doc comments may name other modules freely.
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .filter(|l| !l.trim().is_empty())
}

/// `crate::x` paths in `line`, and the names of a `use crate::{a, b::c}` group.
fn crate_refs(line: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = line;
    while let Some(p) = rest.find("crate::") {
        rest = &rest[p + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let body = group.split('}').next().unwrap_or("");
            for part in body.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

struct Imports {
    /// module -> module it imports -> a file that does
    edges: BTreeMap<String, BTreeMap<String, String>>,
    modules: BTreeSet<String>,
}

fn imports() -> Imports {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    files.sort();
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(&src, f))
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for f in &files {
        let from = module_of(&src, f);
        let text = std::fs::read_to_string(f).unwrap();
        // unit tests may reach anywhere to set up what they check
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for line in code_lines(code) {
            for to in crate_refs(line) {
                if to != from && modules.contains(&to) {
                    let shown = f.strip_prefix(src.parent().unwrap()).unwrap();
                    edges
                        .entry(from.clone())
                        .or_default()
                        .entry(to)
                        .or_insert_with(|| shown.display().to_string());
                }
            }
        }
    }
    Imports { edges, modules }
}

#[test]
fn every_module_has_a_place_in_the_layers() {
    let im = imports();
    let unplaced: Vec<&String> = im
        .modules
        .iter()
        .filter(|m| !LAYERS.contains(&m.as_str()))
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules missing from LAYERS in tests/architecture.rs: {unplaced:?}"
    );
}

#[test]
fn modules_import_only_what_comes_before_them() {
    let im = imports();
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m).unwrap_or(usize::MAX);
    let mut wrong = vec![];
    for (from, tos) in &im.edges {
        for (to, file) in tos {
            if rank(to) >= rank(from) {
                wrong.push(format!("{from} -> {to} (in {file})"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the pipeline's direction:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_cycle_between_modules() {
    let im = imports();
    // depth-first search for a back edge; report the cycle it closes
    fn visit(
        m: &str,
        im: &Imports,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(p) = stack.iter().position(|s| s == m) {
            let mut cycle = stack[p..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.to_string());
        for to in im.edges.get(m).map(|t| t.keys()).into_iter().flatten() {
            if let Some(c) = visit(to, im, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in &im.modules {
        if let Some(cycle) = visit(m, &im, &mut vec![], &mut done) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn only_cli_prints() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    let mut printing = vec![];
    for f in files {
        let m = module_of(&src, &f);
        if m == "cli" || m == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        // unit tests may print what they measured
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for line in code_lines(code) {
            if ["println!", "eprintln!", "print!(", "eprint!(", "dbg!("]
                .iter()
                .any(|p| line.contains(p))
            {
                printing.push(format!("{}: {}", f.display(), line.trim()));
            }
        }
    }
    assert!(
        printing.is_empty(),
        "printing outside cli:\n{}",
        printing.join("\n")
    );
}

#[test]
fn the_reader_finds_imports() {
    assert_eq!(
        crate_refs("use crate::{fetch::Capture, snapshot, text::one_line};"),
        vec!["fetch", "snapshot", "text"]
    );
    assert_eq!(
        crate_refs("let t = crate::time::Timestamp::now(); crate::report::clip(x)"),
        vec!["time", "report"]
    );
}
