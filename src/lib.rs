//! ibid: a citation and provenance verifier.
//!
//! The pipeline runs left to right, one module per stage:
//! `article` (claims and their footnotes) -> `sources` (what each footnote points to) ->
//! `fetch` (HTTP exchange) -> `snapshot` (WARC store; `snapshot::choice` decides which copy of
//! a source is checked) -> `extract` (source text) -> `verify` (claim against source) ->
//! `report` (findings rendered). `config` reads sources.toml into each stage's settings; the
//! command line (private) wires the stages. `findings`, `text`, `time`, `html` and `files` are shared
//! leaves. `tests/architecture.rs` keeps imports flowing one way.
//!
//! The names most programs need are re-exported here:
//!
//! ```no_run
//! let article = ibid::read_article("article.md", None)?;
//! for claim in &article.claims {
//!     println!("{}:{} cites {:?}", claim.location.line, claim.location.column, claim.citations);
//! }
//! # Ok::<(), ibid::ArticleError>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod article;
mod cli;
pub mod config;
pub mod extract;
pub mod fetch;
pub mod files;
pub mod findings;
pub mod html;
pub mod report;
pub mod snapshot;
pub mod sources;
pub mod text;
pub mod time;
pub mod verify;

pub use article::{read_file as read_article, Article, ArticleError, Claim, Reference};
pub use config::{Config, ConfigError};
pub use extract::{extract, ExtractError, SourceText};
pub use fetch::{CopyKind, FetchSettings, Fetcher};
pub use findings::{Code, Finding, Location, Severity};
pub use report::{Format, Report};
pub use snapshot::{Store, StoreError, StoreSettings};
pub use sources::{resolve as resolve_sources, Resolution, Source};
pub use verify::{Assessment, Judge, Rules, SourceDoc, Verdict};

/// Run the `ibid` command line on the process's arguments; returns the exit code (0 no
/// finding at the fail level, 1 findings, 2 usage or I/O error). For the `ibid` binary.
pub fn run_cli() -> i32 {
    cli::main()
}
