//! PDF text via pdf-extract, on its own thread behind catch_unwind and a time limit: a hostile
//! or broken PDF becomes an error, never a crash or a hang of the run.

use std::sync::mpsc;
use std::time::Duration;

pub const PDF_TIME_LIMIT: Duration = Duration::from_secs(20);
/// PDFs larger than this are not parsed.
pub const PDF_MAX_BYTES: usize = 64 * 1024 * 1024;

pub fn text(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() > PDF_MAX_BYTES {
        return Err(format!(
            "PDF of {} bytes is over the {} byte limit",
            bytes.len(),
            PDF_MAX_BYTES
        ));
    }
    let data = bytes.to_vec();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("pdf-extract".into())
        .stack_size(64 * 1024 * 1024)
        .spawn(move || {
            let r = std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&data));
            let _ = tx.send(r);
        });
    if spawned.is_err() {
        return Err("could not start the PDF reader".into());
    }
    match rx.recv_timeout(PDF_TIME_LIMIT) {
        Ok(Ok(Ok(t))) => {
            if t.trim().is_empty() {
                Err("PDF has no extractable text (scanned image?)".into())
            } else {
                Ok(t)
            }
        }
        Ok(Ok(Err(e))) => Err(format!("broken PDF: {e}")),
        Ok(Err(_)) => Err("broken PDF: the reader failed on it".into()),
        Err(_) => Err(format!(
            "PDF took longer than {} s to read",
            PDF_TIME_LIMIT.as_secs()
        )),
    }
}

#[cfg(test)]
mod tests {
    /// A PDF whose page tree lists itself among its kids.
    fn looping_pdf() -> Vec<u8> {
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
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes(),
        );
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

    #[test]
    fn looping_and_broken_pdfs_are_errors() {
        let t = std::time::Instant::now();
        assert!(super::text(&looping_pdf()).is_err());
        assert!(super::text(
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj trailer << /Root 1 0 R >>"
        )
        .is_err());
        assert!(super::text(&[]).is_err());
        assert!(t.elapsed() < super::PDF_TIME_LIMIT);
    }
}
