//! Faults over a real socket: a create that times out after processing is `MaybeSent` and is
//! reconciled without a second shipment; 5xx on track is retried; malformed, empty, truncated
//! and wrongly encoded answers are `protocol.malformed` with the raw body; carrier errors inside
//! HTTP 200 are `carrier.rejected` with `carrier_code`.

mod support;

use kargojet_aras::Aras;
use kargojet_aras::sim::ops;
use kargojet_carrier_common::sim::dead_endpoint;
use kargojet_core::carrier::{Carrier, ReferenceLookup};
use kargojet_core::error::{Code, SendState};
use kargojet_core::time::Clock;
use kargojet_core::tracking::ShipmentStatus;
use std::time::Duration;
use support::{TestResult, reference, request, start};

#[tokio::test]
async fn a_timeout_after_processing_is_maybe_sent_and_found_by_reference() -> TestResult {
    let (sim, aras) = start()?;
    sim.create_shipment().timeout().after_processing();
    let req = request("KJ2600000101")?;
    let e = aras.create(&req).await.err().ok_or("create succeeded")?;
    assert_eq!(e.send_state(), Some(SendState::MaybeSent), "{e}");
    assert!(e.is_maybe_sent());
    // Before the waybill the query service has nothing; the order service has the order.
    match aras
        .find_by_reference(&req.merchant_key, &req.account)
        .await?
    {
        ReferenceLookup::Found(c) => assert_eq!(c.merchant_key, req.merchant_key),
        other => return Err(format!("not found: {other:?}").into()),
    }
    assert_eq!(sim.calls(ops::GET_ORDER), 1);
    // After the waybill, the query service answers conclusively, with the tracking number.
    sim.clock().advance(Duration::from_secs(3 * 3600));
    match aras
        .find_by_reference(&req.merchant_key, &req.account)
        .await?
    {
        ReferenceLookup::Found(c) => assert_eq!(
            c.carrier_tracking_number,
            sim.tracking_number("KJ2600000101")
        ),
        other => return Err(format!("not found: {other:?}").into()),
    }
    assert_eq!(
        sim.calls(ops::GET_ORDER),
        1,
        "the conclusive query answer needs no second lookup"
    );
    assert_eq!(sim.order_count(), 1);
    assert_eq!(sim.calls(ops::SET_ORDER), 1, "never re-created");
    Ok(())
}

#[tokio::test]
async fn resending_with_the_same_key_is_success_and_keeps_one_shipment() -> TestResult {
    let (sim, aras) = start()?;
    assert!(aras.reconciliation().resend_is_safe);
    sim.create_shipment().timeout().after_processing();
    let mut req = request("KJ2600000102")?;
    assert!(
        aras.create(&req)
            .await
            .err()
            .is_some_and(|e| e.is_maybe_sent())
    );
    req.attempt = 1;
    let created = aras.create(&req).await?;
    assert_eq!(created.merchant_key.as_str(), "KJ2600000102");
    assert_eq!((sim.order_count(), sim.sends("KJ2600000102")), (1, 2));
    // After the waybill is cut, a resend is the carrier's duplicate answer (counts as success).
    sim.clock().advance(Duration::from_secs(3 * 3600));
    req.attempt = 2;
    let e = aras
        .create(&req)
        .await
        .err()
        .ok_or("resend after waybill succeeded")?;
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierDuplicate, Some("60020"))
    );
    assert_eq!(sim.order_count(), 1);
    Ok(())
}

#[tokio::test]
async fn the_twentieth_send_is_the_last_one_made() -> TestResult {
    let (sim, aras) = start()?;
    let mut req = request("KJ2600000103")?;
    for attempt in 0..20 {
        req.attempt = attempt;
        aras.create(&req).await?;
    }
    assert_eq!(sim.sends("KJ2600000103"), 20);
    req.attempt = 20;
    let e = aras.create(&req).await.err().ok_or("21st send made")?;
    assert_eq!(e.code(), Code::ShipmentInvalidState);
    assert_eq!(
        sim.calls(ops::SET_ORDER),
        20,
        "the connector stops before 70035"
    );
    assert_eq!(aras.reconciliation().max_resends, 19);
    Ok(())
}

#[tokio::test]
async fn server_errors_on_track_are_retried() -> TestResult {
    let (sim, aras) = start()?;
    aras.create(&request("KJ2600000104")?).await?;
    sim.clock().advance(Duration::from_secs(3 * 3600));
    sim.track().error500().times(2);
    let u = aras.track(&reference("KJ2600000104")).await?;
    assert_eq!(u.status, Some(ShipmentStatus::PickedUp));
    assert_eq!(sim.calls(ops::QUERY_JSON), 3);
    Ok(())
}

#[tokio::test]
async fn malformed_empty_truncated_and_misencoded_answers_keep_the_raw_body() -> TestResult {
    let (sim, aras) = start()?;
    aras.create(&request("KJ2600000105")?).await?;
    let r = reference("KJ2600000105");
    sim.track().malformed();
    let e = aras.track(&r).await.err().ok_or("malformed accepted")?;
    assert_eq!(e.code(), Code::ProtocolMalformed);
    assert!(e.raw().is_some_and(|raw| raw.contains("<broken")), "{e:?}");
    sim.track().status_body(200, "");
    assert_eq!(
        aras.track(&r).await.err().map(|e| e.code()),
        Some(Code::ProtocolMalformed)
    );
    // A body cut mid-transfer is retried (tracking is safe to repeat); when every attempt is
    // cut, the caller gets a transport error, never a panic or a half-parsed answer.
    sim.track().truncate_body();
    assert!(aras.track(&r).await.is_ok());
    sim.track().truncate_body().times(3);
    let e = aras.track(&r).await.err().ok_or("cut bodies accepted")?;
    assert_eq!(e.code(), Code::TransportConnection, "{e}");
    let half = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><GetQueryJSONResponse xmlns=\"http://tempuri.org/\"><GetQueryJSONResult>{\"QueryResult\":{\"Cargo\":{\"DURUM_KODU\":";
    sim.track().status_body(200, half);
    let e = aras.track(&r).await.err().ok_or("truncated accepted")?;
    assert_eq!((e.code(), e.raw()), (Code::ProtocolMalformed, Some(half)));
    let json_cut = format!(
        "{}{}",
        half.replace(
            "{\"QueryResult\":{\"Cargo\":{\"DURUM_KODU\":",
            "{\"QueryResult\":{"
        ),
        "</GetQueryJSONResult></GetQueryJSONResponse></s:Body></s:Envelope>"
    );
    sim.track().status_body(200, json_cut.clone());
    let e = aras.track(&r).await.err().ok_or("cut JSON accepted")?;
    assert_eq!(
        (e.code(), e.raw()),
        (Code::ProtocolMalformed, Some(json_cut.as_str()))
    );
    // A legacy code-page answer is refused with the (lossily decoded) body kept.
    sim.clock().advance(Duration::from_secs(3 * 3600));
    sim.answer_in_windows_1254(1);
    let e = aras
        .track(&r)
        .await
        .err()
        .ok_or("Windows-1254 body accepted")?;
    assert_eq!(e.code(), Code::ProtocolMalformed);
    assert!(
        e.raw()
            .is_some_and(|raw| raw.contains("GetQueryJSONResult") && raw.contains('\u{fffd}')),
        "{e:?}"
    );
    sim.clock().set(support::clock().now());
    // Everything works again afterwards.
    assert_eq!(aras.track(&r).await?.status, Some(ShipmentStatus::Created));
    Ok(())
}

#[tokio::test]
async fn carrier_errors_inside_http_200_are_rejections_with_the_carrier_code() -> TestResult {
    let (sim, aras) = start()?;
    sim.create_shipment().reject("1002");
    let e = aras
        .create(&request("KJ2600000106")?)
        .await
        .err()
        .ok_or("rejected create succeeded")?;
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("1002"))
    );
    assert!(e.message_tr().contains("şube"));
    assert_eq!(sim.order_count(), 0);
    sim.create_shipment().reject("1000");
    assert_eq!(
        aras.create(&request("KJ2600000106")?)
            .await
            .err()
            .map(|e| e.code()),
        Some(Code::AuthFailed)
    );
    sim.cancel().reject("936");
    let e = aras
        .cancel(&reference("KJ2600000106"))
        .await
        .err()
        .ok_or("rejected cancel succeeded")?;
    assert_eq!(e.carrier_code(), Some("936"));
    Ok(())
}

#[tokio::test]
async fn wrong_query_credentials_are_auth_errors_and_dead_hosts_are_not_sent() -> TestResult {
    let (sim, _) = start()?;
    let mut cfg = sim.connector_config();
    for a in cfg.accounts.values_mut() {
        a.query.customer_code = "1111111111111".into();
    }
    let aras = Aras::with_http(cfg, sim.http_config())?;
    assert_eq!(
        aras.track(&reference("KJ2600000107"))
            .await
            .err()
            .map(|e| e.code()),
        Some(Code::AuthFailed)
    );
    let mut cfg = sim.connector_config();
    cfg.order_url = format!(
        "{}/arascargoservice/arascargoservice.asmx",
        dead_endpoint()?
    );
    let dead = Aras::with_http(cfg, sim.http_config())?;
    let e = dead
        .create(&request("KJ2600000108")?)
        .await
        .err()
        .ok_or("create to a dead host succeeded")?;
    assert_eq!(e.send_state(), Some(SendState::NotSent));
    Ok(())
}
