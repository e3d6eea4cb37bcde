//! `ibid check`: articles -> claims -> snapshots (fetched when missing unless --offline) ->
//! source text -> assessments -> findings -> report and exit code.

use super::commands::{article_paths, capture, jobs_from, load_config, settings};
use super::{color, emit, CheckArgs};
use crate::article;
use crate::extract::{self, ExtractError, SourceText};
use crate::findings::{Code, Finding};
use crate::report::{self, ArticleReport, ClaimReport, Report, SourceUse};
use crate::snapshot::choice::{decide, Chosen, Cited};
use crate::snapshot::{Store, StoreError};
use crate::sources::{self, Source};
use crate::verify::{Judge, Rules, SourceDoc, Verdict};
use anyhow::Context;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// What the store holds for one source: the text to check against and where it came from.
struct Resolved {
    text: Option<SourceText>,
    usage: SourceUse,
    /// Findings about the source itself.
    findings: Vec<Finding>,
}

fn tag(mut f: Finding, s: &Source) -> Finding {
    f.source_id = Some(s.id.clone());
    f.url = s.url.clone();
    f
}

fn resolve_source(
    store: &Store,
    s: &Source,
    fetch_failures: &HashMap<String, Vec<Finding>>,
    cache: &mut HashMap<String, Result<SourceText, ExtractError>>,
) -> Resolved {
    let mut usage = SourceUse {
        id: s.id.clone(),
        url: s.url.clone(),
        copy: None,
        checked_url: None,
        captured: None,
        digest: None,
        title: s.title.clone(),
    };
    let mut findings = Vec::new();
    let Some(url) = &s.url else {
        return Resolved {
            text: None,
            usage,
            findings,
        };
    };
    let attempts = fetch_failures
        .get(url)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let cited = Cited {
        url,
        archive_url: s.archive_url.as_deref(),
    };
    let decision = decide(store, cited, attempts);
    findings.extend(decision.findings.into_iter().map(|f| tag(f, s)));
    let Some(Chosen { copy, entry }) = decision.chosen else {
        return Resolved {
            text: None,
            usage,
            findings,
        };
    };
    usage.copy = Some(copy);
    usage.checked_url = Some(entry.url.clone());
    usage.captured = crate::time::Timestamp::parse_digits(&entry.timestamp).map(|t| t.iso());
    usage.digest = Some(entry.digest.clone());
    let stored = match store.load(entry) {
        Ok(st) => st,
        Err(e @ StoreError::Corrupt { .. }) => {
            findings.push(tag(Finding::new(Code::SnapshotCorrupt, e.to_string()), s));
            return Resolved {
                text: None,
                usage,
                findings,
            };
        }
        Err(e) => {
            findings.push(tag(Finding::new(Code::SnapshotMissing, e.to_string()), s));
            return Resolved {
                text: None,
                usage,
                findings,
            };
        }
    };
    if stored.truncated {
        findings.push(tag(
            Finding::new(
                Code::SourceTruncated,
                format!(
                    "{} was larger than the body cap; checked against the part kept",
                    entry.url
                ),
            ),
            s,
        ));
    }
    let text = cache
        .entry(entry.digest.clone())
        .or_insert_with(|| extract::extract(&stored.payload, &stored.headers, &stored.url))
        .clone();
    let text = match text {
        Ok(t) => {
            if t.truncated && !stored.truncated {
                findings.push(tag(
                    Finding::new(
                        Code::SourceTruncated,
                        format!(
                            "{} decompresses to more than the cap; checked against the part kept",
                            entry.url
                        ),
                    ),
                    s,
                ));
            }
            Some(t)
        }
        Err(e) => {
            findings.push(tag(
                Finding::new(Code::SourceNotText, format!("{}: {e}", entry.url)),
                s,
            ));
            None
        }
    };
    if let (Some(q), Some(t)) = (&s.quote, &text) {
        let body = if t.whole.len() > t.text.len() {
            &t.whole
        } else {
            &t.text
        };
        if !crate::verify::quote_found(q, body) {
            findings.push(tag(
                Finding::new(
                    Code::QuoteMismatch,
                    format!(
                        "the quote given for [{}] is not in the source: \"{}\"",
                        s.id,
                        report::clip(q, 200)
                    ),
                ),
                s,
            ));
        }
    }
    for f in &mut findings {
        f.digest = usage.digest.clone();
        f.captured = usage.captured.clone();
    }
    Resolved {
        text,
        usage,
        findings,
    }
}

pub fn run(config: &Path, store_root: &Path, args: &CheckArgs) -> anyhow::Result<i32> {
    let cfg = load_config(config, args.articles.is_empty())?;
    let fail_on = args.fail_on.unwrap_or(cfg.check.fail_on);
    let format = args.format;
    let forced = args.format_in;
    let paths = article_paths(config, &cfg, &args.articles)?;
    let require = args.require_citations || cfg.check.require_citations;
    let ignore: HashSet<Code> = cfg
        .check
        .ignore
        .iter()
        .filter_map(|c| Code::parse(c))
        .collect();

    // read articles and resolve their sources
    let mut arts = Vec::new();
    for p in &paths {
        let a = article::read_file(p, forced)?;
        let (srcs, fs) = sources::resolve(&a, &cfg.sources);
        let src_text = std::fs::read_to_string(p).unwrap_or_default();
        arts.push((a, srcs, fs, src_text));
    }
    // fetch what is missing
    let mut fetch_failures: HashMap<String, Vec<Finding>> = HashMap::new();
    {
        let store = Store::open_read(store_root)
            .with_context(|| format!("opening the snapshot store {}", store_root.display()))?;
        let missing: Vec<_> = jobs_from(arts.iter().flat_map(|(_, srcs, _, _)| srcs.values()))
            .into_iter()
            .filter(|j| {
                store.history(&j.url).is_empty()
                    && j.archive_url
                        .as_ref()
                        .is_none_or(|a| store.history(a).is_empty())
            })
            .collect();
        if !missing.is_empty() && !args.offline {
            drop(store);
            let s = settings(&cfg, &args.net)?;
            for r in capture(
                store_root,
                &s,
                args.net.store_settings(cfg.store),
                missing,
                false,
            )? {
                fetch_failures.insert(r.url.clone(), r.failures.clone());
            }
        }
    }
    let store = Store::open_read(store_root)?;
    let rules = Rules::default();
    let mut reports = Vec::new();
    let mut cache: HashMap<String, Result<SourceText, ExtractError>> = HashMap::new();
    for (a, srcs, mut art_findings, src_text) in arts {
        let mut resolved: BTreeMap<String, Resolved> = BTreeMap::new();
        for (id, s) in &srcs {
            let r = resolve_source(&store, s, &fetch_failures, &mut cache);
            art_findings.extend(r.findings.iter().cloned());
            resolved.insert(id.clone(), r);
        }
        if require {
            art_findings.extend(a.uncited_findings());
        }
        art_findings.extend(a.findings.iter().cloned());
        let claims: Vec<ClaimReport> = a
            .claims
            .par_iter()
            .map(|c| {
                let loc = a.location(c);
                let docs: Vec<SourceDoc> = c
                    .citations
                    .iter()
                    .filter_map(|l| resolved.get(l))
                    .filter_map(|r| {
                        r.text.as_ref().map(|t| SourceDoc {
                            id: &r.usage.id,
                            text: &t.text,
                            whole: Some(&t.whole).filter(|w| !w.is_empty()).map(|w| w.as_str()),
                        })
                    })
                    .collect();
                let uses: Vec<SourceUse> = c
                    .citations
                    .iter()
                    .filter_map(|l| resolved.get(l))
                    .map(|r| r.usage.clone())
                    .collect();
                let defined = c.citations.iter().any(|l| srcs.contains_key(l));
                let assessment = if docs.is_empty() {
                    None
                } else {
                    Some(rules.assess(&c.text, &docs))
                };
                let mut findings = Vec::new();
                let (verdict, score, evidence, matched, unsupported) = match assessment {
                    Some(a) => {
                        for chk in &a.findings {
                            let mut f = Finding::new(chk.code, chk.message.clone()).at(loc.clone());
                            let u = chk
                                .source_id
                                .as_ref()
                                .and_then(|id| uses.iter().find(|u| &u.id == id))
                                .or(if uses.len() == 1 { uses.first() } else { None });
                            if let Some(u) = u {
                                f.source_id = Some(u.id.clone());
                                f.url = u.url.clone();
                                f.digest = u.digest.clone();
                                f.captured = u.captured.clone();
                            }
                            f.evidence = chk.evidence.clone();
                            findings.push(f);
                        }
                        (a.verdict, a.score, a.evidence, a.matched, a.unsupported)
                    }
                    None => {
                        if defined {
                            let why = c
                                .citations
                                .iter()
                                .filter_map(|l| resolved.get(l))
                                .flat_map(|r| r.findings.iter().map(|f| f.code.as_str()))
                                .collect::<Vec<_>>();
                            let mut f = Finding::new(
                                Code::ClaimUnverifiable,
                                format!(
                                    "no text of the cited source{} to check against{}",
                                    if c.citations.len() > 1 { "s" } else { "" },
                                    if why.is_empty() {
                                        String::new()
                                    } else {
                                        format!(" ({})", why.join(", "))
                                    }
                                ),
                            )
                            .at(loc.clone());
                            f.source_id = Some(c.citations.join(","));
                            findings.push(f);
                        }
                        (Verdict::Unverifiable, 0.0, vec![], vec![], vec![])
                    }
                };
                ClaimReport {
                    text: c.text.clone(),
                    line: c.line,
                    column: c.column,
                    start: c.start,
                    end: c.end,
                    citations: c.citations.clone(),
                    verdict,
                    score,
                    sources: uses,
                    evidence,
                    matched,
                    unsupported,
                    findings,
                }
            })
            .collect();
        let mut claims = claims;
        // citation-undefined findings belong to their claim
        let mut rest = Vec::new();
        for f in art_findings {
            if ignore.contains(&f.code) {
                continue;
            }
            match (&f.code, &f.location) {
                (Code::CitationUndefined, Some(l)) => match claims
                    .iter_mut()
                    .find(|c| c.start == l.start && c.line == l.line)
                {
                    Some(c) => c.findings.push(f),
                    None => rest.push(f),
                },
                _ => {
                    // a finding about a source points at the first claim that cites it
                    let mut f = f;
                    if f.location.is_none() {
                        if let Some(id) = &f.source_id {
                            if let Some(c) = claims.iter().find(|c| c.citations.contains(id)) {
                                f.location = Some(crate::findings::Location {
                                    file: a.article.clone(),
                                    line: c.line,
                                    column: c.column,
                                    start: c.start,
                                    end: c.end,
                                });
                            }
                        }
                    }
                    rest.push(f)
                }
            }
        }
        for c in &mut claims {
            c.findings.retain(|f| !ignore.contains(&f.code));
        }
        reports.push(ArticleReport {
            path: a.article.clone(),
            format: a.format.as_str().to_string(),
            claims,
            findings: rest,
            source: src_text,
        });
    }
    let report = Report::new(reports, fail_on);
    let text = if args.summary {
        format!("{}\n", report.summary_line())
    } else {
        report.render(format, args.output.is_none() && color())
    };
    emit(args.output.as_deref(), &text)?;
    if args.output.is_some() {
        eprintln!("{}", report.summary_line());
    }
    Ok(i32::from(report.fails()))
}
