"""The awaitable twins, on asyncio: the scenario's steps, and 1,000 concurrent quotes."""

import asyncio

import pytest

import kargojet
from conftest import cod_to_van


@pytest.mark.asyncio
async def test_async_quote_ship_track_and_errors(kj: kargojet.KargoJet) -> None:
    quote = await kj.quote_async(cod_to_van("A-1"))
    assert quote.best is not None
    shipped = await kj.ship_async(cod_to_van("A-1"), "async-A-1")
    assert (await kj.ship_async(cod_to_van("A-1"), "async-A-1")).id == shipped.id
    label = await kj.label_async(shipped.id, "pdf")
    assert label.data.startswith(b"%PDF")
    kj.advance_sandbox_clock(4 * 24 * 3600)
    tracked = await kj.track_async(shipped.id)
    assert tracked.id == shipped.id and tracked.events
    with pytest.raises(kargojet.NotFoundError):
        await kj.track_async("shp_yok")
    balances = await kj.wallet_balances_async()
    assert balances.available.currency == "TRY"


@pytest.mark.asyncio
async def test_a_thousand_concurrent_quotes_complete(kj: kargojet.KargoJet) -> None:
    shipments = [cod_to_van(f"C-{i}", weight_kg=f"{1 + i % 30}.5") for i in range(1000)]
    quotes = await asyncio.wait_for(
        asyncio.gather(*(kj.quote_async(s) for s in shipments)), timeout=120
    )
    assert len(quotes) == 1000
    for s, q in zip(shipments[:20], quotes[:20]):
        assert q == kj.quote(s), "the async quote equals the blocking one"
    assert all(q.best is not None for q in quotes)


@pytest.mark.asyncio
async def test_a_cancelled_await_does_not_break_the_loop(kj: kargojet.KargoJet) -> None:
    task = asyncio.ensure_future(kj.quote_async(cod_to_van("X-1")))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (await kj.quote_async(cod_to_van("X-2"))).best is not None
