//! Escaping for each output: nothing that came from an article or a source may change the
//! structure of a report, drive a terminal, or start a line that a CI runner reads as a
//! command.

/// Cut a text to `n` characters on a char boundary, with an ellipsis.
pub fn clip(s: &str, n: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() <= n {
        s
    } else {
        s.chars().take(n).collect::<String>() + "\u{2026}"
    }
}

/// Text for XML or HTML content or a quoted attribute: markup characters as entities, control
/// characters replaced, bidi controls and a `::` or `##[` command prefix as character references.
pub fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    // only blanks since the last newline: a `::` here would start a CI command in a log
    let mut line_start = false;
    while let Some(c) = chars.next() {
        let was_line_start = line_start;
        line_start = c == '\n' || (line_start && (c == ' ' || c == '\t'));
        match c {
            ':' if was_line_start && chars.peek() == Some(&':') => o.push_str("&#58;"),
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => o.push('\u{fffd}'),
            '\u{fffe}' | '\u{ffff}' => o.push('\u{fffd}'),
            // bidi controls and the legacy CI command prefix as character references: the same
            // text for an XML reader, but not for a log that shows the file
            '\u{061c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}' => o.push_str(&format!("&#x{:x};", c as u32)),
            '[' if o.ends_with("##") => o.push_str("&#91;"),
            c => o.push(c),
        }
    }
    o
}

/// Text for a Markdown table cell or line: one line, with Markdown, HTML and control characters
/// escaped so none takes effect.
pub fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => o.push_str("\\|"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '\n' | '\r' => o.push(' '),
            '`' | '*' | '_' | '[' | ']' => {
                o.push('\\');
                o.push(c);
            }
            c if c.is_control() || "\u{061c}\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}".contains(c) => {
                o.push_str(&crate::text::one_line(&c.to_string()))
            }
            c => o.push(c),
        }
    }
    o
}

/// Text for the message of a GitHub Actions workflow command: `%`, CR and LF percent-encoded, so
/// it stays one command.
pub fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a GitHub Actions workflow command (`file=`, `title=`): as [`gh_data`], and
/// `:` and `,` encoded too, since they end a property.
pub fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}
