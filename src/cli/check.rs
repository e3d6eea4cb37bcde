//! `ibid check`: articles -> claims -> snapshots (fetched when missing unless --offline) ->
//! source text -> assessments -> findings -> report and exit code.

use super::commands::{article_paths, capture, jobs_from, load_config, settings};
use super::wiki::load_articles;
use super::{color, diag, emit, CheckArgs, Kind};
use crate::article::wiki::WikiRevision;
use crate::article::{Article, Claim};
use crate::config::Config;
use crate::extract::{self, ExtractError, SourceText};
use crate::fetch::CopyKind;
use crate::findings::{Code, Finding, Location, Severity};
use crate::report::Format;
use crate::report::{self, ArticleReport, ClaimReport, Report, SourceUse};
use crate::snapshot::choice::{archived_at, decide, Chosen, Cited};
use crate::snapshot::foreign::ForeignArchive;
use crate::snapshot::set::{CaptureSet, Layers};
use crate::snapshot::{Store, StoreError};
use crate::sources::{self, Resolution, Source};
use crate::verify::{Assessment, Judge, PreparedSource, Rules, SourceDoc, Verdict};
use anyhow::Context;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

pub fn run(config: &Path, store_root: &Path, args: &CheckArgs) -> anyhow::Result<i32> {
    let cfg = load_config(config, args.articles.is_empty())?;
    let policy = Policy::new(&cfg, args);
    let mut paths = article_paths(config, &cfg, &args.articles)?;
    if let Some(shard) = args.shard {
        paths.retain(|p| shard.takes(&crate::snapshot::shard::path_key(p)));
        diag(&format!("ibid: shard {shard}: {} article(s)", paths.len()));
    }
    let archives = super::archives::open_all(&args.archives)?;
    let inputs = read_articles(&paths, &cfg, args, store_root)?;
    let failures = fetch_missing(store_root, &cfg, args, &inputs, &archives)?;
    let store = Store::open_read(store_root)
        .with_context(|| format!("opening the snapshot store {}", store_root.display()))?;
    let layers = Layers {
        store: &store,
        archives: &archives,
    };
    let mut reader = SourceReader::new(&layers, &failures);
    let articles: Vec<ArticleReport> = inputs
        .into_iter()
        .map(|input| check_article(input, &mut reader, &policy))
        .collect();
    let report = Report::new(articles, policy.fail_on);
    print_report(&report, args)?;
    if let Some(path) = &args.patch {
        write_patch(&report, path)?;
    }
    Ok(i32::from(report.fails()))
}

/// What the run was asked to report and fail on.
struct Policy {
    fail_on: Severity,
    require_citations: bool,
    ignore: HashSet<Code>,
    rules: Rules,
}

impl Policy {
    fn new(cfg: &Config, args: &CheckArgs) -> Policy {
        let ignore: HashSet<Code> = cfg
            .check
            .ignore
            .iter()
            .filter_map(|c| Code::parse(c))
            .collect();
        Policy {
            fail_on: args.fail_on.unwrap_or(cfg.check.fail_on),
            require_citations: args.require_citations || cfg.check.require_citations,
            // a check whose finding is ignored is not run
            rules: Rules::default().ignoring(&ignore),
            ignore,
        }
    }
}

/// An article read, with its footnotes resolved to sources.
struct ArticleInput {
    article: Article,
    resolution: Resolution,
    /// The file's text, for code frames and the HTML view.
    text: String,
    /// For a wiki page: the revision read.
    wiki: Option<WikiRevision>,
    /// About how the article was obtained (a redirect followed).
    findings: Vec<Finding>,
}

/// Read every article (a wiki page's revision fetched, or read from the store offline) and
/// resolve its footnotes.
fn read_articles(
    paths: &[String],
    cfg: &Config,
    args: &CheckArgs,
    store_root: &Path,
) -> anyhow::Result<Vec<ArticleInput>> {
    let loaded = load_articles(
        paths,
        args.format_in,
        cfg,
        &args.net,
        store_root,
        args.offline,
    )?;
    Ok(loaded
        .into_iter()
        .map(|l| ArticleInput {
            resolution: sources::resolve(&l.article, &cfg.sources),
            article: l.article,
            text: l.text,
            wiki: l.wiki,
            findings: l.findings,
        })
        .collect())
}

/// Fetch the sources the store has no capture of (unless --offline). Returns, by URL, the
/// attempts that failed, which explain a source left without a copy.
fn fetch_missing(
    store_root: &Path,
    cfg: &Config,
    args: &CheckArgs,
    inputs: &[ArticleInput],
    archives: &[ForeignArchive],
) -> anyhow::Result<HashMap<String, Vec<Finding>>> {
    let mut failures = HashMap::new();
    if args.offline {
        return Ok(failures);
    }
    let store = Store::open_read(store_root)
        .with_context(|| format!("opening the snapshot store {}", store_root.display()))?;
    let layers = Layers {
        store: &store,
        archives,
    };
    let never_captured = |url: &str| layers.history(url).is_empty();
    let missing: Vec<_> = jobs_from(inputs.iter().flat_map(|i| i.resolution.sources.values()))
        .into_iter()
        .filter(|j| never_captured(&j.url) && j.archive_url.as_deref().is_none_or(never_captured))
        .collect();
    drop(store);
    if missing.is_empty() {
        return Ok(failures);
    }
    let net = settings(cfg, &args.net)?;
    let store_settings = args.net.store_settings(cfg.store);
    for r in capture(store_root, &net, store_settings, missing, false)? {
        failures.insert(r.url, r.failures);
    }
    Ok(failures)
}

/// A cited source as read from the store: its text, the copy it came from, and what is wrong
/// with it.
struct CheckedSource {
    /// Shared with the reader's cache: a source's text is held once however many articles
    /// cite it.
    text: Option<Arc<SourceText>>,
    usage: SourceUse,
    findings: Vec<Finding>,
}

/// Reads cited sources from the store, extracting each stored payload once however many
/// articles and claims cite it.
struct SourceReader<'s> {
    store: &'s dyn CaptureSet,
    failures: &'s HashMap<String, Vec<Finding>>,
    texts: HashMap<String, Result<Arc<SourceText>, ExtractError>>,
}

impl<'s> SourceReader<'s> {
    fn new(store: &'s dyn CaptureSet, failures: &'s HashMap<String, Vec<Finding>>) -> Self {
        SourceReader {
            store,
            failures,
            texts: HashMap::new(),
        }
    }

    /// The checked copy of `s` (decided by `snapshot::choice`), its text, and its findings,
    /// each pointing at `at` (the first claim that cites the source).
    fn read(&mut self, s: &Source, at: Option<&Location>) -> CheckedSource {
        let mut checked = CheckedSource {
            text: None,
            usage: SourceUse {
                id: s.id.clone(),
                url: s.url.clone(),
                copy: None,
                checked_url: None,
                captured: None,
                digest: None,
                title: s.title.clone(),
                archive_url: s.archive_url.clone(),
                accessed: s.accessed.clone(),
                archived: None,
                modified: None,
            },
            findings: Vec::new(),
        };
        if let Some(url) = &s.url {
            self.read_copy(s, url, &mut checked);
        }
        let usage = &checked.usage;
        for f in &mut checked.findings {
            f.source_id = Some(s.id.clone());
            f.url = s.url.clone();
            f.digest = usage.digest.clone();
            f.captured = usage.captured.clone();
            if f.location.is_none() {
                f.location = at.cloned();
            }
        }
        checked
    }

    fn read_copy(&mut self, s: &Source, url: &str, out: &mut CheckedSource) {
        let attempts = self
            .failures
            .get(url)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let cited = Cited {
            url,
            archive_url: s.archive_url.as_deref(),
            accessed: s.accessed.as_deref(),
        };
        let decision = decide(self.store, cited, attempts);
        out.findings.extend(decision.findings);
        let Some(Chosen { copy, entry }) = decision.chosen else {
            return;
        };
        out.usage.copy = Some(copy);
        out.usage.checked_url = Some(entry.url.clone());
        out.usage.captured =
            crate::time::Timestamp::parse_digits(&entry.timestamp).map(|t| t.iso());
        out.usage.digest = Some(entry.digest.clone());
        let stored = match self.store.load(entry) {
            Ok(stored) => stored,
            Err(e) => {
                let code = match e {
                    StoreError::Corrupt { .. } => Code::SnapshotCorrupt,
                    _ => Code::SnapshotMissing,
                };
                out.findings.push(Finding::new(code, e.to_string()));
                return;
            }
        };
        if copy == CopyKind::Live {
            out.usage.modified = stored
                .header("last-modified")
                .and_then(|v| httpdate::parse_http_date(v.trim()).ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| {
                    crate::time::Timestamp {
                        secs: d.as_secs() as i64,
                    }
                    .iso()
                });
        } else {
            out.usage.archived = archived_at(&stored);
        }
        if stored.truncated {
            out.findings.push(Finding::new(
                Code::SourceTruncated,
                format!(
                    "{} was larger than the body cap; checked against the part kept",
                    entry.url
                ),
            ));
        }
        // the payload's own SHA-256, whichever archive and digest algorithm it came from
        out.usage.digest = Some(stored.digest.clone());
        let text = self
            .texts
            .entry(stored.digest.clone())
            .or_insert_with(|| {
                extract::extract(&stored.payload, &stored.headers, &stored.url).map(Arc::new)
            })
            .clone();
        let stored_truncated = stored.truncated;
        drop(stored);
        match text {
            Ok(t) => {
                if t.truncated && !stored_truncated {
                    out.findings.push(Finding::new(
                        Code::SourceTruncated,
                        format!(
                            "{} decompresses to more than the cap; checked against the part kept",
                            entry.url
                        ),
                    ));
                }
                out.findings.extend(given_quote_missing(s, &t));
                out.text = Some(t);
            }
            Err(e) => out.findings.push(Finding::new(
                Code::SourceNotText,
                format!("{}: {e}", entry.url),
            )),
        }
    }
}

/// `quote-mismatch` when the quote that sources.toml or the reference gives is not in the
/// source's text.
fn given_quote_missing(s: &Source, t: &SourceText) -> Option<Finding> {
    let q = s.quote.as_ref()?;
    let body = if t.whole.len() > t.text.len() {
        &t.whole
    } else {
        &t.text
    };
    (!crate::verify::quote_found(q, body)).then(|| {
        Finding::new(
            Code::QuoteMismatch,
            format!(
                "the quote given for [{}] is not in the source: \"{}\"",
                s.id,
                report::clip(q, 200)
            ),
        )
    })
}

/// Check every claim of one article against its sources.
fn check_article(input: ArticleInput, reader: &mut SourceReader, policy: &Policy) -> ArticleReport {
    let ArticleInput {
        article,
        resolution,
        text,
        wiki,
        findings: obtained,
    } = input;
    let first_citing = first_claim_citing(&article.claims);
    let sources: BTreeMap<String, CheckedSource> = resolution
        .sources
        .iter()
        .map(|(id, s)| (id.clone(), reader.read(s, first_citing.get(id.as_str()))))
        .collect();
    let mut findings: Vec<Finding> = resolution
        .findings
        .into_iter()
        .map(|mut f| {
            if let (None, Some(id)) = (&f.location, &f.source_id) {
                f.location = first_citing.get(id.as_str()).cloned();
            }
            f
        })
        .collect();
    findings.extend(obtained);
    findings.extend(sources.values().flat_map(|s| s.findings.iter().cloned()));
    if policy.require_citations {
        findings.extend(article.uncited_findings());
    }
    findings.extend(article.findings.iter().cloned());
    findings.retain(|f| !policy.ignore.contains(&f.code));
    let prepared = prepare_sources(&sources);
    let mut per_claim = resolution.per_claim;
    per_claim.resize(article.claims.len(), Vec::new());
    let claims: Vec<ClaimReport> = article
        .claims
        .into_par_iter()
        .zip(per_claim)
        .map(|(claim, undefined)| {
            let mut c = check_claim(claim, undefined, &sources, &prepared, &policy.rules);
            c.findings.retain(|f| !policy.ignore.contains(&f.code));
            c
        })
        .collect();
    ArticleReport {
        path: article.article,
        format: article.format.as_str().to_string(),
        wiki,
        claims,
        findings,
        references: vec![],
        source: text,
    }
}

/// Where each label is first cited: findings about a source point there, since SARIF and
/// GitHub annotations need a line.
fn first_claim_citing(claims: &[Claim]) -> HashMap<&str, Location> {
    let mut first = HashMap::new();
    for c in claims {
        for l in &c.citations {
            first
                .entry(l.as_str())
                .or_insert_with(|| c.location.clone());
        }
    }
    first
}

/// Every source with text, by label, made ready once for all the claims that cite it (a
/// source cut into passages per claim costs claims x its size).
fn prepare_sources(sources: &BTreeMap<String, CheckedSource>) -> HashMap<&str, PreparedSource<'_>> {
    sources
        .iter()
        .filter_map(|(label, s)| {
            s.text.as_ref().map(|t| {
                let doc = SourceDoc {
                    id: &s.usage.id,
                    text: &t.text,
                    whole: Some(t.whole.as_str()).filter(|w| !w.is_empty()),
                    published: t.published.as_deref(),
                };
                (label.as_str(), PreparedSource::new(doc))
            })
        })
        .collect()
}

/// Judge one claim against the text of every source it cites.
fn check_claim(
    claim: Claim,
    mut findings: Vec<Finding>,
    sources: &BTreeMap<String, CheckedSource>,
    prepared: &HashMap<&str, PreparedSource>,
    rules: &Rules,
) -> ClaimReport {
    let cited: Vec<&CheckedSource> = claim
        .citations
        .iter()
        .filter_map(|l| sources.get(l))
        .collect();
    let uses: Vec<SourceUse> = cited.iter().map(|s| s.usage.clone()).collect();
    let docs: Vec<&PreparedSource> = claim
        .citations
        .iter()
        .filter_map(|l| prepared.get(l.as_str()))
        .collect();
    let assessment = (!docs.is_empty()).then(|| rules.assess_prepared(&claim.text, &docs));
    let Some(a) = assessment else {
        if !cited.is_empty() {
            findings.push(unverifiable(&claim, &cited));
        }
        return ClaimReport {
            claim,
            verdict: Verdict::Unverifiable,
            score: 0.0,
            sources: uses,
            evidence: vec![],
            matched: vec![],
            unsupported: vec![],
            findings,
        };
    };
    findings.extend(located_checks(&a, &claim, &uses));
    ClaimReport {
        claim,
        verdict: a.verdict,
        score: a.score,
        sources: uses,
        evidence: a.evidence,
        matched: a.matched,
        unsupported: a.unsupported,
        findings,
    }
}

/// The assessment's failed checks as findings on the claim, naming the source whose evidence
/// they concern (the only source when the check names none).
fn located_checks(a: &Assessment, claim: &Claim, uses: &[SourceUse]) -> Vec<Finding> {
    a.findings
        .iter()
        .map(|chk| {
            let mut f = Finding::new(chk.code, chk.message.clone()).at(claim.location.clone());
            let named = chk
                .source_id
                .as_ref()
                .and_then(|id| uses.iter().find(|u| &u.id == id));
            let only = if uses.len() == 1 { uses.first() } else { None };
            if let Some(u) = named.or(only) {
                f.source_id = Some(u.id.clone());
                f.url = u.url.clone();
                f.digest = u.digest.clone();
                f.captured = u.captured.clone();
            }
            f.evidence = chk.evidence.clone();
            f
        })
        .collect()
}

/// `claim-unverifiable`: no cited source has text to check against; says why.
fn unverifiable(claim: &Claim, cited: &[&CheckedSource]) -> Finding {
    let why: Vec<&str> = cited
        .iter()
        .flat_map(|s| s.findings.iter().map(|f| f.code.as_str()))
        .collect();
    let mut f = Finding::new(
        Code::ClaimUnverifiable,
        format!(
            "no text of the cited source{} to check against{}",
            if claim.citations.len() > 1 { "s" } else { "" },
            if why.is_empty() {
                String::new()
            } else {
                format!(" ({})", why.join(", "))
            }
        ),
    )
    .at(claim.location.clone());
    f.source_id = Some(claim.citations.join(","));
    f
}

fn print_report(report: &Report, args: &CheckArgs) -> anyhow::Result<()> {
    let text = if args.summary {
        format!("{}\n", report.summary_line())
    } else {
        report.render(args.format, args.output.is_none() && color())
    };
    let kind = match args.format {
        _ if args.summary => Kind::Lines,
        Format::Json | Format::Sarif => Kind::Json,
        Format::Junit | Format::Html | Format::ReviewHtml => Kind::Markup,
        Format::Github => Kind::Commands,
        Format::Text | Format::Markdown | Format::ReviewMarkdown => Kind::Lines,
    };
    emit(args.output.as_deref(), &text, kind)?;
    if args.output.is_some() {
        diag(&report.summary_line());
    }
    Ok(())
}

/// `--patch FILE`: the rescue patch of every wikitext article, and what it does.
fn write_patch(report: &Report, path: &Path) -> anyhow::Result<()> {
    let p = report::patch::rescue_patch(report);
    // the diff is the article's own text, for the editor to apply: written as it is
    emit(Some(path), &p.diff, Kind::Markup)?;
    for (article, url) in &p.not_found {
        diag(&format!(
            "ibid: warning: {}: {} is not cited in the wikitext where a patch can add its archived copy",
            crate::text::one_line(article),
            crate::text::one_line(url)
        ));
    }
    diag(&format!(
        "ibid: rescue patch {}: {} dead source{} with an archived copy, {} place{} changed",
        path.display(),
        p.rescued,
        if p.rescued == 1 { "" } else { "s" },
        p.edits,
        if p.edits == 1 { "" } else { "s" }
    ));
    Ok(())
}
