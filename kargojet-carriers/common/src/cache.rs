//! A keyed cache of carrier lookups (city/district code lists, branch lists) that expire after a
//! time to live on the injected clock, with one fetch in flight per key however many callers
//! wait. Failed fetches are not cached.
//!
//! ```
//! use kargojet_carrier_common::cache::TtlCache;
//! use kargojet_core::time::ManualClock;
//! use std::sync::Arc;
//! use std::time::Duration;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?.block_on(async {
//! let clock = ManualClock::new(chrono::Utc::now());
//! let cities: TtlCache<(), Vec<String>> = TtlCache::new(Arc::new(clock.clone()), Duration::from_secs(3600));
//! let list = cities.get_or_fetch((), || async { Ok(vec!["İSTANBUL".to_string()]) }).await?;
//! // Cached: the second fetch is never called.
//! let again = cities.get_or_fetch((), || async { Err(kargojet_core::Error::internal("not called")) }).await?;
//! assert_eq!(list, again);
//! # Ok::<(), kargojet_core::Error>(()) }).map_err(|e| e.to_string())?;
//! # Ok::<(), String>(())
//! ```

use chrono::{DateTime, Utc};
use kargojet_core::error::Error;
use kargojet_core::time::Clock;
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;
use tokio::sync::Mutex;

type Slot<V> = Arc<Mutex<Option<(DateTime<Utc>, V)>>>;

/// Values by key, each fetched once and kept for `ttl`.
pub struct TtlCache<K, V> {
    clock: Arc<dyn Clock>,
    ttl: Duration,
    slots: StdMutex<HashMap<K, Slot<V>>>,
    fetches: AtomicU64,
}

impl<K, V> std::fmt::Debug for TtlCache<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TtlCache")
            .field("ttl", &self.ttl)
            .field("fetches", &self.fetches.load(Ordering::SeqCst))
            .finish_non_exhaustive()
    }
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    /// An empty cache whose entries live `ttl` on `clock`.
    pub fn new(clock: Arc<dyn Clock>, ttl: Duration) -> Self {
        TtlCache {
            clock,
            ttl,
            slots: StdMutex::new(HashMap::new()),
            fetches: AtomicU64::new(0),
        }
    }

    /// The cached value of `key`, or a new one from `fetch` when there is none or it is older
    /// than the time to live. Concurrent callers for one key share one fetch; an error is
    /// returned to the caller that fetched and nothing is cached, so the next caller fetches.
    pub async fn get_or_fetch<F, Fut>(&self, key: K, fetch: F) -> Result<V, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, Error>>,
    {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            slots.entry(key).or_default().clone()
        };
        let mut held = slot.lock().await;
        let ttl = chrono::Duration::from_std(self.ttl).unwrap_or(chrono::Duration::MAX);
        if let Some((at, v)) = held.as_ref() {
            if at
                .checked_add_signed(ttl)
                .is_none_or(|end| self.clock.now() < end)
            {
                return Ok(v.clone());
            }
        }
        self.fetches.fetch_add(1, Ordering::SeqCst);
        let value = fetch().await?;
        *held = Some((self.clock.now(), value.clone()));
        Ok(value)
    }

    /// Forgets every value.
    pub fn clear(&self) {
        self.slots.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// How many fetches were started (for tests and metrics).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kargojet_core::time::ManualClock;
    use std::sync::atomic::AtomicUsize;

    fn clock() -> ManualClock {
        ManualClock::new(
            DateTime::parse_from_rfc3339("2026-01-05T09:00:00+03:00")
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_default(),
        )
    }

    #[tokio::test]
    async fn values_expire_after_the_ttl_and_errors_are_not_kept() {
        let clock = clock();
        let cache: TtlCache<u32, String> =
            TtlCache::new(Arc::new(clock.clone()), Duration::from_secs(60));
        let n = AtomicUsize::new(0);
        let fetch = || async {
            let i = n.fetch_add(1, Ordering::SeqCst);
            Ok(format!("v{i}"))
        };
        assert_eq!(
            cache.get_or_fetch(1, fetch).await.ok().as_deref(),
            Some("v0")
        );
        assert_eq!(
            cache.get_or_fetch(1, fetch).await.ok().as_deref(),
            Some("v0")
        );
        assert_eq!(
            cache.get_or_fetch(2, fetch).await.ok().as_deref(),
            Some("v1")
        );
        clock.advance(Duration::from_secs(61));
        assert_eq!(
            cache.get_or_fetch(1, fetch).await.ok().as_deref(),
            Some("v2")
        );
        let failing = || async { Err::<String, _>(Error::internal("down")) };
        assert!(cache.get_or_fetch(3, failing).await.is_err());
        assert_eq!(
            cache.get_or_fetch(3, fetch).await.ok().as_deref(),
            Some("v3")
        );
        assert_eq!(cache.fetches(), 5);
        cache.clear();
        assert_eq!(
            cache.get_or_fetch(1, fetch).await.ok().as_deref(),
            Some("v4")
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_fetch() {
        let cache: Arc<TtlCache<(), u32>> =
            Arc::new(TtlCache::new(Arc::new(clock()), Duration::from_secs(60)));
        let calls = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (cache, calls) = (cache.clone(), calls.clone());
                tokio::spawn(async move {
                    cache
                        .get_or_fetch((), || async move {
                            calls.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            Ok(7)
                        })
                        .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.ok().and_then(Result::ok), Some(7));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
