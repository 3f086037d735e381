//! The sandbox's token-using connectors (HepsiJET, MNG, Sendeo) follow the simulators' clock:
//! when simulated time passes a token's lifetime, the connector refreshes it before the call
//! instead of sending the expired token and learning about it from a 401.
#![allow(clippy::unwrap_used)]

use chrono::TimeZone;
use kargojet::carrier::{AccountId, Carrier, CarrierId, ReferenceLookup};
use kargojet::sandbox::Sandbox;
use kargojet::shipment::MerchantKey;
use kargojet::time::ManualClock;
use std::sync::Arc;
use std::time::Duration;

fn connector(s: &Sandbox, id: &CarrierId) -> Arc<dyn Carrier> {
    s.connectors()
        .iter()
        .find(|c| c.id() == *id)
        .cloned()
        .unwrap()
}

/// Looks `key` up twice at `id`, `gap` of simulated time apart (both lookups must succeed;
/// nothing exists under `key`).
async fn two_lookups(s: &Sandbox, id: CarrierId, key: &str, gap: Duration) {
    let c = connector(s, &id);
    let key = MerchantKey(key.into());
    let first = c.find_by_reference(&key, &AccountId::platform()).await;
    assert!(
        !matches!(first, Ok(ReferenceLookup::Found(_))),
        "{id}: nothing was created under {key}"
    );
    s.advance(gap);
    let second = c.find_by_reference(&key, &AccountId::platform()).await;
    assert!(second.is_ok(), "{id}: {second:?}");
}

#[tokio::test]
async fn token_connectors_refresh_on_the_simulated_clock() {
    // A simulated clock far from the wall clock: connectors on the system clock would keep an
    // expired token (or drop a fresh one) and only recover through a 401.
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 3, 12, 9, 0, 0).unwrap());
    let s = Sandbox::start_at(clock).unwrap();

    two_lookups(
        &s,
        CarrierId::Hepsijet,
        "KRJ2403129901",
        Duration::from_secs(2 * 3600),
    )
    .await;
    assert_eq!(
        s.hepsijet.calls("getToken"),
        2,
        "the token expired after 60 min"
    );
    assert_eq!(
        s.hepsijet.calls("integrationTrack"),
        2,
        "no call was sent with the expired token"
    );

    two_lookups(
        &s,
        CarrierId::Mng,
        "KJ2400009901",
        Duration::from_secs(2 * 3600),
    )
    .await;
    assert_eq!(
        s.mng.calls("token"),
        2,
        "the JWT expired at its jwtExpireDate"
    );
    assert_eq!(
        s.mng.calls("getshipmentstatus"),
        2,
        "no call was sent with the expired JWT"
    );

    two_lookups(
        &s,
        CarrierId::Sendeo,
        "KJ2400009902",
        Duration::from_secs(21 * 3600),
    )
    .await;
    assert_eq!(
        s.sendeo.calls("LoginAES"),
        2,
        "the token expired after 20 h"
    );
    assert_eq!(
        s.sendeo.calls("TRACKDELIVERY"),
        2,
        "no call was sent with the expired token"
    );
}
