//! Text utilities shared by the stages that read prose: sentence splitting and the
//! normalisation used to compare an article's words with a source's.

pub mod dates;
pub mod normalize;
pub mod sentences;
pub mod tokens;

/// Line index for turning byte offsets into 1-based line and column (columns count characters).
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before each block of `BLOCK` bytes, so a column on a very long line is
    /// counted from the nearest block, not from the line's start (a 1 MB one-line page with
    /// thousands of claims would otherwise cost quadratic time).
    chars_before: std::cell::OnceCell<Vec<usize>>,
}

const BLOCK: usize = 256;

/// Characters in a byte range of UTF-8 text (which need not start or end on a boundary): the
/// bytes that are not continuation bytes.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl LineIndex {
    /// Index the line starts of `src`; pass the same `src` to [`LineIndex::locate`].
    pub fn new(src: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            starts,
            chars_before: std::cell::OnceCell::new(),
        }
    }
    /// Characters in `src[..offset]`. The block counts are made on the first column asked
    /// on a long line.
    fn chars_to(&self, src: &str, offset: usize) -> usize {
        let counts = self.chars_before.get_or_init(|| {
            let mut counts = Vec::with_capacity(src.len() / BLOCK + 1);
            let mut total = 0;
            for block in src.as_bytes().chunks(BLOCK) {
                counts.push(total);
                total += count_chars(block);
            }
            counts
        });
        let block = offset / BLOCK;
        let base = counts.get(block).copied().unwrap_or(0);
        base + count_chars(&src.as_bytes()[(block * BLOCK).min(offset)..offset])
    }
    /// 1-based (line, column) of byte `offset` in `src`.
    pub fn locate(&self, src: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(src.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let mut col_end = offset;
        while !src.is_char_boundary(col_end) {
            col_end -= 1;
        }
        let column = if col_end - start < BLOCK {
            src[start..col_end].chars().count()
        } else {
            self.chars_to(src, col_end) - self.chars_to(src, start)
        };
        (line, column + 1)
    }
}

/// Characters that reorder or hide text on screen (bidirectional overrides and isolates, marks):
/// shown escaped so a URL or quote cannot display as something else ("Trojan Source").
fn is_format_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Does `s` hold a format control? Each is written with lead byte 0xD8 or 0xE2, so only the
/// characters at those bytes are decoded.
fn has_format_control(s: &str) -> bool {
    memchr::memchr2_iter(0xd8, 0xe2, s.as_bytes())
        .any(|i| s[i..].chars().next().is_some_and(is_format_control))
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
    }
}

/// Text from input for one line of output: every control character (newline included) and
/// every bidi control shown escaped (`\n`, `\u{202e}`), so no input can start a line of its own
/// (a CI runner reads `::error` at a line start as a command) or drive a terminal.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || is_format_control(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`one_line`] but keeps newlines and tabs, for text shown as several lines; a caller
/// that prints it indents every line, so no line starts with input.
pub fn strip_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if (c.is_control() && c != '\n' && c != '\t') || is_format_control(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Output for a terminal or a CI log made safe line by line, the last guard before anything is
/// written: a line whose text (after leading blanks) begins with `::` gets a backslash before
/// it, and `##[` anywhere becomes `##\[`. GitHub Actions reads `::command::` at the start of a
/// line (after trimming blanks) and the legacy `##[command]` anywhere in a line; ibid's own
/// annotations (`--format github`, `keep_commands`) are the only commands it prints.
pub fn ci_safe(s: &str, keep_commands: bool) -> std::borrow::Cow<'_, str> {
    let risky_start = |l: &str| !keep_commands && l.trim_start().starts_with("::");
    if !s.contains("##[") && !s.split('\n').any(risky_start) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if risky_start(line) {
            let blanks = line.len() - line.trim_start().len();
            out.push_str(&line[..blanks]);
            out.push('\\');
            out.push_str(&line[blanks..].replace("##[", "##\\["));
        } else {
            out.push_str(&line.replace("##[", "##\\["));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`ci_safe`] for JSON text: `##[` can only stand inside a string there, where `[` may be
/// written `\u005b` with the same meaning, so the document is unchanged for a JSON reader.
/// Bidi controls, which JSON writers leave as they are, are written `\u202e` too: they can
/// only stand inside strings, so the data is the same and a log shows them escaped.
pub fn ci_safe_json(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains("##[") && !has_format_control(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.replace("##[", "##\\u005b").chars() {
        if is_format_control(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_line_can_be_read_as_a_workflow_command() {
        let out = ci_safe("ok\n  ::error file=a::x\nsee ##[warning]y\n::", false);
        for line in out.lines() {
            assert!(!line.trim_start().starts_with("::"), "{line}");
            assert!(!line.contains("##["), "{line}");
        }
        assert_eq!(out, "ok\n  \\::error file=a::x\nsee ##\\[warning]y\n\\::");
        assert_eq!(ci_safe("::error::ours", true), "::error::ours");
        for c in [
            '\u{061c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}',
        ] {
            assert!(
                has_format_control(&format!("\u{201c}q\u{201d} \u{627}{c}x")),
                "{c:?}"
            );
        }
        assert!(!has_format_control(
            "\u{201c}quoted\u{201d} \u{2014} \u{627}\u{2070}"
        ));
        let json = "{\"m\":\"##[error]x\u{202e}\"}";
        let safe = ci_safe_json(json);
        assert!(
            !safe.contains("##[") && !safe.contains('\u{202e}'),
            "{safe}"
        );
        let v: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(v["m"], "##[error]x\u{202e}");
    }

    #[test]
    fn input_never_starts_a_line_or_reorders_text() {
        let url = "http://x.example/a\n::error file=a.md::pwned\u{202e}txt.exe";
        let shown = one_line(url);
        assert!(
            !shown.contains('\n') && !shown.contains('\u{202e}'),
            "{shown}"
        );
        assert!(
            shown.contains("\\n::error") && shown.contains("\\u{202e}"),
            "{shown}"
        );
        let kept = strip_controls("line one\nline two\u{1b}[31m\u{2066}");
        assert_eq!(kept, "line one\nline two\\u{001b}[31m\\u{2066}");
    }

    #[test]
    fn columns_count_characters_on_long_lines() {
        let src = format!("ab\n{}x", "\u{e9}".repeat(10_000));
        let idx = LineIndex::new(&src);
        assert_eq!(idx.locate(&src, 1), (1, 2));
        let x = src.len() - 1;
        assert_eq!(idx.locate(&src, x), (2, 10_001));
        assert_eq!(idx.locate(&src, 3 + 2 * 5000), (2, 5001));
    }
}
