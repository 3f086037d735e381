"""The bridge from KargoJet's runtime to asyncio: results arrive through
``loop.call_soon_threadsafe(_settle, future, ok, value)``."""

from __future__ import annotations

import asyncio


def _settle(future: "asyncio.Future[object]", ok: bool, value: object) -> None:
    """Completes ``future`` with a result or an exception (nothing once it is cancelled)."""
    if future.done():
        return
    if ok:
        future.set_result(value)
    elif isinstance(value, BaseException):
        future.set_exception(value)
    else:
        future.set_exception(RuntimeError(f"unexpected failure value {value!r}"))
