//! Edits to an article's wikitext that leave every other byte as it was: where a URL is cited
//! (the `url` of a cite template, or a bracketed or bare link inside a `<ref>`), and the change
//! editors make when that URL is dead and an archived copy exists: `|archive-url=`,
//! `|archive-date=` and `|url-status=dead` on the cite template, or a `{{Webarchive}}` after a
//! bare link.
//!
//! The wikitext reader renders text for claims; this scanner only records spans (templates
//! with their top-level `|`, `<ref>` contents, comments and other opaque tags), because an edit
//! must know exactly which bytes it touches and copy the template's own spacing.

use crate::time::days_from_civil;
use std::collections::HashMap;

/// A dead URL and the archived copy to name for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rescue {
    /// The dead URL as the wikitext cites it.
    pub url: String,
    /// The archived copy to name in its place (`archive-url=`, or the `{{Webarchive}}` url).
    pub archive_url: String,
    /// When the copy was archived: (year, month, day).
    pub archived: (i32, u32, u32),
}

/// Replace `src[start..end]` with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte offset in the wikitext where the replaced span starts.
    pub start: usize,
    /// Byte offset where it ends (exclusive); equal to `start` for an insertion.
    pub end: usize,
    /// The text that takes the span's place.
    pub text: String,
}

/// The edits for a set of rescues, and the URLs of rescues that no site in the wikitext cites
/// (a URL that only sources.toml gives, or one written inside a template ibid does not edit).
#[derive(Debug, Clone, Default)]
pub struct Rescued {
    /// Every edit, sorted by position, none overlapping: apply them with `apply`.
    pub edits: Vec<Edit>,
    /// URLs of rescues that no cite template or link in the wikitext carries, left unedited.
    pub not_found: Vec<String>,
}

/// A template: `{{` at `start`, `}}` ending at `end`, and its top-level `|` positions.
#[derive(Debug)]
struct Template {
    start: usize,
    end: usize,
    pipes: Vec<usize>,
}

/// Spans of a wikitext.
#[derive(Debug, Default)]
struct Scan {
    templates: Vec<Template>,
    /// Contents of `<ref>...</ref>`.
    refs: Vec<(usize, usize)>,
    /// Comments and tags whose content is not wikitext (nowiki, pre, math ...).
    opaque: Vec<(usize, usize)>,
    /// The furthest end among `templates[..=i]` (and `refs[..=i]`): with the spans in order of
    /// their start, "is `at` inside one" is a binary search even where spans nest.
    template_reach: Vec<usize>,
    ref_reach: Vec<usize>,
}

const OPAQUE: &[&str] = &[
    "nowiki",
    "pre",
    "math",
    "syntaxhighlight",
    "source",
    "score",
];

/// Is there an opening (or self-closing) tag `<name` at `i`?
fn tag_at(src: &str, i: usize, name: &str) -> bool {
    let b = src.as_bytes();
    let end = i + 1 + name.len();
    b.get(i) == Some(&b'<')
        && b.get(i + 1..end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        && b.get(end)
            .is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
}

fn find_ci(src: &str, from: usize, pat: &str) -> Option<usize> {
    let (b, p) = (src.as_bytes(), pat.as_bytes());
    (from..=b.len().checked_sub(p.len())?).find(|&i| b[i..i + p.len()].eq_ignore_ascii_case(p))
}

fn scan(src: &str) -> Scan {
    let b = src.as_bytes();
    let mut out = Scan::default();
    // open templates with their depth of [[links]] (a | inside a link is not an argument)
    let mut stack: Vec<(Template, u32)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            if b[i..].starts_with(b"<!--") {
                let end = src[i + 4..].find("-->").map_or(b.len(), |p| i + 4 + p + 3);
                out.opaque.push((i, end));
                i = end;
                continue;
            }
            if let Some(name) = OPAQUE.iter().find(|n| tag_at(src, i, n)) {
                let Some(gt) = src[i..].find('>').map(|p| i + p) else {
                    i += 1;
                    continue;
                };
                if b[gt - 1] == b'/' {
                    i = gt + 1;
                    continue;
                }
                let end = find_ci(src, gt + 1, &format!("</{name}")).map_or(b.len(), |c| {
                    src[c..].find('>').map_or(b.len(), |p| c + p + 1)
                });
                out.opaque.push((i, end));
                i = end;
                continue;
            }
            if tag_at(src, i, "ref") {
                if let Some(gt) = src[i..].find('>').map(|p| i + p) {
                    if b[gt - 1] != b'/' {
                        if let Some(close) = find_ci(src, gt + 1, "</ref") {
                            out.refs.push((gt + 1, close));
                        }
                    }
                    i = gt + 1;
                    continue;
                }
            }
        }
        if b[i..].starts_with(b"{{") {
            let t = Template {
                start: i,
                end: 0,
                pipes: vec![],
            };
            stack.push((t, 0));
            i += 2;
            continue;
        }
        if b[i..].starts_with(b"}}") {
            if let Some((mut t, _)) = stack.pop() {
                t.end = i + 2;
                out.templates.push(t);
                i += 2;
                continue;
            }
        }
        if let Some((_, links)) = stack.last_mut() {
            if b[i..].starts_with(b"[[") {
                *links += 1;
                i += 2;
                continue;
            }
            if b[i..].starts_with(b"]]") && *links > 0 {
                *links -= 1;
                i += 2;
                continue;
            }
        }
        if b[i] == b'|' {
            if let Some((t, 0)) = stack.last_mut() {
                t.pipes.push(i);
            }
        }
        i += 1;
    }
    out.templates.sort_by_key(|t| t.start);
    out.template_reach = reach(out.templates.iter().map(|t| t.end));
    out.ref_reach = reach(out.refs.iter().map(|r| r.1));
    out
}

/// The running maximum of `ends`.
fn reach(ends: impl Iterator<Item = usize>) -> Vec<usize> {
    ends.scan(0, |max, e| {
        *max = (*max).max(e);
        Some(*max)
    })
    .collect()
}

impl Scan {
    /// The opaque spans are in text order and do not overlap (the scan jumps past each).
    fn in_opaque(&self, at: usize) -> bool {
        let after = self.opaque.partition_point(|&(s, _)| s <= at);
        after > 0 && at < self.opaque[after - 1].1
    }
    /// The refs are found in text order: their starts increase.
    fn in_ref(&self, at: usize) -> bool {
        let k = self.refs.partition_point(|&(s, _)| s <= at);
        k > 0 && at < self.ref_reach[k - 1]
    }
    fn in_template(&self, at: usize) -> bool {
        let k = self.templates.partition_point(|t| t.start < at);
        k > 0 && at < self.template_reach[k - 1]
    }
}

/// One argument of a template, as byte offsets into the wikitext.
#[derive(Debug, Clone)]
struct Param {
    pipe: usize,
    /// Lower-cased name, for `name = value` arguments.
    key: Option<String>,
    key_span: (usize, usize),
    eq: usize,
    /// The value without surrounding whitespace (empty range when blank).
    value: (usize, usize),
    /// End of the argument's text without trailing whitespace.
    content_end: usize,
}

fn template_name(src: &str, t: &Template) -> String {
    let end = t.pipes.first().copied().unwrap_or(t.end - 2);
    src[t.start + 2..end]
        .trim()
        .replace('_', " ")
        .to_lowercase()
}

fn params(src: &str, t: &Template) -> Vec<Param> {
    let inner_end = t.end - 2;
    let mut out = Vec::new();
    for (k, &pipe) in t.pipes.iter().enumerate() {
        let seg_end = t.pipes.get(k + 1).copied().unwrap_or(inner_end);
        let seg = &src[pipe + 1..seg_end];
        let content_end = pipe + 1 + seg.trim_end().len();
        let eq = seg
            .find('=')
            .filter(|&e| !seg[..e].contains(['{', '[', '<']));
        let Some(e) = eq else {
            out.push(Param {
                pipe,
                key: None,
                key_span: (pipe + 1, pipe + 1),
                eq: pipe + 1,
                value: (pipe + 1, content_end),
                content_end,
            });
            continue;
        };
        let key_raw = &seg[..e];
        let key_start = pipe + 1 + (key_raw.len() - key_raw.trim_start().len());
        let key_end = pipe + 1 + key_raw.trim_end().len();
        let eq = pipe + 1 + e;
        let after = &src[eq + 1..seg_end];
        let lead = after.len() - after.trim_start_matches([' ', '\t']).len();
        let v_start = eq + 1 + lead;
        let v_end = (v_start + src[v_start..seg_end].trim_end().len()).max(v_start);
        out.push(Param {
            pipe,
            key: Some(src[key_start..key_end].trim().to_lowercase()),
            key_span: (key_start, key_end),
            eq,
            value: (v_start, v_end),
            content_end,
        });
    }
    out
}

/// A parameter's value as it reads: without a trailing comment.
fn value_text<'a>(src: &'a str, p: &Param) -> &'a str {
    let v = &src[p.value.0..p.value.1];
    v.split("<!--").next().unwrap_or(v).trim()
}

/// How dates are written: from the citation's own access-date, else the page's
/// `{{Use dmy dates}}` / `{{Use mdy dates}}`, else ISO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateStyle {
    Iso,
    Dmy,
    Mdy,
}

impl DateStyle {
    fn of_value(v: &str) -> Option<DateStyle> {
        let v = v.trim();
        let b = v.as_bytes();
        if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
            Some(DateStyle::Iso)
        } else if b.first().is_some_and(u8::is_ascii_digit) {
            Some(DateStyle::Dmy)
        } else if b.first().is_some_and(u8::is_ascii_alphabetic) {
            Some(DateStyle::Mdy)
        } else {
            None
        }
    }
    fn of_page(src: &str) -> DateStyle {
        let lower = src.to_lowercase();
        if lower.contains("{{use dmy dates") {
            DateStyle::Dmy
        } else if lower.contains("{{use mdy dates") {
            DateStyle::Mdy
        } else {
            DateStyle::Iso
        }
    }
    fn format(self, (y, m, d): (i32, u32, u32)) -> String {
        let month = crate::text::dates::month_name(m).unwrap_or_default();
        match self {
            DateStyle::Iso => format!("{y:04}-{m:02}-{d:02}"),
            DateStyle::Dmy => format!("{d} {month} {y}"),
            DateStyle::Mdy => format!("{month} {d}, {y}"),
        }
    }
}

/// Is this a template whose `url` names the cited work?
fn is_cite(name: &str) -> bool {
    name.starts_with("cite") || name == "citation" || name == "vcite"
}

const URL_KEYS: &[&str] = &["url", "chapter-url", "chapterurl", "contribution-url"];

/// The edits that add the archived copy to one cite template (none when it already says so).
fn cite_edits(src: &str, ps: &[Param], r: &Rescue, page_style: DateStyle) -> Vec<Edit> {
    let get = |keys: &[&str]| {
        ps.iter()
            .find(|p| p.key.as_deref().is_some_and(|k| keys.contains(&k)))
    };
    let style = get(&["access-date", "accessdate"])
        .and_then(|p| DateStyle::of_value(value_text(src, p)))
        .unwrap_or(page_style);
    let date = style.format(r.archived);
    let mut edits = Vec::new();
    let mut add: Vec<(&str, String)> = Vec::new();
    let set = |p: &Param, v: &str| Edit {
        start: p.value.0,
        end: p.value.1,
        text: v.to_string(),
    };
    let archive = get(&["archive-url", "archiveurl"]);
    if archive.is_none_or(|p| value_text(src, p) != r.archive_url) {
        match archive {
            Some(p) => edits.push(set(p, &r.archive_url)),
            None => add.push(("archive-url", r.archive_url.clone())),
        }
        match get(&["archive-date", "archivedate"]) {
            Some(p) => edits.push(set(p, &date)),
            None => add.push(("archive-date", date)),
        }
    }
    match get(&["url-status"]) {
        Some(p) if value_text(src, p).eq_ignore_ascii_case("dead") => {}
        Some(p) => edits.push(set(p, "dead")),
        None => add.push(("url-status", "dead".into())),
    }
    if !add.is_empty() {
        edits.push(append_params(src, ps, &add));
    }
    edits
}

/// New `|key=value` arguments after the last one, spaced as the template's last named
/// argument is (`|k=v`, ` |k=v`, or one per line as `\n| k = v`).
fn append_params(src: &str, ps: &[Param], add: &[(&str, String)]) -> Edit {
    let last = ps
        .last()
        .expect("a cite template with a url has an argument");
    let model_idx = ps
        .iter()
        .rposition(|p| p.key.is_some())
        .unwrap_or(ps.len() - 1);
    let model = &ps[model_idx];
    let prev_end = if model_idx == 0 {
        // the template name's end: the text before the first pipe without trailing space
        src[..model.pipe].trim_end().len()
    } else {
        ps[model_idx - 1].content_end
    };
    let before_pipe = &src[prev_end.min(model.pipe)..model.pipe];
    let after_pipe = &src[model.pipe + 1..model.key_span.0];
    let (eq_pre, eq_post) = if model.key.is_some() {
        (
            &src[model.key_span.1..model.eq],
            &src[model.eq + 1..model.value.0],
        )
    } else {
        ("", "")
    };
    // padding that aligns `=` in a column fits the model's key only
    let shrink = |s: &str| if s.len() > 1 { " " } else { s }.to_string();
    let (eq_pre, eq_post) = (shrink(eq_pre), shrink(eq_post));
    let mut text = String::new();
    for (k, v) in add {
        text.push_str(&format!(
            "{before_pipe}|{after_pipe}{k}{eq_pre}={eq_post}{v}"
        ));
    }
    Edit {
        start: last.content_end,
        end: last.content_end,
        text,
    }
}

/// Where a bare or bracketed link to `url` at `at` ends, when it is one (not a longer URL that
/// starts with it, nor an argument of a template).
fn link_end(src: &str, at: usize, url: &str) -> Option<usize> {
    let b = src.as_bytes();
    let after = at + url.len();
    let bracketed = at > 0 && b[at - 1] == b'[' && (at < 2 || b[at - 2] != b'[');
    if bracketed {
        let line_end = src[after..].find('\n').map_or(src.len(), |p| after + p);
        let close = src[after..line_end].find(']')?;
        // `[url label]` or `[url]`: the URL ends at a space or the bracket
        if !matches!(b.get(after), Some(b' ' | b']' | b'\t')) {
            return None;
        }
        return Some(after + close + 1);
    }
    let before_ok = at == 0 || b[at - 1].is_ascii_whitespace() || b[at - 1] == b'>';
    let after_ok = b
        .get(after)
        .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'<' | b'.' | b',' | b';' | b')'));
    (before_ok && after_ok).then_some(after)
}

/// Is a `{{Webarchive}}` already written right after a link ending at `end`?
fn webarchive_follows(src: &str, end: usize) -> bool {
    let rest = src[end..].trim_start_matches([' ', '\t']);
    rest.get(..12)
        .is_some_and(|h| h.eq_ignore_ascii_case("{{webarchive"))
}

/// The arguments of each cite template outside comments and opaque tags, in text order.
fn cite_templates(src: &str, sc: &Scan) -> Vec<Vec<Param>> {
    sc.templates
        .iter()
        .filter(|t| !sc.in_opaque(t.start) && is_cite(&template_name(src, t)))
        .map(|t| params(src, t))
        .collect()
}

/// The edits that rescue each dead URL where the wikitext cites it: every cite template whose
/// url it is, and every bare or bracketed link to it inside a `<ref>`. At most one edit group
/// per template; edits come sorted and never overlap.
pub fn rescue(src: &str, rescues: &[Rescue]) -> Rescued {
    let sc = scan(src);
    let page_style = DateStyle::of_page(src);
    let mut out = Rescued::default();
    // the page is read once for all rescues (a pass per rescue made a patch of thousands of
    // dead links quadratic): each cite template's arguments by the URLs it gives, and where
    // each rescued URL is written
    let cites = cite_templates(src, &sc);
    let mut cites_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (ci, ps) in cites.iter().enumerate() {
        for p in ps {
            if p.key.as_deref().is_some_and(|k| URL_KEYS.contains(&k)) {
                cites_of.entry(value_text(src, p)).or_default().push(ci);
            }
        }
    }
    let mentions = Mentions::in_scan(src, &sc, rescues.iter().map(|r| r.url.as_str()));
    let mut edited_templates = std::collections::HashSet::new();
    for r in rescues {
        let mut found = false;
        for &ci in cites_of.get(r.url.as_str()).into_iter().flatten() {
            found = true;
            if edited_templates.insert(ci) {
                out.edits.extend(cite_edits(src, &cites[ci], r, page_style));
            }
        }
        for &at in mentions.all(&r.url) {
            if !sc.in_ref(at) || sc.in_template(at) {
                continue;
            }
            let Some(end) = link_end(src, at, &r.url) else {
                continue;
            };
            found = true;
            if webarchive_follows(src, end) {
                continue;
            }
            let date = page_style.format(r.archived);
            out.edits.push(Edit {
                start: end,
                end,
                text: format!(" {{{{Webarchive |url={} |date={date}}}}}", r.archive_url),
            });
        }
        if !found {
            out.not_found.push(r.url.clone());
        }
    }
    out.edits.sort_by_key(|e| (e.start, e.end));
    let mut last_end = 0;
    out.edits.retain(|e| {
        let ok = e.start >= last_end;
        if ok {
            last_end = e.end.max(e.start);
        }
        ok
    });
    out
}

/// Where an article's text first writes each of a set of URLs outside comments and opaque
/// tags (the line of a reference, for the review report). The text is scanned once for all the
/// URLs together: a search per reference made the review of a page with thousands of
/// references quadratic.
pub struct Mentions {
    /// Each URL's mentions, in text order.
    at: HashMap<String, Vec<usize>>,
}

impl Mentions {
    /// Find the mentions of each of `urls` in `src`.
    pub fn find<'u>(src: &str, urls: impl IntoIterator<Item = &'u str>) -> Mentions {
        Mentions::in_scan(src, &scan(src), urls)
    }
    fn in_scan<'u>(src: &str, sc: &Scan, urls: impl IntoIterator<Item = &'u str>) -> Mentions {
        let mut urls: Vec<&str> = urls.into_iter().filter(|u| !u.is_empty()).collect();
        urls.sort_unstable();
        urls.dedup();
        let mut at: HashMap<String, Vec<usize>> = HashMap::new();
        if urls.is_empty() {
            return Mentions { at };
        }
        let mut keep = |url: &str, pos: usize| {
            if !sc.in_opaque(pos) {
                at.entry(url.to_string()).or_default().push(pos);
            }
        };
        // overlapping: one URL may begin another (`/a` and `/a/b` at the same place); a
        // pattern's own matches come in text order
        match aho_corasick::AhoCorasick::new(&urls) {
            Ok(ac) => {
                for m in ac.find_overlapping_iter(src) {
                    keep(urls[m.pattern().as_usize()], m.start());
                }
            }
            // patterns too many or too long for the automaton: one search each
            Err(_) => {
                for url in &urls {
                    for (pos, _) in src.match_indices(url) {
                        keep(url, pos);
                    }
                }
            }
        }
        Mentions { at }
    }
    /// The byte offset of the first mention of `url`, if it was one of the URLs looked for.
    pub fn first(&self, url: &str) -> Option<usize> {
        self.all(url).first().copied()
    }
    /// Every mention of `url`, in text order.
    fn all(&self, url: &str) -> &[usize] {
        self.at.get(url).map_or(&[], Vec::as_slice)
    }
}

/// `src` with `edits` applied (sorted, not overlapping, as [`rescue`] returns them).
pub fn apply(src: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(src.len() + edits.len() * 120);
    let mut pos = 0;
    for e in edits {
        out.push_str(&src[pos..e.start]);
        out.push_str(&e.text);
        pos = e.end;
    }
    out.push_str(&src[pos..]);
    out
}

/// (year, month, day) of an ISO date or date-time, checked to be a real day.
pub fn civil_date(iso: &str) -> Option<(i32, u32, u32)> {
    let y = iso.get(..4)?.parse::<i32>().ok()?;
    let m = iso.get(5..7)?.parse::<u32>().ok()?;
    let d = iso.get(8..10)?.parse::<u32>().ok()?;
    let days = days_from_civil(y as i64, m, d);
    (crate::time::civil_from_days(days) == (y as i64, m, d)).then_some((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rescue_of(url: &str) -> Rescue {
        Rescue {
            url: url.into(),
            archive_url: format!("https://web.archive.org/web/20190301000000/{url}"),
            archived: (2019, 3, 1),
        }
    }

    fn patched(src: &str, url: &str) -> String {
        let r = rescue(src, &[rescue_of(url)]);
        assert!(r.not_found.is_empty(), "{:?}", r.not_found);
        apply(src, &r.edits)
    }

    #[test]
    fn cite_template_on_one_line_gets_three_arguments() {
        let src = "A.<ref>{{cite web |url=http://a.example/x |title=X |access-date=2 March 2015}}</ref> B.";
        assert_eq!(
            patched(src, "http://a.example/x"),
            "A.<ref>{{cite web |url=http://a.example/x |title=X |access-date=2 March 2015 |archive-url=https://web.archive.org/web/20190301000000/http://a.example/x |archive-date=1 March 2019 |url-status=dead}}</ref> B."
        );
    }

    #[test]
    fn cite_template_one_argument_per_line_keeps_its_layout() {
        let src = "<ref>{{Cite news\n | url         = http://a.example/x\n | title       = X\n | access-date = 2015-03-02\n}}</ref>";
        assert_eq!(
            patched(src, "http://a.example/x"),
            "<ref>{{Cite news\n | url         = http://a.example/x\n | title       = X\n | access-date = 2015-03-02\n | archive-url = https://web.archive.org/web/20190301000000/http://a.example/x\n | archive-date = 2019-03-01\n | url-status = dead\n}}</ref>"
        );
    }

    #[test]
    fn existing_archive_is_kept_and_marked_dead() {
        let a = "https://web.archive.org/web/20190301000000/http://a.example/x";
        let src = format!("<ref>{{{{cite web|url=http://a.example/x|archive-url={a}|archive-date=2019-03-01|url-status=live}}}}</ref>");
        assert_eq!(
            patched(&src, "http://a.example/x"),
            src.replace("url-status=live", "url-status=dead")
        );
        // an empty archive-url is filled in
        let src = "<ref>{{cite web|url=http://a.example/x|archive-url=|title=T}}</ref>";
        assert_eq!(
            patched(src, "http://a.example/x"),
            format!("<ref>{{{{cite web|url=http://a.example/x|archive-url={a}|title=T|archive-date=2019-03-01|url-status=dead}}}}</ref>")
        );
    }

    #[test]
    fn bare_links_in_refs_get_a_webarchive() {
        let src = "{{Use dmy dates|date=May 2020}}\nA.<ref>[http://a.example/x The page], 2015.</ref> B.<ref>http://a.example/x</ref>\n[http://a.example/x not a ref]";
        let out = patched(src, "http://a.example/x");
        assert_eq!(
            out,
            "{{Use dmy dates|date=May 2020}}\nA.<ref>[http://a.example/x The page] {{Webarchive |url=https://web.archive.org/web/20190301000000/http://a.example/x |date=1 March 2019}}, 2015.</ref> B.<ref>http://a.example/x {{Webarchive |url=https://web.archive.org/web/20190301000000/http://a.example/x |date=1 March 2019}}</ref>\n[http://a.example/x not a ref]"
        );
        // once rescued, nothing more
        assert_eq!(patched(&out, "http://a.example/x"), out);
    }

    #[test]
    fn many_rescues_at_once_and_links_after_nested_templates() {
        // x sits in an outer template whose inner one closed before it: not a bare-link site;
        // y follows a closed template inside its ref: a site; z's cite template gets arguments
        let src = "A.<ref>{{efn|{{small|x}} [http://a.example/x A]}}</ref> B.<ref>{{small|y}} [http://a.example/y B]</ref> C.<ref>{{cite web|url=http://a.example/z|title=Z}}</ref>";
        let rescues: Vec<Rescue> = [
            "http://a.example/x",
            "http://a.example/y",
            "http://a.example/z",
        ]
        .into_iter()
        .map(rescue_of)
        .collect();
        let r = rescue(src, &rescues);
        assert_eq!(r.not_found, vec!["http://a.example/x".to_string()]);
        let out = apply(src, &r.edits);
        assert!(out.contains("[http://a.example/y B] {{Webarchive |url=https://web.archive.org/web/20190301000000/http://a.example/y |date="), "{out}");
        assert!(
            out.contains(
                "|archive-url=https://web.archive.org/web/20190301000000/http://a.example/z"
            ),
            "{out}"
        );
        assert!(out.contains("[http://a.example/x A]}}</ref>"), "{out}");
    }

    #[test]
    fn comments_nowiki_and_longer_urls_are_not_sites() {
        let src = "<!-- <ref>{{cite web|url=http://a.example/x}}</ref> --><nowiki>http://a.example/x</nowiki><ref>http://a.example/xyz</ref>";
        let r = rescue(src, &[rescue_of("http://a.example/x")]);
        assert!(r.edits.is_empty(), "{:?}", r.edits);
        assert_eq!(r.not_found, vec!["http://a.example/x".to_string()]);
    }

    #[test]
    fn pipes_in_links_and_nested_templates_are_not_arguments() {
        let src = "<ref>{{cite web|url=http://a.example/x|title=[[A|B]] {{lang|fr|C}}|accessdate=March 2, 2015}}</ref>";
        assert_eq!(
            patched(src, "http://a.example/x"),
            "<ref>{{cite web|url=http://a.example/x|title=[[A|B]] {{lang|fr|C}}|accessdate=March 2, 2015|archive-url=https://web.archive.org/web/20190301000000/http://a.example/x|archive-date=March 1, 2019|url-status=dead}}</ref>"
        );
    }

    #[test]
    fn the_line_of_a_reference() {
        let src = "<!-- http://a.example/x -->\nText.<ref>http://a.example/x</ref>";
        let urls = ["http://a.example/x", "http://b.example/", ""];
        let mentions = Mentions::find(src, urls);
        assert_eq!(mentions.first("http://a.example/x"), Some(38));
        assert_eq!(mentions.first("http://b.example/"), None);
        assert_eq!(mentions.first(""), None);
        let opaque = "a <nowiki>x</nowiki> b <!-- x --> c <pre>x</pre> x";
        assert_eq!(
            Mentions::find(opaque, ["x"]).first("x"),
            Some(opaque.len() - 1)
        );
        // one URL the start of another, both at the same place, and a later mention
        let nested = "See https://a.example/p/q and https://a.example/p.";
        let m = Mentions::find(nested, ["https://a.example/p", "https://a.example/p/q"]);
        assert_eq!(m.first("https://a.example/p"), Some(4));
        assert_eq!(m.first("https://a.example/p/q"), Some(4));
        assert_eq!(civil_date("2019-03-01T00:00:00Z"), Some((2019, 3, 1)));
        assert_eq!(civil_date("2019-02-30"), None);
    }
}
