//! `CarrierHttp` against the simulator framework over real sockets: retries, send states,
//! `Retry-After`, malformed bodies and in-band rejections.

use async_trait::async_trait;
use kargojet_carrier_common::http::{CarrierHttp, HttpConfig, OutgoingRequest};
use kargojet_carrier_common::sim::{
    CarrierFault, SimHandler, SimRequest, SimResponse, SimServer, blackhole_endpoint, dead_endpoint,
};
use kargojet_carrier_common::soap::{SoapBody, SoapVersion, body_of, envelope};
use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error, SendState};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A tiny SOAP service: `create` counts shipments (state), `track` answers the count.
#[derive(Default)]
struct Counter {
    created: AtomicUsize,
}

#[async_trait]
impl SimHandler for Counter {
    fn operation(&self, req: &SimRequest) -> String {
        req.soap_action()
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| req.path.trim_start_matches('/').to_string())
    }

    async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        if let Some(CarrierFault::Reject(code)) = injected {
            let body = format!("<r><outFlag>1</outFlag><errCode>{code}</errCode></r>");
            return SimResponse::xml(200, envelope(SoapVersion::V11, None, &body));
        }
        let n = match self.operation(req).as_str() {
            "create" => self.created.fetch_add(1, Ordering::SeqCst) + 1,
            _ => self.created.load(Ordering::SeqCst),
        };
        SimResponse::xml(
            200,
            envelope(
                SoapVersion::V11,
                None,
                &format!("<r><count>{n}</count></r>"),
            ),
        )
    }
}

fn setup() -> (Arc<Counter>, SimServer, CarrierHttp) {
    let handler = Arc::new(Counter::default());
    let sim = SimServer::start(handler.clone()).expect("sim starts");
    let http = CarrierHttp::new(CarrierId::Yurtici, HttpConfig::fast()).expect("client");
    (handler, sim, http)
}

fn req(sim: &SimServer, op: &'static str) -> OutgoingRequest {
    OutgoingRequest::post(op, format!("{}/ws", sim.base_url())).soap(
        SoapVersion::V11,
        op,
        envelope(SoapVersion::V11, None, "<q/>"),
    )
}

fn count(resp: &kargojet_carrier_common::RawResponse) -> String {
    let text = resp.text();
    match body_of(&text) {
        Ok(SoapBody::Payload { inner_xml, .. }) => inner_xml.to_string(),
        other => panic!("no payload: {other:?}"),
    }
}

#[tokio::test]
async fn idempotent_calls_are_retried_on_5xx_and_succeed() {
    let (_h, sim, http) = setup();
    sim.faults().on("track").error500().times(2);
    let resp = http
        .send(req(&sim, "track").idempotent())
        .await
        .expect("third attempt answers");
    assert_eq!(resp.status, 200);
    assert_eq!(count(&resp), "<r><count>0</count></r>");
    assert_eq!(sim.calls("track"), 3);
    let statuses: Vec<_> = http.last_exchanges().iter().map(|e| e.status).collect();
    assert_eq!(statuses, [Some(500), Some(500), Some(200)]);
}

#[tokio::test]
async fn retries_run_out_and_the_last_answer_is_returned() {
    let (_h, sim, http) = setup();
    sim.faults().on("track").status_body(503, "down").always();
    let resp = http
        .send(req(&sim, "track").idempotent())
        .await
        .expect("an answer");
    assert_eq!(resp.status, 503);
    assert_eq!(sim.calls("track"), 3, "1 + retries(2)");
    let e = resp.check_status(&CarrierId::Yurtici).expect_err("503");
    assert_eq!(
        (e.code(), e.send_state()),
        (Code::TransportHttpStatus, Some(SendState::Sent))
    );
}

#[tokio::test]
async fn a_5xx_marked_final_is_not_retried_and_others_still_are() {
    fn business_error(r: &kargojet_carrier_common::RawResponse) -> bool {
        r.text().contains("ExceptionMessage")
    }
    let (_h, sim, http) = setup();
    sim.faults()
        .on("track")
        .status_body(500, "{\"ExceptionMessage\":\"No Delivery Found.\"}")
        .always();
    let resp = http
        .send(req(&sim, "track").idempotent().final_when(business_error))
        .await
        .expect("an answer");
    assert_eq!(resp.status, 500);
    assert_eq!(sim.calls("track"), 1, "a final answer is never retried");
    sim.faults().clear();
    sim.faults().on("track").error500().times(2);
    let resp = http
        .send(req(&sim, "track").idempotent().final_when(business_error))
        .await
        .expect("an answer");
    assert_eq!(resp.status, 200);
    assert_eq!(sim.calls("track"), 4, "a plain 500 is retried as before");
}

#[tokio::test]
async fn non_idempotent_calls_are_never_retried() {
    let (h, sim, http) = setup();
    sim.faults().on("create").error500().after_processing();
    let resp = http.send(req(&sim, "create")).await.expect("an answer");
    assert_eq!(resp.status, 500);
    assert_eq!(sim.calls("create"), 1);
    assert_eq!(
        h.created.load(Ordering::SeqCst),
        1,
        "processed before the 500"
    );

    sim.faults().on("create").timeout();
    let e = http
        .send(req(&sim, "create").timeout(Duration::from_millis(300)))
        .await
        .expect_err("timeout");
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
    assert_eq!(sim.calls("create"), 2);

    sim.faults().on("create").drop_connection();
    let e = http.send(req(&sim, "create")).await.expect_err("dropped");
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
    assert_eq!(sim.calls("create"), 3);
}

#[tokio::test]
async fn a_timeout_after_processing_is_maybe_sent_and_the_state_changed() {
    let (h, sim, http) = setup();
    sim.faults().on("create").timeout().after_processing();
    let e = http
        .send(req(&sim, "create").timeout(Duration::from_millis(300)))
        .await
        .expect_err("timeout");
    assert!(e.is_maybe_sent());
    assert_eq!(e.code(), Code::TransportTimeout);
    assert_eq!(
        h.created.load(Ordering::SeqCst),
        1,
        "the shipment exists at the carrier"
    );
    // Reconciliation by lookup sees it.
    let resp = http
        .send(req(&sim, "track").idempotent())
        .await
        .expect("track");
    assert_eq!(count(&resp), "<r><count>1</count></r>");
}

#[tokio::test]
async fn idempotent_timeouts_and_drops_are_retried() {
    let (_h, sim, http) = setup();
    sim.faults().on("track").timeout();
    sim.faults().on("track").drop_connection();
    let resp = http
        .send(
            req(&sim, "track")
                .idempotent()
                .timeout(Duration::from_millis(300)),
        )
        .await
        .expect("third try");
    assert_eq!(resp.status, 200);
    assert_eq!(sim.calls("track"), 3);
    let errors: Vec<_> = http
        .last_exchanges()
        .iter()
        .map(|e| e.error.is_some())
        .collect();
    assert_eq!(errors, [true, true, false]);
}

#[tokio::test]
async fn refused_is_not_sent_and_blackhole_is_maybe_sent() {
    let http = CarrierHttp::new(CarrierId::Aras, HttpConfig::fast()).expect("client");
    let dead = dead_endpoint().expect("port");
    let e = http
        .send(OutgoingRequest::post("create", dead.clone()).body("x"))
        .await
        .expect_err("refused");
    assert!(
        matches!(
            e,
            Error::Transport {
                send_state: SendState::NotSent,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(!e.is_maybe_sent());
    let e = http
        .send(OutgoingRequest::get("track", dead))
        .await
        .expect_err("refused");
    assert_eq!(e.send_state(), Some(SendState::NotSent));
    assert_eq!(
        http.last_exchanges().len(),
        1 + 3,
        "create once, track 1 + 2 retries"
    );

    let hole = blackhole_endpoint().expect("blackhole");
    let started = Instant::now();
    let e = http
        .send(
            OutgoingRequest::post("create", hole.base_url())
                .body("x")
                .timeout(Duration::from_millis(250)),
        )
        .await
        .expect_err("no answer");
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
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn retry_after_is_honoured_and_capped() {
    let (_h, sim, http) = setup();
    sim.faults().on("track").retry_after(1);
    let started = Instant::now();
    let resp = http
        .send(req(&sim, "track").idempotent())
        .await
        .expect("after waiting");
    assert_eq!(resp.status, 200);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(sim.calls("track"), 2);

    // Longer than retry_after_max (2 s in `fast`): handed back at once as rate.limited.
    sim.faults().on("track").retry_after(120);
    let started = Instant::now();
    let resp = http
        .send(req(&sim, "track").idempotent())
        .await
        .expect("429");
    assert!(started.elapsed() < Duration::from_secs(1));
    match resp.check_status(&CarrierId::Yurtici) {
        Err(Error::RateLimited { retry_after_ms, .. }) => assert_eq!(retry_after_ms, Some(120_000)),
        other => panic!("{other:?}"),
    }
    // A 429 on a create is not retried either.
    sim.faults().on("create").retry_after(1);
    let resp = http.send(req(&sim, "create")).await.expect("429");
    assert_eq!(resp.status, 429);
}

#[tokio::test]
async fn malformed_and_truncated_bodies() {
    let (h, sim, http) = setup();
    sim.faults().on("track").malformed();
    let resp = http
        .send(req(&sim, "track").idempotent())
        .await
        .expect("200 garbage");
    assert_eq!(resp.status, 200);
    let text = resp.text();
    let e = body_of(&text)
        .map(|_| ())
        .map_err(|e| e.into_core(CarrierId::Yurtici, &text))
        .expect_err("garbage");
    assert_eq!(e.code(), Code::ProtocolMalformed);
    assert_eq!(e.raw(), Some(text.as_ref()));
    assert_eq!(
        sim.calls("track"),
        1,
        "a 200 is not retried, however broken"
    );

    sim.faults().on("create").malformed().after_processing();
    let resp = http.send(req(&sim, "create")).await.expect("200 truncated");
    assert!(body_of(&resp.text()).is_err());
    assert_eq!(h.created.load(Ordering::SeqCst), 1);

    sim.faults().on("create").truncate_body().after_processing();
    let e = http
        .send(req(&sim, "create"))
        .await
        .expect_err("cut mid-body");
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

#[tokio::test]
async fn rejections_and_delays_reach_the_handler() {
    let (h, sim, http) = setup();
    sim.faults().on("create").reject("60020");
    let resp = http.send(req(&sim, "create")).await.expect("in-band error");
    assert_eq!(resp.status, 200);
    assert!(count(&resp).contains("<errCode>60020</errCode>"));
    assert_eq!(h.created.load(Ordering::SeqCst), 0);

    sim.faults().on("create").delay(Duration::from_millis(200));
    let started = Instant::now();
    let resp = http.send(req(&sim, "create")).await.expect("late answer");
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(count(&resp), "<r><count>1</count></r>");
}

#[tokio::test]
async fn soap_headers_arrive_as_the_carriers_expect() {
    let (_h, sim, http) = setup();
    let v11 = OutgoingRequest::post("q", format!("{}/ws", sim.base_url())).soap(
        SoapVersion::V11,
        "",
        "<e/>",
    );
    http.send(v11).await.expect("answer");
    let v12 = OutgoingRequest::post("k", format!("{}/ws", sim.base_url())).soap(
        SoapVersion::V12,
        "urn:kabulEkle2",
        "<e/>",
    );
    http.send(v12).await.expect("answer");
    let reqs = sim.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("SOAPAction"), Some("\"\""));
    assert_eq!(reqs[0].soap_action().as_deref(), Some(""));
    assert_eq!(
        reqs[0].header("content-type"),
        Some("text/xml; charset=utf-8")
    );
    assert_eq!(reqs[1].header("soapaction"), None);
    assert_eq!(reqs[1].soap_action().as_deref(), Some("urn:kabulEkle2"));
    assert_eq!(reqs[1].text(), "<e/>");
    assert_eq!(sim.requests_for("urn:kabulEkle2").len(), 1);
}

#[tokio::test]
async fn a_dropped_server_refuses_connections() {
    let (_h, sim, http) = setup();
    let url = format!("{}/ws", sim.base_url());
    http.send(OutgoingRequest::get("track", url.clone()))
        .await
        .expect("up");
    drop(sim);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let fresh = CarrierHttp::new(
        CarrierId::Yurtici,
        HttpConfig {
            retries: 0,
            ..HttpConfig::fast()
        },
    )
    .expect("client");
    let e = fresh
        .send(OutgoingRequest::get("track", url))
        .await
        .expect_err("down");
    assert_eq!(e.send_state(), Some(SendState::NotSent));
}
