"""Every code of ``error_codes()`` maps to an exception class rooted at ``KargoJetError``."""

import pytest

import kargojet


def test_every_code_maps_to_an_exception_class() -> None:
    codes = kargojet.error_codes()
    assert len(codes) == len(set(codes)) > 50
    catalog = {c.code: c for c in kargojet.error_catalog()}
    assert set(catalog) == set(codes)
    for code in codes:
        cls = kargojet.error_class(code)
        assert issubclass(cls, kargojet.KargoJetError), code
        assert cls is kargojet.ERROR_CLASSES[kargojet.error_kind(code)], code
        assert cls.kind == catalog[code].kind, code
        e = cls(catalog[code].message_en, code=code, message_tr=catalog[code].message_tr)
        assert e.code == code and str(e).startswith(code)
        assert e.message_tr != e.message_en, code


def test_the_hierarchy_matches_python_conventions() -> None:
    assert issubclass(kargojet.error_class("request.invalid_address"), ValueError)
    assert issubclass(kargojet.error_class("bulk.missing_column"), ValueError)
    assert issubclass(kargojet.error_class("transport.timeout"), TimeoutError)
    assert kargojet.error_class("carrier.rejected") is kargojet.CarrierRejectedError
    assert kargojet.error_class("wallet.insufficient_funds") is kargojet.InsufficientFundsError
    assert kargojet.error_class("not_found.shipment") is kargojet.NotFoundError
    assert not issubclass(kargojet.CarrierRejectedError, ValueError)
    assert set(kargojet.ERROR_CLASSES) == {
        "invalid_request", "unsupported", "auth", "rate_limited", "carrier_rejected", "timeout",
        "transport", "protocol", "not_found", "conflict", "insufficient_funds", "internal",
    }


def test_errors_raised_by_the_facade_carry_their_fields(kj: kargojet.KargoJet) -> None:
    with pytest.raises(kargojet.NotFoundError) as raised:
        kj.shipment("shp_yok")
    assert raised.value.code == "not_found.shipment"
    with pytest.raises(kargojet.InvalidRequestError) as bad:
        kargojet.normalize_phone("12345")
    assert bad.value.code == "request.invalid_phone" and bad.value.field == "phone"
    with pytest.raises(kargojet.InvalidRequestError) as config:
        kargojet.KargoJet({"company": "acme", "agreements": [{"tariff": "yok"}]})
    assert config.value.code == "request.invalid_config"
    assert config.value.field == "agreements[0].tariff"
    with pytest.raises(kargojet.UnsupportedError):
        kargojet.KargoJet({"company": "acme"}).advance_sandbox_clock(60)
