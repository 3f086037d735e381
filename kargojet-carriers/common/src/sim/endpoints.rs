//! Endpoints for failure tests: one where nothing listens, one that accepts and never answers.

use std::sync::Arc;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// `http://127.0.0.1:PORT` for a port with nothing listening (connection refused). The port
/// was bound and released; another process could take it meanwhile, which tests accept.
pub fn dead_endpoint() -> std::io::Result<String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = l.local_addr()?;
    drop(l);
    Ok(format!("http://{addr}"))
}

/// A listener that accepts connections, reads whatever arrives and never answers; closed on
/// drop.
#[derive(Debug)]
pub struct Blackhole {
    url: String,
    stop: Arc<Notify>,
}

impl Blackhole {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.url.clone()
    }
}

impl Drop for Blackhole {
    fn drop(&mut self) {
        self.stop.notify_waiters();
        self.stop.notify_one();
    }
}

/// Starts a [`Blackhole`]; must be called inside a tokio runtime.
pub fn blackhole_endpoint() -> std::io::Result<Blackhole> {
    let rt = tokio::runtime::Handle::try_current()
        .map_err(|e| std::io::Error::other(format!("blackhole needs a tokio runtime: {e}")))?;
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let listener = {
        let _g = rt.enter();
        TcpListener::from_std(std_listener)?
    };
    let stop = Arc::new(Notify::new());
    let stop2 = stop.clone();
    rt.spawn(async move {
        let mut conns = tokio::task::JoinSet::new();
        loop {
            tokio::select! {
                _ = stop2.notified() => break,
                acc = listener.accept() => {
                    if let Ok((mut sock, _)) = acc {
                        conns.spawn(async move {
                            let mut buf = [0u8; 4096];
                            while let Ok(n) = sock.read(&mut buf).await {
                                if n == 0 { break; }
                            }
                        });
                    }
                }
            }
        }
        conns.abort_all();
    });
    Ok(Blackhole {
        url: format!("http://{addr}"),
        stop,
    })
}
