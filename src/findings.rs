//! The vocabulary every stage reports in: stable finding codes with a severity.
//!
//! Codes are kebab-case and never renamed: CI configurations and SARIF rule ids depend on them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a finding is; ordered `Note < Warning < Error` so `fail_on` is a threshold.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing (an unused reference, a rescued source); fails a run only with
    /// `fail_on = "note"`.
    Note,
    /// Probably wrong, or only partly checked; a person should look.
    Warning,
    /// Wrong with high measured precision, or a citation or source that could not be checked at
    /// all; fails a run by default.
    Error,
}

impl Severity {
    /// The lowercase name used in sources.toml, `--fail-on` and every report.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "note" => Ok(Severity::Note),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!(
                "unknown severity {s:?} (expected error, warning or note)"
            )),
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $name:literal, $sev:ident, $help:literal;)*) => {
        /// Every finding ibid can report.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $(#[doc = $help] $variant,)* }
        impl Code {
            /// Every code, in declaration order (for listings such as SARIF rules).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
            /// Stable kebab-case identifier users put in `check.ignore` and CI reads.
            pub fn as_str(self) -> &'static str { match self { $(Code::$variant => $name,)* } }
            /// The severity a finding of this code has unless configured otherwise.
            pub fn severity(self) -> Severity { match self { $(Code::$variant => Severity::$sev,)* } }
            /// One sentence for people: what the code means and what to do.
            pub fn help(self) -> &'static str { match self { $(Code::$variant => $help,)* } }
            /// The code named by its kebab-case identifier, or `None` if no code has that name.
            pub fn parse(s: &str) -> Option<Code> { match s { $($name => Some(Code::$variant),)* _ => None } }
        }
    };
}

// Severity is decided here and nowhere else. For the claim checks it follows measured precision
// on the WiCE dev split (bench/wice-eval.sh; README "Findings"): a finding is an error only
// when it is right (the claim really is not fully supported) at least 97% of the time and
// fires on at most 1% of supported claims: number-mismatch, date-mismatch and
// claim-unsupported. The other checks are warnings, claim-weakly-supported among them (its
// threshold is set so that it is right at least 90% of the time on the training claims);
// claim-partially-supported is right less often than a flag at random (0.65 held out against
// 0.67), is a note, and is reported only when `report_partial` asks for it.
codes! {
    CitationUndefined => "citation-undefined", Error, "A footnote marker points at no reference: define it in the article or in sources.toml.";
    SourceUnused => "source-unused", Note, "A reference that no claim cites: remove it or cite it.";
    ClaimUncited => "claim-uncited", Note, "A sentence carries no footnote (reported with --require-citations).";
    ReferenceDuplicate => "reference-duplicate", Warning, "A footnote is defined twice with different text; the first definition is used.";
    ReferenceUnresolved => "reference-unresolved", Warning, "A short citation (sfn, harvnb) names a work that the page's bibliography does not list.";
    ReferenceConflict => "reference-conflict", Warning, "sources.toml and the article's own reference list give different URLs for one footnote; sources.toml wins.";
    WikiRedirect => "wiki-redirect", Note, "The wiki page given is a redirect; the page it points to was checked (one redirect is followed).";
    ArticleMalformed => "article-malformed", Warning, "The article's markup is broken here (an unterminated tag or comment, an empty file); text after it may be misread.";
    SourceNoUrl => "source-no-url", Warning, "A cited reference has no URL to fetch: add `url` for it in sources.toml.";
    SourceUnreachable => "source-unreachable", Error, "The source could not be fetched (DNS, connection, timeout, HTTP error) and no archive copy helped.";
    SourceBlocked => "source-blocked", Error, "The source's address is private, loopback or otherwise not public; set allow_private to fetch it.";
    SourceArchived => "source-archived", Note, "The live source was dead; its archive copy was checked instead.";
    SourceChanged => "source-changed", Warning, "The source's content differs from the previous capture.";
    SourceNotText => "source-not-text", Warning, "The source is not a text type ibid can read (an image, a video, a broken PDF).";
    SourceTruncated => "source-truncated", Warning, "The source was larger than the body cap and was cut; claims are checked against the part kept.";
    SnapshotMissing => "snapshot-missing", Error, "No capture of the source exists and ibid ran offline: run `ibid fetch`.";
    SnapshotCorrupt => "snapshot-corrupt", Error, "A capture's bytes no longer match their digests: the store was changed or damaged.";
    QuoteMismatch => "quote-mismatch", Warning, "Quoted words in the claim do not appear in the source.";
    NumberMismatch => "number-mismatch", Error, "A number in the claim is not in the cited source.";
    DateMismatch => "date-mismatch", Error, "A date in the claim is not confirmed by a date of the cited source or the day it was published.";
    NameMissing => "name-missing", Warning, "A person, place or organisation named in the claim does not appear in the source.";
    ClaimUnsupported => "claim-unsupported", Error, "The source does not say what the claim says.";
    ClaimWeaklySupported => "claim-weakly-supported", Warning, "The source supports the claim only in part, with a low score; the words listed are not supported.";
    ClaimPartiallySupported => "claim-partially-supported", Note, "The source supports part of the claim; the words listed are not supported.";
    ClaimUnverifiable => "claim-unverifiable", Warning, "The cited source has no usable text (empty, another language, not text), so the claim could not be checked.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Code::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown finding code {s:?}")))
    }
}

/// Where in an article a finding points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Location {
    /// The article file as given on the command line or in sources.toml.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte span in the file.
    pub start: usize,
    /// End of the byte span (exclusive); equal to `start` for a point.
    pub end: usize,
}

/// One problem found, with everything a reader needs to act on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Which finding this is.
    pub code: Code,
    /// How serious; the code's default severity.
    pub severity: Severity,
    /// What was found, for people, naming the thing at fault.
    pub message: String,
    /// Where in the article; `None` for findings about a source or the whole run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The reference (footnote or sources.toml id) the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// The URL of the source concerned, as cited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Payload digest (`sha256:...`) of the capture checked, so the exact bytes can be found again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// When that capture was made, as an ISO date-time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<String>,
    /// The source passage the check compared the claim with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl Finding {
    /// A finding of `code` at the code's default severity, not yet placed or tied to a source.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.severity(),
            message: message.into(),
            location: None,
            source_id: None,
            url: None,
            digest: None,
            captured: None,
            evidence: None,
        }
    }
    /// This finding, placed at `loc` in the article.
    pub fn at(mut self, loc: Location) -> Self {
        self.location = Some(loc);
        self
    }
    /// This finding, tied to the reference `id`.
    pub fn source(mut self, id: impl Into<String>) -> Self {
        self.source_id = Some(id.into());
        self
    }
}
