//! Text utilities shared by the stages that read prose: sentence splitting and the
//! normalisation used to compare an article's words with a source's.

pub mod dates;
pub mod normalize;
pub mod sentences;
pub mod tokens;

/// Line index for turning byte offsets into 1-based line and column (columns count characters).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(src: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
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
        (line, src[start..col_end].chars().count() + 1)
    }
}

/// Replace control characters (except newline and tab) so hostile text cannot drive a terminal.
pub fn strip_controls(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}
