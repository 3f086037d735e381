"""Shared fixtures: one sandbox per test module (every carrier simulator in-process) and the
İstanbul → Van cash-on-delivery shipment the scenario uses."""

from typing import Iterator

import pytest

import kargojet


def party(name: str, phone: str, province: str, district: str, line: str) -> kargojet.PartyInput:
    """A party with its address."""
    return kargojet.PartyInput(name, phone, kargojet.AddressInput(province, district, line))


SENDER = party(
    "Moda Tekstil Ltd.", "0216 345 67 89", "İstanbul", "Kadıköy", "Caferağa Mah. Moda Cad. No: 12"
)


def cod_to_van(order_id: str, weight_kg: str = "3.2") -> kargojet.ShipmentInput:
    """A 40×30×20 cm parcel from Kadıköy/İstanbul to İpekyolu/Van, 1.250 TL cash on delivery."""
    return kargojet.ShipmentInput(
        SENDER,
        party("Ayşe Yılmaz", "+90 532 123 45 67", "Van", "İpekyolu", "Cumhuriyet Cad. No: 5 D: 3"),
        [kargojet.ParcelInput(40, 30, 20, weight_kg)],
        cod_amount="1250.00",
        order_id=order_id,
    )


@pytest.fixture(scope="module")
def kj() -> Iterator[kargojet.KargoJet]:
    """A sandbox KargoJet shared by the tests of one module."""
    yield kargojet.KargoJet.sandbox()
