"""The scenario every binding runs: quote a COD shipment İstanbul → Van, ship it with an
idempotency key (twice: the same shipment), label as PDF, track until delivered on the
simulated clock, cancel a second shipment, an invalid address and a carrier rejection."""

from decimal import Decimal

import pytest

import kargojet
from conftest import cod_to_van


def test_quote_ranks_offers_with_exact_breakdowns(kj: kargojet.KargoJet) -> None:
    quote = kj.quote(cod_to_van("SIP-1"))
    assert len(quote.offers) >= 5, quote
    totals = [o.total.decimal for o in quote.offers]
    assert totals == sorted(totals), "cheapest first"
    assert quote.best is not None and quote.best.carrier == quote.offers[0].carrier
    for offer in quote.offers:
        b = offer.breakdown
        lines = [b.cost, b.commission, b.cod_fee, b.sms_fee, b.insurance_fee, b.discount, b.kdv]
        assert sum((m.decimal for m in lines), Decimal(0)) == b.total.decimal
        assert b.total.currency == "TRY"
        assert b.cod_fee.decimal > 0, "a COD fee is charged"
        assert isinstance(b.total.amount, str)
    as_dict = quote.to_dict()
    assert as_dict["offers"][0]["breakdown"]["total"] == quote.offers[0].total.to_dict()
    assert "Quote(offers=" in repr(quote)
    assert repr(quote.offers[0]).startswith("Offer(carrier=")


def test_offers_read_like_their_records(kj: kargojet.KargoJet) -> None:
    quote = kj.quote(cod_to_van("L-1"))
    for offer in quote.offers:
        d = offer.to_dict()
        for key in ("carrier", "carrier_name", "agreement_id", "agreement_kind",
                    "commission_percent", "account", "zone", "billable_desi", "illustrative",
                    "live"):
            assert d[key] == getattr(offer, key), key
        assert d["breakdown"] == offer.breakdown.to_dict()
        days = offer.transit_days
        assert d["transit_days"] == (days.to_dict() if days else None)
        assert offer.total == offer.breakdown.total
    shipped = kj.ship(cod_to_van("L-1"), "lazy-L-1")
    assert shipped.offer == quote.best
    assert shipped.offer.to_dict() == quote.offers[0].to_dict()


def test_ship_label_track_and_cancel(kj: kargojet.KargoJet) -> None:
    before = kj.wallet_balances().available.decimal
    shipped = kj.ship(cod_to_van("SIP-2"), "order-SIP-2")
    again = kj.ship(cod_to_van("SIP-2"), "order-SIP-2")
    assert again.id == shipped.id and again.merchant_key == shipped.merchant_key
    assert shipped.status == "created"
    assert kj.wallet_balances().available.decimal < before, "paid once from the wallet"

    label = kj.label(shipped.id, "pdf")
    assert label.data.startswith(b"%PDF")
    assert label.format == "pdf" and label.mime == "application/pdf"
    zpl = kj.label(shipped.id, "zpl", source="kargojet")
    assert zpl.data.startswith(b"^XA")

    tracked = kj.track(shipped.id)
    for _ in range(40):
        if tracked.status == "delivered":
            break
        kj.advance_sandbox_clock(6 * 3600)
        tracked = kj.track(shipped.id)
    assert tracked.status == "delivered", tracked
    assert tracked.is_final and tracked.status_tr == "Teslim edildi"
    assert len(tracked.events) >= 2
    assert tracked.to_dict()["events"][-1]["status"] == "delivered"

    second = kj.ship(cod_to_van("SIP-3"), "order-SIP-3")
    assert second.id != shipped.id
    cancelled = kj.cancel(second.id)
    assert cancelled.status == "cancelled"
    assert kj.shipment(second.id).status == "cancelled"
    assert {s.id for s in kj.shipments()} >= {shipped.id, second.id}


def test_an_invalid_address_is_a_value_error_with_its_field(kj: kargojet.KargoJet) -> None:
    good = cod_to_van("SIP-4")
    bad = kargojet.ShipmentInput(
        good.sender,
        kargojet.PartyInput(
            "Ayşe Yılmaz", "05321234567", kargojet.AddressInput("Van", "İpekyolu", "x")
        ),
        good.parcels,
    )
    with pytest.raises(kargojet.InvalidRequestError) as raised:
        kj.quote(bad)
    e = raised.value
    assert e.code == "request.invalid_address"
    assert e.field == "recipient.address.line"
    assert isinstance(e, ValueError) and isinstance(e, kargojet.KargoJetError)
    assert e.message_tr.startswith("Adres geçersiz")
    with pytest.raises(kargojet.InvalidRequestError) as unknown:
        kargojet.ShipmentInput(
            good.sender,
            kargojet.PartyInput(
                "Ayşe Yılmaz", "05321234567", kargojet.AddressInput("Van", "Yok Böyle", "Cad. 5")
            ),
            good.parcels,
        ).validate()
    assert unknown.value.code == "request.unknown_district"


def test_a_carrier_rejection_keeps_the_carriers_code(kj: kargojet.KargoJet) -> None:
    kj.sandbox_inject_fault("aras", "create", "reject")
    with pytest.raises(kargojet.CarrierRejectedError) as raised:
        kj.ship(cod_to_van("SIP-5"), "order-SIP-5", carrier="aras")
    e = raised.value
    assert e.code == "carrier.rejected"
    assert e.carrier == "aras" and e.carrier_code == "1002"
    assert not e.retryable and not e.maybe_sent
    assert e.to_dict()["kind"] == "carrier_rejected"
    ok = kj.ship(cod_to_van("SIP-5"), "order-SIP-5b", carrier="aras")
    assert ok.carrier == "aras"


def test_money_is_never_a_float() -> None:
    good = cod_to_van("SIP-6")
    with pytest.raises(TypeError, match="never a float"):
        kargojet.ShipmentInput(
            good.sender, good.recipient, good.parcels, cod_amount=1250.0  # type: ignore[arg-type]
        )
    # Measures may be floats (by their shortest repr) and money may be a Decimal.
    p = kargojet.ParcelInput(40.5, 30, 20, Decimal("3.25"))
    assert (p.length_cm, p.weight_kg) == ("40.5", "3.25")
    s = kargojet.ShipmentInput(good.sender, good.recipient, [p], cod_amount=Decimal("99.90"))
    assert s.cod_amount == "99.90"
