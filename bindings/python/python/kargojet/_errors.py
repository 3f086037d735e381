"""KargoJet's exceptions: one class per error kind, all rooted at :class:`KargoJetError`.

Every error carries its stable dotted ``code`` (``request.invalid_address``), the messages in
Turkish and English, the offending ``field`` for invalid requests, the ``carrier`` and its own
``carrier_code`` for carrier rejections, and whether the call is ``retryable`` or may have
reached the carrier (``maybe_sent``).

Invalid requests are also :class:`ValueError`; timeouts are also :class:`TimeoutError`.
Which class a code raises is decided by the facade (``kargojet.error_kind(code)``), the same
in every language.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

__all__ = [
    "KargoJetError",
    "InvalidRequestError",
    "UnsupportedError",
    "AuthError",
    "RateLimitedError",
    "CarrierRejectedError",
    "CarrierTimeoutError",
    "TransportError",
    "ProtocolError",
    "NotFoundError",
    "ConflictError",
    "InsufficientFundsError",
    "InternalError",
    "ERROR_CLASSES",
]


class KargoJetError(Exception):
    """The root of every KargoJet error."""

    #: The error kind every class stands for (``invalid_request``, ``timeout``, …).
    kind = "internal"

    code: str
    message_tr: str
    message_en: str
    field: Optional[str]
    carrier: Optional[str]
    carrier_code: Optional[str]
    retryable: bool
    maybe_sent: bool

    def __init__(
        self,
        message_en: str,
        *,
        code: str = "internal.error",
        message_tr: str = "",
        field: Optional[str] = None,
        carrier: Optional[str] = None,
        carrier_code: Optional[str] = None,
        retryable: bool = False,
        maybe_sent: bool = False,
    ) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_tr = message_tr or message_en
        self.message_en = message_en
        self.field = field
        self.carrier = carrier
        self.carrier_code = carrier_code
        self.retryable = retryable
        self.maybe_sent = maybe_sent

    def __str__(self) -> str:
        return f"{self.code}: {self.message_en}"

    def __repr__(self) -> str:
        parts = [f"code={self.code!r}"]
        if self.field:
            parts.append(f"field={self.field!r}")
        if self.carrier:
            parts.append(f"carrier={self.carrier!r}")
        if self.carrier_code:
            parts.append(f"carrier_code={self.carrier_code!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def to_dict(self) -> Dict[str, object]:
        """Every field as a plain dict."""
        return {
            "kind": self.kind,
            "code": self.code,
            "message_tr": self.message_tr,
            "message_en": self.message_en,
            "field": self.field,
            "carrier": self.carrier,
            "carrier_code": self.carrier_code,
            "retryable": self.retryable,
            "maybe_sent": self.maybe_sent,
        }


class InvalidRequestError(KargoJetError, ValueError):
    """The input is wrong; ``field`` names what to fix."""

    kind = "invalid_request"


class UnsupportedError(KargoJetError):
    """The carrier (or KargoJet) does not offer this."""

    kind = "unsupported"


class AuthError(KargoJetError):
    """The carrier rejected the credentials or the session expired."""

    kind = "auth"


class RateLimitedError(KargoJetError):
    """The carrier asked to slow down."""

    kind = "rate_limited"


class CarrierRejectedError(KargoJetError):
    """The carrier answered with a business error (its own code in ``carrier_code``)."""

    kind = "carrier_rejected"


class CarrierTimeoutError(KargoJetError, TimeoutError):
    """The carrier did not answer in time (``maybe_sent`` says if it may have acted)."""

    kind = "timeout"


class TransportError(KargoJetError):
    """The connection failed or the carrier answered with an unexpected HTTP status."""

    kind = "transport"


class ProtocolError(KargoJetError):
    """The carrier's answer could not be understood."""

    kind = "protocol"


class NotFoundError(KargoJetError):
    """A shipment, tariff or offer is not known."""

    kind = "not_found"


class ConflictError(KargoJetError):
    """The state does not allow the operation (e.g. cancel after pickup)."""

    kind = "conflict"


class InsufficientFundsError(KargoJetError):
    """Not enough money in the wallet."""

    kind = "insufficient_funds"


class InternalError(KargoJetError):
    """A bug or a failing store."""

    kind = "internal"


#: The class raised for each error kind.
ERROR_CLASSES: Dict[str, Type[KargoJetError]] = {
    cls.kind: cls
    for cls in (
        InvalidRequestError,
        UnsupportedError,
        AuthError,
        RateLimitedError,
        CarrierRejectedError,
        CarrierTimeoutError,
        TransportError,
        ProtocolError,
        NotFoundError,
        ConflictError,
        InsufficientFundsError,
        InternalError,
    )
}

