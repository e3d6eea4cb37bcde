//! The main-text extractor's constants, in one place and settable by name, so that
//! `bench/extract-eval.sh` can choose them (and switch each rule of issue 18 off) on one half of
//! its pages and score the other half.

/// The extractor's constants. `Default` is what ibid uses; the evaluation sets them by name
/// (`key=value,...`) to choose them on half of its pages and score the other half.
#[derive(Debug, Clone, PartialEq)]
pub struct Tuning {
    /// Shortest paragraph, in characters, that scores its ancestors.
    pub min_paragraph: u32,
    /// Runs of inline text between blocks and `<br>`s inside a container are paragraphs.
    pub inline_runs: bool,
    /// Comment threads are removed in every pass (otherwise only by the class-word pass).
    pub prune_comments: bool,
    /// A node with a negative class word is kept when it holds at least this share of the
    /// page's paragraph text (above 1: never kept).
    pub guard_share: f32,
    /// Use `itemprop=articleBody`, the only `<article>` and `<main>` to anchor the container.
    pub anchors: bool,
    /// The best candidate climbs to an ancestor scoring more than this times its own score.
    pub climb_ratio: f32,
    /// When above 0, the best candidate instead climbs while its parent holds no more than
    /// 1/`climb_share` of its text (the rule before issue 18 used 0.85).
    pub climb_share: f32,
    /// A sibling joins the content when it scores this share of the container's score.
    pub sibling_share: f32,
    /// ... and when at most this share of its text is link text.
    pub sibling_links: f32,
    /// Other elements with the container's tag and class join it when they score like a sibling
    /// (a body split around ads and figures into several containers of one kind).
    pub split_parts: bool,
    /// This many `<article>` elements under one parent make it a list of teasers (0: off).
    pub teaser_articles: u32,
    /// Drop paragraphs that are a link and not a sentence (teaser headlines inside the body).
    pub drop_link_lines: bool,
    /// Keep an `h1` that follows text inside the content (a subheading), not only drop it.
    pub keep_inner_h1: bool,
    /// The pass without class-word removal runs when the first gives fewer characters.
    pub loose_below: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            min_paragraph: 25,
            inline_runs: true,
            prune_comments: true,
            guard_share: 0.5,
            anchors: true,
            climb_ratio: 1.0,
            climb_share: 0.0,
            sibling_share: 0.2,
            sibling_links: 0.33,
            split_parts: true,
            teaser_articles: 3,
            keep_inner_h1: true,
            drop_link_lines: true,
            loose_below: 500,
        }
    }
}

/// A `key=value` the tuning does not know or cannot read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("tuning {key:?}: {problem}")]
pub struct TuningError {
    /// The key as given (or the whole pair when it has no `=`).
    pub key: String,
    /// What is wrong: an unknown key, a missing `=`, or a value that does not parse.
    pub problem: String,
}

impl Tuning {
    /// Defaults with `key=value` pairs (comma separated) applied.
    pub fn parse(spec: &str) -> Result<Tuning, TuningError> {
        let mut t = Tuning::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').ok_or_else(|| TuningError {
                key: pair.to_string(),
                problem: "expected key=value".into(),
            })?;
            t.set(k.trim(), v.trim())?;
        }
        Ok(t)
    }

    /// Set one constant by its field name.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), TuningError> {
        fn num<T: std::str::FromStr>(key: &str, v: &str) -> Result<T, TuningError> {
            v.parse().map_err(|_| TuningError {
                key: key.into(),
                problem: format!("{v:?} is not a number"),
            })
        }
        fn flag(key: &str, v: &str) -> Result<bool, TuningError> {
            match v {
                "1" | "true" | "on" => Ok(true),
                "0" | "false" | "off" => Ok(false),
                _ => Err(TuningError {
                    key: key.into(),
                    problem: format!("{v:?} is not on or off"),
                }),
            }
        }
        match key {
            "min_paragraph" => self.min_paragraph = num(key, value)?,
            "inline_runs" => self.inline_runs = flag(key, value)?,
            "prune_comments" => self.prune_comments = flag(key, value)?,
            "guard_share" => self.guard_share = num(key, value)?,
            "anchors" => self.anchors = flag(key, value)?,
            "climb_ratio" => self.climb_ratio = num(key, value)?,
            "climb_share" => self.climb_share = num(key, value)?,
            "sibling_share" => self.sibling_share = num(key, value)?,
            "sibling_links" => self.sibling_links = num(key, value)?,
            "teaser_articles" => self.teaser_articles = num(key, value)?,
            "split_parts" => self.split_parts = flag(key, value)?,
            "keep_inner_h1" => self.keep_inner_h1 = flag(key, value)?,
            "drop_link_lines" => self.drop_link_lines = flag(key, value)?,
            "loose_below" => self.loose_below = num(key, value)?,
            _ => {
                return Err(TuningError {
                    key: key.into(),
                    problem: "no such constant".into(),
                })
            }
        }
        Ok(())
    }

    /// Every constant as `key=value,...`, the form [`Tuning::parse`] reads back: what the
    /// evaluation compares its search against.
    pub fn spec(&self) -> String {
        let on = |b: bool| if b { "on" } else { "off" };
        [
            format!("min_paragraph={}", self.min_paragraph),
            format!("inline_runs={}", on(self.inline_runs)),
            format!("prune_comments={}", on(self.prune_comments)),
            format!("guard_share={}", self.guard_share),
            format!("anchors={}", on(self.anchors)),
            format!("climb_ratio={}", self.climb_ratio),
            format!("climb_share={}", self.climb_share),
            format!("sibling_share={}", self.sibling_share),
            format!("sibling_links={}", self.sibling_links),
            format!("split_parts={}", on(self.split_parts)),
            format!("teaser_articles={}", self.teaser_articles),
            format!("drop_link_lines={}", on(self.drop_link_lines)),
            format!("keep_inner_h1={}", on(self.keep_inner_h1)),
            format!("loose_below={}", self.loose_below),
        ]
        .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuning_is_set_by_name_and_rejects_what_it_does_not_know() {
        let t = Tuning::parse("anchors=off, sibling_share=0.25,min_paragraph=30").unwrap();
        assert!(!t.anchors);
        assert_eq!((t.sibling_share, t.min_paragraph), (0.25, 30));
        assert_eq!(Tuning::parse("").unwrap(), Tuning::default());
        let e = Tuning::parse("anchor=off").unwrap_err();
        assert_eq!(e.key, "anchor");
        assert!(Tuning::parse("anchors=maybe").is_err());
        assert!(Tuning::parse("sibling_share=x").is_err());
        assert!(Tuning::parse("sibling_share").is_err());
    }

    #[test]
    fn spec_reads_back_as_the_same_tuning() {
        let t = Tuning::parse("anchors=off,sibling_share=0.25,teaser_articles=5").unwrap();
        assert_eq!(Tuning::parse(&t.spec()).unwrap(), t);
        assert_eq!(
            Tuning::parse(&Tuning::default().spec()).unwrap(),
            Tuning::default()
        );
    }
}
