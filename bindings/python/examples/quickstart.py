"""KargoJet quickstart in Python: quote a cash-on-delivery shipment from Kadıköy/İstanbul to
İpekyolu/Van across every sandbox carrier, ship the cheapest offer, save its label as
``label.pdf`` and print the tracking history as the simulated clock moves on.

Run: ``python examples/quickstart.py`` (after ``pip install ./bindings/python``). No network,
no credentials: every carrier runs as an in-process simulator. The tariffs are illustrative
estimates, not real prices.
"""

import sys
from pathlib import Path

import kargojet


def main(out_dir: Path) -> int:
    kj = kargojet.KargoJet.sandbox()
    shipment = kargojet.ShipmentInput(
        kargojet.PartyInput(
            "Moda Tekstil Ltd.",
            "0216 345 67 89",
            kargojet.AddressInput("İstanbul", "Kadıköy", "Caferağa Mah. Moda Cad. No: 12"),
        ),
        kargojet.PartyInput(
            "Ayşe Yılmaz",
            "+90 532 123 45 67",
            kargojet.AddressInput("Van", "İpekyolu", "Cumhuriyet Cad. No: 5 D: 3"),
        ),
        [kargojet.ParcelInput(40, 30, 20, "3.2"), kargojet.ParcelInput(25, 20, 10, "1.1")],
        cod_amount="1250.00",
        order_id="SIP-2026-0042",
    )

    quote = kj.quote(shipment)
    print(f"Offers for {len(shipment.parcels)} parcels İstanbul → Van, COD 1.250,00 TL")
    print("(illustrative tariffs, not real prices)\n")
    for rank, offer in enumerate(quote.offers, start=1):
        days = offer.transit_days
        transit = f"{days.min}–{days.max} gün" if days else "?"
        b = offer.breakdown
        print(
            f"{rank}. {offer.carrier_name:<26} {b.total.amount:>9} TL  {offer.billable_desi:>4} desi"
            f"  {transit:<8} (freight {b.cost.amount}, COD fee {b.cod_fee.amount}, KDV {b.kdv.amount})"
        )
    for x in quote.excluded:
        print(f"   left out: {x.carrier} — {x.code}: {x.detail}")

    best = quote.best
    if best is None:
        print("no carrier can take this shipment")
        return 1
    shipped = kj.ship(shipment, "SIP-2026-0042", carrier=best.carrier)
    print(f"\nShipped with {shipped.carrier_name} for {shipped.offer.total.amount} TL")
    print(f"  merchant key: {shipped.merchant_key}, tracking no: {shipped.tracking_number}")

    label = kj.label(shipped.id, "pdf")
    path = out_dir / "label.pdf"
    label.save(path)
    print(f"  label saved: {path} ({len(label)} bytes)")

    print("\nTracking (simulated clock):")
    tracked = kj.track(shipped.id)
    while not tracked.is_final:
        kj.advance_sandbox_clock(6 * 3600)
        tracked = kj.track(shipped.id)
    for event in tracked.events:
        print(
            f"  {event.time[:16].replace('T', ' ')}  {event.status or '(unknown code)':<17}"
            f" {event.location or '':<20} [{event.carrier_code} {event.carrier_text}]"
        )
    print(f"  now: {tracked.status_tr} ({tracked.status})")
    balances = kj.wallet_balances()
    print(
        f"  wallet: available {balances.available.amount} TL,"
        f" COD receivable {balances.cod_receivable.amount} TL"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
