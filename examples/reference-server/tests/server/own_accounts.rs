//! Sellers' own carrier accounts across a restart: a PTT account numbers parcels from its own
//! barcode range, and a restarted server (same database, fresh process, fresh in-process
//! simulators) continues after the highest barcode it already used instead of offering the
//! range's first barcodes again.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::{DEMO_KEY, TestServer, config, shipment, temp_dir};
use kargojet::ptt::barcode::barcode;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The first serial of the account's range (inside the PTT sandbox customer's range, away from
/// the barcodes the platform's sandbox account draws first).
const FIRST: u64 = 279_172_795_000;

const PTT_TARIFF: &str = r#"
id = "demo_ptt"
carrier = "ptt"
[[zone]]
zone = "all"
extra_per_desi = "5"
bands = [ { to = "5", price = "40" }, { to = "30", price = "90" } ]
"#;

fn nth(n: u64) -> String {
    barcode(FIRST + n).unwrap()
}

async fn add_ptt_account(t: &TestServer) {
    let body = json!({
        "carrier": "ptt",
        "name": "main",
        "credentials": {
            "kullanici": "PttWs", "musteri_id": "703000000", "sifre": "s3cret",
            "tracking_kullanici": "703000000", "tracking_sifre": "s3cret",
            "barcode_first": nth(0), "barcode_last": nth(999)
        },
        "tariff": PTT_TARIFF
    });
    let (s, a) = t.post("/v1/carrier-accounts", DEMO_KEY, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
}

/// Ships one parcel under the demo company's own PTT agreement; returns the barcode.
async fn ship_own_ptt(t: &TestServer, order: &str) -> String {
    let mut s = shipment(order);
    s["parcels"] = json!([{"length_cm": 30, "width_cm": 20, "height_cm": 15, "weight_kg": 2}]);
    // The account's contract has no COD fee, so it offers no COD.
    s.as_object_mut().unwrap().remove("cod_amount");
    let body = json!({"shipment": s, "carrier": "ptt", "agreement_id": "own:demo:ptt:main"});
    let (status, v) = t.post_idem("/v1/shipments", DEMO_KEY, order, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["agreement_id"], "own:demo:ptt:main", "{v}");
    v["merchant_key"].as_str().unwrap().to_string()
}

async fn barcodes_of(t: &TestServer) -> Vec<String> {
    let (_, list) = t.get("/v1/shipments?carrier=ptt", DEMO_KEY).await;
    let mut all: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s: &Value| s["merchant_key"].as_str().unwrap().to_string())
        .collect();
    all.sort();
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_server_continues_after_the_barcodes_it_used() {
    common::each_db(|| async {
        let dir = temp_dir("own-ptt");
        let mut t = TestServer::start_with(config(&dir), dir.clone()).await;
        add_ptt_account(&t).await;
        assert_eq!(ship_own_ptt(&t, "PTT-1").await, nth(0));
        assert_eq!(ship_own_ptt(&t, "PTT-2").await, nth(1));

        // Stop (the database and the secrets stay) and start again: the new process rebuilds
        // the account's connector from the database.
        t.server.take().unwrap().shutdown().await.unwrap();
        let t = TestServer::start_with(config(&dir), dir).await;
        assert_eq!(ship_own_ptt(&t, "PTT-3").await, nth(2), "not a used barcode");
        // Changing an account rebuilds every connector: the allocator carries on.
        let (s, v) = t
            .post(
                "/v1/carrier-accounts",
                DEMO_KEY,
                &json!({"carrier": "sendeo", "name": "other", "credentials": {"username": "TEST", "password": "TesT.43e54"}, "tariff": PTT_TARIFF.replace("ptt", "sendeo")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(ship_own_ptt(&t, "PTT-4").await, nth(3));
        assert_eq!(barcodes_of(&t).await, [nth(0), nth(1), nth(2), nth(3)]);
        t.stop().await;
    })
    .await;
}
