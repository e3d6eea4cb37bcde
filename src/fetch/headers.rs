//! Header fields as received and stored: in order, names compared without case (RFC 9110 for
//! HTTP, the WARC standard for WARC headers).

/// Header fields in order, as received.
pub type Headers = Vec<(String, String)>;

/// The first value of field `name`, whatever the case of its name.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_compare_without_case() {
        let h = vec![("Content-Type".to_string(), "text/html".to_string())];
        assert_eq!(super::header(&h, "content-type"), Some("text/html"));
        assert_eq!(super::header(&h, "Location"), None);
    }
}
