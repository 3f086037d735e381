"""Batch quotes, desi and address helpers, webhooks, bulk files and insights."""

from pathlib import Path

import pytest

import kargojet
from conftest import SENDER, cod_to_van

FIXTURES = Path(__file__).parent / "fixtures"


def test_quote_batch_gives_one_row_per_shipment_in_order(kj: kargojet.KargoJet) -> None:
    shipments = [cod_to_van(f"B-{i}", weight_kg=f"{1 + i % 20}.5") for i in range(300)]
    bad = kargojet.ShipmentInput(
        SENDER,
        kargojet.PartyInput("Ali Veli", "05321234567", kargojet.AddressInput("Van", "Yok", "Cad. 5")),
        [kargojet.ParcelInput(10, 10, 10, 1)],
    )
    batch = kj.quote_batch([*shipments[:7], bad, *shipments[7:]])
    assert len(batch) == 301
    assert not batch.ok(7)
    err = batch.error(7)
    assert isinstance(err, kargojet.InvalidRequestError) and err.code == "request.unknown_district"
    assert [i for i, _ in batch.errors()] == [7]
    with pytest.raises(kargojet.InvalidRequestError):
        batch[7]
    for row, shipment in ((batch[0], shipments[0]), (batch[-1], shipments[-1])):
        single = kj.quote(shipment)
        # The same offers in the same order as a single quote; the best one in full.
        assert [(o.carrier, o.agreement_id, o.total) for o in row.offers] == [
            (o.carrier, o.agreement_id, o.total) for o in single.offers
        ]
        assert len(row) == len(single) and row.best == single.best
        assert row.rows() == [
            (o.carrier, o.service, o.total.amount, "TRY") for o in row.offers
        ]
        assert single.best is not None and row.best is not None
        assert row.cheapest == (single.best.carrier, single.best.total.amount)
        assert row.best.breakdown == single.best.breakdown
        assert [x.to_dict() for x in row.excluded] == [x.to_dict() for x in single.excluded]
    assert batch[0] == batch[0] and batch[0] != batch[-1]
    best = batch.best()
    assert best[7] is None and all(b is not None for i, b in enumerate(best) if i != 7)
    cheapest = batch.cheapest()
    assert cheapest[7] is None and cheapest[0] == batch[0].cheapest
    assert [q is None for q in batch.quotes()] == [i == 7 for i in range(301)]
    assert repr(batch) == "QuoteBatch(rows=301, failed=1)"
    assert repr(batch[0]).startswith("BatchQuote(offers=")
    rows = batch.to_dict()["rows"]
    assert rows[7]["error"]["code"] == "request.unknown_district"
    assert rows[0] == batch[0].to_dict()
    first, lowest = batch[0], cheapest[0]
    assert first.best is not None and rows[0]["best"] == first.best.to_dict()
    assert lowest is not None
    assert rows[0]["offers"][0]["total"] == {"amount": lowest[1], "currency": "TRY"}


def test_desi_and_address_helpers() -> None:
    d = kargojet.parcel_desi(kargojet.ParcelInput(40, 30, 20, "3.2"))
    assert (d.desi, d.billable) == ("8", "8")
    parcels = [kargojet.ParcelInput(40, 30, 20, "3.2"), kargojet.ParcelInput(10, 10, 10, "2.25")]
    assert kargojet.billable_desi(parcels) == "11"
    assert kargojet.billable_desi(parcels[1:], step="0") == "2.25"
    a = kargojet.normalize_address(kargojet.AddressInput("istanbul", "KADIKOY", "Moda  Cad. 12"))
    assert (a.plate, a.province, a.district, a.line) == (34, "İstanbul", "Kadıköy", "Moda Cad. 12")
    assert kargojet.normalize_phone("+90 532 123 45 67") == "5321234567"
    assert len(kargojet.provinces()) == 81
    assert "İpekyolu" in kargojet.districts("Van")
    assert kargojet.distance_zone("İstanbul", "Van") == "uzun"


def test_webhook_signatures() -> None:
    header = kargojet.sign_webhook("s3cret", 1_700_000_000, b'{"event":"x"}')
    kargojet.verify_webhook(header, b'{"event":"x"}', ["old", "s3cret"], now=1_700_000_100)
    with pytest.raises(kargojet.InvalidRequestError) as raised:
        kargojet.verify_webhook(header, b'{"event":"y"}', ["s3cret"], now=1_700_000_100)
    assert raised.value.code == "webhook.invalid_signature"


def test_bulk_file_import_quote_and_ship(kj: kargojet.KargoJet) -> None:
    data = (FIXTURES / "bulk-orders.csv").read_bytes()
    imported = kargojet.bulk_import(data, SENDER)
    assert imported.total_rows == 4 and imported.accepted_rows == [2, 3, 4]
    assert any(e.row == 5 and e.code == "request.invalid_phone" for e in imported.errors)
    report = imported.error_report_csv
    assert report is not None and report.startswith(b"\xef\xbb\xbf")
    plan = kj.bulk_quote(data, SENDER)
    assert len(plan.rows) == 3 and plan.total.decimal > 0
    bought = kj.bulk_ship(data, SENDER)
    assert len(bought.shipped) == 3, bought.failed
    assert bought.labels is not None and bought.labels.data.startswith(b"%PDF")
    again = kj.bulk_ship(data, SENDER)
    assert [r.shipment_id for r in again.shipped] == [r.shipment_id for r in bought.shipped]


def test_insights_answer_in_english(kj: kargojet.KargoJet) -> None:
    kj.ship(cod_to_van("I-1"), "insights-I-1")
    insights = kj.insights(language="en", question="Which carrier is cheapest?")
    assert insights.shipments >= 1
    assert insights.summary and insights.answer
    assert insights.to_dict()["shipments"] == insights.shipments
