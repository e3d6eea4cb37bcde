//! The smaller commands: claims, init, fetch, verify, reindex, judge, extract.

use super::wiki::load_articles;
use super::{diag, emit, Kind, NetArgs};
use crate::article::{self, Format};
use crate::config::Config;
use crate::fetch::Headers;
use crate::snapshot::capture::{capture_all, Job, Rescuers};
use crate::snapshot::Store;
use crate::sources;
use crate::verify::{Judge, Rules, SourceDoc};
use anyhow::{anyhow, bail, Context};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) fn load_config(path: &Path, required: bool) -> anyhow::Result<Config> {
    if !path.exists() {
        if required {
            bail!(
                "{}: not found. Run `ibid init ARTICLE` to create it, or pass --config",
                path.display()
            );
        }
        return Ok(Config::default());
    }
    Ok(Config::load(&path.display().to_string())?)
}

/// Article paths as given, or from the config (relative to its folder).
pub(crate) fn article_paths(
    config_path: &Path,
    cfg: &Config,
    given: &[String],
) -> anyhow::Result<Vec<String>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    if cfg.articles.is_empty() {
        bail!(
            "no article given and {} lists none under `articles`",
            config_path.display()
        );
    }
    let base = config_path.parent().filter(|p| !p.as_os_str().is_empty());
    cfg.articles
        .iter()
        .map(|a| {
            // a wiki page URL is not a path
            if crate::article::wiki::is_url(a) {
                return Ok(a.clone());
            }
            confined_article(config_path, base.unwrap_or(Path::new(".")), a)?;
            Ok(base
                .map(|b| b.join(a).display().to_string())
                .unwrap_or_else(|| a.clone()))
        })
        .collect()
}

/// An article that sources.toml names must lie inside the project folder (the folder of
/// sources.toml), links resolved: a project file from elsewhere cannot make ibid read, and
/// the HTML report show, /proc/self/environ or ~/.ssh/id_rsa. An article named on the command
/// line is the user's own choice and is read as given.
fn confined_article(config_path: &Path, base: &Path, name: &str) -> anyhow::Result<()> {
    let outside = |why: &str| {
        anyhow!(
            "{}: article {} {why}; articles listed in sources.toml must be inside the project folder (name it on the command line to check it anyway)",
            config_path.display(),
            crate::text::one_line(&format!("{name:?}"))
        )
    };
    let rel = Path::new(name);
    if rel.is_absolute() || name.starts_with('~') {
        return Err(outside("is an absolute path"));
    }
    if rel
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(outside("climbs out of the project folder with .."));
    }
    // a link inside the folder may still point outside it
    if let (Ok(real), Ok(root)) = (base.join(rel).canonicalize(), base.canonicalize()) {
        if !real.starts_with(&root) {
            return Err(outside("is a link to a file outside the project folder"));
        }
    }
    Ok(())
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn claims(
    config: &Path,
    store: &Path,
    given: &[String],
    json: bool,
    forced: Option<Format>,
    require: bool,
    net: &NetArgs,
) -> anyhow::Result<i32> {
    let cfg = load_config(config, false)?;
    let paths = article_paths(config, &cfg, given)?;
    let mut out = String::new();
    let mut docs = Vec::new();
    for loaded in load_articles(&paths, forced, &cfg, net, store, false)? {
        let mut a = loaded.article;
        let mut f: Vec<_> = loaded.findings;
        f.extend(sources::resolve(&a, &cfg.sources).all_findings().cloned());
        if require {
            f.extend(a.uncited_findings());
        }
        a.findings.extend(f);
        if json {
            docs.push(serde_json::to_value(&a)?);
        } else {
            {
                // a path may hold a newline or a control character: each line stays one line
                let path = crate::text::one_line(&a.article);
                out.push_str(&format!(
                    "{} ({}): {} claims, {} references\n",
                    path,
                    a.format.as_str(),
                    a.claims.len(),
                    a.references.len()
                ));
                for c in &a.claims {
                    let cites: String = c.citations.iter().map(|l| format!("[{l}]")).collect();
                    out.push_str(&format!(
                        "{}:{}:{} {} {}\n",
                        path,
                        c.location.line,
                        c.location.column,
                        cites,
                        crate::text::one_line(&c.text)
                    ));
                }
                for f in &a.findings {
                    let at = f
                        .location
                        .as_ref()
                        .map(|l| {
                            format!(
                                "{}:{}:{} ",
                                crate::text::one_line(&l.file),
                                l.line,
                                l.column
                            )
                        })
                        .unwrap_or_default();
                    out.push_str(&format!(
                        "{at}{}[{}] {}\n",
                        f.severity.as_str(),
                        f.code,
                        crate::text::one_line(&f.message)
                    ));
                }
            }
        }
    }
    if json {
        let v = if docs.len() == 1 {
            docs.pop().unwrap_or_default()
        } else {
            serde_json::Value::Array(docs)
        };
        out = serde_json::to_string_pretty(&v)? + "\n";
    }
    emit(None, &out, if json { Kind::Json } else { Kind::Lines })?;
    Ok(0)
}

pub fn init(config: &Path, articles: &[String]) -> anyhow::Result<i32> {
    if articles.is_empty() {
        bail!("ibid init needs at least one article");
    }
    if config.is_symlink() {
        bail!(
            "{}: is a symbolic link; init replaces the file it updates and would replace the \
             link with a file: run init on the file it points to (--config)",
            config.display()
        );
    }
    let mut text = if config.exists() {
        let bytes = crate::files::read_regular(config, crate::config::MAX_CONFIG, false)
            .with_context(|| format!("{}", config.display()))?;
        let text = crate::config::utf8(&config.display().to_string(), &bytes)?.to_string();
        // a file that does not load is said as check says it (file:line:col), before any work
        Config::parse(&config.display().to_string(), &text)?;
        text
    } else {
        String::new()
    };
    let mut said = Vec::new();
    for a in articles {
        let art = article::read_file(a, None)?;
        let (t, added) =
            sources::init(&text, &art).map_err(|e| anyhow!("{}: {e}", config.display()))?;
        said.push(format!(
            "{}: {} claims, {} references; {added} sources added to {}",
            crate::text::one_line(a),
            art.claims.len(),
            art.references.len(),
            shown(config)
        ));
        text = t;
    }
    // the result must load: a config init wrote is a config check can read
    Config::parse(&config.display().to_string(), &text)?;
    crate::snapshot::write_atomic_path(config, text.as_bytes())?;
    // said once the file is written: "added" before a failure was not true
    for line in said {
        diag(&line);
    }
    Ok(0)
}

pub(crate) fn settings(cfg: &Config, net: &NetArgs) -> anyhow::Result<crate::fetch::FetchSettings> {
    let mut s = cfg.fetch.clone();
    net.apply(&mut s)?;
    Ok(s)
}

/// Jobs for every cited source of the articles at `paths` (wiki pages fetched first).
fn jobs_for(
    cfg: &Config,
    paths: &[String],
    net: &NetArgs,
    store: &Path,
) -> anyhow::Result<Vec<Job>> {
    let mut all = Vec::new();
    for loaded in load_articles(paths, None, cfg, net, store, false)? {
        all.extend(
            sources::resolve(&loaded.article, &cfg.sources)
                .sources
                .into_values(),
        );
    }
    Ok(jobs_from(all.iter()))
}

/// One job per distinct URL among `srcs`, naming every source id that cites it.
pub(crate) fn jobs_from<'a>(srcs: impl Iterator<Item = &'a sources::Source>) -> Vec<Job> {
    let mut by_url: BTreeMap<String, Job> = BTreeMap::new();
    // (URL, id) pairs already named: a search of the job's ids per source was quadratic when
    // thousands of footnotes cite one URL
    let mut named: HashSet<(&str, &str)> = HashSet::new();
    for s in srcs {
        let Some(url) = s.url.as_deref() else {
            continue;
        };
        let j = by_url.entry(url.to_string()).or_insert_with(|| Job {
            ids: vec![],
            url: url.to_string(),
            archive_url: s.archive_url.clone(),
            accessed: s.accessed.clone(),
        });
        if named.insert((url, s.id.as_str())) {
            j.ids.push(s.id.clone());
        }
    }
    by_url.into_values().collect()
}

/// Open the store at `root` for writing, saying what an interrupted run left to repair.
pub(crate) fn load_store(
    root: &Path,
    store_settings: crate::snapshot::StoreSettings,
) -> anyhow::Result<Store> {
    let mut store = open_for_writing(root)?;
    store.configure(store_settings);
    Ok(store)
}

/// Capture `jobs` into the store at `root`, with a progress bar on a terminal.
pub(crate) fn capture(
    root: &Path,
    settings: &crate::fetch::FetchSettings,
    store_settings: crate::snapshot::StoreSettings,
    jobs: Vec<Job>,
    refresh: bool,
) -> anyhow::Result<Vec<crate::snapshot::capture::JobResult>> {
    let mut store = load_store(root, store_settings)?;
    let fetcher = Arc::new(crate::fetch::Fetcher::new(settings)?);
    let rt = runtime()?;
    let tty = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let bar = tty.then(|| {
        let b = indicatif::ProgressBar::new(jobs.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} fetching [{bar:30}] {pos}/{len} {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    // Without a terminal (CI logs): a line for each URL without a usable copy, and a count
    // every two seconds and at the end, each written whole, so a log of thousands of sources
    // stays readable and a stuck run still shows it is alive.
    let last_line = std::sync::Mutex::new(Instant::now());
    let progress = |done: usize, total: usize, url: &str, ok: bool| match &bar {
        Some(b) => {
            b.set_position(done as u64);
            b.set_message(crate::text::one_line(url));
        }
        None => {
            let mut line = String::new();
            if !ok {
                line = format!("fetch FAIL {}\n", crate::text::one_line(url));
            }
            if let Ok(mut last) = last_line.lock() {
                if done == total || last.elapsed() >= Duration::from_secs(2) {
                    *last = Instant::now();
                    line.push_str(&format!("fetch {done}/{total} done\n"));
                }
            }
            if !line.is_empty() {
                diag(line.trim_end());
            }
        }
    };
    let rescuers = Rescuers::from_settings(settings);
    let results = rt.block_on(capture_all(
        &mut store, fetcher, jobs, refresh, rescuers, &progress,
    ))?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // every task has finished and the store is committed: do not wait for idle connections and
    // worker threads to wind down (10-20 ms of a 2,000-page fetch)
    rt.shutdown_background();
    Ok(results)
}

/// Open the store for writing, finishing whatever an interrupted run left, and say what was
/// repaired (a quarantined file is never renamed silently).
pub(crate) fn open_for_writing(root: &Path) -> anyhow::Result<Store> {
    let (store, rec) = Store::open(root)?;
    say_recovery(&rec);
    Ok(store)
}

/// Say what opening the store repaired or left out.
fn say_recovery(rec: &crate::snapshot::Recovery) {
    if !rec.adopted.is_empty() || rec.rolled_forward || rec.removed_temp > 0 {
        diag(&format!("ibid: completed an interrupted run's store: {} file(s) adopted, {} temporary file(s) removed{}", rec.adopted.len(), rec.removed_temp, if rec.rolled_forward { ", an interrupted commit finished" } else { "" }));
    }
    for q in &rec.quarantined {
        diag(&format!(
            "ibid: warning: {} was unreadable as WARC and was renamed to .corrupt (it is kept, not listed)",
            crate::text::one_line(q)
        ));
    }
    for d in &rec.dropped {
        diag(&format!(
            "ibid: warning: manifest.json: {} (left out of the new manifest)",
            crate::text::one_line(d)
        ));
    }
}

pub fn fetch(
    config: &Path,
    store: &Path,
    refresh: bool,
    shard: Option<crate::snapshot::shard::Shard>,
    net: &NetArgs,
) -> anyhow::Result<i32> {
    let cfg = load_config(config, true)?;
    let settings = settings(&cfg, net)?;
    let paths = article_paths(config, &cfg, &[])?;
    let mut jobs = jobs_for(&cfg, &paths, net, store)?;
    if let Some(shard) = shard {
        let all = jobs.len();
        jobs.retain(|j| shard.takes(&crate::snapshot::shard::host_key(&j.url)));
        diag(&format!(
            "ibid: shard {shard}: {} of {all} source URL(s), by host",
            jobs.len()
        ));
    }
    if !refresh && store.exists() {
        // opened for writing, so a store an interrupted run left is completed even when every
        // source already has a snapshot
        let s = open_for_writing(store)?;
        let (captured, missing): (Vec<Job>, Vec<Job>) = jobs
            .into_iter()
            .partition(|j| !s.history(&j.url).is_empty());
        if missing.is_empty() {
            // what check will find, said now: a capture is not always a usable copy (a
            // blocked redirect, a loop, an error page)
            let results: Vec<_> = captured
                .into_iter()
                .map(|j| crate::snapshot::capture::outcome(&s, j, vec![]))
                .collect();
            let failed = print_outcomes(&results);
            diag(&format!(
                "ibid: every source already has a capture{} (use --refresh to fetch again)",
                if failed > 0 {
                    format!("; {failed} without a usable copy")
                } else {
                    String::new()
                }
            ));
            return Ok(i32::from(failed > 0));
        }
        jobs = missing;
    }
    if jobs.is_empty() {
        diag("ibid: no source to fetch");
        return Ok(0);
    }
    let n = jobs.len();
    let started = Instant::now();
    let results = capture(
        store,
        &settings,
        net.store_settings(cfg.store),
        jobs,
        refresh,
    )?;
    let took = started.elapsed();
    let failed = print_outcomes(&results);
    diag(&format!(
        "ibid: fetched {n} source URL(s) into {} in {:.2} s; {} without a usable copy",
        shown(store),
        took.as_secs_f64(),
        failed
    ));
    Ok(i32::from(failed > 0))
}

/// Each finding of a fetch's results on its own line; returns how many are errors.
fn print_outcomes(results: &[crate::snapshot::capture::JobResult]) -> usize {
    let mut failed = 0;
    for r in results {
        for f in &r.findings {
            if f.severity == crate::findings::Severity::Error {
                failed += 1;
            }
            diag(&format!(
                "{}[{}] {}: {}",
                f.severity.as_str(),
                f.code,
                crate::text::one_line(f.url.as_deref().unwrap_or(&r.url)),
                crate::text::one_line(&f.message)
            ));
        }
    }
    failed
}

pub fn verify(store: &Path) -> anyhow::Result<i32> {
    crate::snapshot::presence(store)?;
    let rep = crate::snapshot::verify(store);
    for n in &rep.notes {
        diag(&format!("note: {}", crate::text::one_line(n)));
    }
    let mut out = String::new();
    for p in &rep.problems {
        out.push_str(&format!("BAD {}\n", crate::text::one_line(p)));
    }
    out.push_str(&format!(
        "{}: {} files, {} records, {} index lines checked; {}\n",
        shown(store),
        rep.files,
        rep.records,
        rep.index_lines,
        if rep.ok() {
            "all digests match".to_string()
        } else {
            format!("{} problem(s)", rep.problems.len())
        }
    ));
    emit(None, &out, Kind::Lines)?;
    Ok(i32::from(!rep.ok()))
}

pub fn reindex(store: &Path) -> anyhow::Result<i32> {
    crate::snapshot::presence(store)?;
    let (mut s, rec) = Store::open_to_reindex(store)?;
    say_recovery(&rec);
    let done = s.reindex()?;
    // the rebuild is what was asked for, so it is done and exits 0; what it found changed is
    // said, never taken in silently
    for w in &done.changed {
        diag(&format!(
            "ibid: warning: {}: its bytes changed since they were recorded (the old manifest's SHA-256 differs); the manifest now records the file as it is",
            crate::text::one_line(&format!("{}/{w}", shown(store)))
        ));
    }
    for w in &done.gone {
        diag(&format!(
            "ibid: warning: {}: listed in the old manifest but no longer in the store; left out",
            crate::text::one_line(&format!("{}/{w}", shown(store)))
        ));
    }
    diag(&format!(
        "{}: index rebuilt with {} entries",
        shown(store),
        done.entries
    ));
    Ok(0)
}

/// `ibid judge`: one verdict line per input line, in order. A line that cannot be judged gets
/// an `error` line naming it, the others are judged all the same, and the exit code is 2 so a
/// script does not take a partly failed batch for a whole one.
pub fn judge(input: &str, threads: Option<usize>) -> anyhow::Result<i32> {
    let bytes = read_judge_input(input)?;
    // each line on its own: one that is not UTF-8 is an error line, the others are judged
    let lines: Vec<Result<&str, std::str::Utf8Error>> = bytes
        .split(|&b| b == b'\n')
        .map(|l| std::str::from_utf8(l.strip_suffix(b"\r").unwrap_or(l)))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()?;
    // IBID_JUDGE_RULES="key=value;..." changes the rules (bench/wice_cv.py measures alternatives)
    let rules =
        Rules::default().with_settings(&std::env::var("IBID_JUDGE_RULES").unwrap_or_default())?;
    // IBID_JUDGE_DETAILS=1 adds the measurements behind each score (for calibration)
    let debug = std::env::var_os("IBID_JUDGE_DETAILS").is_some();
    let outs: Vec<Option<Result<String, String>>> = pool.install(|| {
        lines
            .par_iter()
            .enumerate()
            .map(|(n, line)| match line {
                Ok(line) => {
                    (!line.trim().is_empty()).then(|| judge_line(&rules, input, n + 1, line, debug))
                }
                Err(_) => Some(Err(serde_json::json!({"id": null, "line": n + 1,
                    "error": format!("{input}:{}: not UTF-8 text", n + 1)})
                .to_string())),
            })
            .collect()
    });
    let mut out = String::with_capacity(lines.len() * 256);
    let mut failed = 0;
    for o in outs.iter().flatten() {
        failed += o.is_err() as usize;
        out.push_str(o.as_ref().unwrap_or_else(|e| e));
        out.push('\n');
    }
    emit(None, &out, Kind::Json)?;
    if failed > 0 {
        diag(&format!(
            "{}: {failed} of {} lines could not be judged; their output lines hold \"error\"",
            crate::text::one_line(input),
            outs.iter().flatten().count()
        ));
        return Ok(2);
    }
    Ok(0)
}

/// The judge's input: a file, or standard input for "-", without a leading byte-order mark.
fn read_judge_input(input: &str) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if input == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        crate::files::open_regular(Path::new(input), false)
            .with_context(|| input.to_string())?
            .read_to_end(&mut bytes)
            .with_context(|| input.to_string())?;
    }
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    Ok(bytes)
}

/// One input line judged: its output line, or an error line naming what is wrong with it.
fn judge_line(
    rules: &Rules,
    input: &str,
    n: usize,
    line: &str,
    debug: bool,
) -> Result<String, String> {
    let error = |id: &serde_json::Value, why: String| {
        serde_json::json!({"id": id, "line": n, "error": format!("{input}:{n}: {why}")}).to_string()
    };
    let v: serde_json::Value = serde_json::from_str(line)
        .map_err(|e| error(&serde_json::Value::Null, format!("not JSON: {e}")))?;
    let id = v.get("id").cloned().unwrap_or(serde_json::Value::Null);
    let field = |k: &str| v.get(k).and_then(|c| c.as_str());
    let (Some(claim), Some(source)) = (field("claim"), field("source")) else {
        return Err(error(
            &id,
            "needs string fields \"claim\" and \"source\"".into(),
        ));
    };
    // the page's day: a "published" field, else a publication line in the text
    let published = match v.get("published") {
        None | Some(serde_json::Value::Null) => crate::extract::published::from_plain_text(source),
        Some(serde_json::Value::String(p)) if crate::text::dates::parse_day(p).is_some() => {
            Some(p.clone())
        }
        Some(p) => {
            return Err(error(
                &id,
                format!(
                "\"published\" must be a day such as \"2018-06-30\" or \"June 30, 2018\", got {p}"
            ),
            ))
        }
    };
    let doc = SourceDoc {
        published: published.as_deref(),
        ..SourceDoc::new("source", source)
    };
    let a = rules.assess(claim, &[doc]);
    let mut out = serde_json::json!({
        "id": id,
        "verdict": a.verdict.as_str(),
        "score": a.score,
        "evidence": a.evidence.iter().map(|e| serde_json::json!({"text": e.text, "start": e.start, "end": e.end})).collect::<Vec<_>>(),
        "findings": a.findings.iter().map(|f| serde_json::json!({"code": f.code.as_str(), "severity": f.code.severity().as_str(), "message": f.message})).collect::<Vec<_>>(),
    });
    if debug {
        out["details"] = serde_json::to_value(&a.details).unwrap_or_default();
    }
    Ok(out.to_string())
}

pub fn extract(
    config: &Path,
    inputs: &[String],
    jsonl: bool,
    whole: bool,
    net: &NetArgs,
) -> anyhow::Result<i32> {
    let mut out = String::new();
    let mut code = 0;
    let urls: Vec<&String> = inputs
        .iter()
        .filter(|i| i.starts_with("http://") || i.starts_with("https://"))
        .collect();
    let mut fetched: BTreeMap<String, Result<(Vec<u8>, Headers), String>> = BTreeMap::new();
    if !urls.is_empty() {
        let cfg = load_config(config, false)?;
        let s = settings(&cfg, net)?;
        let fetcher = crate::fetch::Fetcher::new(&s)?;
        let rt = runtime()?;
        for u in urls {
            let r = rt.block_on(fetcher.fetch(u, crate::fetch::CopyKind::Live, &[]));
            let r = match r {
                Ok(c) => c
                    .final_exchange()
                    .map(|e| (e.body.clone(), e.response_headers.clone()))
                    .ok_or_else(|| "no response".to_string()),
                Err(f) => Err(f.message),
            };
            fetched.insert(u.clone(), r);
        }
    }
    let results: Vec<(String, bool, Result<crate::extract::SourceText, String>)> = inputs
        .par_iter()
        .map(|inp| {
            let is_url = inp.starts_with("http://") || inp.starts_with("https://");
            let res = if is_url {
                match fetched.get(inp) {
                    Some(Ok((body, headers))) => {
                        crate::extract::extract(body, headers, inp).map_err(|e| e.to_string())
                    }
                    Some(Err(e)) => Err(e.clone()),
                    None => Err("not fetched".into()),
                }
            } else {
                read_input(Path::new(inp)).and_then(|(bytes, headers)| {
                    crate::extract::extract(&bytes, &headers, inp).map_err(|e| e.to_string())
                })
            };
            (inp.clone(), is_url, res)
        })
        .collect();
    for (inp, is_url, res) in results {
        match res {
            Ok(st) => {
                let text = if whole && !st.whole.is_empty() {
                    &st.whole
                } else {
                    &st.text
                };
                if jsonl {
                    let key = if is_url { "url" } else { "path" };
                    out.push_str(&serde_json::json!({key: inp, "title": st.title, "text": text, "main": !whole}).to_string());
                    out.push('\n');
                } else {
                    out.push_str(&format!("== {}\n", crate::text::one_line(&inp)));
                    if let Some(t) = &st.title {
                        out.push_str(&format!("# {}\n\n", crate::text::one_line(t)));
                    }
                    out.push_str(&crate::text::strip_controls(text));
                    out.push('\n');
                }
            }
            Err(e) => {
                code = 1;
                diag(&format!(
                    "ibid: {}: {}",
                    crate::text::one_line(&inp),
                    crate::text::one_line(&e)
                ));
                if jsonl {
                    let key = if is_url { "url" } else { "path" };
                    out.push_str(&serde_json::json!({key: inp, "error": e}).to_string());
                    out.push('\n');
                }
            }
        }
    }
    emit(None, &out, if jsonl { Kind::Json } else { Kind::Lines })?;
    Ok(code)
}

/// A local file as a payload; `.gz` files are decompressed, the type is sniffed.
fn read_input(p: &Path) -> Result<(Vec<u8>, Headers), String> {
    let bytes = crate::files::read_regular(p, article::MAX_ARTICLE, false)
        .map_err(|e| format!("cannot read: {e}"))?;
    let name = p.to_string_lossy().to_ascii_lowercase();
    let mut headers = Vec::new();
    if name.ends_with(".gz") {
        headers.push(("Content-Encoding".to_string(), "gzip".to_string()));
    }
    let base = name.trim_end_matches(".gz");
    if base.ends_with(".html") || base.ends_with(".htm") {
        headers.push(("Content-Type".to_string(), "text/html".to_string()));
    } else if base.ends_with(".pdf") {
        headers.push(("Content-Type".to_string(), "application/pdf".to_string()));
    }
    Ok((bytes, headers))
}

/// A path the user gave, for a message: on one line, controls escaped.
fn shown(p: &Path) -> String {
    crate::text::one_line(&p.display().to_string())
}
