//! The bindings' scenario through the facade itself, on the sandbox: quote a COD shipment
//! İstanbul → Van, ship it with an idempotency key (twice: same shipment), label as PDF, track
//! until delivered on the simulated clock, cancel a second shipment, an invalid address and a
//! carrier rejection with their codes, every code mapped to an error variant, 1,000 concurrent
//! async quotes driven by a foreign (non-tokio) executor, and a batch quote.

use futures::executor::block_on;
use kargojet_ffi::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn party(name: &str, phone: &str, province: &str, district: &str, line: &str) -> PartyInput {
    PartyInput {
        name: name.into(),
        phone: phone.into(),
        address: AddressInput {
            province: province.into(),
            district: district.into(),
            line: line.into(),
            postal_code: None,
        },
        email: None,
    }
}

fn cod_to_van(order: &str) -> ShipmentInput {
    ShipmentInput {
        sender: party(
            "Moda Tekstil Ltd.",
            "0216 345 67 89",
            "İstanbul",
            "Kadıköy",
            "Caferağa Mah. Moda Cad. No: 12",
        ),
        recipient: party(
            "Ayşe Yılmaz",
            "+90 532 123 45 67",
            "Van",
            "İpekyolu",
            "Cumhuriyet Cad. No: 5 D: 3",
        ),
        parcels: vec![ParcelInput {
            length_cm: "40".into(),
            width_cm: "30".into(),
            height_cm: "20".into(),
            weight_kg: "3.2".into(),
        }],
        cod_amount: Some("1250.00".into()),
        order_id: Some(order.into()),
        ..Default::default()
    }
}

fn ship_request(order: &str, key: &str) -> ShipRequest {
    ShipRequest {
        shipment: cod_to_van(order),
        idempotency_key: key.into(),
        ..Default::default()
    }
}

#[test]
fn the_whole_scenario_on_the_sandbox() -> TestResult {
    let kj = KargoJet::sandbox()?;
    assert!(kj.is_sandbox());
    assert!(kj.carriers().len() >= 6, "{:?}", kj.carriers());

    // Quote: ranked offers with breakdowns whose lines add up exactly.
    let quote = kj.quote_blocking(QuoteRequest {
        shipment: cod_to_van("SIP-1"),
        ..Default::default()
    })?;
    assert!(quote.offers.len() >= 5, "{quote:?}");
    let totals: Vec<rust_decimal::Decimal> = quote
        .offers
        .iter()
        .map(|o| o.breakdown.total.amount.parse())
        .collect::<Result<_, _>>()?;
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "cheapest first");
    for o in &quote.offers {
        let b = &o.breakdown;
        let sum: rust_decimal::Decimal = [
            &b.cost,
            &b.commission,
            &b.cod_fee,
            &b.sms_fee,
            &b.insurance_fee,
            &b.discount,
            &b.kdv,
        ]
        .iter()
        .map(|m| m.amount.parse::<rust_decimal::Decimal>())
        .sum::<Result<_, _>>()?;
        assert_eq!(sum.to_string(), b.total.amount, "{}", o.carrier);
        assert_eq!(b.total.currency, Currency::Try);
        assert!(!b.cod_fee.amount.starts_with("0.00"), "COD fee charged");
        assert!(
            ["uzun", "sehir_disi", "all"].contains(&o.zone.as_str()),
            "{}",
            o.zone
        );
    }

    // Ship with a key; the same key gives the same shipment, paid once from the wallet.
    let before = kj.wallet_balances_blocking()?;
    let shipped = kj.ship_blocking(ship_request("SIP-1", "order-SIP-1"))?;
    let again = kj.ship_blocking(ship_request("SIP-1", "order-SIP-1"))?;
    assert_eq!(shipped.id, again.id);
    assert_eq!(shipped.merchant_key, again.merchant_key);
    assert_eq!(shipped.status, ShipmentStatus::Created);
    assert_eq!(shipped.offer.carrier, quote.offers[0].carrier);
    let after = kj.wallet_balances_blocking()?;
    assert_ne!(before.available, after.available);

    // The label as PDF, whatever the carrier's own format.
    let label = kj.label_blocking(shipped.id.clone(), LabelFormat::Pdf, None)?;
    assert!(label.bytes.starts_with(b"%PDF"), "{label:?}");
    assert_eq!(label.mime, "application/pdf");
    let zpl = kj.label_blocking(
        shipped.id.clone(),
        LabelFormat::Zpl,
        Some(LabelSource::KargoJet),
    )?;
    assert!(zpl.bytes.starts_with(b"^XA"), "{zpl:?}");

    // Track until delivered on the simulated clock.
    let mut tracked = kj.track_blocking(shipped.id.clone())?;
    for _ in 0..40 {
        if tracked.status == ShipmentStatus::Delivered {
            break;
        }
        kj.advance_sandbox_clock(6 * 3600)?;
        tracked = kj.track_blocking(shipped.id.clone())?;
    }
    assert_eq!(tracked.status, ShipmentStatus::Delivered, "{tracked:?}");
    assert!(tracked.events.len() >= 2);
    assert!(
        tracked
            .events
            .iter()
            .all(|e| chrono::DateTime::parse_from_rfc3339(&e.time).is_ok())
    );

    // Cancel a second shipment.
    let second = kj.ship_blocking(ship_request("SIP-2", "order-SIP-2"))?;
    assert_ne!(second.id, shipped.id);
    let cancelled = kj.cancel_blocking(second.id.clone())?;
    assert_eq!(cancelled.status, ShipmentStatus::Cancelled);
    assert_eq!(
        kj.shipment_blocking(second.id)?.status,
        ShipmentStatus::Cancelled
    );
    assert!(kj.shipments_blocking()?.len() >= 2);

    // An invalid address, with its field.
    let mut bad = cod_to_van("SIP-3");
    bad.recipient.address.line = "x".into();
    let e = kj
        .quote_blocking(QuoteRequest {
            shipment: bad,
            ..Default::default()
        })
        .err()
        .ok_or("an invalid address must fail")?;
    assert!(matches!(e, KargoJetError::InvalidRequest { .. }), "{e:?}");
    assert_eq!(e.code(), "request.invalid_address");
    assert_eq!(e.info().field.as_deref(), Some("recipient.address.line"));

    // A carrier rejection with the carrier's own code.
    kj.sandbox_inject_fault(
        "aras".into(),
        SandboxOperation::Create,
        SandboxFault::Reject { carrier_code: None },
        1,
    )?;
    let e = kj
        .ship_blocking(ShipRequest {
            carrier: Some("aras".into()),
            ..ship_request("SIP-4", "order-SIP-4")
        })
        .err()
        .ok_or("the rejection must fail the ship")?;
    assert!(matches!(e, KargoJetError::CarrierRejected { .. }), "{e:?}");
    let info = e.info();
    assert_eq!(info.code, "carrier.rejected");
    assert_eq!(info.carrier.as_deref(), Some("aras"));
    assert_eq!(info.carrier_code.as_deref(), Some("1002"));
    // The fault fired once: the next shipment with the carrier goes through. (A new key: a
    // retry under the rejected key currently meets its voided wallet hold in the core, see
    // the crate README.)
    let ok = kj.ship_blocking(ShipRequest {
        carrier: Some("aras".into()),
        ..ship_request("SIP-4", "order-SIP-4b")
    })?;
    assert_eq!(ok.carrier, "aras");

    // A return of the delivered shipment, idempotent by its key.
    match kj.create_return_blocking(shipped.id.clone(), "return-SIP-1".into()) {
        Ok(r) => {
            assert_eq!(r.return_of.as_deref(), Some(shipped.id.as_str()));
            let again = kj.create_return_blocking(shipped.id.clone(), "return-SIP-1".into())?;
            assert_eq!(again.id, r.id);
        }
        Err(e) => assert_eq!(e.code(), "unsupported.operation", "{e:?}"),
    }

    // Insights on what was shipped, with an answer in English.
    let insights = kj.insights_blocking(InsightsRequest {
        language: InsightsLanguage::En,
        question: Some("Which carrier is cheapest?".into()),
        ..Default::default()
    })?;
    assert!(insights.shipments >= 2, "{insights:?}");
    assert!(!insights.summary.is_empty());
    assert!(insights.answer.as_ref().is_some_and(|a| !a.is_empty()));
    let snapshot: serde_json::Value = serde_json::from_str(&insights.snapshot_json)?;
    assert!(snapshot.get("by_carrier").is_some());
    Ok(())
}

#[test]
fn every_code_maps_to_an_error_variant() {
    let catalog = error_catalog();
    assert_eq!(catalog.len(), error_codes().len());
    for c in catalog {
        let e = KargoJetError::from_info(ErrorInfo {
            kind: c.kind,
            code: c.code.clone(),
            message_tr: c.message_tr.clone(),
            message_en: c.message_en.clone(),
            field: None,
            carrier: None,
            carrier_code: None,
            retryable: false,
            maybe_sent: false,
        });
        assert_eq!(e.kind(), c.kind, "{}", c.code);
        assert_eq!(e.code(), c.code);
    }
}

#[test]
fn a_thousand_concurrent_async_quotes_on_a_foreign_executor() -> TestResult {
    let kj = KargoJet::sandbox()?;
    let request = QuoteRequest {
        shipment: cod_to_van("SIP-A"),
        ..Default::default()
    };
    let futures = (0..1000).map(|_| kj.quote(request.clone()));
    let quotes = block_on(futures::future::join_all(futures));
    assert_eq!(quotes.len(), 1000);
    let first = quotes[0].as_ref().map_err(|e| e.to_string())?;
    for q in &quotes {
        assert_eq!(q.as_ref().map_err(|e| e.to_string())?, first);
    }
    // The async ship and track work the same way.
    let s = block_on(kj.ship(ship_request("SIP-A", "order-SIP-A")))?;
    let t = block_on(kj.track(s.id.clone()))?;
    assert_eq!(t.id, s.id);
    Ok(())
}

#[test]
fn a_batch_quote_gives_one_outcome_per_shipment_in_order() -> TestResult {
    let kj = KargoJet::sandbox()?;
    let mut requests: Vec<QuoteRequest> = (0..600)
        .map(|i| {
            let mut s = cod_to_van(&format!("B-{i}"));
            s.parcels[0].weight_kg = format!("{}.5", 1 + i % 30);
            QuoteRequest {
                shipment: s,
                ..Default::default()
            }
        })
        .collect();
    requests[7].shipment.recipient.address.district = "Yok Böyle İlçe".into();
    let outcomes = kj.quote_batch_blocking(requests.clone())?;
    assert_eq!(outcomes.len(), 600);
    assert_eq!(
        outcomes[7].error.as_ref().map(|e| e.code.as_str()),
        Some("request.unknown_district")
    );
    assert_eq!(outcomes.iter().filter(|o| o.error.is_some()).count(), 1);
    for i in [0usize, 299, 599] {
        let single = kj.quote_blocking(requests[i].clone())?;
        let batch = outcomes[i].quote.as_ref().ok_or("no quote")?;
        // The same offers in the same order, the first one in full.
        let rows: Vec<_> = batch
            .offers
            .iter()
            .map(|o| (o.carrier.as_str(), o.agreement_id.as_str(), &o.total))
            .collect();
        let offers: Vec<_> = single
            .offers
            .iter()
            .map(|o| {
                (
                    o.carrier.as_str(),
                    o.agreement_id.as_str(),
                    &o.breakdown.total,
                )
            })
            .collect();
        assert_eq!(rows, offers, "{i}");
        assert_eq!(batch.best.as_ref(), single.offers.first(), "{i}");
        assert_eq!(batch.excluded, single.excluded, "{i}");
        assert!(
            batch
                .offers
                .iter()
                .all(|o| o.total.currency == Currency::Try)
        );
    }
    Ok(())
}

#[test]
fn blocking_twins_refuse_to_block_a_runtime_and_knobs_need_a_sandbox() -> TestResult {
    let kj = KargoJet::new(KargoJetConfig {
        company: "acme".into(),
        illustrative_agreements: true,
        ..Default::default()
    })?;
    assert!(!kj.is_sandbox());
    let e = kj
        .advance_sandbox_clock(60)
        .err()
        .map(|e| e.code().to_string());
    assert_eq!(e.as_deref(), Some("unsupported.operation"));
    // Quote-only: the illustrative tariffs price without any connector.
    let q = kj.quote_blocking(QuoteRequest {
        shipment: cod_to_van("Q-1"),
        ..Default::default()
    })?;
    assert!(!q.offers.is_empty());
    let rt = tokio::runtime::Builder::new_current_thread().build()?;
    let inside = rt.block_on(async {
        kj.quote_blocking(QuoteRequest {
            shipment: cod_to_van("Q-2"),
            ..Default::default()
        })
    });
    assert_eq!(
        inside.err().map(|e| e.code().to_string()).as_deref(),
        Some("internal.error")
    );
    Ok(())
}

#[test]
fn a_bulk_file_is_imported_priced_and_bought_once() -> TestResult {
    let kj = KargoJet::sandbox()?;
    let file = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bulk-orders.csv"
    ))?;
    let options = BulkOptions {
        sender: party(
            "Moda Tekstil Ltd.",
            "0216 345 67 89",
            "İstanbul",
            "Kadıköy",
            "Caferağa Mah. Moda Cad. No: 12",
        ),
        ..Default::default()
    };
    let imported = bulk_import(file.clone(), options.clone())?;
    assert_eq!(imported.total_rows, 4);
    assert_eq!(imported.accepted_rows, vec![2, 3, 4]);
    assert!(
        imported
            .errors
            .iter()
            .any(|e| e.row == 5 && e.code == "request.invalid_phone"),
        "{:?}",
        imported.errors
    );
    assert!(imported.error_report_csv.is_some());

    let plan = kj.bulk_quote_blocking(file.clone(), options.clone())?;
    assert_eq!(plan.rows.len(), 3);
    let bought = kj.bulk_ship_blocking(file.clone(), options.clone())?;
    assert_eq!(bought.shipped.len(), 3, "{:?}", bought.failed);
    assert!(
        bought
            .labels
            .as_ref()
            .is_some_and(|l| l.bytes.starts_with(b"%PDF"))
    );
    let again = kj.bulk_ship_blocking(file, options)?;
    let ids = |p: &BulkPurchase| {
        p.shipped
            .iter()
            .map(|s| s.shipment_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&again),
        ids(&bought),
        "the same file ships no row twice"
    );
    Ok(())
}

#[test]
fn every_sandbox_carrier_rejects_with_its_own_code() -> TestResult {
    let kj = KargoJet::sandbox()?;
    for carrier in kj.carriers() {
        let mut shipment = cod_to_van(&format!("R-{carrier}"));
        shipment.cod_amount = None;
        // HepsiJET matches addresses by neighbourhood.
        shipment.recipient.address.line = "Cumhuriyet Mah. Cumhuriyet Cad. No: 5 D: 3".into();
        kj.sandbox_inject_fault(
            carrier.clone(),
            SandboxOperation::Create,
            SandboxFault::Reject { carrier_code: None },
            1,
        )?;
        let e = kj
            .ship_blocking(ShipRequest {
                shipment: shipment.clone(),
                idempotency_key: format!("reject-{carrier}"),
                carrier: Some(carrier.clone()),
                ..Default::default()
            })
            .err()
            .ok_or_else(|| format!("{carrier}: the rejection must fail the ship"))?;
        let info = e.info();
        assert_eq!(
            (info.code.as_str(), info.carrier.as_deref()),
            ("carrier.rejected", Some(carrier.as_str())),
            "{e:?}"
        );
        let id = kargojet_ffi::domain::carrier::CarrierId::parse(&carrier);
        assert_eq!(
            info.carrier_code.as_deref(),
            Some(kargojet_ffi::sandbox::default_reject_code(&id)),
            "{carrier}"
        );
        // The next create goes through.
        let ok = kj.ship_blocking(ShipRequest {
            shipment,
            idempotency_key: format!("accept-{carrier}"),
            carrier: Some(carrier.clone()),
            ..Default::default()
        })?;
        assert_eq!(ok.carrier, carrier);
    }
    Ok(())
}
