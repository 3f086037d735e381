//! Faults against the simulator over a real socket: a create that times out after PTT
//! processed it is `MaybeSent` and is reconciled without a second record; 5xx on tracking is
//! retried; malformed, truncated and wrongly encoded answers are protocol errors with the raw
//! body; in-band errors inside HTTP 200 are `carrier.rejected` with PTT's code.

#![cfg(feature = "sim")]
#![allow(clippy::unwrap_used)]

mod support;

use kargojet_core::carrier::{AccountId, Carrier, ReferenceLookup, ShipmentRef};
use kargojet_core::shipment::MerchantKey;
use kargojet_core::{Code, SendState};
use std::collections::BTreeMap;
use std::time::Duration;
use support::*;

fn sref(key: &MerchantKey) -> ShipmentRef {
    ShipmentRef {
        merchant_key: key.clone(),
        carrier_tracking_number: None,
        carrier_refs: BTreeMap::new(),
        account: AccountId::platform(),
    }
}

#[tokio::test]
async fn create_timeout_after_processing_is_maybe_sent_and_reconciled_by_resend() {
    let r = rig();
    let key = new_key(&r.ptt).await;
    r.sim.create_shipment().timeout().after_processing();
    let err = r.ptt.create(&request(&key)).await.err().unwrap();
    assert_eq!(err.code(), Code::TransportTimeout, "{err}");
    assert_eq!(err.send_state(), Some(SendState::MaybeSent));
    assert!(err.is_maybe_sent());
    assert_eq!(r.sim.shipments().len(), 1, "PTT processed it");

    // PTT's lookup is not conclusive right after loading: an empty result.
    let rec = r.ptt.reconciliation();
    assert!(!rec.lookup_conclusive && rec.resend_is_safe);
    let lookup = r
        .ptt
        .find_by_reference(&key, &AccountId::platform())
        .await
        .unwrap();
    assert_eq!(lookup, ReferenceLookup::Inconclusive);

    // Resend with the same barkodNo: PTT's duplicate answer counts as success.
    let mut again = request(&key);
    again.attempt = 1;
    let dup = r.ptt.create(&again).await.err().unwrap();
    assert_eq!(dup.code(), Code::CarrierDuplicate, "{dup}");
    assert_eq!(dup.carrier_code(), Some("0"));
    assert_eq!(r.sim.shipments().len(), 1, "exactly one record for the key");
    assert_eq!(r.sim.server().calls("kabulEkle2"), 2);

    // Once registered, the lookup finds it.
    r.clock.advance(Duration::from_secs(3 * 3600));
    match r
        .ptt
        .find_by_reference(&key, &AccountId::platform())
        .await
        .unwrap()
    {
        ReferenceLookup::Found(c) => {
            assert_eq!(c.carrier_tracking_number.as_deref(), Some(key.as_str()))
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn create_is_never_retried_on_5xx() {
    let r = rig();
    let key = new_key(&r.ptt).await;
    r.sim.create_shipment().error500();
    let err = r.ptt.create(&request(&key)).await.err().unwrap();
    assert_eq!(err.code(), Code::TransportHttpStatus);
    assert_eq!(r.sim.server().calls("kabulEkle2"), 1);
    assert!(r.sim.shipments().is_empty());
}

#[tokio::test]
async fn tracking_5xx_is_retried_and_succeeds() {
    let r = rig();
    let key = new_key(&r.ptt).await;
    r.ptt.create(&request(&key)).await.unwrap();
    r.clock.advance(Duration::from_secs(30 * 3600));
    r.sim.track().error500().times(2);
    let u = r.ptt.track(&sref(&key)).await.unwrap();
    assert_eq!(u.events.len(), 4);
    assert_eq!(r.sim.server().calls("gonderiSorgu"), 3);
}

#[tokio::test]
async fn malformed_and_truncated_answers_are_protocol_errors_with_the_raw_body() {
    let r = rig();
    let key = new_key(&r.ptt).await;
    r.ptt.create(&request(&key)).await.unwrap();
    r.clock.advance(Duration::from_secs(30 * 3600));
    r.sim.track().malformed();
    let e = r.ptt.track(&sref(&key)).await.err().unwrap();
    assert_eq!(e.code(), Code::ProtocolMalformed, "{e}");
    assert!(e.raw().is_some_and(|raw| raw.contains("<broken")), "{e:?}");
    r.sim.track().malformed().after_processing();
    let e = r.ptt.track(&sref(&key)).await.err().unwrap();
    assert_eq!(e.code(), Code::ProtocolMalformed, "{e}");
    assert!(
        e.raw()
            .is_some_and(|raw| raw.contains("gonderiSorguResponse")),
        "{e:?}"
    );
    r.sim.track().truncate_body().times(3); // the first try and both retries
    let e = r.ptt.track(&sref(&key)).await.err().unwrap();
    assert!(
        matches!(
            e.code(),
            Code::ProtocolMalformed | Code::TransportConnection | Code::TransportTimeout
        ),
        "{e}"
    );
    r.sim.track().status_body(200, "");
    let e = r.ptt.track(&sref(&key)).await.err().unwrap();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    r.sim.track().status_body(200, "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><ns:gonderiSorguResponse xmlns:ns=\"http://takip.ptt.gov.tr\"><ns:return><ax:BARNO");
    let e = r.ptt.track(&sref(&key)).await.err().unwrap();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    assert!(e.raw().is_some_and(|raw| raw.ends_with("<ax:BARNO")));
}

#[tokio::test]
async fn carrier_errors_inside_http_200_are_rejections_with_the_carrier_code() {
    let r = rig();
    let key = new_key(&r.ptt).await;
    r.sim.create_shipment().reject("3");
    let e = r.ptt.create(&request(&key)).await.err().unwrap();
    assert_eq!(e.code(), Code::CarrierRejected);
    assert_eq!(e.carrier_code(), Some("3"));
    assert!(r.sim.shipments().is_empty());
    r.sim.create_shipment().reject("-1");
    assert_eq!(
        r.ptt.create(&request(&key)).await.err().map(|e| e.code()),
        Some(Code::AuthFailed)
    );
    r.sim.cancel().reject("7");
    assert_eq!(
        r.ptt
            .cancel(&sref(&key))
            .await
            .err()
            .and_then(|e| e.carrier_code().map(str::to_string))
            .as_deref(),
        Some("7")
    );
}

#[tokio::test]
async fn wrong_credentials_are_auth_failures() {
    let r = rig_with(|c| c.acceptance.sifre = "wrong".into());
    let key = new_key(&r.ptt).await;
    let e = r.ptt.create(&request(&key)).await.err().unwrap();
    assert_eq!(e.code(), Code::AuthFailed, "{e}");
    let t = rig_with(|c| c.tracking.sifre = "wrong".into());
    assert_eq!(
        t.ptt.track(&sref(&key)).await.err().map(|e| e.code()),
        Some(Code::AuthFailed)
    );
}

#[tokio::test]
async fn dropped_connections_on_create_are_not_retried() {
    let r = rig();
    let key = new_key(&r.ptt).await;
    r.sim.create_shipment().drop_connection();
    let e = r.ptt.create(&request(&key)).await.err().unwrap();
    assert!(
        e.send_state().is_some_and(|s| s != SendState::NotSent)
            || e.code() == Code::ProtocolMalformed,
        "{e}"
    );
    assert_eq!(r.sim.server().calls("kabulEkle2"), 1);
}

#[tokio::test]
async fn a_dead_endpoint_is_not_sent() {
    let dead = kargojet_carrier_common::sim::dead_endpoint().unwrap();
    let r = rig_with(|c| {
        c.acceptance_url = format!("{dead}{}", kargojet_ptt::wire::PATH_ACCEPTANCE);
    });
    let key = new_key(&r.ptt).await;
    let e = r.ptt.create(&request(&key)).await.err().unwrap();
    assert_eq!(e.send_state(), Some(SendState::NotSent), "{e}");
}
