//! Scripted per-shipment state machines: a [`Timeline`] says which state a shipment is in a
//! given time after its creation, so a simulator advanced by a `ManualClock` is deterministic.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// A script of `(offset from creation, state)` steps, in increasing offset order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline<S> {
    steps: Vec<(Duration, S)>,
}

impl<S> Timeline<S> {
    /// A timeline from steps; they are sorted by offset (stable, so equal offsets keep their
    /// order).
    pub fn new(mut steps: Vec<(Duration, S)>) -> Self {
        steps.sort_by_key(|(d, _)| *d);
        Timeline { steps }
    }

    /// The steps, sorted.
    pub fn steps(&self) -> &[(Duration, S)] {
        &self.steps
    }

    /// The state at `now` for a shipment created at `created_at`: the last step whose offset
    /// has passed, or `None` before the first step.
    pub fn state_at(&self, created_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<&S> {
        self.reached(created_at, now).last().map(|(_, s)| s)
    }

    /// Every step reached by `now`, with the moment it happened (for tracking histories).
    pub fn reached(
        &self,
        created_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> impl Iterator<Item = (DateTime<Utc>, &S)> {
        let elapsed = (now - created_at).to_std().ok();
        self.steps.iter().filter_map(move |(d, s)| {
            let e = elapsed?;
            if *d <= e {
                let at =
                    created_at + chrono::Duration::from_std(*d).unwrap_or(chrono::Duration::zero());
                Some((at, s))
            } else {
                None
            }
        })
    }

    /// The offset of the first step whose state matches `pred` (e.g. when pickup happens, to
    /// refuse cancels after it).
    pub fn offset_of(&self, pred: impl Fn(&S) -> bool) -> Option<Duration> {
        self.steps.iter().find(|(_, s)| pred(s)).map(|(d, _)| *d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_the_script() {
        let t0 = DateTime::parse_from_rfc3339("2026-01-05T09:00:00+03:00")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        let h = |n: u64| Duration::from_secs(n * 3600);
        let tl = Timeline::new(vec![
            (h(24), "delivered"),
            (h(0), "created"),
            (h(2), "picked_up"),
        ]);
        let at = |hours: i64| {
            tl.state_at(t0, t0 + chrono::Duration::hours(hours))
                .copied()
        };
        assert_eq!(at(-1), None);
        assert_eq!(at(0), Some("created"));
        assert_eq!(at(1), Some("created"));
        assert_eq!(at(2), Some("picked_up"));
        assert_eq!(at(30), Some("delivered"));
        let hist: Vec<_> = tl
            .reached(t0, t0 + chrono::Duration::hours(3))
            .map(|(t, s)| ((t - t0).num_hours(), *s))
            .collect();
        assert_eq!(hist, [(0, "created"), (2, "picked_up")]);
        assert_eq!(tl.offset_of(|s| *s == "picked_up"), Some(h(2)));
    }
}
