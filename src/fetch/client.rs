//! The HTTP client: reqwest on tokio with rustls, redirects followed by hand so every hop is
//! recorded and checked, retries with backoff and Retry-After, per-host limits and pacing.

use super::address::non_public;
use super::{header, FetchSettings};
use super::{Capture, CopyKind, Exchange};
use crate::findings::Code;
use crate::time::Timestamp;
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// A fetch that produced no usable capture.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The URL asked for (the first hop, before any redirect).
    pub url: String,
    /// The finding it becomes: `SourceBlocked` for a refused scheme or address, else
    /// `SourceUnreachable`.
    pub code: Code,
    /// Why there is no capture, as a sentence for the report (usually naming the hop that failed).
    pub message: String,
    /// Hops that were received before the failure (a redirect chain that ended in a loop).
    pub partial: Option<Capture>,
}

/// What one fetch gives: the capture, or why there is none.
pub type Outcome = Result<Capture, Failure>;

/// Resolves names for reqwest: host overrides first, then the system resolver; drops
/// addresses that are not public unless allowed, so DNS rebinding cannot reach them either.
struct Resolver {
    /// Shared, not copied: reqwest asks for a resolver of its own for each new connection.
    overrides: Arc<HashMap<String, SocketAddr>>,
    allow_private: bool,
}

impl Resolver {
    async fn lookup(&self, host: &str) -> Result<Vec<SocketAddr>, String> {
        if let Some(a) = self.overrides.get(&host.to_ascii_lowercase()) {
            return Ok(vec![*a]);
        }
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, 0))
            .await
            .map_err(|e| format!("DNS lookup of {host} failed: {e}"))?
            .collect();
        if addrs.is_empty() {
            return Err(format!("DNS lookup of {host} returned no address"));
        }
        Ok(addrs)
    }
    /// Addresses allowed for `host`, or the reason they are refused.
    async fn allowed(&self, host: &str) -> Result<Vec<SocketAddr>, Refusal> {
        let all = self.lookup(host).await.map_err(Refusal::Dns)?;
        if self.allow_private || self.overrides.contains_key(&host.to_ascii_lowercase()) {
            return Ok(all);
        }
        let ok: Vec<SocketAddr> = all
            .iter()
            .copied()
            .filter(|a| non_public(a.ip()).is_none())
            .collect();
        if ok.is_empty() {
            let a = all[0].ip();
            return Err(Refusal::Blocked(format!(
                "{host} resolves to {a}, which is {}",
                non_public(a).unwrap_or("not public")
            )));
        }
        Ok(ok)
    }
}

enum Refusal {
    Dns(String),
    Blocked(String),
}

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        let this = Resolver {
            overrides: self.overrides.clone(),
            allow_private: self.allow_private,
        };
        Box::pin(async move {
            match this.allowed(&host).await {
                Ok(a) => Ok(Box::new(a.into_iter()) as reqwest::dns::Addrs),
                Err(Refusal::Dns(m)) | Err(Refusal::Blocked(m)) => Err(m.into()),
            }
        })
    }
}

struct HostState {
    sem: Arc<Semaphore>,
    next: Instant,
}

/// The HTTP client for one run: shares the connection pool, the per-host limits and pacing
/// across all fetches, so build one and fetch every source through it.
pub struct Fetcher {
    client: reqwest::Client,
    settings: FetchSettings,
    resolver: Arc<Resolver>,
    hosts: Mutex<HashMap<String, HostState>>,
    global: Arc<Semaphore>,
    user_agent: String,
    /// `settings` as JSON for each capture's metadata record, serialised once per run, its
    /// `resolve` table left out (a record names only the entries its capture used).
    settings_json: String,
    /// `settings` as shown in a record, without its `resolve` table.
    shown: FetchSettings,
    /// The `resolve` entries by their host, lower-cased (a key may add a port).
    resolve_of: HashMap<String, Vec<(String, String)>>,
}

/// Why a `Fetcher` could not be built from its settings.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// A `resolve` entry whose address is neither an IP nor IP:port (the entry, as "host = addr").
    #[error("bad --resolve/resolve entry {0:?}: expected \"host\" = \"ip\" or \"ip:port\"")]
    BadResolve(String),
    /// reqwest refused the client configuration (its message).
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// A setting outside its range (the message of `FetchSettings::problems`).
    #[error("fetch settings: {0}")]
    Settings(String),
    /// The `ca_file` could not be read or holds no usable root certificate.
    #[error("ca_file {path}: {message}")]
    CaFile {
        /// The `ca_file` path as configured.
        path: String,
        /// What is wrong with it (unreadable, not PEM, not a usable root, empty).
        message: String,
    },
}

/// A PEM bundle larger than this is not a file of trusted roots (the system's whole bundle is
/// about 200 KB).
const MAX_CA_FILE: u64 = 16 << 20;

/// The certificates of a PEM file of extra trusted roots (`ca_file`), each checked to be a
/// usable trust anchor, so a wrong file is an error naming it rather than a TLS failure on
/// every https source later.
pub fn ca_certificates(
    path: &str,
) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, FetchError> {
    use rustls::pki_types::{pem::PemObject, CertificateDer};
    let err = |message: String| FetchError::CaFile {
        path: path.to_string(),
        message,
    };
    // a regular file of bounded size: /dev/zero or a FIFO named here would hang every command
    let bytes = crate::files::read_regular(std::path::Path::new(path), MAX_CA_FILE, false)
        .map_err(|e| err(format!("cannot read: {e}")))?;
    let mut certs = Vec::new();
    for (n, c) in CertificateDer::pem_slice_iter(&bytes).enumerate() {
        let der = c.map_err(|e| err(format!("certificate {}: not valid PEM: {e}", n + 1)))?;
        rustls::RootCertStore::empty()
            .add(der.clone())
            .map_err(|e| err(format!("certificate {}: not a usable root: {e}", n + 1)))?;
        certs.push(der);
    }
    if certs.is_empty() {
        return Err(err(
            "holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    Ok(certs)
}

/// The User-Agent sent to cited sources unless `user_agent` is set: ibid and its version, and
/// what it does, so a site's operator can tell why it was asked.
pub fn user_agent() -> String {
    format!(
        "ibid/{} (citation verifier; snapshots cited sources)",
        env!("CARGO_PKG_VERSION")
    )
}

/// The User-Agent sent to a wiki's API, in the form Wikimedia's User-Agent policy asks for:
/// client and version, contact in parentheses, then the HTTP library. A `user_agent` the user
/// set wins as it is. The contact goes to the wiki only, never to cited sources.
pub fn wiki_user_agent(settings: &FetchSettings, contact: Option<&str>) -> String {
    if let Some(ua) = &settings.user_agent {
        return ua.clone();
    }
    let contact = contact
        .map(|c| format!("; {}", c.trim()))
        .unwrap_or_default();
    format!(
        "ibid/{} (citation verifier{contact}) reqwest/0.12",
        env!("CARGO_PKG_VERSION")
    )
}

impl Fetcher {
    /// A client for `settings`, after checking their ranges and `resolve` entries and loading
    /// `ca_file`; nothing is fetched yet.
    pub fn new(settings: &FetchSettings) -> Result<Fetcher, FetchError> {
        // the ranges are checked where settings are read; a library caller gets the same check
        if let Some((_, message)) = settings.problems().into_iter().next() {
            return Err(FetchError::Settings(message));
        }
        let mut overrides = HashMap::new();
        for (host, addr) in &settings.resolve {
            let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
            let sa: SocketAddr = addr
                .parse()
                .or_else(|_| addr.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 0)))
                .map_err(|_| FetchError::BadResolve(format!("{host} = {addr}")))?;
            overrides.insert(host, sa);
        }
        let overrides = Arc::new(overrides);
        let resolver = Arc::new(Resolver {
            overrides: overrides.clone(),
            allow_private: settings.allow_private,
        });
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder();
        if let Some(path) = &settings.ca_file {
            for der in ca_certificates(path)? {
                let cert =
                    reqwest::Certificate::from_der(&der).map_err(|e| FetchError::CaFile {
                        path: path.clone(),
                        message: e.to_string(),
                    })?;
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs_f64(
                settings.connect_timeout_secs.max(0.001),
            ))
            .timeout(Duration::from_secs_f64(settings.timeout_secs.max(0.001)))
            .dns_resolver(Arc::new(Resolver {
                overrides,
                allow_private: settings.allow_private,
            }))
            .no_proxy()
            .pool_max_idle_per_host(settings.per_host)
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        let user_agent = settings.user_agent.clone().unwrap_or_else(user_agent);
        // the policy in force, as JSON, for each capture's metadata record (the user agent as
        // sent); the same for every capture of the run, so serialised once
        let mut shown = settings.clone();
        shown.user_agent = Some(user_agent.clone());
        let table = std::mem::take(&mut shown.resolve);
        let settings_json = serde_json::to_string(&shown).unwrap_or_default();
        let mut resolve_of: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for (key, addr) in table {
            let host = key.split(':').next().unwrap_or(&key).to_ascii_lowercase();
            resolve_of.entry(host).or_default().push((key, addr));
        }
        Ok(Fetcher {
            client,
            settings: settings.clone(),
            resolver,
            hosts: Mutex::new(HashMap::new()),
            global: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            user_agent,
            settings_json,
            shown,
            resolve_of,
        })
    }

    /// The policy this client was built with.
    pub fn settings(&self) -> &FetchSettings {
        &self.settings
    }

    /// The policy a capture was made under, as JSON, for its metadata record (the user agent as
    /// sent). Of `resolve`, only the overrides of the capture's own hosts: the whole table in
    /// every record made a store grow with hosts times captures.
    fn settings_json(&self, hops: &[Exchange]) -> String {
        let used: Vec<&(String, String)> = hops
            .iter()
            .filter_map(|h| {
                let host = reqwest::Url::parse(&h.url)
                    .ok()?
                    .host_str()?
                    .to_ascii_lowercase();
                self.resolve_of.get(&host)
            })
            .flatten()
            .collect();
        if used.is_empty() {
            return self.settings_json.clone();
        }
        // looked up by host, not filtered from the table: a copy of the whole table per
        // capture cost hosts times captures
        let mut shown = self.shown.clone();
        shown
            .resolve
            .extend(used.into_iter().map(|(k, a)| (k.clone(), a.clone())));
        serde_json::to_string(&shown).unwrap_or_default()
    }

    /// Fetch `url`, following redirects. `extra` headers go on every hop (conditional requests,
    /// Accept-Datetime for a TimeGate) and replace a default header of the same name (the
    /// User-Agent sent to a wiki).
    pub async fn fetch(&self, url: &str, copy: CopyKind, extra: &[(String, String)]) -> Outcome {
        let fail = |code: Code, message: String, partial: Option<Capture>| Failure {
            url: url.to_string(),
            code,
            message,
            partial,
        };
        // the hops received before a failure are kept: a redirect chain proves where it led
        let partial = |hops: Vec<Exchange>, note: String| Capture {
            requested: url.to_string(),
            settings: self.settings_json(&hops),
            hops,
            copy,
            cited: url.to_string(),
            note: Some(note),
        };
        let mut hops: Vec<Exchange> = Vec::new();
        let mut seen = HashSet::new();
        let mut current = url.to_string();
        loop {
            let parsed = match reqwest::Url::parse(&current) {
                Ok(u) if u.scheme() == "http" || u.scheme() == "https" => u,
                Ok(u) => {
                    return Err(fail(
                        Code::SourceBlocked,
                        format!(
                            "{current}: scheme {:?} is not fetched (only http and https)",
                            u.scheme()
                        ),
                        None,
                    ))
                }
                Err(e) => {
                    return Err(fail(
                        Code::SourceUnreachable,
                        format!("{current}: not a valid URL: {e}"),
                        None,
                    ))
                }
            };
            if !seen.insert(current.clone()) {
                let partial = partial(hops, "redirect loop".into());
                return Err(fail(
                    Code::SourceUnreachable,
                    format!("redirect loop: {current} was reached twice"),
                    Some(partial),
                ));
            }
            // address safety on every hop, before any connection
            let host = parsed
                .host_str()
                .unwrap_or("")
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string();
            if let Ok(ip) = host.parse::<IpAddr>() {
                if !self.settings.allow_private {
                    if let Some(why) = non_public(ip) {
                        let partial = (!hops.is_empty())
                            .then(|| partial(hops.clone(), "blocked redirect".into()));
                        return Err(fail(
                            Code::SourceBlocked,
                            format!(
                                "{current}: address {ip} is {why}; set allow_private to fetch it"
                            ),
                            partial,
                        ));
                    }
                }
            } else {
                match self.resolver.allowed(&host).await {
                    Ok(_) => {}
                    Err(Refusal::Blocked(m)) => {
                        let partial = (!hops.is_empty())
                            .then(|| partial(hops.clone(), "blocked redirect".into()));
                        return Err(fail(
                            Code::SourceBlocked,
                            format!("{current}: {m}; set allow_private to fetch it"),
                            partial,
                        ));
                    }
                    Err(Refusal::Dns(m)) => return Err(fail(Code::SourceUnreachable, m, None)),
                }
            }
            let ex = match self.exchange_with_retries(&parsed, &host, extra).await {
                Ok(ex) => ex,
                Err(m) => {
                    let partial = (!hops.is_empty()).then(|| partial(hops.clone(), m.clone()));
                    return Err(fail(
                        Code::SourceUnreachable,
                        format!("{current}: {m}"),
                        partial,
                    ));
                }
            };
            let status = ex.status;
            let location = header(&ex.response_headers, "location").map(str::to_string);
            hops.push(ex);
            if (300..400).contains(&status) && status != 304 {
                if let Some(loc) = location {
                    if hops.len() > self.settings.max_redirects {
                        let partial = partial(hops, "too many redirects".into());
                        return Err(fail(
                            Code::SourceUnreachable,
                            format!("more than {} redirects", self.settings.max_redirects),
                            Some(partial),
                        ));
                    }
                    match parsed.join(&loc) {
                        Ok(next) => {
                            current = next.to_string();
                            continue;
                        }
                        Err(_) => {
                            let partial = partial(hops, "bad Location".into());
                            return Err(fail(
                                Code::SourceUnreachable,
                                format!("redirect to an invalid Location {loc:?}"),
                                Some(partial),
                            ));
                        }
                    }
                }
            }
            return Ok(Capture {
                requested: url.to_string(),
                settings: self.settings_json(&hops),
                hops,
                copy,
                cited: url.to_string(),
                note: None,
            });
        }
    }

    async fn exchange_with_retries(
        &self,
        url: &reqwest::Url,
        host: &str,
        extra: &[(String, String)],
    ) -> Result<Exchange, String> {
        let mut attempt = 0u32;
        loop {
            let result = self.exchange(url, host, extra).await;
            let retry_after = match &result {
                Ok(ex) if matches!(ex.status, 408 | 429) || (500..600).contains(&ex.status) => {
                    Some(retry_after(ex))
                }
                Ok(_) => None,
                Err((_, retryable)) if *retryable => Some(None),
                Err(_) => None,
            };
            match retry_after {
                Some(after) if attempt < self.settings.retries => {
                    let backoff = after.unwrap_or_else(|| backoff(attempt, url.as_str()));
                    if backoff > MAX_RETRY_WAIT {
                        // a server asking for a long pause is not waited for: the run says so
                        // and the next fetch tries again
                        return match result {
                            Ok(ex) => Err(format!(
                                "answered HTTP {} and asked to retry after {} s, longer than the {} s ibid waits between tries; fetch again later",
                                ex.status,
                                backoff.as_secs(),
                                MAX_RETRY_WAIT.as_secs()
                            )),
                            Err(e) => Err(e.0),
                        };
                    }
                    tokio::time::sleep(backoff).await;
                    attempt += 1;
                }
                _ => return result.map_err(|e| e.0),
            }
        }
    }

    async fn exchange(
        &self,
        url: &reqwest::Url,
        host: &str,
        extra: &[(String, String)],
    ) -> Result<Exchange, (String, bool)> {
        let _global = self
            .global
            .acquire()
            .await
            .map_err(|e| (e.to_string(), false))?;
        let host_sem = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            hosts
                .entry(host.to_string())
                .or_insert_with(|| HostState {
                    sem: Arc::new(Semaphore::new(self.settings.per_host.max(1))),
                    next: Instant::now(),
                })
                .sem
                .clone()
        };
        let _host = host_sem
            .acquire()
            .await
            .map_err(|e| (e.to_string(), false))?;
        // pacing
        let wait = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            let st = hosts.get_mut(host).expect("inserted above");
            let now = Instant::now();
            let at = st.next.max(now);
            st.next = at + Duration::from_millis(self.settings.host_delay_ms);
            at - now
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let mut req_headers: Vec<(String, String)> = vec![
            ("User-Agent".into(), self.user_agent.clone()),
            (
                "Accept".into(),
                "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5"
                    .into(),
            ),
            ("Accept-Encoding".into(), "gzip, deflate, br".into()),
        ];
        for (k, v) in extra {
            match req_headers
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
            {
                Some(h) => h.1 = v.clone(),
                None => req_headers.push((k.clone(), v.clone())),
            }
        }
        let mut rb = self.client.get(url.clone());
        for (k, v) in &req_headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        let time = Timestamp::now();
        let mut resp = rb
            .send()
            .await
            .map_err(|e| (describe(&e, &self.settings), true))?;
        let ip = resp.remote_addr().map(|a| a.ip());
        let status = resp.status();
        let version = format!("{:?}", resp.version());
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).to_string(),
                )
            })
            .collect();
        let cap = self.settings.max_body_bytes as usize;
        // room for the announced length up front (within the cap, and never more than 8 MiB on
        // a server's word), so a body is not copied again and again as it grows
        let announced = resp.content_length().unwrap_or(0) as usize;
        let mut body = Vec::with_capacity(announced.min(cap).min(8 << 20));
        let mut truncated = None;
        loop {
            match resp.chunk().await {
                Ok(Some(c)) => {
                    if body.len() + c.len() > cap {
                        body.extend_from_slice(&c[..cap - body.len()]);
                        truncated = Some("length".to_string());
                        break;
                    }
                    body.extend_from_slice(&c);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err((
                        format!(
                            "{} while reading the body after {} bytes",
                            describe(&e, &self.settings),
                            body.len()
                        ),
                        true,
                    ))
                }
            }
        }
        Ok(Exchange {
            url: url.to_string(),
            request_headers: req_headers,
            http_version: version,
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            response_headers: headers,
            body,
            truncated,
            ip,
            time,
        })
    }
}

/// A readable reason for a reqwest error, without the URL (the caller adds it). A timeout
/// says which one ran out: a connect timeout points at the host, a total one at a slow body.
fn describe(e: &reqwest::Error, s: &FetchSettings) -> String {
    if e.is_timeout() {
        return if e.is_connect() {
            format!(
                "could not connect: timed out after {} s (connect_timeout_secs)",
                s.connect_timeout_secs
            )
        } else {
            format!("timed out after {} s (timeout_secs)", s.timeout_secs)
        };
    }
    let mut msg = if e.is_connect() {
        "could not connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut last = String::new();
    while let Some(s) = src {
        last = s.to_string();
        src = s.source();
    }
    if !last.is_empty() {
        msg.push_str(": ");
        msg.push_str(&last);
    }
    msg
}

/// The longest pause between two tries of one URL (Retry-After included): a server asking for
/// more is reported, not waited for, so `retries` tries of one URL take at most this long each.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

/// Retry-After as seconds or an HTTP date.
fn retry_after(ex: &Exchange) -> Option<Duration> {
    let v = header(&ex.response_headers, "retry-after")?
        .trim()
        .to_string();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(&v).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Exponential backoff from 250 ms with up to 50 % jitter, capped at 8 s.
fn backoff(attempt: u32, seed: &str) -> Duration {
    let base = 250u64.saturating_mul(1 << attempt.min(5)).min(8_000);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0) as u64;
    let h = seed
        .bytes()
        .fold(nanos ^ 0x9e37_79b9_7f4a_7c15, |h, b| {
            h.rotate_left(5) ^ b as u64
        })
        .wrapping_mul(0x2545_f491_4f6c_dd1d);
    Duration::from_millis(base + h % (base / 2 + 1))
}
