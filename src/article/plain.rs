//! Plain text with `[n]` markers. Paragraphs are separated by blank lines; a trailing
//! "References" (or "Notes", "Sources") section of `[n] ...` or `n. ...` lines defines references,
//! otherwise sources.toml does.

use super::{add_url, bare_urls, Flat, Parsed, Reference};

const REF_HEADINGS: &[&str] = &[
    "references",
    "notes",
    "sources",
    "footnotes",
    "citations",
    "bibliography",
];

/// A marker at `s[i..]`: `[12]`, `[a]`, `[note 3]`; returns (label, length).
fn marker_at(s: &str, i: usize) -> Option<(String, usize)> {
    let rest = &s[i..];
    if !rest.starts_with('[') {
        return None;
    }
    // the label is short: look for ']' in the first 16 bytes, on a char boundary
    let close = rest
        .char_indices()
        .take_while(|&(i, _)| i < 16)
        .find(|&(_, c)| c == ']')
        .map(|(i, _)| i)?;
    let inner = &rest[1..close];
    let ok = (!inner.is_empty() && inner.len() <= 4 && inner.bytes().all(|b| b.is_ascii_digit()))
        || (inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_lowercase()))
        || inner
            .strip_prefix("note ")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric()));
    ok.then(|| (inner.to_string(), close + 1))
}

pub(crate) fn read(src: &str) -> Parsed {
    let mut flat = Flat::default();
    let mut references: Vec<Reference> = Vec::new();
    let mut in_refs = false;
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim();
        if trimmed.is_empty() {
            flat.block();
            continue;
        }
        let heading = trimmed.trim_end_matches(':').to_ascii_lowercase();
        if REF_HEADINGS.contains(&heading.as_str()) {
            in_refs = true;
            flat.block();
            continue;
        }
        if in_refs {
            // "[1] text", "1. text", "^ text"
            let lead = body.len() - body.trim_start().len();
            let (label, rest) = if let Some((l, n)) = marker_at(trimmed, 0) {
                (Some(l), &trimmed[n..])
            } else if let Some(dot) = trimmed
                .find(". ")
                .filter(|&d| d > 0 && d <= 4 && trimmed[..d].bytes().all(|b| b.is_ascii_digit()))
            {
                (Some(trimmed[..dot].to_string()), &trimmed[dot + 2..])
            } else {
                (None, trimmed)
            };
            let _ = lead;
            match label {
                Some(l) => {
                    let mut r = Reference {
                        label: l,
                        text: rest.trim().to_string(),
                        ..Default::default()
                    };
                    for u in bare_urls(rest) {
                        add_url(&mut r, &u);
                    }
                    references.push(r);
                }
                None => {
                    if let Some(r) = references.last_mut() {
                        r.text.push(' ');
                        r.text.push_str(trimmed);
                        for u in bare_urls(trimmed) {
                            add_url(r, &u);
                        }
                    }
                }
            }
            continue;
        }
        // prose line: copy text, turning markers into marker records
        let mut i = 0;
        let mut run = 0;
        let bytes = body.as_bytes();
        while i < body.len() {
            if bytes[i] == b'[' {
                if let Some((label, n)) = marker_at(body, i) {
                    flat.verbatim(&body[run..i], start + run);
                    flat.marker(label);
                    i += n;
                    run = i;
                    continue;
                }
            }
            i += 1;
        }
        flat.verbatim(&body[run..], start + run);
        flat.space();
    }
    Parsed {
        flat,
        references,
        problems: vec![],
    }
}

#[cfg(test)]
mod tests {
    use crate::article::{read_str, Format};

    #[test]
    fn markers_and_reference_section() {
        let src = "Title line\n\nThe speech was made on 25 February 1956.[1] It was shocking.[2][3]\nIt went on for four hours, [4] a long time.\n\nReferences\n[1] Smith, https://example.org/1\n2. Jones https://example.org/2\n";
        let a = read_str("s.txt", src, Some(Format::Plain));
        let c: Vec<_> = a
            .claims
            .iter()
            .map(|c| (c.text.as_str(), c.citations.join(",")))
            .collect();
        assert_eq!(
            c,
            vec![
                ("The speech was made on 25 February 1956.", "1".into()),
                ("It was shocking.", "2,3".into()),
                ("It went on for four hours,", "4".into())
            ]
        );
        assert_eq!(a.claims[2].location.line, 4);
        assert_eq!(a.references.len(), 2);
        assert_eq!(a.references[1].urls, vec!["https://example.org/2"]);
    }

    #[test]
    fn multibyte_text_after_a_bracket() {
        // found by fuzzing: the marker scan cut a multi-byte character
        let src = "[Y;N\u{a5}.)N\u{a5}#[\u{724}\u{5a4} ";
        let _ = read_str("f.txt", src, Some(Format::Plain));
    }

    #[test]
    fn brackets_that_are_not_markers() {
        let a = read_str(
            "s.txt",
            "He said [sic] it twice [and more].[12]\n",
            Some(Format::Plain),
        );
        assert_eq!(a.claims[0].text, "He said [sic] it twice [and more].");
    }
}
