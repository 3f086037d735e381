"""Quote benchmarks of the Python binding, beside the plain-Python rater and the same call in
Rust, on the same inputs in the same run.

The inputs are those of ``../shared/anchors/desi_baseline.py --dump``: 7 carriers × 30 desi bands
× 81 destination provinces, COD fee bands, a per-desi price above 100 desi, 20 % KDV, and 4,096
shipments with the rater's expected cheapest answer each. They are loaded into KargoJet as one
TOML tariff and one (own) agreement per carrier through the facade's JSON configuration.

Measured:

1. ``desi_baseline.py``'s ``quote()`` (plain Python): rate one shipment with all 7 carriers and
   pick the cheapest;
2. ``KargoJet.quote()`` through the binding: the same shipment ranked across the 7 agreements
   with full price breakdowns — timed both as the call alone (the ``Quote`` holds every offer)
   and with every ``Offer`` materialized as a typed object and the best total read;
3. ``KargoJet.quote_batch()``: the 4,096 shipments in one call (quotes/s) — each row ranks every
   offer by its total and carries the best one with its breakdown — timed as the call alone,
   with every row's cheapest ``(carrier, total)`` read, and with every row's best ``Offer``
   object built;
4. the same quote in Rust (``cargo bench -p kargojet-ffi --bench quote_overhead``), to give the
   binding's per-call overhead.

Every shipment's cheapest carrier and total are checked against the rater's answer (totals
within 0.01 TL: the rater rounds floats, KargoJet rounds exact kuruş) for the single call and for
the batch (its ``cheapest()`` pairs and its best offers), and every batch row's ranked offers
against the single quote's. Times are CPU time of the benchmark process (``time.process_time``),
so other load on a shared machine inflates both sides alike instead of whichever ran when the
machine was busiest.

Run with a release build of the wheel (``maturin develop --release`` or ``pip install``):
``python bindings/python/bench.py [--n 100000] [--repeat 3] [--no-rust]``. On a shared machine the
figures are indicative; the ratios, taken in one run, are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import kargojet

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ANCHORS = Path(os.environ.get("KARGOJET_ANCHORS", ROOT.parent / "shared" / "anchors"))
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BENCH_DIR = TARGET / "ffi-bench"

CARRIER_IDS = {
    "Yurtiçi": "yurtici",
    "Aras": "aras",
    "MNG": "mng_dhl_ecommerce",
    "PTT": "ptt",
    "Sürat": "surat",
    "HepsiJet": "hepsijet",
    "Kolay Gelsin": "kolay_gelsin",
}


def dec(v: float) -> str:
    """A JSON number as its exact decimal text (Python's shortest repr)."""
    return repr(v) if isinstance(v, float) else str(v)


def load_dump() -> Dict[str, Any]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / "desi-dump.json"
    subprocess.run(
        [sys.executable, str(ANCHORS / "desi_baseline.py"), "--dump", str(path)],
        check=True,
        cwd=ANCHORS,
    )
    with open(path, encoding="utf-8") as f:
        doc: Dict[str, Any] = json.load(f)
    return doc


def tariff_toml(carrier: Dict[str, Any], carrier_id: str, bands: List[float]) -> str:
    lines = [
        f'id = "baseline_{carrier_id}"',
        f'carrier = "{carrier_id}"',
        'step = "0"',
        "divisor = 3000",
    ]
    for p in range(81):
        cells = ", ".join(
            f'{{ to = "{dec(upper)}", price = "{dec(carrier["prices"][b][p])}" }}'
            for b, upper in enumerate(bands)
        )
        lines += [
            "[[zone]]",
            f'zone = "{p + 1}"',
            f'extra_per_desi = "{dec(carrier["over_limit_per_desi"])}"',
            f"bands = [ {cells} ]",
        ]
    return "\n".join(lines) + "\n"


def config_of(dump: Dict[str, Any]) -> Dict[str, Any]:
    """The facade configuration holding the dump's tables: one tariff + own agreement each."""
    bands = dump["desi_bands"]
    cod_bands = dump["cod_bands"]
    tariffs, agreements = [], []
    for c in dump["carriers"]:
        cid = CARRIER_IDS[c["name"]]
        tariffs.append({"format": "toml", "text": tariff_toml(c, cid, bands)})
        # 0.01 + 0.001 × i in floats (0.013000000000000001): the intended percentage, to 6 places.
        percent = (Decimal(dec(c["cod_percent"])) * 100).quantize(Decimal("0.000001")).normalize()
        agreements.append(
            {
                "tariff": f"baseline_{cid}",
                "own_account": "baseline",
                "cod_fee": {
                    "kind": "bands",
                    "bands": [
                        {
                            "upper": None if cod_bands[k] is None else dec(cod_bands[k]),
                            "fixed": dec(c["cod_fees"][k]),
                            "percent": str(percent) if cod_bands[k] is None else "0",
                        }
                        for k in range(1, len(cod_bands))
                    ],
                },
            }
        )
    # The rater knows no transit days: ties in price go to the lower carrier id in both.
    return {
        "company": "bench",
        "tariffs": tariffs,
        "agreements": agreements,
        "transit_days": {"kind": "off"},
    }


def shipment_records(dump: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The dump's shipments as the facade's ShipmentInput records (from İstanbul)."""
    sender = {
        "name": "Depo İstanbul",
        "phone": "02163456789",
        "address": {"province": "34", "district": "Kadıköy", "line": "Moda Cad. No 12"},
    }
    first_district = {p: kargojet.districts(str(p))[0] for p in range(1, 82)}
    out = []
    for s in dump["shipments"]:
        plate = s["dest_plate"]
        out.append(
            {
                "sender": sender,
                "recipient": {
                    "name": "Alıcı Müşteri",
                    "phone": "05321234567",
                    "address": {
                        "province": str(plate),
                        "district": first_district[plate],
                        "line": "Cumhuriyet Cad. No 1",
                    },
                },
                "parcels": [
                    {
                        "length_cm": dec(s["length_cm"]),
                        "width_cm": dec(s["width_cm"]),
                        "height_cm": dec(s["height_cm"]),
                        "weight_kg": dec(s["weight_kg"]),
                    }
                ],
                "cod_amount": dec(s["cod_amount"]) if s["cod_amount"] else None,
            }
        )
    return out


def as_input(r: Dict[str, Any]) -> kargojet.ShipmentInput:
    def party(p: Dict[str, Any]) -> kargojet.PartyInput:
        a = p["address"]
        return kargojet.PartyInput(
            p["name"], p["phone"], kargojet.AddressInput(a["province"], a["district"], a["line"])
        )

    parcels = [
        kargojet.ParcelInput(p["length_cm"], p["width_cm"], p["height_cm"], p["weight_kg"])
        for p in r["parcels"]
    ]
    return kargojet.ShipmentInput(
        party(r["sender"]), party(r["recipient"]), parcels, cod_amount=r["cod_amount"]
    )


def timed(fn: Callable[[int], None], n: int, repeat: int) -> float:
    """Median CPU seconds of this process per call of ``fn(n)`` over ``repeat`` runs, divided
    by ``n`` (CPU time, not wall time: on a shared machine the time other processes hold the
    cores is not counted; every call measured runs on this thread)."""
    runs = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn(n)
        runs.append(time.process_time() - t0)
    return statistics.median(runs) / n


def check(answers: List[Tuple[str, Decimal]], expected: List[Any]) -> int:
    mismatches = 0
    for i, (carrier, total) in enumerate(answers):
        want_c, want_t = CARRIER_IDS[expected[i][0]], Decimal(dec(expected[i][1]))
        if carrier != want_c or abs(total - want_t) > Decimal("0.01"):
            mismatches += 1
            if mismatches <= 5:
                print(f"  shipment {i}: KargoJet {carrier} {total} vs rater {want_c} {want_t}")
    return mismatches


def rust_figures(run: bool) -> Dict[str, float]:
    """Median ns per element of the Rust bench (run now unless ``run`` is false)."""
    if run:
        env = dict(os.environ, KARGOJET_FFI_BENCH_DIR=str(BENCH_DIR))
        subprocess.run(
            ["nice", "-n", "19", "cargo", "bench", "-p", "kargojet-ffi", "--bench",
             "quote_overhead", "--", "--warm-up-time", "1", "--measurement-time", "4"],
            check=True,
            cwd=ROOT,
            env=env,
        )
    out = {}
    for name, per in (("rust_quote", 1), ("facade_quote_blocking", 1), ("facade_quote_batch", 4096)):
        est = TARGET / "criterion" / "ffi" / name / "new" / "estimates.json"
        if est.exists():
            with open(est) as f:
                out[name] = json.load(f)["median"]["point_estimate"] / per
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="single quotes per timed run")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-rust", action="store_true", help="reuse the last Rust figures")
    ap.add_argument("--allow-debug", action="store_true")
    a = ap.parse_args()
    if kargojet._native.build_profile() != "release" and not a.allow_debug:
        print("the installed kargojet is a debug build: run `maturin develop --release` first")
        return 2

    dump = load_dump()
    config = config_of(dump)
    records = shipment_records(dump)
    (BENCH_DIR / "config.json").write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    (BENCH_DIR / "shipments.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    kj = kargojet.KargoJet(config)
    inputs = [as_input(r) for r in records]
    for s in inputs:
        s.validate()
    expected = dump["expected"]
    mask = len(inputs) - 1
    assert len(inputs) == 4096

    # The plain-Python rater, on the same tables and shipments (same seed as the dump).
    sys.path.insert(0, str(ANCHORS))
    import desi_baseline  # noqa: E402

    rng = random.Random(1)
    carriers = desi_baseline.build_tables(rng)
    ships = desi_baseline.make_shipments(rng, 4096)
    assert [list(desi_baseline.quote(carriers, s)[:2]) for s in ships[:8]] == [
        list(e) for e in expected[:8]
    ]

    def python_rater(n: int) -> None:
        for i in range(n):
            desi_baseline.quote(carriers, ships[i & mask])

    def binding_call(n: int) -> None:
        quote = kj.quote
        for i in range(n):
            quote(inputs[i & mask])

    def binding_offers(n: int) -> None:
        quote = kj.quote
        for i in range(n):
            q = quote(inputs[i & mask])
            offers = q.offers
            offers[0].breakdown.total.amount

    # Correctness first: every shipment's cheapest answer, single and batch.
    single = []
    for s in inputs:
        best = kj.quote(s).best
        assert best is not None
        single.append((best.carrier, best.total.decimal))
    result = kj.quote_batch(inputs)
    pairs = [p for p in result.cheapest() if p is not None]
    batch = [(c, Decimal(t)) for c, t in pairs]
    batch_best = [(b.carrier, b.total.decimal) for b in result.best() if b is not None]
    assert len(batch) == 4096 and len(batch_best) == 4096
    m_single, m_batch = check(single, expected), check(batch, expected)
    m_batch += sum(1 for a, b in zip(batch, batch_best) if a != b)
    # Every row ranks the same offers in the same order as the single quote.
    m_rows = 0
    for s, row in zip(inputs, result.quotes()):
        assert row is not None
        want = [(o.carrier, o.total.amount) for o in kj.quote(s).offers]
        m_rows += [(c, t) for c, _, t, _ in row.rows()] != want
    offers_per_quote = len(kj.quote(inputs[0]).offers)
    del result

    # A B A: the rater before and after the binding.
    py1 = timed(python_rater, a.n, a.repeat)
    call = timed(binding_call, a.n, a.repeat)
    full = timed(binding_offers, a.n, a.repeat)
    rounds = max(5, a.repeat)
    batch_call = timed(lambda _n: (kj.quote_batch(inputs), None)[1], 1, rounds) / 4096
    batch_pairs = timed(lambda _n: (kj.quote_batch(inputs).cheapest(), None)[1], 1, rounds) / 4096
    batch_full = timed(lambda _n: (kj.quote_batch(inputs).best(), None)[1], 1, rounds) / 4096
    py2 = timed(python_rater, a.n, a.repeat)
    py = statistics.median([py1, py2])
    rust = rust_figures(not a.no_rust)

    us = 1e6
    print()
    print(f"inputs: {len(inputs)} shipments × 7 carriers × 30 desi bands × 81 provinces "
          f"(desi_baseline.py --dump); {offers_per_quote} ranked offers with breakdowns per quote")
    print(f"cheapest carrier and total vs desi_baseline.py: single {m_single} mismatches, "
          f"batch {m_batch} mismatches (of 4096); batch rows ranked unlike the single quote: "
          f"{m_rows}")
    print(f"plain-Python rater (desi_baseline.quote):      {py * us:7.3f} µs/quote "
          f"({1 / py:>10,.0f}/s)  [A {py1 * us:.3f}, B {py2 * us:.3f}]")
    print(f"KargoJet.quote (call; Quote holds the offers): {call * us:7.3f} µs/quote "
          f"({1 / call:>10,.0f}/s)  {py / call:5.2f}× the rater")
    print(f"KargoJet.quote + every Offer object + total:   {full * us:7.3f} µs/quote "
          f"({1 / full:>10,.0f}/s)  {py / full:5.2f}× the rater")
    print(f"KargoJet.quote_batch (4096 in one call):       {batch_call * us:7.3f} µs/quote "
          f"({1 / batch_call:>10,.0f}/s)  {py / batch_call:5.2f}× the rater")
    print(f"KargoJet.quote_batch + every row's cheapest:   {batch_pairs * us:7.3f} µs/quote "
          f"({1 / batch_pairs:>10,.0f}/s)  {py / batch_pairs:5.2f}× the rater")
    print(f"KargoJet.quote_batch + every row's best Offer: {batch_full * us:7.3f} µs/quote "
          f"({1 / batch_full:>10,.0f}/s)  {py / batch_full:5.2f}× the rater")
    if "rust_quote" in rust:
        r = rust["rust_quote"] / 1e3
        print(f"Rust Engine::quote_domain (same call):         {r:7.3f} µs/quote "
              f"→ Python per-call overhead {call * us - r:.3f} µs (call), {full * us - r:.3f} µs (with offers)")
    if "facade_quote_blocking" in rust:
        print(f"Rust KargoJet::quote_blocking (records):       {rust['facade_quote_blocking'] / 1e3:7.3f} µs/quote")
    if "facade_quote_batch" in rust:
        print(f"Rust quote_batch_domain (per shipment):        {rust['facade_quote_batch'] / 1e3:7.3f} µs/quote")
    print("targets: single quote no slower than the rater (≥ 1×); quote_batch ≥ 10× the rater; "
          "0 mismatches. Figures are indicative on a shared machine.")
    ok = m_single == 0 and m_batch == 0 and m_rows == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
