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
