//! Turns transport failures into core errors with the right [`SendState`].
//!
//! The rules, in order (each is tested against a real local socket):
//!
//! | what happened | core error | send state |
//! |---|---|---|
//! | connection refused, DNS failure, TLS handshake failure | `Transport` (`transport.connection`) | `NotSent` |
//! | connect timeout | `Timeout` (`transport.timeout`) | `NotSent` |
//! | timeout after the connection was made (request written, no answer yet) | `Timeout` | `MaybeSent` |
//! | connection reset / closed before the answer's status line | `Transport` | `MaybeSent` |
//! | failure while reading the body, after the status arrived | `Transport` / `Timeout` with the status | `Sent` |
//!
//! A `MaybeSent` create is never retried blindly: the carrier crate reconciles it by merchant key.
//!
//! ```
//! use kargojet_carrier_common::classify::{Phase, classify};
//! # async fn demo(client: reqwest::Client) {
//! if let Err(e) = client.get("http://127.0.0.1:9/").send().await {
//!     let err = classify(&kargojet_core::carrier::CarrierId::Ptt, "track", Phase::Request, None, &e);
//!     assert_eq!(err.send_state(), Some(kargojet_core::error::SendState::NotSent));
//! }
//! # }
//! ```

use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error, SendState};
use std::error::Error as StdError;

/// Where in the exchange the failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Connecting, writing the request, or waiting for the status line.
    Request,
    /// Reading the body after the status line and headers arrived.
    Body,
}

/// Classifies a reqwest error from operation `op` against `carrier`. `http_status` is the
/// status already received (for [`Phase::Body`]).
pub fn classify(
    carrier: &CarrierId,
    op: &str,
    phase: Phase,
    http_status: Option<u16>,
    err: &reqwest::Error,
) -> Error {
    let chain = error_chain(err);
    let carrier = Some(carrier.clone());
    if phase == Phase::Body {
        let detail = format!(
            "{op}: reading the answer failed after HTTP {}: {chain}",
            http_status.unwrap_or(0)
        );
        if err.is_timeout() {
            return Error::Timeout {
                code: Code::TransportTimeout,
                carrier,
                send_state: SendState::Sent,
                detail,
            };
        }
        return Error::Transport {
            code: Code::TransportConnection,
            carrier,
            send_state: SendState::Sent,
            http_status,
            detail,
        };
    }
    if err.is_connect() {
        if err.is_timeout() || chain.contains("timed out") {
            return Error::Timeout {
                code: Code::TransportTimeout,
                carrier,
                send_state: SendState::NotSent,
                detail: format!("{op}: connect timeout: {chain}"),
            };
        }
        return Error::Transport {
            code: Code::TransportConnection,
            carrier,
            send_state: SendState::NotSent,
            http_status: None,
            detail: format!("{op}: could not connect: {chain}"),
        };
    }
    if err.is_builder() {
        return Error::Transport {
            code: Code::TransportConnection,
            carrier,
            send_state: SendState::NotSent,
            http_status: None,
            detail: format!("{op}: request could not be built: {chain}"),
        };
    }
    if err.is_timeout() {
        return Error::Timeout {
            code: Code::TransportTimeout,
            carrier,
            send_state: SendState::MaybeSent,
            detail: format!("{op}: no answer before the deadline: {chain}"),
        };
    }
    Error::Transport {
        code: Code::TransportConnection,
        carrier,
        send_state: SendState::MaybeSent,
        http_status: None,
        detail: format!("{op}: connection failed after sending: {chain}"),
    }
}

/// The error and its sources joined with `: `.
pub fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut out = err.to_string();
    let mut cur = err.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cur = s.source();
    }
    out
}

/// The core timeout error when a whole operation ran past its own deadline.
pub fn deadline_exceeded(
    carrier: &CarrierId,
    op: &str,
    send_state: SendState,
    after: std::time::Duration,
) -> Error {
    Error::Timeout {
        code: Code::TransportTimeout,
        carrier: Some(carrier.clone()),
        send_state,
        detail: format!("{op}: no answer within {} ms", after.as_millis()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    fn client(timeout: Duration) -> reqwest::Client {
        crate::http::install_crypto_provider();
        reqwest::Client::builder()
            .no_proxy()
            .timeout(timeout)
            .connect_timeout(Duration::from_millis(500))
            .build()
            .unwrap()
    }

    async fn request_err(url: &str, timeout: Duration) -> Error {
        let e = client(timeout)
            .post(url)
            .body("x")
            .send()
            .await
            .expect_err("must fail");
        classify(
            &CarrierId::Yurtici,
            "createShipment",
            Phase::Request,
            None,
            &e,
        )
    }

    /// Reads one HTTP request head (and whatever body arrived with it).
    async fn read_head(sock: &mut tokio::net::TcpStream) {
        let mut buf = vec![0u8; 4096];
        let mut got = Vec::new();
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = sock.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
    }

    #[tokio::test]
    async fn refused_is_not_sent() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        drop(l);
        let e = request_err(&format!("http://{addr}/"), Duration::from_secs(2)).await;
        assert_eq!(e.code(), Code::TransportConnection);
        assert_eq!(e.send_state(), Some(SendState::NotSent));
        assert!(!e.is_maybe_sent());
    }

    #[tokio::test]
    async fn silent_server_is_a_maybe_sent_timeout() {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        let srv = tokio::spawn(async move {
            let (mut s, _) = l.accept().await.unwrap();
            read_head(&mut s).await;
            tokio::time::sleep(Duration::from_secs(3)).await;
        });
        let e = request_err(&format!("http://{addr}/"), Duration::from_millis(300)).await;
        assert!(
            matches!(
                e,
                Error::Timeout {
                    send_state: SendState::MaybeSent,
                    ..
                }
            ),
            "{e:?}"
        );
        srv.abort();
    }

    #[tokio::test]
    async fn dropped_before_answer_is_maybe_sent() {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = l.accept().await.unwrap();
            read_head(&mut s).await;
            drop(s);
        });
        let e = request_err(&format!("http://{addr}/"), Duration::from_secs(2)).await;
        assert!(
            matches!(
                e,
                Error::Transport {
                    send_state: SendState::MaybeSent,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(e.is_maybe_sent());
    }

    #[tokio::test]
    async fn closed_mid_body_is_sent() {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = l.accept().await.unwrap();
            read_head(&mut s).await;
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<half")
                .await
                .unwrap();
            s.flush().await.unwrap();
            drop(s);
        });
        let resp = client(Duration::from_secs(2))
            .post(format!("http://{addr}/"))
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let e = resp.bytes().await.expect_err("truncated body");
        let e = classify(&CarrierId::Aras, "track", Phase::Body, Some(status), &e);
        assert!(
            matches!(
                e,
                Error::Transport {
                    send_state: SendState::Sent,
                    http_status: Some(200),
                    ..
                }
            ),
            "{e:?}"
        );
    }
}
