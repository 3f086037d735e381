//! Time: an injected [`Clock`] so that nothing but the clock reads the wall clock, and the
//! Turkey offset (UTC+3, no daylight saving since 2016) that carrier times use.

use chrono::{DateTime, FixedOffset, Utc};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A source of the current time. Production uses [`SystemClock`]; tests and simulators use
/// [`ManualClock`] and advance it by hand.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now, in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told to; cloning shares the same time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    /// A clock stopped at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
        *now += chrono::Duration::from_std(by).unwrap_or(chrono::Duration::zero());
    }

    /// Sets the clock.
    pub fn set(&self, to: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|p| p.into_inner()) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A shared clock handle.
pub type SharedClock = Arc<dyn Clock>;

/// Türkiye's fixed offset, UTC+03:00.
pub fn turkey_offset() -> FixedOffset {
    // 3 * 3600 s is always in range; the fallback only satisfies the type.
    FixedOffset::east_opt(3 * 3600).unwrap_or_else(|| Utc.fix())
}

use chrono::Offset;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_advances_and_is_shared() {
        let start = DateTime::parse_from_rfc3339("2026-01-05T09:00:00+03:00")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        let c = ManualClock::new(start);
        let c2 = c.clone();
        c.advance(Duration::from_secs(61));
        assert_eq!((c2.now() - start).num_seconds(), 61);
        assert_eq!(turkey_offset().local_minus_utc(), 10800);
    }
}
