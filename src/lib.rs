//! ibid: a citation and provenance verifier.
//!
//! The pipeline runs left to right, one module per stage:
//! `article` (claims and their footnotes) -> `sources` (what each footnote points to) ->
//! `fetch` (HTTP exchange) -> `snapshot` (WARC store) -> `extract` (source text) ->
//! `verify` (claim against source) -> `report` (findings rendered). `cli` wires them.

pub mod article;
pub mod cli;
pub mod config;
pub mod extract;
pub mod fetch;
pub mod findings;
pub mod html;
pub mod report;
pub mod snapshot;
pub mod sources;
pub mod text;
pub mod time;
pub mod verify;
