//! A real HTTP/1.1 server on 127.0.0.1 for tests and for regenerating the bundled example's
//! snapshots: routes by Host and path, with the misbehaviours sources show in the wild.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Debug)]
pub enum Route {
    Page {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// The n-th request gets the n-th route; the last one repeats.
    Sequence(Vec<Route>),
    /// Headers, then `chunks` pieces of `chunk` bytes each `delay` apart.
    Slow {
        chunk: Vec<u8>,
        chunks: usize,
        delay: Duration,
    },
    /// Announce `total` bytes, send `sent`, then reset the connection.
    Reset { total: usize, sent: usize },
    /// Accept and never answer.
    Hang,
    /// The route a function makes of the request (a fake API that reads its query).
    Handler(Handler),
    /// Wait, then answer with the route.
    Delayed(Duration, Box<Route>),
}

/// A function from request to route, for routes that depend on the query.
#[derive(Clone)]
pub struct Handler(pub Arc<dyn Fn(&Request) -> Route + Send + Sync>);

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Handler")
    }
}

impl Route {
    pub fn ok(ct: &str, body: impl Into<Vec<u8>>) -> Route {
        Route::Page {
            status: 200,
            headers: vec![("Content-Type".into(), ct.into())],
            body: body.into(),
        }
    }
    pub fn html(body: &str) -> Route {
        Route::ok("text/html; charset=utf-8", body.as_bytes().to_vec())
    }
    pub fn status(status: u16) -> Route {
        Route::Page {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: format!("status {status}\n").into_bytes(),
        }
    }
    pub fn redirect(status: u16, to: &str) -> Route {
        Route::Page {
            status,
            headers: vec![("Location".into(), to.into())],
            body: vec![],
        }
    }
    pub fn handler(f: impl Fn(&Request) -> Route + Send + Sync + 'static) -> Route {
        Route::Handler(Handler(Arc::new(f)))
    }
    pub fn with_header(mut self, k: &str, v: &str) -> Route {
        if let Route::Page { headers, .. } = &mut self {
            headers.push((k.into(), v.into()));
        }
        self
    }
}

#[derive(Clone, Debug)]
pub struct Request {
    pub host: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
}

#[derive(Default)]
struct State {
    routes: HashMap<(String, String), Route>,
    hits: HashMap<(String, String), usize>,
    log: Vec<Request>,
    /// Requests being answered now, and the most ever at once, by host.
    in_flight: HashMap<String, usize>,
    most_in_flight: HashMap<String, usize>,
}

#[derive(Clone)]
pub struct Server {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    pub connections: Arc<AtomicUsize>,
}

impl Server {
    /// Start on 127.0.0.1:0 on the current tokio runtime.
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State::default()));
        let connections = Arc::new(AtomicUsize::new(0));
        let (st, conns) = (state.clone(), connections.clone());
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    continue;
                };
                conns.fetch_add(1, Ordering::SeqCst);
                let st = st.clone();
                tokio::spawn(async move {
                    let _ = handle(sock, st).await;
                });
            }
        });
        Server {
            addr,
            state,
            connections,
        }
    }

    /// Route `host` + `path` (host without port; "*" matches any host).
    pub fn route(&self, host: &str, path: &str, r: Route) {
        self.state
            .lock()
            .unwrap()
            .routes
            .insert((host.to_string(), path.to_string()), r);
    }

    pub fn log(&self) -> Vec<Request> {
        self.state.lock().unwrap().log.clone()
    }

    pub fn hits(&self, host: &str, path: &str) -> usize {
        *self
            .state
            .lock()
            .unwrap()
            .hits
            .get(&(host.to_string(), path.to_string()))
            .unwrap_or(&0)
    }

    /// The most requests for `host` this server was answering at one time.
    pub fn most_in_flight(&self, host: &str) -> usize {
        *self
            .state
            .lock()
            .unwrap()
            .most_in_flight
            .get(host)
            .unwrap_or(&0)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

async fn handle(mut sock: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    loop {
        let mut buf = Vec::new();
        let mut tmp = [0u8; 4096];
        let head_end = loop {
            let n = sock.read(&mut tmp).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&tmp[..n]);
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p;
            }
            if buf.len() > 64 * 1024 {
                return Ok(());
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut lines = head.split("\r\n");
        let req_line = lines.next().unwrap_or("");
        let target = req_line.split_whitespace().nth(1).unwrap_or("/");
        // a client using this server as its HTTP proxy (wget, warcio) sends the absolute URL
        let absolute = target
            .strip_prefix("http://")
            .or_else(|| target.strip_prefix("https://"));
        let path = match absolute {
            Some(rest) => rest.find('/').map_or("/", |p| &rest[p..]).to_string(),
            None => target.to_string(),
        };
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        let host = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("host"))
            .map(|(_, v)| v.split(':').next().unwrap_or("").to_string())
            .unwrap_or_default();
        let request = Request {
            host: host.clone(),
            path: path.clone(),
            headers: headers.clone(),
        };
        let mut route = {
            let mut st = state.lock().unwrap();
            st.log.push(request.clone());
            let now = {
                let n = st.in_flight.entry(host.clone()).or_default();
                *n += 1;
                *n
            };
            let most = st.most_in_flight.entry(host.clone()).or_default();
            *most = (*most).max(now);
            // the path with its query, then without (a handler reads the query itself)
            let bare = path.split('?').next().unwrap_or("/").to_string();
            let key = [
                (host.clone(), path.clone()),
                ("*".to_string(), path.clone()),
                (host.clone(), bare.clone()),
                ("*".to_string(), bare),
            ]
            .into_iter()
            .find(|k| st.routes.contains_key(k))
            .unwrap_or_else(|| ("*".to_string(), path.clone()));
            let n = *st.hits.get(&key).unwrap_or(&0);
            st.hits.insert(key.clone(), n + 1);
            match st.routes.get(&key).cloned() {
                Some(Route::Sequence(v)) => {
                    v.get(n).or(v.last()).cloned().unwrap_or(Route::status(404))
                }
                Some(r) => r,
                None => Route::status(404),
            }
        };
        let route = loop {
            route = match route {
                Route::Handler(Handler(f)) => f(&request),
                Route::Delayed(d, r) => {
                    tokio::time::sleep(d).await;
                    *r
                }
                other => break other,
            };
        };
        let answered = answer(&mut sock, route).await;
        if let Some(n) = state.lock().unwrap().in_flight.get_mut(&host) {
            *n -= 1;
        }
        if !answered? {
            return Ok(());
        }
    }
}

/// Write one answer; `false` when the connection is done with.
async fn answer(sock: &mut TcpStream, route: Route) -> std::io::Result<bool> {
    {
        match route {
            Route::Page {
                status,
                headers,
                body,
            } => {
                let mut resp = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\n",
                    reason(status),
                    body.len()
                );
                for (k, v) in &headers {
                    resp.push_str(&format!("{k}: {v}\r\n"));
                }
                resp.push_str("\r\n");
                sock.write_all(resp.as_bytes()).await?;
                sock.write_all(&body).await?;
            }
            Route::Slow {
                chunk,
                chunks,
                delay,
            } => {
                let resp = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
                    chunk.len() * chunks
                );
                sock.write_all(resp.as_bytes()).await?;
                for _ in 0..chunks {
                    tokio::time::sleep(delay).await;
                    sock.write_all(&chunk).await?;
                }
            }
            Route::Reset { total, sent } => {
                let resp = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {total}\r\n\r\n"
                );
                sock.write_all(resp.as_bytes()).await?;
                sock.write_all(&vec![b'x'; sent]).await?;
                sock.flush().await?;
                #[allow(deprecated)]
                sock.set_linger(Some(Duration::from_secs(0)))?;
                return Ok(false);
            }
            Route::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return Ok(false);
            }
            Route::Sequence(_) | Route::Handler(_) | Route::Delayed(..) => {
                unreachable!("resolved above")
            }
        }
    }
    Ok(true)
}

fn reason(s: u16) -> &'static str {
    match s {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        404 => "Not Found",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
