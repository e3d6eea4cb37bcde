//! The commands: each wires the stages together. The only module that prints.

mod archives;
mod check;
mod commands;
mod wiki;

use crate::article::Format as ArticleFormat;
use crate::fetch::range;
use crate::findings::Severity;
use crate::report::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "ibid",
    version,
    about = "Check that an article's claims say what their cited sources say, and keep verifiable snapshots of those sources."
)]
pub struct Cli {
    /// The project file listing articles and sources.
    #[arg(long, global = true, default_value = "sources.toml")]
    config: PathBuf,
    /// The snapshot store (default: snapshots/ beside the config file).
    #[arg(long, global = true)]
    store: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Print the claims of an article and the footnotes they cite.
    Claims {
        articles: Vec<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        /// Force the article format instead of detecting it.
        #[arg(long = "format-in", value_enum)]
        format_in: Option<ArticleFormat>,
        /// Also report sentences that cite nothing (claim-uncited).
        #[arg(long)]
        require_citations: bool,
        #[command(flatten)]
        net: NetArgs,
    },
    /// Write or update sources.toml from an article's references, keeping your edits.
    Init { articles: Vec<String> },
    /// Snapshot every cited source not yet captured.
    Fetch {
        /// Fetch every source again (conditional on ETag / Last-Modified).
        #[arg(long)]
        refresh: bool,
        /// K/N: fetch only the sources whose host falls in share K of N (for N parallel jobs
        /// whose stores `ibid merge` joins).
        #[arg(long, value_name = "K/N")]
        shard: Option<crate::snapshot::shard::Shard>,
        #[command(flatten)]
        net: NetArgs,
    },
    /// Check every claim against its cited snapshot; report; exit 1 on findings at --fail-on.
    Check(CheckArgs),
    /// Re-hash every snapshot against its digests, the index and the manifest.
    Verify,
    /// Rebuild the index (and the manifest) from the WARC files.
    Reindex,
    /// Package the store as a WACZ file (WARCs, CDXJ index, a page per cited source).
    Export {
        /// The WACZ file to write.
        #[arg(long, value_name = "FILE.wacz")]
        wacz: PathBuf,
    },
    /// Merge other ibid stores (e.g. the shards of `fetch --shard`) into this one.
    Merge {
        #[arg(required = true, value_name = "STORE")]
        stores: Vec<PathBuf>,
    },
    /// Print the CDXJ index of web archives other tools wrote (as `check --archive` reads them).
    Index {
        #[arg(required = true, value_name = "PATH")]
        archives: Vec<PathBuf>,
        /// Also load every capture and check its digests.
        #[arg(long)]
        verify: bool,
    },
    /// Batch: JSON Lines of {id, claim, source} in, {id, verdict, score, evidence, findings} out.
    Judge {
        /// Input file, or - for standard input.
        #[arg(default_value = "-")]
        input: String,
        /// Worker threads (default: all cores).
        #[arg(long, value_parser = usize_in((1, 1024)))]
        threads: Option<usize>,
    },
    /// Print the text ibid extracts from files or URLs.
    Extract {
        inputs: Vec<String>,
        #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
        format: ExtractFormat,
        /// Whole-page text instead of the main content.
        #[arg(long)]
        whole: bool,
        #[command(flatten)]
        net: NetArgs,
    },
}

/// `ibid claims --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

/// `ibid extract --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExtractFormat {
    /// The text, with a title line per input.
    Text,
    /// One JSON object per input.
    Jsonl,
}

/// Fetch policy flags; each overrides `[fetch]` in sources.toml. Numeric flags are checked
/// against the same ranges as the settings (`fetch::range`), by clap, before anything runs.
#[derive(Args, Debug, Clone, Default)]
pub struct NetArgs {
    #[arg(long, value_parser = usize_in(range::CONCURRENCY))]
    concurrency: Option<usize>,
    #[arg(long, value_parser = usize_in(range::PER_HOST))]
    per_host: Option<usize>,
    /// Milliseconds between two requests to one host.
    #[arg(long, value_parser = clap::value_parser!(u64).range(range::HOST_DELAY_MS.0..=range::HOST_DELAY_MS.1))]
    host_delay_ms: Option<u64>,
    /// Seconds for the whole request.
    #[arg(long, value_parser = timeout_secs)]
    timeout: Option<f64>,
    #[arg(long, value_parser = connect_timeout_secs)]
    connect_timeout: Option<f64>,
    #[arg(long, value_parser = clap::value_parser!(u32).range(range::RETRIES.0 as i64..=range::RETRIES.1 as i64))]
    retries: Option<u32>,
    #[arg(long, value_parser = usize_in(range::MAX_REDIRECTS))]
    max_redirects: Option<usize>,
    /// Body bytes kept (larger bodies are cut and marked truncated).
    #[arg(long, value_parser = clap::value_parser!(u64).range(range::MAX_BODY_BYTES.0..=range::MAX_BODY_BYTES.1))]
    max_body: Option<u64>,
    /// Fetch loopback and private addresses too.
    #[arg(long)]
    allow_private: bool,
    /// HOST=ADDR: send requests for HOST to ADDR (ip or ip:port), as curl --resolve.
    #[arg(long = "resolve", value_name = "HOST=ADDR")]
    resolve: Vec<String>,
    /// Memento TimeGate base URL to ask for dead sources.
    #[arg(long)]
    timegate: Option<String>,
    /// The Wayback Machine's availability API to ask for dead sources
    /// (https://archive.org/wayback/available).
    #[arg(long)]
    wayback_available: Option<String>,
    /// A PEM file of extra trusted root certificates, as curl --cacert.
    #[arg(long)]
    ca_file: Option<String>,
    /// How a wiki's operators can reach you (an e-mail address or user page), sent in the
    /// User-Agent to wikis only, as Wikimedia's policy asks.
    #[arg(long)]
    contact: Option<String>,
    /// The wiki's Action API, when it is not SCHEME://HOST/w/api.php of the page URL.
    #[arg(long)]
    wiki_api: Option<String>,
    #[arg(long)]
    user_agent: Option<String>,
    /// Deflate level of the WARC records: 0 (stored, fastest) to 9 (smallest); default 1.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=9))]
    gzip_level: Option<u32>,
}

fn usize_in((lo, hi): (u64, u64)) -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(lo..=hi)
}

/// Seconds as a finite number within `lo..=hi` (`inf`, `NaN` and 1e300 are errors).
fn secs_in(v: &str, (lo, hi): (f64, f64)) -> Result<f64, String> {
    let x: f64 = v
        .trim()
        .parse()
        .map_err(|_| format!("{v:?} is not a number of seconds"))?;
    if x.is_finite() && (lo..=hi).contains(&x) {
        Ok(x)
    } else {
        Err(format!("must be {lo} to {hi} seconds, not {v}"))
    }
}

fn timeout_secs(v: &str) -> Result<f64, String> {
    secs_in(v, range::TIMEOUT_SECS)
}

fn connect_timeout_secs(v: &str) -> Result<f64, String> {
    secs_in(v, range::CONNECT_TIMEOUT_SECS)
}

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// Articles to check (default: `articles` in sources.toml).
    articles: Vec<String>,
    /// Never fetch: sources without a snapshot get snapshot-missing.
    #[arg(long)]
    offline: bool,
    /// The report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The lowest severity that makes the exit code 1 (default: fail_on in sources.toml).
    #[arg(long, value_enum)]
    fail_on: Option<Severity>,
    /// Print only the summary line.
    #[arg(long)]
    summary: bool,
    #[arg(long)]
    require_citations: bool,
    /// Force the article format instead of detecting it.
    #[arg(long = "format-in", value_enum)]
    format_in: Option<ArticleFormat>,
    /// A web archive another tool wrote, read-only (repeatable): a WARC file, a folder of WARCs
    /// (with or without CDX/CDXJ), a pywb collection or a WACZ.
    #[arg(long = "archive", value_name = "PATH")]
    archives: Vec<PathBuf>,
    /// K/N: check only the articles whose path falls in share K of N.
    #[arg(long, value_name = "K/N")]
    shard: Option<crate::snapshot::shard::Shard>,
    /// Write a unified diff of each wikitext article that adds the archived copy found for
    /// every dead source (archive-url, archive-date, url-status=dead), for an editor to apply.
    #[arg(long, value_name = "FILE")]
    patch: Option<PathBuf>,
    #[command(flatten)]
    net: NetArgs,
}

impl NetArgs {
    fn apply(&self, s: &mut crate::fetch::FetchSettings) -> anyhow::Result<()> {
        macro_rules! set {
            ($f:ident, $g:ident) => {
                if let Some(v) = self.$f.clone() {
                    s.$g = v;
                }
            };
        }
        set!(concurrency, concurrency);
        set!(per_host, per_host);
        set!(host_delay_ms, host_delay_ms);
        set!(timeout, timeout_secs);
        set!(connect_timeout, connect_timeout_secs);
        set!(retries, retries);
        set!(max_redirects, max_redirects);
        set!(max_body, max_body_bytes);
        if self.allow_private {
            s.allow_private = true;
        }
        for r in &self.resolve {
            let (h, a) = r
                .split_once('=')
                .ok_or_else(|| anyhow::anyhow!("--resolve {r:?}: expected HOST=ADDR"))?;
            s.resolve.insert(h.to_string(), a.to_string());
        }
        if self.timegate.is_some() {
            s.timegate = self.timegate.clone();
        }
        if self.wayback_available.is_some() {
            s.wayback_available = self.wayback_available.clone();
        }
        if let Some(f) = &self.ca_file {
            crate::fetch::ca_certificates(f)?;
            s.ca_file = Some(f.clone());
        }
        if self.user_agent.is_some() {
            s.user_agent = self.user_agent.clone();
        }
        if let Some((key, message)) = s.problems().into_iter().next() {
            let flag = match key {
                "timeout_secs" => "timeout",
                "connect_timeout_secs" => "connect-timeout",
                "max_body_bytes" => "max-body",
                k => k,
            };
            anyhow::bail!("--{}: {message}", flag.replace('_', "-"));
        }
        Ok(())
    }
}

impl NetArgs {
    /// `[wiki]` of sources.toml with `--contact` and `--wiki-api` applied.
    fn wiki_settings(
        &self,
        from_config: &crate::fetch::WikiSettings,
    ) -> crate::fetch::WikiSettings {
        crate::fetch::WikiSettings {
            api: self.wiki_api.clone().or_else(|| from_config.api.clone()),
            contact: self.contact.clone().or_else(|| from_config.contact.clone()),
        }
    }

    /// The store settings of sources.toml with `--gzip-level` applied.
    fn store_settings(
        &self,
        from_config: crate::snapshot::StoreSettings,
    ) -> crate::snapshot::StoreSettings {
        crate::snapshot::StoreSettings {
            gzip_level: self.gzip_level.unwrap_or(from_config.gzip_level),
        }
    }
}

/// What an output is, for the last guard before it is written (see [`crate::text::ci_safe`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Lines for people and CI logs: no line may begin with a workflow command.
    Lines,
    /// `--format github`: the annotations are ibid's own commands.
    Commands,
    /// JSON or JSON Lines.
    Json,
    /// XML or HTML: text from input is escaped by the renderer and written to a file.
    Markup,
}

fn guarded(text: &str, kind: Kind) -> std::borrow::Cow<'_, str> {
    match kind {
        Kind::Lines => crate::text::ci_safe(text, false),
        Kind::Commands => crate::text::ci_safe(text, true),
        Kind::Json => crate::text::ci_safe_json(text),
        Kind::Markup => std::borrow::Cow::Borrowed(text),
    }
}

/// Where output goes: a file or standard output; a closed pipe ends quietly, any other write
/// error (a full disk, `>/dev/full`) is an error of the run (exit 2), never a panic.
pub(crate) fn emit(output: Option<&Path>, text: &str, kind: Kind) -> anyhow::Result<()> {
    let text = guarded(text, kind);
    match output {
        Some(p) => crate::snapshot::write_atomic_path(p, text.as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}")),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(|e| anyhow::anyhow!("cannot write to standard output: {e}")),
            }
        }
    }
}

/// Set when a message could not be written to standard error: the run then exits 2.
static STDERR_LOST: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A message for the user on standard error (one or more lines, guarded like [`emit`]'s
/// `Lines`). Never panics: a failed write makes the run's exit code 2.
pub(crate) fn diag(msg: &str) {
    let mut text = guarded(msg, Kind::Lines).into_owned();
    text.push('\n');
    let mut err = std::io::stderr().lock();
    if let Err(e) = err.write_all(text.as_bytes()).and_then(|_| err.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            STDERR_LOST.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// Colour on a terminal unless NO_COLOR is set.
pub(crate) fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            // clap prints help to stdout: a full or closed stdout is still exit 2, not a panic
            return match e.print() {
                Ok(()) => code,
                Err(_) => 2,
            };
        }
    };
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // an error may quote input (a path, a value, a line of a file): shown on one line
            diag(&format!(
                "ibid: error: {}",
                crate::text::one_line(&error_line(&e))
            ));
            2
        }
    };
    if STDERR_LOST.load(std::sync::atomic::Ordering::Relaxed) {
        return 2;
    }
    code
}

/// An error and its causes on one line, each said once: an error whose message already shows
/// its cause (`{path}: {source}`) is not followed by that cause again.
fn error_line(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let c = cause.to_string();
        if out.contains(&c) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&c);
    }
    out
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    let config_path = cli.config.clone();
    let store = cli.store.clone().unwrap_or_else(|| {
        config_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("snapshots")
    });
    match cli.cmd {
        Cmd::Claims {
            articles,
            format,
            format_in,
            require_citations,
            net,
        } => commands::claims(
            &config_path,
            &store,
            &articles,
            format == ListFormat::Json,
            format_in,
            require_citations,
            &net,
        ),
        Cmd::Init { articles } => commands::init(&config_path, &articles),
        Cmd::Fetch {
            refresh,
            shard,
            net,
        } => commands::fetch(&config_path, &store, refresh, shard, &net),
        Cmd::Check(args) => check::run(&config_path, &store, &args),
        Cmd::Verify => commands::verify(&store),
        Cmd::Reindex => commands::reindex(&store),
        Cmd::Export { wacz } => archives::export(&config_path, &store, &wacz),
        Cmd::Merge { stores } => archives::merge(&store, &stores),
        Cmd::Index { archives, verify } => archives::index(&archives, verify),
        Cmd::Judge { input, threads } => commands::judge(&input, threads),
        Cmd::Extract {
            inputs,
            format,
            whole,
            net,
        } => commands::extract(
            &config_path,
            &inputs,
            format == ExtractFormat::Jsonl,
            whole,
            &net,
        ),
    }
}
