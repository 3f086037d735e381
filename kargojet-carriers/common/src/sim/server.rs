//! A small HTTP/1.1 server on 127.0.0.1 for carrier simulators: keep-alive, `Content-Length`
//! and chunked request bodies, and every fault of [`Faults`] applied on the real socket.

use super::CarrierFault;
use super::faults::{FaultKind, Faults, InjectedFault};
use super::record::Recorder;
use async_trait::async_trait;
use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Largest accepted request head and body.
const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 16 * 1024 * 1024;

/// The body the `malformed` fault sends when there is no real answer to truncate.
pub const GARBAGE_BODY: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><broken attr=\"";

/// A request as the simulator received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path without the query (`/ws/ShippingOrderDispatcherServices`).
    pub path: String,
    /// Raw query string without `?` (empty if none).
    pub query: String,
    /// Headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl SimRequest {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// A query parameter (not percent-decoded beyond `+` → space and `%XX`).
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then(|| percent_decode(v))
        })
    }

    /// The SOAP action: the `SOAPAction` header without its quotes (1.1), or the `action`
    /// parameter of the content type (1.2). `None` when neither is present.
    pub fn soap_action(&self) -> Option<String> {
        if let Some(a) = self.header("soapaction") {
            return Some(a.trim().trim_matches('"').to_string());
        }
        let ct = self.header("content-type")?;
        ct.split(';').find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("action")
                .then(|| v.trim().trim_matches('"').to_string())
        })
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A simulator's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers (`Content-Length` is added by the server).
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl SimResponse {
    /// An XML answer (`text/xml; charset=utf-8`).
    pub fn xml(status: u16, body: impl Into<String>) -> Self {
        Self::with_type(status, "text/xml; charset=utf-8", body.into().into_bytes())
    }

    /// A SOAP 1.2 answer (`application/soap+xml; charset=utf-8`).
    pub fn soap12(status: u16, body: impl Into<String>) -> Self {
        Self::with_type(
            status,
            "application/soap+xml; charset=utf-8",
            body.into().into_bytes(),
        )
    }

    /// A JSON answer.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::with_type(
            status,
            "application/json; charset=utf-8",
            value.to_string().into_bytes(),
        )
    }

    /// A plain-text answer.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Self::with_type(
            status,
            "text/plain; charset=utf-8",
            body.into().into_bytes(),
        )
    }

    /// Raw bytes with a content type.
    pub fn with_type(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        SimResponse {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A carrier simulator's logic: names the operation of a request and answers it.
#[async_trait]
pub trait SimHandler: Send + Sync {
    /// The carrier operation a request is for (the SOAP method, or the REST path), so faults
    /// can target it.
    fn operation(&self, req: &SimRequest) -> String;

    /// Answers `req`. `injected` is a carrier fault to render the carrier's own way.
    async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse;
}

type Log = Arc<Mutex<Vec<(String, SimRequest)>>>;

/// A running simulator on 127.0.0.1 with an ephemeral port (or the one given to
/// [`SimServer::rebind`]). Dropping it (or calling [`SimServer::shutdown`]) stops the accept
/// loop and every open connection.
pub struct SimServer {
    addr: RwLock<SocketAddr>,
    faults: Faults,
    log: Log,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    accepting: Mutex<watch::Sender<bool>>,
}

impl std::fmt::Debug for SimServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimServer")
            .field("addr", &self.addr())
            .finish_non_exhaustive()
    }
}

struct Shared {
    handler: Arc<dyn SimHandler>,
    faults: Faults,
    log: Log,
    recorder: RwLock<Option<Arc<dyn Recorder>>>,
}

impl Shared {
    fn recorder_for(&self, op: &str) -> Option<Arc<dyn Recorder>> {
        self.recorder
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .filter(|r| r.records(op))
            .cloned()
    }

    /// Runs the handler; a recorded operation (with no injected carrier fault) runs under
    /// the recorder's guard and is recorded before the answer goes out.
    async fn handle(
        &self,
        op: &str,
        req: &SimRequest,
        injected: Option<&CarrierFault>,
    ) -> SimResponse {
        match self.recorder_for(op).filter(|_| injected.is_none()) {
            None => self.handler.handle(req, injected).await,
            Some(rec) => {
                let guard = rec.begin(op).await;
                let resp = self.handler.handle(req, None).await;
                rec.record(guard, op, req, resp.status).await;
                resp
            }
        }
    }
}

impl SimServer {
    /// Starts a server for `handler` with its own (empty) fault rules. Must be called inside a
    /// tokio runtime; fails with an I/O error otherwise.
    pub fn start(handler: Arc<dyn SimHandler>) -> std::io::Result<SimServer> {
        Self::start_with(handler, Faults::new())
    }

    /// Starts a server sharing `faults` (e.g. owned by the carrier's simulator type).
    pub fn start_with(handler: Arc<dyn SimHandler>, faults: Faults) -> std::io::Result<SimServer> {
        let rt = runtime()?;
        let (listener, addr) = listen(&rt, SocketAddr::from(([127, 0, 0, 1], 0)))?;
        let (tx, rx) = watch::channel(false);
        let (accept_tx, accept_rx) = watch::channel(false);
        let log: Log = Arc::default();
        let shared = Arc::new(Shared {
            handler,
            faults: faults.clone(),
            log: log.clone(),
            recorder: RwLock::new(None),
        });
        rt.spawn(accept_loop(listener, shared.clone(), rx, accept_rx));
        Ok(SimServer {
            addr: RwLock::new(addr),
            faults,
            log,
            shared,
            shutdown: tx,
            accepting: Mutex::new(accept_tx),
        })
    }

    /// Moves the listener to `addr` (e.g. a fixed port): the old port stops accepting, open
    /// connections stay. Returns the bound address (port 0 picks a free one).
    pub fn rebind(&self, addr: SocketAddr) -> std::io::Result<SocketAddr> {
        let rt = runtime()?;
        let (listener, bound) = listen(&rt, addr)?;
        let (accept_tx, accept_rx) = watch::channel(false);
        let old = std::mem::replace(
            &mut *self.accepting.lock().unwrap_or_else(|p| p.into_inner()),
            accept_tx,
        );
        let _ = old.send(true);
        rt.spawn(accept_loop(
            listener,
            self.shared.clone(),
            self.shutdown.subscribe(),
            accept_rx,
        ));
        *self.addr.write().unwrap_or_else(|p| p.into_inner()) = bound;
        Ok(bound)
    }

    /// Makes `recorder` see every state-changing request from now on (`None` stops it).
    pub fn set_recorder(&self, recorder: Option<Arc<dyn Recorder>>) {
        *self
            .shared
            .recorder
            .write()
            .unwrap_or_else(|p| p.into_inner()) = recorder;
    }

    /// Runs a request through the handler directly — no socket, log, fault or recorder — to
    /// rebuild state from a journal. Returns the handler's answer.
    pub async fn replay(&self, req: &SimRequest) -> SimResponse {
        self.shared.handler.handle(req, None).await
    }

    /// The operation the handler names for `req`.
    pub fn operation_of(&self, req: &SimRequest) -> String {
        self.shared.handler.operation(req)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr())
    }

    /// `base_url()` followed by `path` (`/ws/Service`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr())
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        *self.addr.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The fault rules (shared with the server).
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<SimRequest> {
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(_, r)| r.clone())
            .collect()
    }

    /// The requests received for operation `op`.
    pub fn requests_for(&self, op: &str) -> Vec<SimRequest> {
        let log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        log.iter()
            .filter(|(o, _)| o == op)
            .map(|(_, r)| r.clone())
            .collect()
    }

    /// How many requests arrived for `op`.
    pub fn calls(&self, op: &str) -> usize {
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|(o, _)| o == op)
            .count()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Stops accepting and closes every connection (also done on drop).
    pub fn shutdown(&self) {
        let _ = self.shutdown.send(true);
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Handle> {
    tokio::runtime::Handle::try_current()
        .map_err(|e| std::io::Error::other(format!("SimServer needs a tokio runtime: {e}")))
}

fn listen(
    rt: &tokio::runtime::Handle,
    addr: SocketAddr,
) -> std::io::Result<(TcpListener, SocketAddr)> {
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    let bound = std_listener.local_addr()?;
    let _guard = rt.enter();
    Ok((TcpListener::from_std(std_listener)?, bound))
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
    mut accepting: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = accepting.changed() => break,
            accepted = listener.accept() => {
                let Ok((sock, _)) = accepted else { continue };
                let _ = sock.set_nodelay(true);
                let shared = shared.clone();
                let stop = stop.clone();
                tokio::spawn(async move {
                    let mut stop2 = stop.clone();
                    tokio::select! {
                        _ = stop2.changed() => {}
                        _ = serve_connection(sock, shared, stop) => {}
                    }
                });
            }
        }
    }
}

/// What to do with the connection after a request.
enum After {
    KeepAlive,
    Close,
}

async fn serve_connection(sock: TcpStream, shared: Arc<Shared>, stop: watch::Receiver<bool>) {
    let mut conn = BufReader::new(sock);
    loop {
        let req = match read_request(&mut conn).await {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(msg) => {
                let resp = SimResponse::text(400, msg);
                let _ = write_response(conn.get_mut(), &resp, true).await;
                return;
            }
        };
        let wants_close = req.1;
        match answer(&mut conn, req.0, &shared, &stop, wants_close).await {
            After::Close => return,
            After::KeepAlive if wants_close => return,
            After::KeepAlive => {}
        }
    }
}

async fn answer(
    conn: &mut BufReader<TcpStream>,
    req: SimRequest,
    shared: &Shared,
    stop: &watch::Receiver<bool>,
    close: bool,
) -> After {
    let op = shared.handler.operation(&req);
    shared
        .log
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((op.clone(), req.clone()));
    let fault = shared.faults.take(&op);
    let Some(fault) = fault else {
        let resp = shared.handle(&op, &req, None).await;
        return finish(write_response(conn.get_mut(), &resp, close).await);
    };
    if let Some(d) = fault.delay {
        tokio::time::sleep(d).await;
    }
    let handled =
        if fault.after_processing || matches!(fault.kind, FaultKind::None | FaultKind::Reject(_)) {
            let cf = fault.carrier_fault();
            Some(shared.handle(&op, &req, cf.as_ref()).await)
        } else {
            None
        };
    apply(conn, &fault, handled, stop, close).await
}

async fn apply(
    conn: &mut BufReader<TcpStream>,
    fault: &InjectedFault,
    handled: Option<SimResponse>,
    stop: &watch::Receiver<bool>,
    close: bool,
) -> After {
    let sock = conn.get_mut();
    match &fault.kind {
        FaultKind::None | FaultKind::Reject(_) => match handled {
            Some(resp) => finish(write_response(sock, &resp, close).await),
            None => After::Close,
        },
        FaultKind::Error500 => {
            let resp = SimResponse::text(500, "Internal Server Error");
            finish(write_response(sock, &resp, close).await)
        }
        FaultKind::Status(code, body) => {
            let resp = SimResponse::text(*code, body.clone());
            finish(write_response(sock, &resp, close).await)
        }
        FaultKind::RetryAfter(secs) => {
            let resp =
                SimResponse::text(429, "Too Many Requests").header("Retry-After", secs.to_string());
            finish(write_response(sock, &resp, close).await)
        }
        FaultKind::Malformed => {
            let resp = match handled {
                Some(mut r) => {
                    let half = r.body.len() / 2;
                    r.body.truncate(half);
                    r.body.extend_from_slice(b"<\x00\xff");
                    r.status = 200;
                    r
                }
                None => SimResponse::xml(200, GARBAGE_BODY),
            };
            finish(write_response(sock, &resp, close).await)
        }
        FaultKind::TruncateBody => {
            let resp = handled.unwrap_or_else(|| SimResponse::xml(200, GARBAGE_BODY.repeat(4)));
            let _ = write_truncated(sock, &resp).await;
            After::Close
        }
        FaultKind::DropConnection => After::Close,
        FaultKind::Timeout => {
            // Hold the socket open until the client gives up (EOF) or the server stops.
            let mut stop = stop.clone();
            let mut sink = [0u8; 1024];
            loop {
                tokio::select! {
                    _ = stop.changed() => break,
                    n = conn.read(&mut sink) => match n { Ok(0) | Err(_) => break, Ok(_) => {} },
                }
            }
            After::Close
        }
    }
}

fn finish(r: std::io::Result<()>) -> After {
    if r.is_ok() {
        After::KeepAlive
    } else {
        After::Close
    }
}

/// Reads one request; `Ok(None)` on a clean EOF between requests. The flag says whether the
/// client asked to close after it.
async fn read_request(
    conn: &mut BufReader<TcpStream>,
) -> Result<Option<(SimRequest, bool)>, String> {
    let mut head_len = 0usize;
    let mut line = String::new();
    // Request line (skipping stray empty lines between requests).
    loop {
        line.clear();
        let n = read_line(conn, &mut line, &mut head_len).await?;
        if n == 0 {
            return Ok(None);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("bad request line: {}", line.trim()));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(format!("unsupported version {version}"));
    }
    let http10 = version == "HTTP/1.0";
    let method = method.to_string();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target.to_string(), String::new()),
    };
    let mut headers = Vec::new();
    loop {
        line.clear();
        let n = read_line(conn, &mut line, &mut head_len).await?;
        if n == 0 {
            return Err("connection closed inside the request head".into());
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        let (name, value) = l
            .split_once(':')
            .ok_or_else(|| format!("bad header line: {l}"))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _): &&(String, String)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let connection = find("connection").unwrap_or_default().to_ascii_lowercase();
    let close = connection.contains("close") || (http10 && !connection.contains("keep-alive"));
    if find("expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue")) {
        conn.get_mut()
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .await
            .map_err(|e| e.to_string())?;
    }
    let body =
        if find("transfer-encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
            read_chunked(conn).await?
        } else {
            let len: usize = match find("content-length") {
                Some(v) => v
                    .trim()
                    .parse()
                    .map_err(|_| format!("bad Content-Length: {v}"))?,
                None => 0,
            };
            if len > MAX_BODY {
                return Err("body too large".into());
            }
            let mut body = vec![0u8; len];
            conn.read_exact(&mut body)
                .await
                .map_err(|e| format!("body: {e}"))?;
            body
        };
    Ok(Some((
        SimRequest {
            method,
            path,
            query,
            headers,
            body,
        },
        close,
    )))
}

async fn read_line(
    conn: &mut BufReader<TcpStream>,
    line: &mut String,
    total: &mut usize,
) -> Result<usize, String> {
    let mut buf = Vec::new();
    let n = (&mut *conn)
        .take((MAX_HEAD + 1 - *total) as u64)
        .read_until(b'\n', &mut buf)
        .await
        .map_err(|e| e.to_string())?;
    *total += n;
    if *total > MAX_HEAD {
        return Err("request head too large".into());
    }
    line.push_str(&String::from_utf8_lossy(&buf));
    Ok(n)
}

async fn read_chunked(conn: &mut BufReader<TcpStream>) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let mut size_line = String::new();
        let mut dummy = 0;
        if read_line(conn, &mut size_line, &mut dummy).await? == 0 {
            return Err("connection closed inside a chunked body".into());
        }
        let size_hex = size_line.trim().split(';').next().unwrap_or("");
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| format!("bad chunk size: {size_hex}"))?;
        if size == 0 {
            // Trailers until the empty line.
            loop {
                let mut t = String::new();
                let mut d = 0;
                if read_line(conn, &mut t, &mut d).await? == 0 || t.trim().is_empty() {
                    return Ok(body);
                }
            }
        }
        if body.len() + size > MAX_BODY {
            return Err("body too large".into());
        }
        let start = body.len();
        body.resize(start + size, 0);
        conn.read_exact(&mut body[start..])
            .await
            .map_err(|e| format!("chunk: {e}"))?;
        let mut crlf = [0u8; 2];
        conn.read_exact(&mut crlf)
            .await
            .map_err(|e| format!("chunk end: {e}"))?;
    }
}

fn head(resp: &SimResponse, content_length: usize, close: bool) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (n, v) in &resp.headers {
        if n.eq_ignore_ascii_case("content-length") || n.eq_ignore_ascii_case("connection") {
            continue;
        }
        h.push_str(&format!("{n}: {v}\r\n"));
    }
    h.push_str(&format!("Content-Length: {content_length}\r\n"));
    if close {
        h.push_str("Connection: close\r\n");
    }
    h.push_str("\r\n");
    h.into_bytes()
}

async fn write_response(
    sock: &mut TcpStream,
    resp: &SimResponse,
    close: bool,
) -> std::io::Result<()> {
    let mut out = head(resp, resp.body.len(), close);
    out.extend_from_slice(&resp.body);
    sock.write_all(&out).await?;
    sock.flush().await
}

async fn write_truncated(sock: &mut TcpStream, resp: &SimResponse) -> std::io::Result<()> {
    let mut out = head(resp, resp.body.len().max(2), false);
    out.extend_from_slice(&resp.body[..resp.body.len() / 2]);
    sock.write_all(&out).await?;
    sock.flush().await?;
    sock.shutdown().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
