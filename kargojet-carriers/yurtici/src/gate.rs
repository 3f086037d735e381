//! The client side of Yurtiçi's block on an identical `queryShipment` within about a minute:
//! remembers when each distinct query (user + key set) was last sent and waits, on the
//! connector's clock, until the interval has passed before sending it again.

use crate::config::Sleeper;
use chrono::{DateTime, Utc};
use kargojet_core::time::SharedClock;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Last-sent times of distinct queries.
#[derive(Debug)]
pub struct QueryGate {
    interval: Duration,
    last: Mutex<HashMap<String, DateTime<Utc>>>,
}

impl QueryGate {
    /// A gate enforcing `interval` between identical queries.
    pub fn new(interval: Duration) -> QueryGate {
        QueryGate {
            interval,
            last: Mutex::new(HashMap::new()),
        }
    }

    /// The identity of a query: the user and the sorted, de-duplicated keys.
    pub fn identity(user: &str, keys: &[&str]) -> String {
        let mut k: Vec<&str> = keys.to_vec();
        k.sort_unstable();
        k.dedup();
        format!("{user}\u{1f}{}", k.join("\u{1f}"))
    }

    /// How long the query `id` must still wait at `now`.
    pub fn wait_for(&self, id: &str, now: DateTime<Utc>) -> Duration {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        match last.get(id) {
            None => Duration::ZERO,
            Some(t) => {
                let next = *t
                    + chrono::Duration::from_std(self.interval).unwrap_or(chrono::Duration::zero());
                (next - now).to_std().unwrap_or(Duration::ZERO)
            }
        }
    }

    /// Records that `id` was sent at `at`.
    pub fn record(&self, id: &str, at: DateTime<Utc>) {
        self.last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_string(), at);
    }

    /// Waits until `id` may be sent, then records it as sent now. Returns how long it waited.
    pub async fn pass(&self, id: &str, clock: &SharedClock, sleeper: &dyn Sleeper) -> Duration {
        let wait = self.wait_for(id, clock.now());
        if !wait.is_zero() {
            sleeper.sleep(wait).await;
        }
        self.record(id, clock.now());
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kargojet_core::time::{Clock, ManualClock};

    #[test]
    fn identical_queries_wait_the_interval_and_others_do_not() {
        let clock = ManualClock::new(DateTime::<Utc>::UNIX_EPOCH);
        let g = QueryGate::new(Duration::from_secs(60));
        let a = QueryGate::identity("U", &["K2", "K1"]);
        assert_eq!(a, QueryGate::identity("U", &["K1", "K2", "K1"]));
        assert_eq!(g.wait_for(&a, clock.now()), Duration::ZERO);
        g.record(&a, clock.now());
        clock.advance(Duration::from_secs(20));
        assert_eq!(g.wait_for(&a, clock.now()), Duration::from_secs(40));
        assert_eq!(
            g.wait_for(&QueryGate::identity("U", &["K1"]), clock.now()),
            Duration::ZERO
        );
        clock.advance(Duration::from_secs(40));
        assert_eq!(g.wait_for(&a, clock.now()), Duration::ZERO);
    }
}
