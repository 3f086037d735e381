//! The simulator's HTTP/1.1 handling at the byte level: keep-alive, chunked bodies, bad input.

use async_trait::async_trait;
use kargojet_carrier_common::sim::{CarrierFault, SimHandler, SimRequest, SimResponse, SimServer};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Echo;

#[async_trait]
impl SimHandler for Echo {
    fn operation(&self, req: &SimRequest) -> String {
        req.path.clone()
    }
    async fn handle(&self, req: &SimRequest, _injected: Option<&CarrierFault>) -> SimResponse {
        let q = req.query_param("barcode").unwrap_or_default();
        SimResponse::text(
            200,
            format!("{} {} {} [{}]", req.method, req.path, q, req.text()),
        )
    }
}

async fn read_response(sock: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    loop {
        let n = sock.read(&mut chunk).await.expect("read");
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if body.len() >= len {
                return text;
            }
        }
    }
    String::from_utf8_lossy(&buf).to_string()
}

#[tokio::test]
async fn keep_alive_and_chunked_bodies() {
    let sim = SimServer::start(Arc::new(Echo)).expect("start");
    let mut sock = TcpStream::connect(sim.addr()).await.expect("connect");
    sock.write_all(
        b"POST /a?barcode=K%C3%9C+1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
    )
    .await
    .expect("write");
    let first = read_response(&mut sock).await;
    assert!(first.starts_with("HTTP/1.1 200 OK\r\n"), "{first}");
    assert!(first.ends_with("POST /a KÜ 1 [abc]"), "{first}");
    sock.write_all(b"POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n\xc5\x9fi\r\n2\r\nzz\r\n0\r\n\r\n").await.expect("write");
    let second = read_response(&mut sock).await;
    assert!(second.ends_with("POST /b  [şizz]"), "{second}");
    assert_eq!(sim.requests().len(), 2);
    assert_eq!(sim.calls("/b"), 1);
}

#[tokio::test]
async fn garbage_requests_get_400_and_never_kill_the_server() {
    let sim = SimServer::start(Arc::new(Echo)).expect("start");
    for junk in [
        &b"\x00\x01\x02 nonsense\r\n\r\n"[..],
        b"GET / SPDY/9\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: zz\r\n\r\n",
    ] {
        let mut sock = TcpStream::connect(sim.addr()).await.expect("connect");
        sock.write_all(junk).await.expect("write");
        let resp = read_response(&mut sock).await;
        assert!(resp.starts_with("HTTP/1.1 400"), "{resp}");
    }
    let mut sock = TcpStream::connect(sim.addr()).await.expect("connect");
    sock.write_all(b"GET /ok HTTP/1.1\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    assert!(read_response(&mut sock).await.contains("Connection: close"));
}
