//! The commands: each wires the stages together. The only module that prints.

mod check;
mod commands;
mod wiki;

use crate::article::Format as ArticleFormat;
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
        #[command(flatten)]
        net: NetArgs,
    },
    /// Check every claim against its cited snapshot; report; exit 1 on findings at --fail-on.
    Check(CheckArgs),
    /// Re-hash every snapshot against its digests, the index and the manifest.
    Verify,
    /// Rebuild the index (and the manifest) from the WARC files.
    Reindex,
    /// Batch: JSON Lines of {id, claim, source} in, {id, verdict, score, evidence, findings} out.
    Judge {
        /// Input file, or - for standard input.
        #[arg(default_value = "-")]
        input: String,
        /// Worker threads (default: all cores).
        #[arg(long)]
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

/// Fetch policy flags; each overrides `[fetch]` in sources.toml.
#[derive(Args, Debug, Clone, Default)]
pub struct NetArgs {
    #[arg(long)]
    concurrency: Option<usize>,
    #[arg(long)]
    per_host: Option<usize>,
    /// Milliseconds between two requests to one host.
    #[arg(long)]
    host_delay_ms: Option<u64>,
    /// Seconds for the whole request.
    #[arg(long)]
    timeout: Option<f64>,
    #[arg(long)]
    connect_timeout: Option<f64>,
    #[arg(long)]
    retries: Option<u32>,
    #[arg(long)]
    max_redirects: Option<usize>,
    /// Body bytes kept (larger bodies are cut and marked truncated).
    #[arg(long)]
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
        if s.concurrency == 0 || s.per_host == 0 {
            anyhow::bail!("--concurrency and --per-host must be at least 1");
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

/// Where output goes: a file or standard output; a closed pipe ends quietly.
pub(crate) fn emit(output: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match output {
        Some(p) => crate::snapshot::write_atomic_path(p, text.as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}")),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(Into::into),
            }
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
            let _ = e.print();
            return code;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ibid: error: {e:#}");
            2
        }
    }
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
        Cmd::Fetch { refresh, net } => commands::fetch(&config_path, &store, refresh, &net),
        Cmd::Check(args) => check::run(&config_path, &store, &args),
        Cmd::Verify => commands::verify(&store),
        Cmd::Reindex => commands::reindex(&store),
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
