fn main() {
    let p = std::env::args().nth(1).unwrap();
    let a = ibid::article::read_file(&p, None).unwrap();
    let markers: usize = a.claims.iter().map(|c| c.citations.len()).sum();
    println!("{}: format {:?} claims {} markers {} references {} with-url {} findings {}", p, a.format, a.claims.len(), markers, a.references.len(), a.references.iter().filter(|r| !r.urls.is_empty() || !r.archive_urls.is_empty()).count(), a.findings.len());
    if std::env::args().nth(2).is_some() { for c in &a.claims { println!("{}:{} {:?} {:?}", c.line, c.column, c.text, c.citations); } for r in &a.references { println!("REF {} {:?} {:?} {:?}", r.label, r.title, r.urls, r.archive_urls);} for f in &a.findings { println!("{:?}", f);} }
}
