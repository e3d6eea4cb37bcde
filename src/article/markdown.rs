//! Markdown (CommonMark with `[^id]` footnotes) via pulldown-cmark's offset iterator.

use super::{add_url, bare_urls, order_references, Flat, Parsed, Problem, Reference};
use crate::findings::Code;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};

pub(crate) fn read(src: &str) -> Parsed {
    let opts = Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut flat = Flat::default();
    let mut refs: HashMap<String, Reference> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    // labels already in `order`: a set, as articles with thousands of footnotes exist
    let mut in_order: HashSet<String> = HashSet::new();
    let mut defined: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    // inside a footnote definition: its label, text and start offset
    let mut def: Option<(String, Reference, usize)> = None;
    let mut skip_depth = 0usize; // code blocks, images, html blocks
    let mut link_text = String::new();
    let mut link_dest: Option<String> = None;
    // an undefined `[^x]` comes through as the texts "[", "^x", "]": skip to here
    let mut skip_until = 0usize;

    for (ev, range) in Parser::new_ext(src, opts).into_offset_iter() {
        match ev {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let label = label.to_string();
                def = Some((
                    label.clone(),
                    Reference {
                        label,
                        ..Default::default()
                    },
                    range.start,
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, mut r, start)) = def.take() {
                    r.text = r.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    for u in bare_urls(&r.text) {
                        add_url(&mut r, &u);
                    }
                    if r.quote.is_none() {
                        r.quote = quoted(&r.text);
                    }
                    if let Some(prev) = refs.get(&label) {
                        if prev.text != r.text {
                            problems.push(Problem { code: Code::ReferenceDuplicate, message: format!("footnote [^{label}] is defined twice; the first definition is used"), offset: start });
                        }
                    } else {
                        defined.push(label.clone());
                        refs.insert(label, r);
                    }
                }
            }
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                if def.is_none() {
                    if in_order.insert(label.clone()) {
                        order.push(label.clone());
                    }
                    flat.marker(label);
                }
            }
            Event::Start(Tag::CodeBlock(_))
            | Event::Start(Tag::Image { .. })
            | Event::Start(Tag::HtmlBlock)
            | Event::Start(Tag::MetadataBlock(_)) => skip_depth += 1,
            Event::End(TagEnd::CodeBlock)
            | Event::End(TagEnd::Image)
            | Event::End(TagEnd::HtmlBlock)
            | Event::End(TagEnd::MetadataBlock(_)) => skip_depth = skip_depth.saturating_sub(1),
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                link_dest = Some(dest_url.to_string());
                link_text.clear();
                if let Some((_, r, _)) = def.as_mut() {
                    if !title.is_empty() && r.title.is_none() {
                        r.title = Some(title.to_string());
                    }
                }
            }
            Event::End(TagEnd::Link) => {
                if let (Some((_, r, _)), Some(dest)) = (def.as_mut(), link_dest.take()) {
                    if dest.starts_with("http://") || dest.starts_with("https://") {
                        add_url(r, &dest);
                        let t = link_text.trim();
                        if r.title.is_none() && !t.is_empty() && t != dest && !t.starts_with("http")
                        {
                            r.title =
                                Some(t.trim_matches(['"', '\u{201c}', '\u{201d}']).to_string());
                        }
                    }
                }
                link_dest = None;
            }
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Table(_)
                | Tag::TableRow
                | Tag::TableHead,
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::TableRow
                | TagEnd::TableHead,
            )
            | Event::Rule => {
                if let Some((_, r, _)) = def.as_mut() {
                    r.text.push(' ');
                } else if skip_depth == 0 {
                    flat.block();
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if skip_depth > 0 || range.start < skip_until {
                    continue;
                }
                if def.is_none() && &*t == "[" && src[range.start..].starts_with("[^") {
                    let rest = &src[range.start + 2..];
                    if let Some(close) = rest
                        .find(']')
                        .filter(|&c| c > 0 && c < 64 && !rest[..c].contains(char::is_whitespace))
                    {
                        let label = rest[..close].to_string();
                        if in_order.insert(label.clone()) {
                            order.push(label.clone());
                        }
                        flat.marker(label);
                        skip_until = range.start + 2 + close + 1;
                        continue;
                    }
                }
                if let Some((_, r, _)) = def.as_mut() {
                    r.text.push_str(&t);
                    if link_dest.is_some() {
                        link_text.push_str(&t);
                    }
                } else {
                    let raw = src.get(range.clone()).unwrap_or("");
                    flat.push(&t, raw, range.start);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, r, _)) = def.as_mut() {
                    r.text.push(' ');
                } else {
                    flat.space();
                }
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                if let Some((_, r, _)) = def.as_mut() {
                    for u in bare_urls(&h) {
                        add_url(r, &u);
                    }
                }
            }
            _ => {}
        }
    }
    Parsed {
        flat,
        references: order_references(refs, &order, &defined),
        problems,
    }
}

/// The first passage in double quotes of a footnote, when the footnote quotes its source.
fn quoted(text: &str) -> Option<String> {
    for (open, close) in [('\u{201c}', '\u{201d}'), ('"', '"')] {
        if let Some(s) = text.find(open) {
            let rest = &text[s + open.len_utf8()..];
            if let Some(e) = rest.find(close) {
                let q = &rest[..e];
                if q.split_whitespace().count() >= 4 {
                    return Some(q.to_string());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::article::{read_str, Format};
    use crate::findings::Code;

    const DOC: &str = "# The speech\n\nKhrushchev spoke on 25 February 1956.[^a] The session was closed,[^b] and no record was kept.[^c][^a]\n\n- A list item claim.[^b]\n\n| Year | Event |\n|---|---|\n| 1989 | Text published.[^c] |\n\n[^a]: Smith, [\"The Speech\"](https://example.org/a), 2001.\n[^b]: <https://example.org/b>\n[^c]: Archive: https://web.archive.org/web/2001/https://example.org/c\n[^a]: Defined again differently.\n";

    #[test]
    fn claims_clauses_and_multiple_markers() {
        let a = read_str("doc.md", DOC, None);
        assert_eq!(a.format, Format::Markdown);
        let texts: Vec<(&str, Vec<&str>)> = a
            .claims
            .iter()
            .map(|c| {
                (
                    c.text.as_str(),
                    c.citations.iter().map(|s| s.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                ("Khrushchev spoke on 25 February 1956.", vec!["a"]),
                ("The session was closed,", vec!["b"]),
                ("and no record was kept.", vec!["c", "a"]),
                ("A list item claim.", vec!["b"]),
                ("Text published.", vec!["c"]),
            ]
        );
        let c = &a.claims[0];
        assert_eq!((c.location.line, c.location.column), (3, 1));
        assert_eq!(
            &DOC[c.location.start..c.location.end],
            "Khrushchev spoke on 25 February 1956."
        );
        let c = &a.claims[2];
        assert_eq!(
            &DOC[c.location.start..c.location.end],
            "and no record was kept."
        );
    }

    #[test]
    fn references_with_urls_titles_archives_and_duplicates() {
        let a = read_str("doc.md", DOC, None);
        let r: Vec<_> = a.references.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(r, vec!["a", "b", "c"]);
        assert_eq!(a.references[0].urls, vec!["https://example.org/a"]);
        assert_eq!(a.references[0].title.as_deref(), Some("The Speech"));
        assert_eq!(a.references[1].urls, vec!["https://example.org/b"]);
        assert!(a.references[2].urls.is_empty());
        assert_eq!(a.references[2].archive_urls.len(), 1);
        assert!(
            a.findings
                .iter()
                .any(|f| f.code == Code::ReferenceDuplicate
                    && f.location.as_ref().unwrap().line == 14)
        );
    }

    #[test]
    fn a_claim_cites_each_footnote_once_in_the_order_first_met() {
        let defs = "\n\n[^a]: https://example.org/a\n[^b]: https://example.org/b\n[^c]: https://example.org/c\n";
        for (text, want) in [
            // markers in one place
            ("First claim.[^b][^a][^b][^a]", vec!["b", "a"]),
            // markers after the claim's own, in another place, cite it too
            ("First claim.[^b] [^a][^b] [^c][^a]", vec!["b", "a", "c"]),
        ] {
            let a = read_str("d.md", &format!("{text}{defs}"), None);
            assert_eq!(a.claims.len(), 1, "{text}");
            assert_eq!(a.claims[0].citations, want, "{text}");
        }
    }

    #[test]
    fn undefined_and_unused() {
        let a = read_str(
            "d.md",
            "One claim.[^x]\n\n[^y]: https://example.org/y\n",
            None,
        );
        let f: Vec<_> = a.citation_findings(&Default::default()).all().collect();
        assert!(f
            .iter()
            .any(|f| f.code == Code::SourceUnused && f.source_id.as_deref() == Some("y")));
        assert!(f
            .iter()
            .any(|f| f.code == Code::CitationUndefined && f.source_id.as_deref() == Some("x")));
        assert_eq!(a.claims[0].text, "One claim.");
    }
}
