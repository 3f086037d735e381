//! Token caches for carriers with a token endpoint (HepsiJET, Sendeo, MNG): one cached token
//! per credential set, refreshed early, one refresh in flight however many callers wait, and
//! the refresh-once-on-401 rule.
//!
//! ```
//! use kargojet_carrier_common::token::{Token, TokenCache};
//! use kargojet_core::time::{Clock, ManualClock};
//! use std::sync::Arc;
//! use std::time::Duration;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?.block_on(async {
//! let clock = ManualClock::new(chrono::Utc::now());
//! let cache = TokenCache::new(Arc::new(clock.clone()), Duration::from_secs(60));
//! let expires_at = clock.now() + chrono::Duration::minutes(60);
//! let token = cache
//!     .get(|| async move { Ok(Token { value: "abc".into(), expires_at }) })
//!     .await?;
//! assert_eq!(token.value, "abc");
//! // Cached: the second fetch is never called.
//! let again = cache.get(|| async { Err(kargojet_core::Error::internal("not called")) }).await?;
//! assert_eq!(again, token);
//! # Ok::<(), kargojet_core::Error>(()) }).map_err(|e| e.to_string())?;
//! # Ok::<(), String>(())
//! ```

use chrono::{DateTime, Utc};
use kargojet_core::error::Error;
use kargojet_core::time::Clock;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;
use tokio::sync::Mutex;

/// A bearer/session token and the moment it stops working.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The token itself (never logged).
    pub value: String,
    /// When the carrier stops accepting it.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown: String = self.value.chars().take(4).collect();
        write!(
            f,
            "Token({shown}…, expires {})",
            self.expires_at.to_rfc3339()
        )
    }
}

#[derive(Debug, Default)]
struct State {
    token: Option<Token>,
    /// The error of the fetch numbered `attempts`, shared by every caller that waited for it.
    last_error: Option<Error>,
    /// When the carrier last refused the credentials (an `Error::Auth` from the fetch).
    refused_at: Option<DateTime<Utc>>,
}

/// The cached token of one credential set.
#[derive(Debug)]
pub struct TokenCache {
    clock: Arc<dyn Clock>,
    early: Duration,
    state: Mutex<State>,
    /// Fetches started so far.
    attempts: AtomicU64,
    /// How long a credentials refusal is answered from memory, without a new login.
    failure_hold: Duration,
}

impl TokenCache {
    /// A cache that treats a token as expired `early` before its `expires_at`.
    pub fn new(clock: Arc<dyn Clock>, early: Duration) -> Self {
        TokenCache {
            clock,
            early,
            state: Mutex::new(State::default()),
            attempts: AtomicU64::new(0),
            failure_hold: Duration::ZERO,
        }
    }

    /// After the carrier refuses the credentials (the fetch fails with `Error::Auth`), answers
    /// every `get` with that error for `hold` without logging in again, so wrong credentials
    /// are never hammered (Sendeo blocks users after repeated bad logins). A refusal older
    /// than `hold` allows one new login. Zero (the default) keeps no refusal.
    pub fn with_failure_hold(mut self, hold: Duration) -> Self {
        self.failure_hold = hold;
        self
    }

    fn held(&self, state: &State) -> Option<Error> {
        let at = state.refused_at?;
        let hold = chrono::Duration::from_std(self.failure_hold).ok();
        let end = hold.and_then(|h| at.checked_add_signed(h));
        if end.is_none_or(|end| self.clock.now() < end) {
            state.last_error.clone()
        } else {
            None
        }
    }

    /// How many times a fetch was started (for tests and metrics).
    pub fn fetches(&self) -> u64 {
        self.attempts.load(Ordering::SeqCst)
    }

    fn fresh(&self, t: &Token) -> bool {
        let margin = chrono::Duration::from_std(self.early).unwrap_or(chrono::Duration::zero());
        self.clock.now() + margin < t.expires_at
    }

    /// The cached token, or a new one from `fetch` when there is none or it is about to expire.
    /// Concurrent callers share one fetch: the others wait and get its token — or its error,
    /// so a failing login is tried once per wave of callers, never once per caller (Sendeo
    /// blocks users after repeated bad logins).
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<Token, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Token, Error>>,
    {
        let seen = self.attempts.load(Ordering::SeqCst);
        let mut state = self.state.lock().await;
        if let Some(t) = state.token.as_ref().filter(|t| self.fresh(t)) {
            return Ok(t.clone());
        }
        if let Some(e) = self.held(&state) {
            return Err(e);
        }
        if let Some(e) = state
            .last_error
            .as_ref()
            .filter(|_| self.attempts.load(Ordering::SeqCst) != seen)
        {
            return Err(e.clone());
        }
        self.attempts.fetch_add(1, Ordering::SeqCst);
        match fetch().await {
            Ok(t) => {
                state.token = Some(t.clone());
                state.last_error = None;
                state.refused_at = None;
                Ok(t)
            }
            Err(e) => {
                state.token = None;
                state.refused_at = (matches!(e, Error::Auth { .. })
                    && !self.failure_hold.is_zero())
                .then(|| self.clock.now());
                state.last_error = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Forgets the cached token if it is `failed` (the one a call was just refused with); a
    /// newer token fetched meanwhile by another caller is kept.
    pub async fn invalidate(&self, failed: &str) {
        let mut state = self.state.lock().await;
        if state.token.as_ref().is_some_and(|t| t.value == failed) {
            state.token = None;
        }
    }

    /// Runs `call` with a token; when it fails with an `auth` error, invalidates that token,
    /// fetches a new one and retries the call exactly once. A second `auth` error is returned.
    pub async fn with_token<T, F, FFut, C, CFut>(&self, fetch: F, call: C) -> Result<T, Error>
    where
        F: Fn() -> FFut,
        FFut: Future<Output = Result<Token, Error>>,
        C: Fn(Token) -> CFut,
        CFut: Future<Output = Result<T, Error>>,
    {
        let token = self.get(&fetch).await?;
        let failed = token.value.clone();
        match call(token).await {
            Err(Error::Auth { .. }) => {
                self.invalidate(&failed).await;
                let token = self.get(&fetch).await?;
                call(token).await
            }
            other => other,
        }
    }
}

/// Token caches keyed by credential set (e.g. the user name), created on first use.
#[derive(Debug)]
pub struct TokenCaches {
    clock: Arc<dyn Clock>,
    early: Duration,
    failure_hold: Duration,
    caches: StdMutex<HashMap<String, Arc<TokenCache>>>,
}

impl TokenCaches {
    /// An empty set of caches sharing `clock` and `early`.
    pub fn new(clock: Arc<dyn Clock>, early: Duration) -> Self {
        TokenCaches {
            clock,
            early,
            failure_hold: Duration::ZERO,
            caches: StdMutex::new(HashMap::new()),
        }
    }

    /// Caches created from now on keep a credentials refusal for `hold` (see
    /// [`TokenCache::with_failure_hold`]).
    pub fn with_failure_hold(mut self, hold: Duration) -> Self {
        self.failure_hold = hold;
        self
    }

    /// The cache of credential set `key`.
    pub fn for_key(&self, key: &str) -> Arc<TokenCache> {
        let mut m = self.caches.lock().unwrap_or_else(|p| p.into_inner());
        m.entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(
                    TokenCache::new(self.clock.clone(), self.early)
                        .with_failure_hold(self.failure_hold),
                )
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kargojet_core::error::Code;
    use kargojet_core::time::ManualClock;
    use std::sync::atomic::AtomicUsize;

    fn start() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-05T09:00:00+03:00")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn auth() -> Error {
        Error::Auth {
            code: Code::AuthFailed,
            carrier: None,
            detail: "HTTP 401".into(),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_stampede_of_100_callers_makes_one_fetch() {
        let clock = ManualClock::new(start());
        let cache = Arc::new(TokenCache::new(
            Arc::new(clock.clone()),
            Duration::from_secs(60),
        ));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..100 {
            let cache = cache.clone();
            let calls = calls.clone();
            let now = clock.now();
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok(Token {
                            value: "t1".into(),
                            expires_at: now + chrono::Duration::minutes(60),
                        })
                    })
                    .await
            }));
        }
        for t in tasks {
            let tok = t
                .await
                .map_err(|e| e.to_string())
                .and_then(|r| r.map_err(|e| e.to_string()));
            assert_eq!(tok.map(|t| t.value).as_deref(), Ok("t1"));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(cache.fetches(), 1);
    }

    #[tokio::test]
    async fn refreshes_early_before_expiry() {
        let clock = ManualClock::new(start());
        let cache = TokenCache::new(Arc::new(clock.clone()), Duration::from_secs(60));
        let n = AtomicUsize::new(0);
        let fetch = || async {
            let i = n.fetch_add(1, Ordering::SeqCst);
            Ok(Token {
                value: format!("t{i}"),
                expires_at: clock.now() + chrono::Duration::minutes(60),
            })
        };
        assert_eq!(
            cache.get(fetch).await.map(|t| t.value).ok().as_deref(),
            Some("t0")
        );
        clock.advance(Duration::from_secs(58 * 60));
        assert_eq!(
            cache.get(fetch).await.map(|t| t.value).ok().as_deref(),
            Some("t0")
        );
        clock.advance(Duration::from_secs(61));
        assert_eq!(
            cache.get(fetch).await.map(|t| t.value).ok().as_deref(),
            Some("t1")
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_login_is_tried_once_per_wave() {
        let clock = ManualClock::new(start());
        let cache = Arc::new(TokenCache::new(Arc::new(clock), Duration::ZERO));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (cache, calls) = (cache.clone(), calls.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Err::<Token, _>(auth())
                    })
                    .await
            }));
        }
        for t in tasks {
            let r = t.await.map_err(|e| e.to_string());
            assert!(matches!(r, Ok(Err(Error::Auth { .. }))));
        }
        assert!(
            calls.load(Ordering::SeqCst) <= 2,
            "{} logins",
            calls.load(Ordering::SeqCst)
        );
    }

    #[tokio::test]
    async fn a_401_refreshes_once_and_retries_once() {
        let clock = ManualClock::new(start());
        let cache = TokenCache::new(Arc::new(clock.clone()), Duration::ZERO);
        let fetched = AtomicUsize::new(0);
        let fetch = || async {
            let i = fetched.fetch_add(1, Ordering::SeqCst);
            Ok(Token {
                value: format!("t{i}"),
                expires_at: clock.now() + chrono::Duration::minutes(60),
            })
        };
        // The server revoked t0: the first call gets 401, the retry with t1 succeeds.
        let calls = AtomicUsize::new(0);
        let r = cache
            .with_token(fetch, |t| async {
                calls.fetch_add(1, Ordering::SeqCst);
                if t.value == "t0" {
                    Err(auth())
                } else {
                    Ok(t.value)
                }
            })
            .await;
        assert_eq!(r.ok().as_deref(), Some("t1"));
        assert_eq!(
            (calls.load(Ordering::SeqCst), fetched.load(Ordering::SeqCst)),
            (2, 2)
        );

        // A call that keeps failing is tried exactly twice and the auth error comes back.
        let calls = AtomicUsize::new(0);
        let r: Result<(), Error> = cache
            .with_token(fetch, |_| async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(auth())
            })
            .await;
        assert!(matches!(r, Err(Error::Auth { .. })));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(fetched.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_refused_login_is_held_and_not_retried_until_the_hold_ends() {
        let clock = ManualClock::new(start());
        let cache = TokenCache::new(Arc::new(clock.clone()), Duration::ZERO)
            .with_failure_hold(Duration::from_secs(600));
        let logins = AtomicUsize::new(0);
        let refuse = || async {
            logins.fetch_add(1, Ordering::SeqCst);
            Err::<Token, _>(auth())
        };
        for _ in 0..5 {
            assert!(matches!(cache.get(refuse).await, Err(Error::Auth { .. })));
        }
        assert_eq!(logins.load(Ordering::SeqCst), 1, "one login for five calls");
        // A transport failure is not held: the next call logs in again.
        let flaky = TokenCache::new(Arc::new(clock.clone()), Duration::ZERO)
            .with_failure_hold(Duration::from_secs(600));
        let tries = AtomicUsize::new(0);
        let down = || async {
            tries.fetch_add(1, Ordering::SeqCst);
            Err::<Token, _>(Error::internal("down"))
        };
        let _ = flaky.get(down).await;
        let _ = flaky.get(down).await;
        assert_eq!(tries.load(Ordering::SeqCst), 2);
        // After the hold, one new login is allowed.
        clock.advance(Duration::from_secs(601));
        let ok = cache
            .get(|| async {
                logins.fetch_add(1, Ordering::SeqCst);
                Ok(Token {
                    value: "t".into(),
                    expires_at: clock.now() + chrono::Duration::hours(20),
                })
            })
            .await;
        assert_eq!(ok.map(|t| t.value).ok().as_deref(), Some("t"));
        assert_eq!(logins.load(Ordering::SeqCst), 2);
        let held = TokenCaches::new(Arc::new(clock), Duration::ZERO)
            .with_failure_hold(Duration::from_secs(5));
        assert_eq!(held.for_key("a").failure_hold, Duration::from_secs(5));
    }

    #[tokio::test]
    async fn invalidate_only_drops_the_failed_token() {
        let clock = ManualClock::new(start());
        let cache = TokenCache::new(Arc::new(clock.clone()), Duration::ZERO);
        let exp = clock.now() + chrono::Duration::minutes(5);
        let t = cache
            .get(|| async {
                Ok(Token {
                    value: "new".into(),
                    expires_at: exp,
                })
            })
            .await;
        assert!(t.is_ok());
        cache.invalidate("old").await;
        let again = cache
            .get(|| async { Err(Error::internal("must not refetch")) })
            .await;
        assert_eq!(again.map(|t| t.value).ok().as_deref(), Some("new"));
        cache.invalidate("new").await;
        let after = cache
            .get(|| async {
                Ok(Token {
                    value: "newer".into(),
                    expires_at: exp,
                })
            })
            .await;
        assert_eq!(after.map(|t| t.value).ok().as_deref(), Some("newer"));
        let caches = TokenCaches::new(Arc::new(clock), Duration::ZERO);
        assert!(Arc::ptr_eq(&caches.for_key("a"), &caches.for_key("a")));
        assert!(!Arc::ptr_eq(&caches.for_key("a"), &caches.for_key("b")));
    }
}
