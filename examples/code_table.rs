//! Print the finding codes as a Markdown table (kept in the README).
fn main() {
    print!("{}", ibid::report::code_table());
}
