//! `ibid init`: write or update sources.toml from an article's references, keeping what the user
//! wrote (comments, order, edited values) intact.

use crate::article::Article;
use std::collections::HashSet;
use toml_edit::{value, Array, ArrayOfTables, DocumentMut, Item, Table};

/// Why `init` cannot update a sources.toml.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The text is not TOML.
    #[error(transparent)]
    Toml(#[from] toml_edit::TomlError),
    /// The file is TOML, but `articles` or `source` has a form init cannot add to.
    #[error("{0}")]
    Shape(&'static str),
}

/// Merge `article`'s references into the sources.toml text `existing` (empty for a new file).
/// Sources already listed keep their values; new ones are appended. Returns the new text (with
/// the file's byte-order mark and line endings kept) and the number of sources added.
pub fn init(existing: &str, article: &Article) -> Result<(String, usize), InitError> {
    let (text, added) = merge(existing, article)?;
    Ok((keep_file_style(existing, text), added))
}

/// A Windows file stays a Windows file: CRLF line endings and a byte-order mark, if the user's
/// file had them, are written back (the TOML editor writes LF and drops the mark).
fn keep_file_style(existing: &str, mut text: String) -> String {
    if existing.contains("\r\n") {
        text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    if existing.starts_with('\u{feff}') && !text.starts_with('\u{feff}') {
        text.insert(0, '\u{feff}');
    }
    text
}

fn merge(existing: &str, article: &Article) -> Result<(String, usize), InitError> {
    let mut doc: DocumentMut = if existing.trim().is_empty() {
        "# ibid: which articles to check and what their footnotes cite.\n# Each [[source]] overrides what the article's own reference list says.\n".parse()?
    } else {
        existing.parse()?
    };
    // articles
    let arts = doc
        .entry("articles")
        .or_insert(Item::Value(Array::new().into()));
    let arr = arts.as_array_mut().ok_or(InitError::Shape(
        "`articles` is not a list of paths (articles = [\"a.md\"]): init cannot add to it",
    ))?;
    if !arr.iter().any(|v| v.as_str() == Some(&article.article)) {
        arr.push(article.article.as_str());
    }
    if !doc.contains_key("source") {
        doc.insert("source", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    // sources written as an inline array (source = [{ id = "a" }]) were left as they were and
    // the new ones dropped in silence: said instead
    let tables = doc
        .get_mut("source")
        .and_then(|s| s.as_array_of_tables_mut())
        .ok_or(InitError::Shape(
            "`source` is not written as [[source]] tables (an inline array?): init adds \
             [[source]] tables, so rewrite the sources in that form first",
        ))?;
    let mut added = 0;
    // sets, not lists: a search of each per reference made init quadratic (16,000 footnotes
    // took 8.8 s)
    let cited: HashSet<&str> = article
        .claims
        .iter()
        .flat_map(|c| c.citations.iter().map(String::as_str))
        .collect();
    let mut listed: HashSet<String> = tables
        .iter()
        .filter_map(|t| t.get("id").and_then(|v| v.as_str()).map(str::to_string))
        .collect();
    for r in &article.references {
        if listed.contains(&r.label) || !cited.contains(r.label.as_str()) {
            continue;
        }
        listed.insert(r.label.clone());
        let mut t = Table::new();
        t["id"] = value(r.label.as_str());
        if let Some(u) = r.urls.first() {
            t["url"] = value(u.as_str());
        }
        if let Some(title) = &r.title {
            t["title"] = value(title.as_str());
        }
        if let Some(a) = r.archive_urls.first() {
            t["archive_url"] = value(a.as_str());
        }
        if let Some(a) = &r.accessed {
            t["accessed"] = value(a.as_str());
        }
        tables.push(t);
        added += 1;
    }
    Ok((doc.to_string(), added))
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_user_edits_and_comments() {
        let a = crate::article::read_str("a.md", "One.[^1] Two.[^2]\n\n[^1]: https://example.org/one\n[^2]: [Two](https://example.org/two)\n", None);
        let existing = "# my comment\narticles = [\"a.md\"]\n\n[[source]]\n# pinned by hand\nid = \"1\"\nurl = \"https://example.org/edited\"\n";
        let (out, added) = super::init(existing, &a).unwrap();
        assert_eq!(added, 1);
        assert!(out.contains("# my comment") && out.contains("# pinned by hand"));
        assert!(out.contains("https://example.org/edited") && !out.contains("example.org/one"));
        assert!(out.contains("title = \"Two\""));
        let cfg = crate::config::Config::parse("s.toml", &out).unwrap();
        assert_eq!(cfg.sources.len(), 2);
        assert_eq!(cfg.articles, vec!["a.md"]);
    }

    #[test]
    fn a_windows_file_keeps_its_line_endings_and_byte_order_mark() {
        let a =
            crate::article::read_str("a.md", "One.[^1]\n\n[^1]: https://example.org/one\n", None);
        let existing = "\u{feff}# mine\r\narticles = [\"a.md\"]\r\n";
        let (out, added) = super::init(existing, &a).unwrap();
        assert_eq!(added, 1);
        assert!(out.starts_with("\u{feff}# mine\r\n"), "{out:?}");
        assert!(
            !out.replace("\r\n", "").contains('\n'),
            "every line ends CRLF: {out:?}"
        );
    }

    #[test]
    fn sources_in_a_form_init_cannot_extend_are_an_error_not_a_silent_skip() {
        let a =
            crate::article::read_str("a.md", "One.[^1]\n\n[^1]: https://example.org/one\n", None);
        let inline =
            "articles = [\"a.md\"]\nsource = [ { id = \"x\", url = \"https://example.org/x\" } ]\n";
        let e = super::init(inline, &a).unwrap_err().to_string();
        assert!(e.contains("[[source]]"), "{e}");
        let e = super::init("articles = \"a.md\"\n", &a)
            .unwrap_err()
            .to_string();
        assert!(e.contains("`articles`"), "{e}");
    }
}
