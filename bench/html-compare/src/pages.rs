//! Input pages: `.html` or `.html.gz` files, decoded to text the way ibid decodes a capture.

use std::path::Path;

pub struct Page {
    /// File name without `.html` / `.html.gz`.
    pub id: String,
    pub text: String,
}

/// Read, gunzip (`.gz`) and decode each file (charset from BOM, `<meta charset>` or detection).
pub fn load(files: &[String]) -> Result<Vec<Page>, String> {
    files.iter().map(|f| load_one(Path::new(f))).collect()
}

fn load_one(path: &Path) -> Result<Page, String> {
    let raw = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let gz = name.ends_with(".gz");
    let bytes = if gz {
        ibid::extract::decode::content_decode(&raw, Some("gzip"))
            .map_err(|e| format!("{}: {e}", path.display()))?
            .0
            .into_owned()
    } else {
        raw
    };
    let (text, _) = ibid::extract::decode::to_text(&bytes, None, true);
    let id = name
        .trim_end_matches(".gz")
        .trim_end_matches(".html")
        .to_string();
    Ok(Page {
        id,
        text: text.into_owned(),
    })
}

/// Total size of the decoded pages in bytes.
pub fn total_bytes(pages: &[Page]) -> usize {
    pages.iter().map(|p| p.text.len()).sum()
}

/// Peak resident memory of this process so far, in MiB (Linux `VmHWM`), when known.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU seconds this thread has used: unlike wall time, not inflated while other processes
/// hold the core.
pub fn thread_cpu_secs() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}
