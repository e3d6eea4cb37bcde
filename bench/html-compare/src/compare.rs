//! What each tree yields: visible text (word 4-gram F1), where each word sits (container and
//! ancestor chain), and ibid's own extractor and article reader run on each tree.

use crate::extract_on;
use crate::pages::{self, Page};
use crate::tree::{self, PlacedWord, Scripting};
use ibid::html::Document;
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// Lowercase word tokens as the extraction benchmark's scorer cuts them (`\w+`).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Word 4-gram F1 between two texts, over 4-gram multisets (1.0 when both are empty).
pub fn f1_4gram(a: &str, b: &str) -> f64 {
    fn grams(w: &[String]) -> HashMap<&[String], i64> {
        let mut m = HashMap::new();
        if w.len() < 4 {
            if !w.is_empty() {
                *m.entry(w).or_insert(0) += 1;
            }
            return m;
        }
        for g in w.windows(4) {
            *m.entry(g).or_insert(0) += 1;
        }
        m
    }
    let (wa, wb) = (words(a), words(b));
    let (ga, gb) = (grams(&wa), grams(&wb));
    let na: i64 = ga.values().sum();
    let nb: i64 = gb.values().sum();
    if na == 0 && nb == 0 {
        return 1.0;
    }
    let tp: i64 = ga
        .iter()
        .map(|(g, c)| (*c).min(*gb.get(g).unwrap_or(&0)))
        .sum();
    2.0 * tp as f64 / (na + nb) as f64
}

/// Both trees of one page.
struct Trees<'a> {
    ibid: Document<'a>,
    h5e: Document<'static>,
}

fn trees(p: &Page, scripting: Scripting) -> Trees<'_> {
    Trees {
        ibid: ibid::html::parse(&p.text),
        h5e: tree::from_scraper(&tree::parse_h5e(&p.text, scripting)),
    }
}

/// Placement differences between the two trees for words both trees show.
#[derive(Default)]
struct Placement {
    aligned: usize,
    container_moved: usize,
    chain_moved: usize,
    /// (ibid chain, html5ever chain) -> (words, first words of the first run)
    runs: HashMap<(String, String), (usize, String)>,
}

fn compare_placement(a: &[PlacedWord], b: &[PlacedWord]) -> (Placement, Vec<DiffOp>) {
    let wa: Vec<&str> = a.iter().map(|w| w.word.as_str()).collect();
    let wb: Vec<&str> = b.iter().map(|w| w.word.as_str()).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &wa, &wb);
    let mut p = Placement::default();
    for op in &ops {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        {
            for k in 0..len {
                let (x, y) = (&a[old_index + k], &b[new_index + k]);
                p.aligned += 1;
                if x.container != y.container {
                    p.container_moved += 1;
                }
                if x.chain != y.chain {
                    p.chain_moved += 1;
                    let e = p
                        .runs
                        .entry((x.chain.clone(), y.chain.clone()))
                        .or_insert((0, String::new()));
                    e.0 += 1;
                    if e.1.split(' ').count() < 8 {
                        if !e.1.is_empty() {
                            e.1.push(' ');
                        }
                        e.1.push_str(&x.word);
                    }
                }
            }
        }
    }
    (p, ops)
}

/// The words one tree shows and the other does not, with a little context.
fn text_diff(a: &[PlacedWord], b: &[PlacedWord], ops: &[DiffOp]) -> String {
    let ctx = |w: &[PlacedWord], from: usize, to: usize| {
        w[from.min(w.len())..to.min(w.len())]
            .iter()
            .map(|x| x.word.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = String::new();
    for op in ops {
        let (oi, ol, ni, nl) = match *op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index, old_len, new_index, 0),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index, 0, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (old_index, old_len, new_index, new_len),
        };
        let _ = writeln!(
            out,
            "@ ...{}\n- ibid [{}]: {}\n+ h5e  [{}]: {}\n  in ibid: {}\n  in h5e:  {}",
            ctx(a, oi.saturating_sub(6), oi),
            ol,
            ctx(a, oi, oi + ol.min(40)),
            nl,
            ctx(b, ni, ni + nl.min(40)),
            a.get(oi).map_or("", |w| w.chain.as_str()),
            b.get(ni).map_or("", |w| w.chain.as_str()),
        );
    }
    out
}

fn write(path: &Path, s: &str) -> Result<(), String> {
    std::fs::write(path, s).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn text_and_shape(scripting: Scripting, out: &str, files: &[String]) -> Result<(), String> {
    let out = Path::new(out);
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let pages = pages::load(files)?;
    println!("page\tnodes_ibid\tnodes_h5e\ttree_nodes_off\timplied_added\twords_ibid\twords_h5e\tf1_4gram\tsame_words\tlines_ibid\tlines_h5e\twords_aligned\tcontainer_moved\tchain_moved");
    let mut totals = Placement::default();
    for p in &pages {
        let t = trees(p, scripting);
        let (ta, tb) = (tree::visible_text(&t.ibid), tree::visible_text(&t.h5e));
        let f1 = f1_4gram(&ta, &tb);
        let (off, off_shown) = nodes_differing(&t.ibid, &t.h5e, true);
        if off > 0 {
            write(&out.join(format!("{}.tree.diff", p.id)), &off_shown)?;
        }
        let same = words(&ta) == words(&tb);
        let (pa, pb) = (tree::placed_words(&t.ibid), tree::placed_words(&t.h5e));
        let (pl, ops) = compare_placement(&pa, &pb);
        println!(
            "{}\t{}\t{}\t{off}\t{}\t{}\t{}\t{f1:.4}\t{same}\t{}\t{}\t{}\t{}\t{}",
            p.id,
            t.ibid.nodes.len(),
            t.h5e.nodes.len(),
            implied_count(&t.h5e) as i64 - implied_count(&t.ibid) as i64,
            words(&ta).len(),
            words(&tb).len(),
            ta.lines().count(),
            tb.lines().count(),
            pl.aligned,
            pl.container_moved,
            pl.chain_moved
        );
        if ta != tb {
            write(&out.join(format!("{}.ibid.txt", p.id)), &ta)?;
            write(&out.join(format!("{}.h5e.txt", p.id)), &tb)?;
        }
        let diff = text_diff(&pa, &pb, &ops);
        if !diff.is_empty() {
            write(&out.join(format!("{}.words.diff", p.id)), &diff)?;
        }
        if pl.chain_moved > 0 {
            let mut runs: Vec<_> = pl.runs.iter().collect();
            runs.sort_by_key(|(_, (n, _))| std::cmp::Reverse(*n));
            let mut s = String::new();
            for ((ca, cb), (n, first)) in runs {
                let _ = writeln!(s, "{n}\t{first}\n  ibid: {ca}\n  h5e:  {cb}");
            }
            write(&out.join(format!("{}.shape", p.id)), &s)?;
        }
        totals.aligned += pl.aligned;
        totals.container_moved += pl.container_moved;
        totals.chain_moved += pl.chain_moved;
    }
    println!(
        "TOTAL words aligned {}, nearest container differs {} ({:.2}%), 5-ancestor chain differs {} ({:.2}%)",
        totals.aligned,
        totals.container_moved,
        100.0 * totals.container_moved as f64 / totals.aligned.max(1) as f64,
        totals.chain_moved,
        100.0 * totals.chain_moved as f64 / totals.aligned.max(1) as f64
    );
    Ok(())
}

/// Elements whose content ibid's parser keeps as raw text or drops (scripts, styles, SVG,
/// MathML ...): the round trip cannot rebuild what html5ever puts inside them.
const OPAQUE: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "template", "svg", "math",
];

/// Elements the spec tree builder adds when the markup leaves them out.
const IMPLIED: &[&str] = &["html", "head", "body", "tbody"];

/// An element's attributes as ` k="v"`, sorted by name, the first of duplicates kept (the
/// spec keeps the first; ibid keeps all and reads the first), values whitespace-collapsed.
/// Left out on `OPAQUE` elements: html5ever adjusts SVG and MathML attribute names
/// (`viewBox`, `xml:space`), which no code of ibid's reads.
fn attributes(n: &ibid::html::Node) -> String {
    let ibid::html::NodeKind::Element { name, attrs } = &n.kind else {
        return String::new();
    };
    if OPAQUE.contains(&name.as_ref()) {
        return String::new();
    }
    let mut seen = std::collections::BTreeMap::new();
    for (k, v) in attrs {
        seen.entry(k.as_ref())
            .or_insert_with(|| v.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    seen.iter().map(|(k, v)| format!(" {k}={v:?}")).collect()
}

/// How many `IMPLIED` elements the tree has.
fn implied_count(doc: &Document) -> usize {
    doc.nodes
        .iter()
        .filter(|n| n.name().is_some_and(|t| IMPLIED.contains(&t)))
        .count()
}

/// Elements and non-blank texts in document order, each with its depth, the content of
/// `OPAQUE` elements left out: two trees with equal signatures have the same shape and
/// content. With `skip_implied`, `IMPLIED` elements are left out and add no depth, so a tree
/// with them compares equal to one without.
fn signature(doc: &Document, skip_implied: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(0usize, 0usize)];
    while let Some((id, depth)) = stack.pop() {
        let n = &doc.nodes[id];
        let implied = skip_implied && n.name().is_some_and(|t| IMPLIED.contains(&t));
        if id != 0 && !implied {
            out.push(match (n.name(), n.text()) {
                (Some(name), _) => format!("{depth} <{name}{}>", attributes(n)),
                (_, Some(t)) if !t.trim().is_empty() => format!(
                    "{depth} {}",
                    t.split_whitespace().collect::<Vec<_>>().join(" ")
                ),
                _ => continue,
            });
        }
        if n.name().is_some_and(|t| OPAQUE.contains(&t)) {
            continue;
        }
        let d = if implied || id == 0 { depth } else { depth + 1 };
        let first = stack.len();
        stack.extend(doc.children(id).map(|c| (c, d)));
        stack[first..].reverse();
    }
    out
}

/// Nodes of `a` and `b` outside the longest common subsequence of their signatures, and the
/// differing runs (`-` only in `a`, `+` only in `b`), at most 10 nodes shown per run.
fn nodes_differing(a: &Document, b: &Document, skip_implied: bool) -> (usize, String) {
    let (sa, sb) = (signature(a, skip_implied), signature(b, skip_implied));
    let mut n = 0;
    let mut shown = String::new();
    for op in capture_diff_slices(Algorithm::Myers, &sa, &sb) {
        let (oi, ol, ni, nl) = match op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index, old_len, 0, 0),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (0, 0, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (old_index, old_len, new_index, new_len),
        };
        n += ol + nl;
        for x in &sa[oi..oi + ol.min(10)] {
            let _ = writeln!(shown, "- {}", x.chars().take(200).collect::<String>());
        }
        for x in &sb[ni..ni + nl.min(10)] {
            let _ = writeln!(shown, "+ {}", x.chars().take(200).collect::<String>());
        }
        shown.push_str("--\n");
    }
    (n, shown)
}

fn json_map(pairs: &[(String, String)]) -> String {
    let mut m = serde_json::Map::new();
    for (id, text) in pairs {
        m.insert(id.clone(), serde_json::json!({ "articleBody": text }));
    }
    serde_json::Value::Object(m).to_string()
}

/// ibid's extractor on ibid's tree and on html5ever's (the same code on both, see
/// `extract_on`), and ibid's article reader on the page as is and on the page as html5ever
/// serialises it (every end tag explicit, so ibid's parser rebuilds html5ever's tree;
/// `roundtrip_nodes_off` counts the nodes, outside scripts, styles, SVG and MathML, where it
/// does not).
pub fn extraction(scripting: Scripting, out: &str, files: &[String]) -> Result<(), String> {
    let out = Path::new(out);
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let pages = pages::load(files)?;
    let unfaithful = extract_on::check_against_ibid(&pages);
    if !unfaithful.is_empty() {
        return Err(format!(
            "extraction repeated here differs from ibid::extract::from_html on ibid's own tree \
             (src/extract changed?): {unfaithful:?}"
        ));
    }
    let (mut on_ibid, mut on_h5e) = (Vec::new(), Vec::new());
    println!("page\tnodes_h5e\troundtrip_nodes_off\tmain_f1\tmain_words_ibid\tmain_words_h5e\twhole_f1\tmarkers_ibid\tmarkers_h5e\trefs_ibid\trefs_h5e");
    // typed as the parser `texts` takes: html5ever's trees own their strings ('static)
    let parse: &dyn Fn(&str) -> Document =
        &|s: &str| tree::from_scraper(&tree::parse_h5e(s, scripting));
    for p in &pages {
        let a = ibid::extract::from_html(&p.text);
        let html = tree::parse_h5e(&p.text, scripting);
        let direct = tree::from_scraper(&html);
        let (text, whole) = extract_on::texts(
            &direct,
            &|id| extract_on::tree_script_text(&direct, id),
            parse,
        );
        let serialised = html.html();
        let (off, off_shown) = nodes_differing(&direct, &ibid::html::parse(&serialised), false);
        if off > 0 {
            write(&out.join(format!("{}.roundtrip.diff", p.id)), &off_shown)?;
        }
        let ra = ibid::article::read_str("a.html", &p.text, Some(ibid::article::Format::Html));
        let rb = ibid::article::read_str("a.html", &serialised, Some(ibid::article::Format::Html));
        let markers = |r: &ibid::article::Article| -> usize {
            r.claims.iter().map(|c| c.citations.len()).sum()
        };
        println!(
            "{}\t{}\t{off}\t{:.4}\t{}\t{}\t{:.4}\t{}\t{}\t{}\t{}",
            p.id,
            direct.nodes.len(),
            f1_4gram(&a.text, &text),
            words(&a.text).len(),
            words(&text).len(),
            f1_4gram(&a.whole, &whole),
            markers(&ra),
            markers(&rb),
            ra.references.len(),
            rb.references.len()
        );
        if a.text != text {
            write(&out.join(format!("{}.main.ibid.txt", p.id)), &a.text)?;
            write(&out.join(format!("{}.main.h5e.txt", p.id)), &text)?;
        }
        if a.whole != whole {
            write(&out.join(format!("{}.whole.ibid.txt", p.id)), &a.whole)?;
            write(&out.join(format!("{}.whole.h5e.txt", p.id)), &whole)?;
        }
        on_ibid.push((p.id.clone(), a.text));
        on_h5e.push((p.id.clone(), text));
    }
    write(&out.join("extract-ibid.json"), &json_map(&on_ibid))?;
    write(&out.join("extract-h5e.json"), &json_map(&on_h5e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f1_counts_shared_word_4grams() {
        assert_eq!(f1_4gram("one two three four", "One, two; three four"), 1.0);
        assert_eq!(f1_4gram("one two three four", "five six seven eight"), 0.0);
        // 3 grams each, 2 shared
        let f = f1_4gram("a b c d e f", "a b c d e g");
        assert!((f - 2.0 / 3.0).abs() < 1e-9, "{f}");
        assert_eq!(f1_4gram("", ""), 1.0);
    }

    #[test]
    fn implied_elements_compare_equal_only_when_skipped() {
        let src = "<table><tr><td>a</td></tr></table>";
        let a = ibid::html::parse(src);
        let b = tree::from_scraper(&tree::parse_h5e(src, Scripting::Off));
        assert_eq!(nodes_differing(&a, &b, true).0, 0);
        assert!(nodes_differing(&a, &b, false).0 > 0);
        // a real difference still shows with implied elements skipped: foster parenting
        let src = "<table><tr><td>a</td></tr>stray</table>";
        let a = ibid::html::parse(src);
        let b = tree::from_scraper(&tree::parse_h5e(src, Scripting::Off));
        assert!(nodes_differing(&a, &b, true).0 > 0);
    }
}
