//! Claim x cited source texts -> evidence passages, checks, verdict, score, findings.
//!
//! Deterministic and explainable. The source is cut into sentences; the claim into content
//! words, numbers, dates, names and quotes (`claim`). Then named checks run, each on its own:
//!
//! - `coverage`: up to three passages chosen greedily, each covering the most claim tokens
//!   still uncovered, across every cited source; the share of content words they cover.
//! - `numbers`, `dates`, `names`, `quotes`: is each piece of the claim in the source?
//! - `negation`: does one side deny what the other asserts?
//! - `verdict`: the score (a plain mean of the parts) and the verdict.
//!
//! A check switched off ([`Rules::ignoring`], from `[check] ignore`) is not run at all, and its
//! part of the score counts as satisfied, like a claim with nothing of that kind to check.

mod claim;
mod coverage;
mod dates;
mod names;
mod negation;
pub mod numbers;
mod quotes;
mod source;
mod units;
mod verdict;

use crate::findings::Code;
use serde::Serialize;

pub use quotes::quote_found;
pub use source::PreparedSource;

/// How far a claim's cited sources bear it out; ordered as listed, supported first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The score reaches [`Rules::supported`] and no gating finding holds the claim back.
    Supported,
    /// Between the two thresholds, or above the upper one but held back by a gate.
    PartiallySupported,
    /// The score is below [`Rules::unsupported`] (`claim-unsupported`).
    NotSupported,
    /// No cited source has usable text, or the claim has no words to check.
    Unverifiable,
}

impl Verdict {
    /// The snake_case name used in JSON and the other reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::PartiallySupported => "partially_supported",
            Verdict::NotSupported => "not_supported",
            Verdict::Unverifiable => "unverifiable",
        }
    }
}

/// A cited source's text as the checker sees it.
#[derive(Debug, Clone, Copy)]
pub struct SourceDoc<'a> {
    /// The reference's label, copied into evidence and checks so they name their source.
    pub id: &'a str,
    /// Main content.
    pub text: &'a str,
    /// Whole-page text, searched when the main content lacks something (infobox, caption).
    pub whole: Option<&'a str>,
    /// The page's publication date ("2007-05-22", or any form [`crate::text::dates::parse_day`]
    /// reads): it resolves "through October", "Wednesday evening", a missing year.
    pub published: Option<&'a str>,
}

impl<'a> SourceDoc<'a> {
    /// A source with main-content text only.
    pub fn new(id: &'a str, text: &'a str) -> Self {
        SourceDoc {
            id,
            text,
            whole: None,
            published: None,
        }
    }
}

/// A passage used as evidence: `text` is `source.text[start..end]` (or of the whole page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Label of the source the passage is from.
    pub source_id: String,
    /// The passage as it reads in the source.
    pub text: String,
    /// Byte offset of the passage in the source's text (main content, or whole page).
    pub start: usize,
    /// Byte offset just past the passage.
    pub end: usize,
    /// Taken from the whole-page text rather than the main content.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub whole_page: bool,
}

/// One failed check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The finding code the check reports (`number-mismatch`, `claim-unsupported` ...).
    pub code: Code,
    /// What is missing or contradicted, for people.
    pub message: String,
    /// The source of the passage the claim was compared with, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// The passage the claim was compared with, shown beside the finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// A judge's answer for one claim: verdict, score, evidence and the checks that failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Supported, partially supported, not supported or unverifiable.
    pub verdict: Verdict,
    /// Mean of the parts, 0 to 1, rounded to three decimals; compared with the rules' thresholds.
    pub score: f64,
    /// Up to three passages, chosen greedily to cover the claim, across every cited source.
    pub evidence: Vec<Evidence>,
    /// The checks that failed, in the order they ran.
    pub findings: Vec<Check>,
    /// Claim words found in the evidence, and those not found.
    pub matched: Vec<String>,
    /// Claim words not found in the evidence, plus the negation clash explained, if any.
    pub unsupported: Vec<String>,
    /// The measurements behind the score, for calibration and debugging.
    #[serde(skip)]
    pub details: Details,
}

/// What each check measured. A part is `None` when the claim has nothing of that kind or the
/// check is off; the score counts it as satisfied.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Details {
    /// Share of the claim's content words in the evidence passages.
    pub word_coverage: f64,
    /// Share of the claim's words, numbers and dates (these count twice) in the passages.
    pub token_coverage: f64,
    /// How many distinct content words (stems) the claim has.
    pub content_words: usize,
    /// Share of the claim's numbers found in a passage.
    pub numbers: Option<f64>,
    /// Share of the claim's dates confirmed by a source date.
    pub dates: Option<f64>,
    /// Share of the claim's names found in the source.
    pub names: Option<f64>,
    /// Share of the claim's quotes found in the source.
    pub quotes: Option<f64>,
    /// The best passage denies what the claim asserts, or the other way round.
    pub negation_clash: bool,
}

/// Room for other judges (a model-based one); the default needs no model and no network.
pub trait Judge: Sync {
    /// Judge `claim` against the text of each source it cites; never fails, at worst unverifiable.
    fn assess(&self, claim: &str, sources: &[SourceDoc]) -> Assessment;

    /// The same answer as [`Judge::assess`] on the sources' documents, for a caller that judges
    /// many claims against the same sources and prepares each source once for all of them.
    fn assess_prepared(&self, claim: &str, sources: &[&PreparedSource]) -> Assessment {
        let docs: Vec<SourceDoc> = sources.iter().map(|p| p.doc()).collect();
        self.assess(claim, &docs)
    }
}

/// The checks that can be switched off, each by the finding code it reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    /// The numbers check (`number-mismatch`).
    Numbers,
    /// The dates check (`date-mismatch`).
    Dates,
    /// The names check (`name-missing`).
    Names,
    /// The quotes check (`quote-mismatch`).
    Quotes,
    /// The negation check; it has no code of its own and is off by default.
    Negation,
}

impl CheckKind {
    const ALL: [CheckKind; 5] = [
        CheckKind::Numbers,
        CheckKind::Dates,
        CheckKind::Names,
        CheckKind::Quotes,
        CheckKind::Negation,
    ];
    /// The finding code that names the check in `[check] ignore`.
    fn code(self) -> Option<Code> {
        match self {
            CheckKind::Numbers => Some(Code::NumberMismatch),
            CheckKind::Dates => Some(Code::DateMismatch),
            CheckKind::Names => Some(Code::NameMissing),
            CheckKind::Quotes => Some(Code::QuoteMismatch),
            CheckKind::Negation => None,
        }
    }
    fn name(self) -> &'static str {
        match self {
            CheckKind::Numbers => "numbers",
            CheckKind::Dates => "dates",
            CheckKind::Names => "names",
            CheckKind::Quotes => "quotes",
            CheckKind::Negation => "negation",
        }
    }
    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// Which part of the claim the coverage part of the score counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverageKind {
    /// Content words only (numbers and dates have their own parts).
    Words,
    /// Content words, numbers and dates, these counting twice.
    Tokens,
}

/// The rule-based judge: which checks run and how their results make a verdict.
///
/// The defaults are what nested cross-validation on the WiCE dev split chose
/// (`bench/wice-eval.sh`): choices made on the training folds, scored on held-out folds.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Score at or above which a claim with no gating finding is supported.
    pub supported: f64,
    /// Score below which a claim is not supported (`claim-unsupported`); between the two it is
    /// partially supported.
    pub unsupported: f64,
    /// Coverage below which a claim is not supported whatever its score: its passages share too
    /// few of its words to be about it. A claim with no number, date, name or quote scores at
    /// least 0.8 on those absent parts, so the score alone never calls it unsupported.
    pub coverage_floor: f64,
    /// Score below which a partially supported claim with no failed number, date, name or
    /// quote is reported as `claim-weakly-supported` (a warning).
    pub weak: f64,
    /// Findings that keep a claim below supported whatever its score.
    pub gates: Vec<Code>,
    /// Whether coverage counts content words only or numbers and dates too.
    pub coverage: CoverageKind,
    /// Dates read against the page's publication date and neighbouring sentences.
    pub anchor_dates: bool,
    /// Names matched through plural, demonym and adjective forms and transliterations.
    pub name_variants: bool,
    /// A quote whose words are all capitalised ("The Hunger Games: Mockingjay") is a title:
    /// the names check reads it, the quotes check leaves it alone.
    pub titles_are_names: bool,
    /// Report `claim-partially-supported` (only when measured better than chance).
    pub report_partial: bool,
    /// Checks switched off (bits of [`CheckKind`]). The negation check, when on, keeps a claim
    /// whose best passage clashes with it below supported.
    off: u8,
}

impl Default for Rules {
    /// What `bench/wice_cv.py --fixed names` chose on the WiCE dev split (nested
    /// cross-validation: balanced accuracy 0.779 held out, 0.813 in-sample; the coverage floor
    /// is fitted in the folds as the not-supported threshold is). No gate: a failed
    /// number or date lowers the score and is reported, but the plain mean decides; the negation
    /// check did not earn a place (chosen in 4 of 50 outer folds) and is off. Name forms are
    /// fixed on for the precision of `name-missing`, which balanced accuracy does not see.
    /// `claim-partially-supported` is not reported: held out, it is right less often (0.63)
    /// than a flag at random (0.67).
    fn default() -> Self {
        Rules {
            supported: 0.9245,
            unsupported: 0.6728,
            coverage_floor: 0.3025,
            weak: 0.8946,
            gates: vec![],
            coverage: CoverageKind::Tokens,
            anchor_dates: true,
            name_variants: true,
            titles_are_names: true,
            report_partial: false,
            off: CheckKind::Negation.bit(),
        }
    }
}

/// A setting of [`Rules::set`] that is unknown or has a bad value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("judge setting {key:?}: {why}")]
pub struct RulesError {
    /// The setting's name as given (or the whole `key=value` when it has no `=`).
    pub key: String,
    /// What is wrong: an unknown setting or a value out of range.
    pub why: String,
}

impl Rules {
    /// These rules with the checks whose finding codes are ignored switched off.
    pub fn ignoring<'a>(mut self, codes: impl IntoIterator<Item = &'a Code>) -> Self {
        for c in codes {
            for k in CheckKind::ALL {
                if k.code() == Some(*c) {
                    self.off |= k.bit();
                }
            }
        }
        self
    }

    /// Is this check run?
    pub fn runs(&self, k: CheckKind) -> bool {
        self.off & k.bit() == 0
    }

    /// Change one rule by name, for measuring alternatives (`ibid judge` reads
    /// `IBID_JUDGE_RULES="key=value;key=value"`): supported, unsupported, weak (numbers), gates
    /// (codes joined by commas, or none), anchor_dates, name_variants, titles_are_names,
    /// report_partial (on/off), coverage (words/tokens), off (check names joined by commas).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), RulesError> {
        let err = |why: String| RulesError {
            key: key.to_string(),
            why,
        };
        let num = || {
            value
                .parse::<f64>()
                .ok()
                .filter(|v| (0.0..=1.0).contains(v))
                .ok_or_else(|| err(format!("expected a number from 0 to 1, got {value:?}")))
        };
        let flag = || match value {
            "on" | "true" | "1" => Ok(true),
            "off" | "false" | "0" => Ok(false),
            _ => Err(err(format!("expected on or off, got {value:?}"))),
        };
        let list = || {
            value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty() && *v != "none")
        };
        match key {
            "supported" => self.supported = num()?,
            "unsupported" => self.unsupported = num()?,
            "coverage_floor" => self.coverage_floor = num()?,
            "weak" => self.weak = num()?,
            "anchor_dates" => self.anchor_dates = flag()?,
            "name_variants" => self.name_variants = flag()?,
            "titles_are_names" => self.titles_are_names = flag()?,
            "report_partial" => self.report_partial = flag()?,
            "coverage" => {
                self.coverage = match value {
                    "words" => CoverageKind::Words,
                    "tokens" => CoverageKind::Tokens,
                    _ => return Err(err(format!("expected words or tokens, got {value:?}"))),
                }
            }
            "gates" => {
                self.gates = list()
                    .map(|c| Code::parse(c).ok_or_else(|| err(format!("unknown code {c:?}"))))
                    .collect::<Result<_, _>>()?
            }
            "off" => {
                self.off = 0;
                for name in list() {
                    let k = CheckKind::ALL
                        .into_iter()
                        .find(|k| k.name() == name)
                        .ok_or_else(|| err(format!("unknown check {name:?}")))?;
                    self.off |= k.bit();
                }
            }
            _ => return Err(err("unknown setting".into())),
        }
        Ok(())
    }

    /// Apply `key=value` settings separated by `;`.
    pub fn with_settings(mut self, settings: &str) -> Result<Self, RulesError> {
        for kv in settings.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = kv.split_once('=').ok_or_else(|| RulesError {
                key: kv.to_string(),
                why: "expected key=value".into(),
            })?;
            self.set(k.trim(), v.trim())?;
        }
        Ok(self)
    }
}

impl Judge for Rules {
    fn assess(&self, claim: &str, sources: &[SourceDoc]) -> Assessment {
        let prepared: Vec<PreparedSource> =
            sources.iter().map(|d| PreparedSource::new(*d)).collect();
        let refs: Vec<&PreparedSource> = prepared.iter().collect();
        assess(self, claim, &refs)
    }

    fn assess_prepared(&self, claim: &str, sources: &[&PreparedSource]) -> Assessment {
        assess(self, claim, sources)
    }
}

/// Run the checks that are on, then the verdict.
fn assess(rules: &Rules, text: &str, prepared: &[&PreparedSource]) -> Assessment {
    let claim = claim::Claim::parse(text, rules);
    let sources = source::Sources::gather(prepared, &claim);
    if claim.words.is_empty() || sources.passages.is_empty() {
        return verdict::unverifiable(&claim, &sources);
    }
    let num = (rules.runs(CheckKind::Numbers) && !claim.numbers.is_empty())
        .then(|| numbers::locate(&claim, &sources));
    let dat = (rules.runs(CheckKind::Dates) && !claim.dates.is_empty())
        .then(|| dates::locate(&claim, &sources, rules.anchor_dates));
    let cover = coverage::cover(&claim, &sources, num.as_ref(), dat.as_ref());
    let mut findings = Vec::new();
    let mut details = Details {
        word_coverage: cover.word_coverage,
        token_coverage: cover.token_coverage,
        content_words: claim.stems.len(),
        ..Details::default()
    };
    if let Some(m) = &num {
        details.numbers = Some(numbers::report(&claim, &sources, m, &cover, &mut findings));
    }
    if let Some(m) = &dat {
        details.dates = Some(dates::report(
            &claim,
            &sources,
            m,
            &cover,
            rules.anchor_dates,
            &mut findings,
        ));
    }
    if rules.runs(CheckKind::Names) && !claim.names.is_empty() {
        details.names = Some(names::check(
            &claim,
            &sources,
            rules.name_variants,
            &mut findings,
        ));
    }
    if rules.runs(CheckKind::Quotes) && !claim.quotes.is_empty() {
        details.quotes = Some(quotes::check(&claim, &sources, &mut findings));
    }
    let clash = rules
        .runs(CheckKind::Negation)
        .then(|| negation::clash(&claim, &sources, &cover))
        .flatten();
    details.negation_clash = clash.is_some();
    verdict::decide(rules, &claim, &sources, &cover, details, findings, clash)
}

#[cfg(test)]
mod tests;
