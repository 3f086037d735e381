"""Type aliases of KargoJet's Python API, for annotations (every value is a plain ``str``,
``int`` or ``Decimal`` at run time)."""

import decimal
from typing import Any, Literal, Mapping, Union

#: Money is a ``str`` (``"1250.00"``, ``"1.250,00"``), an ``int`` or a ``Decimal``; never a float.
MoneyLike = Union[str, int, decimal.Decimal]
#: A measure (cm, kg, desi, percent) may also be a ``float``.
MeasureLike = Union[str, int, float, decimal.Decimal]
#: A saved bulk column mapping: a JSON string or a dict.
MappingLike = Union[str, Mapping[str, Any]]
#: The normalized shipment status.
ShipmentStatus = Literal[
    "created",
    "picked_up",
    "in_transit",
    "at_branch",
    "out_for_delivery",
    "delivered",
    "delivery_failed",
    "returning",
    "returned",
    "cancelled",
    "exception",
]
#: A label file format.
LabelFormat = Literal["pdf", "zpl", "epl", "png", "jpeg", "html"]
#: Which label to give: the carrier's when it has the format, only the carrier's, or KargoJet's.
LabelSource = Literal["auto", "carrier", "kargojet"]
#: What the caller can do about an error (the key of ``ERROR_CLASSES``).
ErrorKind = Literal[
    "invalid_request",
    "unsupported",
    "auth",
    "rate_limited",
    "carrier_rejected",
    "timeout",
    "transport",
    "protocol",
    "not_found",
    "conflict",
    "insufficient_funds",
    "internal",
]
#: A simulator operation faults can be injected into.
SandboxOperation = Literal["create", "track", "cancel"]
#: A fault a sandbox simulator can inject.
SandboxFault = Literal["reject", "error500", "timeout", "drop_connection", "malformed", "delay"]

__all__ = [
    "MoneyLike",
    "MeasureLike",
    "MappingLike",
    "ShipmentStatus",
    "LabelFormat",
    "LabelSource",
    "ErrorKind",
    "SandboxOperation",
    "SandboxFault",
]
