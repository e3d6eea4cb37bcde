//! ibid's own HTML parser (`ibid::html`) against scraper (html5ever, the WHATWG tree builder).
//!
//! ```text
//! html-compare speed RUNS FILE...        parse and extraction speed, medians of RUNS
//! html-compare compare MODE OUTDIR FILE...  visible text and word placement from both trees
//! html-compare extract MODE OUTDIR FILE...  ibid's extractor on ibid's tree and on html5ever's
//! html-compare classes                   small constructed pages, one per class of difference
//! html-compare deep PARSER TAG N         N nested <TAG>: time, nodes, depth, peak memory
//! html-compare big PARSER MB [FILE...]   a page of MB megabytes: time and peak memory
//! ```
//! FILE is `.html` or `.html.gz`; PARSER is `ibid` or `scraper`; MODE is `scripting-off`
//! (`<noscript>` content parsed as markup) or `scripting-on` (scraper's `Html::parse_document`). See `bench/html-compare.md`.

mod classes;
mod compare;
mod extract_on;
mod pages;
mod robust;
mod speed;
mod tree;

/// ibid's HTML types under the path ibid's own code names them (`crate::html`), for the
/// extractor file compiled here (see `extract_on`).
mod html {
    pub use ibid::html::{ends_line, Document, Node, NodeKind};
}

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!(
        "usage: html-compare speed RUNS FILE... | compare MODE OUTDIR FILE... | extract MODE OUTDIR FILE... | classes \
         | deep ibid|scraper TAG N | big ibid|scraper MB [FILE...]"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        return usage();
    };
    let result = match (cmd.as_str(), rest) {
        ("speed", [runs, files @ ..]) if !files.is_empty() => runs
            .parse()
            .map_err(|_| format!("RUNS must be a number, got {runs:?}"))
            .and_then(|r| speed::run(r, files)),
        ("compare", [mode, out, files @ ..]) if !files.is_empty() => {
            tree::Scripting::from_arg(mode).and_then(|m| compare::text_and_shape(m, out, files))
        }
        ("extract", [mode, out, files @ ..]) if !files.is_empty() => {
            tree::Scripting::from_arg(mode).and_then(|m| compare::extraction(m, out, files))
        }
        ("classes", []) => classes::print(),
        ("deep", [parser, tag, n]) => n
            .parse()
            .map_err(|_| format!("N must be a number, got {n:?}"))
            .and_then(|n| robust::deep(parser, tag, n)),
        ("big", [parser, mb, files @ ..]) => mb
            .parse()
            .map_err(|_| format!("MB must be a number, got {mb:?}"))
            .and_then(|mb| robust::big(parser, mb, files)),
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("html-compare: {e}");
            ExitCode::from(2)
        }
    }
}
