//! End-to-end over HTTP against the server on SQLite: quote → ship (idempotent replay, and a
//! replay with another body refused) → label PDF and ZPL → simulated tracking to delivered →
//! COD credited → statement CSV; returns and cancels; a bulk upload with broken rows.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::{DEMO_KEY, TestServer, amount, shipment};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_ship_label_track_cod_statement() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let before = t.available(DEMO_KEY).await;

        // Quote: offers ranked, COD fee in every price, nothing stored.
        let (s, q) = t
            .post(
                "/v1/quotes",
                DEMO_KEY,
                &json!({"shipment": shipment("SIP-1")}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{q}");
        let offers = q["offers"].as_array().unwrap();
        assert!(offers.len() >= 5, "{q}");
        let totals: Vec<Decimal> = offers
            .iter()
            .map(|o| amount(&o["price"]["total"]))
            .collect();
        assert!(totals.windows(2).all(|w| w[0] <= w[1]), "cheapest first");
        assert!(
            offers
                .iter()
                .all(|o| amount(&o["price"]["cod_fee"]) > Decimal::ZERO)
        );
        let (_, list) = t.get("/v1/shipments", DEMO_KEY).await;
        assert_eq!(
            list["items"].as_array().unwrap().len(),
            0,
            "quotes are not stored"
        );

        // Ship; the same key and body replays, another body is refused.
        let body = json!({"shipment": shipment("SIP-1"), "carrier": "sendeo"});
        let (s, a) = t.post_idem("/v1/shipments", DEMO_KEY, "SIP-1", &body).await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        assert_eq!(a["carrier"], "sendeo");
        assert_eq!(a["status"], "created");
        assert_eq!(a["recipient"]["address"]["district"], "Çankaya");
        let id = a["id"].as_str().unwrap().to_string();
        let price = amount(&a["price"]["total"]);
        let (s, b) = t.post_idem("/v1/shipments", DEMO_KEY, "SIP-1", &body).await;
        assert!(s.is_success());
        assert_eq!(b["id"], a["id"], "replay gives the same shipment");
        let mut other = body.clone();
        other["shipment"]["cod_amount"] = json!("751.00");
        let (s, e) = t
            .post_idem("/v1/shipments", DEMO_KEY, "SIP-1", &other)
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(e["error"]["code"], "request.idempotency_mismatch");
        let (_, list) = t.get("/v1/shipments", DEMO_KEY).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "shipped once");
        let (_, holds) = t.get("/v1/wallet/holds", DEMO_KEY).await;
        assert_eq!(
            holds["items"].as_array().unwrap().len(),
            1,
            "the desi reserve"
        );
        let after_ship = t.available(DEMO_KEY).await;
        let reserve = amount(&holds["items"][0]["amount"]);
        // The COD fee and its KDV come out of the collection, not the wallet.
        let cod_part = amount(&a["price"]["cod_fee"]) * Decimal::new(12, 1);
        assert_eq!(before - after_ship, price - cod_part + reserve);

        // Labels: PDF and ZPL.
        let pdf = t
            .raw(
                Method::GET,
                &format!("/v1/shipments/{id}/label?format=pdf&source=kargojet"),
                Some(DEMO_KEY),
                None,
                &[],
            )
            .await;
        assert_eq!(pdf.status(), StatusCode::OK);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let bytes = pdf.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let zpl = t
            .raw(
                Method::GET,
                &format!("/v1/shipments/{id}/label?format=zpl&source=kargojet"),
                Some(DEMO_KEY),
                None,
                &[],
            )
            .await;
        assert_eq!(zpl.status(), StatusCode::OK);
        let text = zpl.text().await.unwrap();
        assert_eq!(text.matches("^XA").count(), 2, "one label per parcel");
        let (s, e) = t
            .get(&format!("/v1/shipments/{id}/label?format=png"), DEMO_KEY)
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(e["error"]["code"], "request.invalid_value");

        // Tracking on the simulated clock until delivered.
        let mut status = String::new();
        for _ in 0..12 {
            t.advance(DEMO_KEY, 6 * 3600).await;
            let (s, tr) = t
                .post(
                    &format!("/v1/shipments/{id}/tracking/refresh"),
                    DEMO_KEY,
                    &json!({}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{tr}");
            status = tr["status"].as_str().unwrap().to_string();
            if tr["is_final"] == true {
                break;
            }
        }
        assert_eq!(status, "delivered");
        let (_, tr) = t
            .get(&format!("/v1/shipments/{id}/tracking"), DEMO_KEY)
            .await;
        let events = tr["events"].as_array().unwrap();
        assert!(events.len() >= 3);
        assert!(events.iter().any(|e| e["status"] == "delivered"));

        // COD credited: 750 minus the COD fee and its KDV.
        let (_, w) = t.get("/v1/wallet", DEMO_KEY).await;
        let credited = amount(&w["cod_receivable"]);
        assert_eq!(credited, Decimal::from(750) - cod_part);
        // A second refresh changes nothing (events merge without duplicates, COD once).
        let (_, again) = t
            .post(
                &format!("/v1/shipments/{id}/tracking/refresh"),
                DEMO_KEY,
                &json!({}),
            )
            .await;
        assert_eq!(again["events"].as_array().unwrap().len(), events.len());
        let (_, w2) = t.get("/v1/wallet", DEMO_KEY).await;
        assert_eq!(w2["cod_receivable"], w["cod_receivable"]);

        // Statement CSV with the COD lines.
        let csv = t
            .raw(
                Method::GET,
                "/v1/wallet/statement",
                Some(DEMO_KEY),
                None,
                &[],
            )
            .await;
        assert_eq!(csv.status(), StatusCode::OK);
        assert!(
            csv.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let csv = csv.text().await.unwrap();
        assert!(csv.starts_with("Tarih,İşlem No,Hesap"), "{csv}");
        assert!(csv.contains("Kapıda ödeme tahsilatı"));
        assert!(csv.contains("SIP-1"));
        let comma = t
            .raw(
                Method::GET,
                "/v1/wallet/statement?decimal_comma=true",
                Some(DEMO_KEY),
                None,
                &[],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(comma.contains("750,00"), "{comma}");
        let (_, tx) = t.get("/v1/wallet/transactions", DEMO_KEY).await;
        assert!(
            tx["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["line"] == "cod_collection")
        );

        // A delivered shipment cannot be cancelled.
        let (s, e) = t
            .post(&format!("/v1/shipments/{id}/cancel"), DEMO_KEY, &json!({}))
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        assert_eq!(e["error"]["code"], "shipment.invalid_state");
        t.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_refunds_and_returns_are_idempotent() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let before = t.available(DEMO_KEY).await;
        let (s, a) = t
            .post_idem(
                "/v1/shipments",
                DEMO_KEY,
                "C-1",
                &json!({"shipment": shipment("C-1"), "carrier": "aras"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        let id = a["id"].as_str().unwrap();
        let charged = t.available(DEMO_KEY).await;
        assert!(charged < before);
        // An option the operation does not have is refused, not ignored: nothing changes.
        let (s, e) = t
            .post(
                &format!("/v1/shipments/{id}/cancel"),
                DEMO_KEY,
                &json!({"refund": "none"}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert_eq!(e["error"]["code"], "request.unknown_field");
        assert_eq!(e["error"]["field"], "refund");
        let (_, still) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        assert_eq!(still["status"], "created", "{still}");
        assert_eq!(t.available(DEMO_KEY).await, charged);
        let (s, e) = t
            .post(
                &format!("/v1/shipments/{id}/tracking/refresh"),
                DEMO_KEY,
                &json!({"force": true}),
            )
            .await;
        assert_eq!(
            (s, e["error"]["field"].clone()),
            (StatusCode::BAD_REQUEST, json!("force"))
        );
        let (s, c) = t
            .post(&format!("/v1/shipments/{id}/cancel"), DEMO_KEY, &json!({}))
            .await;
        assert_eq!(s, StatusCode::OK, "{c}");
        assert_eq!(c["status"], "cancelled");
        assert_eq!(t.available(DEMO_KEY).await, before, "fully refunded");
        let (s, _) = t
            .post(&format!("/v1/shipments/{id}/cancel"), DEMO_KEY, &json!({}))
            .await;
        assert_eq!(s, StatusCode::OK, "cancelling again changes nothing");
        assert_eq!(t.available(DEMO_KEY).await, before);

        let (s, b) = t
            .post_idem(
                "/v1/shipments",
                DEMO_KEY,
                "R-1",
                &json!({"shipment": shipment("R-1"), "carrier": "yurtici"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let rid = b["id"].as_str().unwrap();
        let (s, r1) = t
            .post_idem(
                &format!("/v1/shipments/{rid}/return"),
                DEMO_KEY,
                "ret-1",
                &json!({"reason": "beden uymadı"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r1}");
        assert_eq!(r1["return_of"], b["id"]);
        assert_eq!(
            r1["sender"]["name"], "Ayşe Yılmaz",
            "recipient sends it back"
        );
        let (_, r2) = t
            .post_idem(
                &format!("/v1/shipments/{rid}/return"),
                DEMO_KEY,
                "ret-1",
                &json!({}),
            )
            .await;
        assert_eq!(r2["id"], r1["id"]);
        let (s, e) = t
            .call(
                Method::POST,
                &format!("/v1/shipments/{rid}/return"),
                Some(DEMO_KEY),
                None,
                &[],
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(e["error"]["field"], "Idempotency-Key");

        // Listing: filters and cursor pages.
        let (_, page1) = t.get("/v1/shipments?limit=2", DEMO_KEY).await;
        assert_eq!(page1["items"].as_array().unwrap().len(), 2);
        let cursor = page1["next_cursor"].as_str().unwrap();
        let (_, page2) = t
            .get(&format!("/v1/shipments?limit=2&cursor={cursor}"), DEMO_KEY)
            .await;
        assert_eq!(page2["items"].as_array().unwrap().len(), 1);
        assert!(page2["next_cursor"].is_null());
        let (_, cancelled) = t.get("/v1/shipments?status=cancelled", DEMO_KEY).await;
        assert_eq!(cancelled["items"].as_array().unwrap().len(), 1);
        let (_, by_carrier) = t.get("/v1/shipments?carrier=yurtici", DEMO_KEY).await;
        assert_eq!(
            by_carrier["items"].as_array().unwrap().len(),
            2,
            "the shipment and its return"
        );
        let (_, by_order) = t.get("/v1/shipments?order_id=C-1", DEMO_KEY).await;
        assert_eq!(by_order["items"][0]["id"], a["id"]);
        let (s, e) = t.get("/v1/shipments?status=lost", DEMO_KEY).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_eq!(e["error"]["field"], "query.status");
        t.stop().await;
    })
    .await;
}

const BULK_CSV: &str = "\
Sipariş No;Alıcı Adı;Alıcı Telefon;İl;İlçe;Adres;Desi;Ağırlık;Tahsilat Tutarı
B-1;Ayşe Yılmaz;0532 123 45 67;Ankara;Çankaya;Kızılay Mah. Atatürk Blv. No: 101;3;1,5;250,00
B-2;Mehmet Demir;0533 111 22 33;İzmir;Bornova;Kazımdirik Mah. 372. Sk. No: 5;2;1;
B-3;Zeynep Kaya;12;Ankara;Çankaya;Kızılay Mah. Atatürk Blv. No: 9;2;1;
B-4;Ali Veli;0535 444 55 66;Ankara;Kadıköy;Bir sokak No: 1;2;1;
B-5;Can Öz;0536 777 88 99;Bursa;Nilüfer;Özlüce Mah. 12. Sk. No: 3;abc;1;
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_upload_with_broken_rows_plans_buys_and_reports() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let before = t.available(DEMO_KEY).await;
        let upload = t
            .http
            .post(format!(
                "{}/v1/shipments/bulk?file_name=siparisler.csv",
                t.base
            ))
            .header("Authorization", format!("Bearer {DEMO_KEY}"))
            .header("Content-Type", "text/csv")
            .body(BULK_CSV)
            .send()
            .await
            .unwrap();
        assert_eq!(upload.status(), StatusCode::CREATED);
        let v: Value = upload.json().await.unwrap();
        assert_eq!(v["total_rows"], 5, "{v}");
        assert_eq!(v["accepted"], 2, "{v}");
        assert_eq!(v["rejected"], 3, "{v}");
        let codes: Vec<&str> = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"request.invalid_phone"), "{codes:?}");
        assert!(codes.contains(&"request.unknown_district"), "{codes:?}");
        assert!(codes.contains(&"bulk.invalid_number"), "{codes:?}");
        assert_eq!(v["plan"]["rows"].as_array().unwrap().len(), 2);
        assert_eq!(
            t.available(DEMO_KEY).await,
            before,
            "planning moves no money"
        );
        let id = v["id"].as_str().unwrap().to_string();

        // The error report downloads as CSV and XLSX.
        let report = t
            .raw(
                Method::GET,
                &format!("/v1/shipments/bulk/{id}/errors"),
                Some(DEMO_KEY),
                None,
                &[],
            )
            .await;
        assert_eq!(report.status(), StatusCode::OK);
        let report = report.text().await.unwrap();
        assert!(report.contains("B-3") && report.contains("B-4") && report.contains("B-5"));
        assert!(
            !report.contains("B-1;"),
            "accepted rows are not in the report"
        );
        let xlsx = t
            .raw(
                Method::GET,
                &format!("/v1/shipments/bulk/{id}/errors?format=xlsx"),
                Some(DEMO_KEY),
                None,
                &[],
            )
            .await
            .bytes()
            .await
            .unwrap();
        assert!(xlsx.starts_with(b"PK"));
        // The XLSX report uploads again as a spreadsheet: the same rows, the same errors.
        let re = t
            .http
            .post(format!("{}/v1/shipments/bulk", t.base))
            .header("Authorization", format!("Bearer {DEMO_KEY}"))
            .header(
                "Content-Type",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .body(xlsx.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(re.status(), StatusCode::CREATED);
        let re: Value = re.json().await.unwrap();
        assert_eq!(
            (&re["total_rows"], &re["accepted"], &re["rejected"]),
            (&json!(3), &json!(0), &json!(3)),
            "{re}"
        );
        let mut again_codes: Vec<&str> = re["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        let mut first_codes = codes.clone();
        again_codes.sort();
        first_codes.sort();
        assert_eq!(again_codes, first_codes);
        assert!(
            re["errors"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["field"].is_string()),
            "every row error names its field: {re}"
        );

        // An unknown purchase option is refused and buys nothing.
        let (s, e) = t
            .post(
                &format!("/v1/shipments/bulk/{id}/purchase"),
                DEMO_KEY,
                &json!({"rows": [1]}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert_eq!(e["error"]["code"], "request.unknown_field");
        assert_eq!(e["error"]["field"], "rows");
        assert_eq!(t.available(DEMO_KEY).await, before, "nothing bought");
        let (_, list) = t.get("/v1/shipments", DEMO_KEY).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 0);

        // Buy: two shipments, paid; buying again changes nothing.
        let (s, p) = t
            .post(
                &format!("/v1/shipments/bulk/{id}/purchase"),
                DEMO_KEY,
                &json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{p}");
        assert_eq!(p["status"], "purchased");
        assert_eq!(p["purchase"]["shipped"].as_array().unwrap().len(), 2, "{p}");
        assert_eq!(p["purchase"]["labels"], true);
        let paid = t.available(DEMO_KEY).await;
        assert!(paid < before);
        let (_, p2) = t
            .post(
                &format!("/v1/shipments/bulk/{id}/purchase"),
                DEMO_KEY,
                &json!({}),
            )
            .await;
        assert_eq!(p2["purchase"]["shipped"], p["purchase"]["shipped"]);
        assert_eq!(t.available(DEMO_KEY).await, paid);
        let (_, list) = t.get("/v1/shipments", DEMO_KEY).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 2);
        let labels = t
            .raw(
                Method::GET,
                &format!("/v1/shipments/bulk/{id}/labels"),
                Some(DEMO_KEY),
                None,
                &[],
            )
            .await;
        assert_eq!(labels.status(), StatusCode::OK);
        assert!(labels.bytes().await.unwrap().starts_with(b"%PDF-"));

        // The same file uploaded again plans the same keys: buying it ships nothing twice.
        let again: Value = t
            .http
            .post(format!("{}/v1/shipments/bulk", t.base))
            .header("Authorization", format!("Bearer {DEMO_KEY}"))
            .header("Content-Type", "text/csv")
            .body(BULK_CSV)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id2 = again["id"].as_str().unwrap();
        let (_, p3) = t
            .post(
                &format!("/v1/shipments/bulk/{id2}/purchase"),
                DEMO_KEY,
                &json!({}),
            )
            .await;
        assert_eq!(p3["purchase"]["shipped"].as_array().unwrap().len(), 2);
        let (_, list) = t.get("/v1/shipments", DEMO_KEY).await;
        assert_eq!(
            list["items"].as_array().unwrap().len(),
            2,
            "nothing shipped twice"
        );
        assert_eq!(t.available(DEMO_KEY).await, paid, "nothing paid twice");

        // A file that is not a shipment list at all.
        let bad = t
            .http
            .post(format!("{}/v1/shipments/bulk", t.base))
            .header("Authorization", format!("Bearer {DEMO_KEY}"))
            .header("Content-Type", "text/csv")
            .body("a;b\n1;2\n")
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let e: Value = bad.json().await.unwrap();
        assert_eq!(e["error"]["code"], "bulk.missing_column");
        t.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_ups_are_idempotent_and_on_the_statement() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let finance = t.key_with_role(DEMO_KEY, "finance").await;
        let before = t.available(DEMO_KEY).await;
        let body = json!({"amount": "250.50", "reference": "EFT-2026-0001"});
        let (s, a) = t
            .post_idem("/v1/wallet/top-ups", &finance, "EFT-1", &body)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        assert_eq!(a["new"], true);
        let topped = before + Decimal::new(25050, 2);
        assert_eq!(amount(&a["balances"]["available"]), topped);
        assert_eq!(t.available(DEMO_KEY).await, topped);
        // The same key and body: the same top-up, nothing added.
        let (s, b) = t
            .post_idem("/v1/wallet/top-ups", &finance, "EFT-1", &body)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        assert_eq!(b["new"], false);
        assert_eq!(b["transfer"], a["transfer"]);
        assert_eq!(t.available(DEMO_KEY).await, topped);
        // The same key with another amount is a conflict, and moves nothing.
        let (s, e) = t
            .post_idem(
                "/v1/wallet/top-ups",
                &finance,
                "EFT-1",
                &json!({"amount": "999.00", "reference": "EFT-2026-0001"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        assert_eq!(e["error"]["code"], "wallet.transfer_conflict");
        assert_eq!(t.available(DEMO_KEY).await, topped);
        // Another company's top-up under the same key is its own.
        let acme_before = t.available(common::ACME_KEY).await;
        let (s, c) = t
            .post_idem("/v1/wallet/top-ups", common::ACME_KEY, "EFT-1", &body)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        assert_eq!(c["new"], true);
        assert_eq!(
            t.available(common::ACME_KEY).await,
            acme_before + Decimal::new(25050, 2)
        );
        assert_eq!(t.available(DEMO_KEY).await, topped);
        // On the transactions and the statement, once.
        let (_, tx) = t.get("/v1/wallet/transactions", &finance).await;
        let lines: Vec<&Value> = tx["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["reference"] == "EFT-2026-0001")
            .collect();
        assert_eq!(lines.len(), 1, "{tx}");
        assert_eq!(lines[0]["line"], "top_up");
        assert_eq!(amount(&lines[0]["amount"]), Decimal::new(25050, 2));
        let csv = t
            .raw(
                Method::GET,
                "/v1/wallet/statement",
                Some(&finance),
                None,
                &[],
            )
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(csv.matches("EFT-2026-0001").count(), 1, "{csv}");
        t.stop().await;
    })
    .await;
}
