//! Resource bounds on hostile inputs, in release mode: time and peak memory for each case.
//! usage: cargo run --release --example limits [CASE...]
//! cases: article-200mb html-50mb-nested wikitext-deep wikitext-unclosed-cite
//! wikitext-unclosed-ref wikitext-unclosed-other pdf-loop claim-100k-words
use std::time::Instant;

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// A PDF whose page tree points back at itself.
pub fn looping_pdf() -> Vec<u8> {
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        "<< /Length 4 0 R >>\nstream\nBT ET\nendstream",
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offs = vec![];
    for (i, o) in objs.iter().enumerate() {
        offs.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{}\nendobj\n", i + 1, o).as_bytes());
    }
    let x = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offs {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Read `unit` repeated to `bytes` as wikitext; the time and what came out.
fn read_wikitext(unit: &str, bytes: usize) -> String {
    let src = unit.repeat(bytes / unit.len());
    let t = Instant::now();
    let a = ibid::article::read_str("hostile.wiki", &src, None);
    format!(
        "{} KB of {unit:?}: {:.3} s, {} claims, {} findings",
        src.len() / 1024,
        t.elapsed().as_secs_f64(),
        a.claims.len(),
        a.findings.len()
    )
}

fn main() {
    let all = [
        "article-200mb",
        "html-50mb-nested",
        "wikitext-deep",
        "wikitext-unclosed-cite",
        "wikitext-unclosed-ref",
        "wikitext-unclosed-other",
        "pdf-loop",
        "claim-100k-words",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cases: Vec<&str> = if args.is_empty() {
        all.to_vec()
    } else {
        args.iter().map(|s| s.as_str()).collect()
    };
    for case in cases {
        let t = Instant::now();
        let outcome = match case {
            "article-200mb" => {
                let para = "The congress met in Moscow and heard a long report on the past.[^1] Delegates listened in silence, and nobody asked a question.\n\n";
                let src = para.repeat(200_000_000 / para.len()) + "[^1]: https://example.org/x\n";
                let a = ibid::article::read_str("big.md", &src, None);
                format!("{} MB, {} claims", src.len() / 1_000_000, a.claims.len())
            }
            "html-50mb-nested" => {
                let mut src = String::with_capacity(52_000_000);
                src.push_str("<html><body>");
                for _ in 0..1_000_000 {
                    src.push_str("<div><span>");
                }
                src.push_str("<p>deep text</p>");
                while src.len() < 50_000_000 {
                    src.push_str("<p>The closed session heard the report in silence.</p>");
                }
                let st = ibid::extract::from_html(&src);
                format!(
                    "{} MB, {} chars of main text",
                    src.len() / 1_000_000,
                    st.text.len()
                )
            }
            "wikitext-deep" => {
                let src = "{{a|".repeat(10_000)
                    + &"}}".repeat(10_000)
                    + "After the template.<ref>x</ref>\n";
                let a = ibid::article::read_str("deep.wiki", &src, None);
                format!(
                    "10,000 nested templates; {} claims, {} findings",
                    a.claims.len(),
                    a.findings.len()
                )
            }
            // each unclosed construct once made the reader scan to the end of the file
            "wikitext-unclosed-cite" => {
                read_wikitext("{{cite web|url=https://example.org/a ", 640 * 1024)
            }
            "wikitext-unclosed-ref" => read_wikitext("Text.<ref name=a>", 640 * 1024),
            "wikitext-unclosed-other" => {
                let mut out = Vec::new();
                for unit in [
                    "<math>x ",
                    "[[a ",
                    "x [http://example.org ",
                    "<b x=",
                    "<!--x ",
                ] {
                    out.push(read_wikitext(unit, 640 * 1024));
                }
                let cells = format!("{{|\n|{}\n|}}\n", "a||".repeat(640 * 1024 / 3));
                let t = Instant::now();
                let a = ibid::article::read_str("cells.wiki", &cells, None);
                out.push(format!(
                    "one table row of 218,453 cells: {:.3} s, {} claims",
                    t.elapsed().as_secs_f64(),
                    a.claims.len()
                ));
                out.join("; ")
            }
            "pdf-loop" => {
                let r = ibid::extract::extract(&looping_pdf(), &[], "loop.pdf");
                format!("{:?}", r.map(|s| s.text.len()))
            }
            "claim-100k-words" => {
                use ibid::verify::Judge;
                let claim = "The delegates heard the report in silence ".repeat(100_000 / 7);
                let src = "The delegates heard the report in silence.\n".repeat(1000);
                let a = ibid::verify::Rules::default()
                    .assess(&claim, &[ibid::verify::SourceDoc::new("s", &src)]);
                format!("verdict {:?}, score {}", a.verdict, a.score)
            }
            other => format!("unknown case {other}"),
        };
        println!(
            "{case}: {:.2} s, peak RSS so far {:.0} MiB: {outcome}",
            t.elapsed().as_secs_f64(),
            peak_rss_mb()
        );
    }
}
