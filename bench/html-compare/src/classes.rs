//! Small constructed pages, one per class of tree-building difference: each printed with the
//! tree and the visible text each parser yields, so a reader sees what the class does.

use crate::tree::{self, Scripting};
use ibid::html::Document;

/// (class, markup). Written for this bench; each shows one rule of the WHATWG tree builder that
/// ibid's parser does not follow, or follows differently.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "stray </p> (spec: an empty <p> is inserted, a line break)",
        "<!doctype html><body><div>first</p>second</div>",
    ),
    (
        "</br> (spec: read as <br>)",
        "<!doctype html><body><p>one</br>two</p>",
    ),
    (
        "inline end tag across a block (adoption agency)",
        "<!doctype html><body><b><p>one</b> two</p>",
    ),
    (
        "misnested formatting (adoption agency)",
        "<!doctype html><body><p><b>bold <i>both</b> italic</i> plain</p>",
    ),
    (
        "<a> inside <a> (spec: the first link is closed)",
        "<!doctype html><body><p><a href=/a>one <a href=/b>two</a> three</a></p>",
    ),
    (
        "text in a table outside a cell (foster parenting)",
        "<!doctype html><body><table><tr><td>cell</td></tr>stray<tr><td>next</td></tr></table>",
    ),
    (
        "block in a table outside a cell (foster parenting)",
        "<!doctype html><body><table><div>fostered</div><tr><td>cell</td></tr></table>",
    ),
    (
        "implied <tbody> (and html, head, body)",
        "<table><tr><td>a</td></tr></table>",
    ),
    (
        "<li> in a <menu> in an <li> (ibid closes the outer item)",
        "<!doctype html><body><ul><li>Menu<menu><li>one</li><li>two</li></menu>after</li></ul>",
    ),
    (
        "<p> then <table> in quirks mode (no doctype: the table stays in the p)",
        "<body><p>before<table><tr><td>cell</td></tr></table>after",
    ),
    (
        "<p> closed by start tags ibid does not list (center, menu, dd, summary ...)",
        "<!doctype html><body><p>intro<center>centred</center>tail",
    ),
    (
        "content in <head> (spec: the head ends, the element goes to the body)",
        "<!doctype html><html><head><title>T</title><div>Banner text</div></head><body><p>Body</p></body></html>",
    ),
    (
        "text after </body></html> (spec: still the body)",
        "<!doctype html><html><body><p>Body</p></body></html><p>Tail</p>",
    ),
    (
        "character references outside ibid's table; without ';'; C1 numeric",
        "<!doctype html><body><p>&hearts; &alpha; &notin; &copy 2019 &amp co &#150; &#x80;</p>",
    ),
    (
        "<noscript> (html5ever with scripting on: its markup becomes text)",
        "<!doctype html><body><noscript><p>Only without scripts</p></noscript><p>Always</p>",
    ),
    (
        "MathML (ibid: raw text, dropped; html5ever: elements with text)",
        "<!doctype html><body><p>Energy <math><mi>E</mi><mo>=</mo><mi>m</mi></math> holds</p>",
    ),
    (
        "<svg> inside <svg> (ibid's raw-text skip ends at the first </svg>)",
        "<!doctype html><body><svg><svg><path/></svg><text>Label</text></svg><p>after</p>",
    ),
    (
        "comment closed by --!> (spec) vs --> (ibid)",
        "<!doctype html><body><p>a<!-- note --!> visible -->b</p>",
    ),
];

/// The tree as nested `name(children)`, texts quoted, whitespace-only texts left out.
fn outline(doc: &Document, id: usize) -> String {
    let n = doc.node(id);
    if let Some(t) = n.text() {
        return format!("{:?}", t);
    }
    let inner: Vec<String> = doc
        .children(id)
        .filter(|&c| doc.node(c).text().is_none_or(|t| !t.trim().is_empty()))
        .map(|c| outline(doc, c))
        .collect();
    match n.name() {
        Some(name) if inner.is_empty() => name.to_string(),
        Some(name) => format!("{name}({})", inner.join(" ")),
        None => inner.join(" "),
    }
}

/// One line per visible line, joined with ` / `.
fn lines(text: &str) -> String {
    text.lines().collect::<Vec<_>>().join(" / ")
}

pub fn print() -> Result<(), String> {
    for (class, src) in EXAMPLES {
        let a = ibid::html::parse(src);
        let b = tree::from_scraper(&tree::parse_h5e(src, Scripting::Off));
        println!("### {class}\n`{src}`\n");
        println!("- ibid tree: `{}`", outline(&a, 0));
        println!("- html5ever: `{}`", outline(&b, 0));
        println!("- ibid text: `{}`", lines(&tree::visible_text(&a)));
        println!("- html5ever: `{}`", lines(&tree::visible_text(&b)));
        let on = tree::from_scraper(&tree::parse_h5e(src, Scripting::On));
        if outline(&on, 0) != outline(&b, 0) {
            println!("- html5ever, scripting on: `{}`", outline(&on, 0));
        }
        let (ea, eb) = (
            ibid::extract::from_html(src).whole,
            crate::extract_on::texts(&b, &|id| Some(b.text_of(id)), &|s| {
                tree::from_scraper(&tree::parse_h5e(s, Scripting::Off))
            })
            .1,
        );
        if ea != eb {
            println!(
                "- extractor's whole text: ibid `{}`, html5ever `{}`",
                lines(&ea),
                lines(&eb)
            );
        }
        println!();
    }
    Ok(())
}
