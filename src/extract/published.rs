//! The day a page was published. Claims are checked against it: it resolves the page's
//! relative dates ("Wednesday evening", "through October") and is itself a date the page
//! states.
//!
//! Read from, in order: `<meta>` tags (`article:published_time`, `datePublished`, Dublin
//! Core ...), JSON-LD `datePublished`, the first `<time datetime>`. Plain text has no markup;
//! WiCE-style texts carry a "(meta data) PUBLISHED DATETIME: ..." line, which
//! [`from_plain_text`] reads.

use crate::html::Document;
use crate::text::dates::parse_day;
use crate::time::civil_from_days;

/// `<meta>` names and properties that hold the publication date, most specific first.
const META_KEYS: &[&str] = &[
    "article:published_time",
    "datepublished",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "date",
    "sailthru.date",
];
/// The line prefix WiCE's page texts use for the publication date.
const PLAIN_PREFIX: &str = "(meta data) PUBLISHED DATETIME:";
/// Lines of a plain text searched for it.
const PLAIN_LINES: usize = 200;

/// A date in any form [`parse_day`] reads, as YYYY-MM-DD; `None` unless it names a day.
pub fn normalize(raw: &str) -> Option<String> {
    let (y, m, d) = civil_from_days(parse_day(raw)?);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// The publication day of an HTML page, given its parsed JSON-LD blocks.
pub fn from_html(doc: &Document, json_ld: &[serde_json::Value]) -> Option<String> {
    from_meta(doc)
        .or_else(|| json_ld.iter().find_map(date_published))
        .or_else(|| {
            doc.elements("time")
                .filter_map(|t| doc.node(t).attr("datetime"))
                .find_map(normalize)
        })
}

fn from_meta(doc: &Document) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for m in doc.elements("meta") {
        let n = doc.node(m);
        let key = n
            .attr("property")
            .or_else(|| n.attr("name"))
            .or_else(|| n.attr("itemprop"))
            .unwrap_or("");
        // the keys are lowercase: compared without lowercasing a copy
        let Some(rank) = META_KEYS.iter().position(|k| k.eq_ignore_ascii_case(key)) else {
            continue;
        };
        if best.as_ref().is_some_and(|(r, _)| *r <= rank) {
            continue;
        }
        if let Some(day) = n.attr("content").and_then(normalize) {
            best = Some((rank, day));
        }
    }
    best.map(|(_, d)| d)
}

/// `datePublished` anywhere in a JSON-LD value (objects, arrays, `@graph`).
fn date_published(v: &serde_json::Value) -> Option<String> {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Array(a) => stack.extend(a.iter().rev()),
            serde_json::Value::Object(o) => {
                if let Some(d) = o
                    .get("datePublished")
                    .and_then(|d| d.as_str())
                    .and_then(normalize)
                {
                    return Some(d);
                }
                stack.extend(o.values().rev());
            }
            _ => {}
        }
    }
    None
}

/// Words that open a byline or dateline ("By Travis Zimpfer on March 2, 2017", "Posted 3
/// October 2017", "Published 7:03 a.m. ET Oct. 27, 2015").
const BYLINES: &[&str] = &["by", "posted", "published", "written"];

/// The publication day of a plain text: its "(meta data) PUBLISHED DATETIME:" line, else the
/// first full date on a byline or dateline near the top.
pub fn from_plain_text(text: &str) -> Option<String> {
    let head = || text.lines().take(PLAIN_LINES);
    head()
        .find_map(|l| l.trim_start().strip_prefix(PLAIN_PREFIX))
        .and_then(normalize)
        .or_else(|| head().filter(|l| byline(l)).find_map(normalize))
}

/// Does the line open with "By", "Posted", "Published" or "Written" (after heading marks)?
fn byline(line: &str) -> bool {
    let l = line.trim_start_matches(['#', ' ', '\t', '*', '_']);
    BYLINES.iter().any(|b| {
        l.get(..b.len()).is_some_and(|h| h.eq_ignore_ascii_case(b))
            && l[b.len()..].starts_with(|c: char| !c.is_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::from_html as extract_html;

    fn page(head: &str, body: &str) -> String {
        format!("<!doctype html><html><head>{head}</head><body>{body}<p>The congress opened in the Great Kremlin Palace in the middle of February, with more than a thousand delegates present.</p></body></html>")
    }

    #[test]
    fn meta_tags_first_then_json_ld_then_time() {
        let st = extract_html(&page(
            r#"<meta property="article:published_time" content="2007-05-22T19:02:00Z"><meta name="date" content="2001-01-01">"#,
            r#"<time datetime="2009-09-09">Sept 9</time>"#,
        ));
        assert_eq!(st.published.as_deref(), Some("2007-05-22"));
        let st = extract_html(&page(
            r#"<meta name="date" content="2001-01-01"><meta property="article:published_time" content="2007-05-22">"#,
            "",
        ));
        assert_eq!(
            st.published.as_deref(),
            Some("2007-05-22"),
            "most specific key wins"
        );
        let st = extract_html(&page(
            r#"<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "datePublished": "2018-12-20T18:04:43+00:00"}]}</script>"#,
            r#"<time datetime="2009-09-09">Sept 9</time>"#,
        ));
        assert_eq!(st.published.as_deref(), Some("2018-12-20"));
        let st = extract_html(&page(
            "",
            r#"<p>By Travis <time datetime="2017-03-02T08:00">March 2</time></p>"#,
        ));
        assert_eq!(st.published.as_deref(), Some("2017-03-02"));
    }

    #[test]
    fn unreadable_dates_are_no_date() {
        let st = extract_html(&page(
            r#"<meta property="article:published_time" content="yesterday"><script type="application/ld+json">{not json</script>"#,
            r#"<time datetime="">soon</time>"#,
        ));
        assert_eq!(st.published, None);
    }

    #[test]
    fn plain_text_meta_line() {
        let t = "(meta data) TITLE: Balancing act\n(meta data) PUBLISHED DATETIME: 2017-10-31T04:57:12+10:00\nText.";
        assert_eq!(from_plain_text(t).as_deref(), Some("2017-10-31"));
        assert_eq!(
            from_plain_text("(meta data) PUBLISHED DATETIME: 1528320203").as_deref(),
            Some("2018-06-06")
        );
        assert_eq!(from_plain_text("Published yesterday.\nText."), None);
        for (t, day) in [
            (
                "Menu\nBy Travis Zimpfer on March 2, 2017\nText.",
                "2017-03-02",
            ),
            ("## by Tamsin Hong, 24 March 2016\nText.", "2016-03-24"),
            ("Posted June 28, 2007 by Cubana in News", "2007-06-28"),
            (
                "Published 7:03 a.m. ET Oct. 27, 2015 | Updated 3:16 p.m. ET Nov. 3, 2015",
                "2015-10-27",
            ),
        ] {
            assert_eq!(from_plain_text(t).as_deref(), Some(day), "{t}");
        }
        // a date in the text is not the page's, nor is a byline without a day
        assert_eq!(
            from_plain_text("It opened on March 2, 2017.\nBy the river."),
            None
        );
        assert_eq!(
            from_plain_text("Bypass roads opened on March 2, 2017."),
            None
        );
        assert_eq!(normalize("March 2, 2017").as_deref(), Some("2017-03-02"));
    }
}
