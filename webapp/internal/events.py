"""What the marketplace may send (SPEC, "Internal events endpoint"), as pydantic models: one per
event type, told apart by `type` (a discriminated union), strict (a number in quotes, a float or
a boolean is not an integer), ids bounded, cents bounded, times with their time zone.

A body that does not fit is an Invalid naming each field that failed (a 400 with `fields`), and
nothing is recorded. Fields we do not know are ignored, so the marketplace can add one before we
read it.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from ..core import clock
from ..core.errors import Invalid
from ..credits.rules import MAX_CENTS  # a buyer's fee, or what one redeem may take

# Ids are the marketplace's (ours for users): letters, digits and _ . : - (a prefixed id, a UUID),
# at most 100 characters. Nothing else reaches a query or a log line.
MAX_ID = 100
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"
# A completed booking happened in the past; a day of leeway for the two systems' clocks.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_LEEWAY = timedelta(days=1)

Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID, pattern=ID_PATTERN)]
Cents = Annotated[int, Field(ge=0, le=MAX_CENTS)]


class _Event(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    id: Id  # the idempotency key: a repeat gets the first answer


class BookingCompleted(_Event):
    """May earn referral rewards: the first qualifying booking of an invitee (buyer or provider)."""
    type: Literal["booking.completed"]
    booking_id: Id
    buyer_user_id: Id
    provider_user_id: Id
    buyer_fee_cents: Cents
    occurred_at: AwareDatetime

    @field_validator("occurred_at")
    @classmethod
    def _in_the_past(cls, value: datetime) -> datetime:
        if value < EARLIEST:
            raise ValueError("Must be in 2000 or later.")
        if value > clock.now() + CLOCK_LEEWAY:
            raise ValueError("Is in the future: a booking is reported once it is completed.")
        return value.astimezone(UTC)


class BookingRefunded(_Event):
    """Claws back what the booking's rewards paid."""
    type: Literal["booking.refunded"]
    booking_id: Id


class CreditRedeem(_Event):
    """Checkout spends the buyer's credit on a booking's service fee: min(balance, max_cents)."""
    type: Literal["credit.redeem"]
    user_id: Id
    booking_id: Id
    max_cents: Cents


Event = BookingCompleted | BookingRefunded | CreditRedeem
TYPES = tuple(model.model_fields["type"].annotation.__args__[0] for model in Event.__args__)
_EVENT = TypeAdapter(Annotated[Event, Field(discriminator="type")])

# Messages for the failures whose pydantic wording names pydantic's own terms.
_MESSAGES = {
    "json_invalid": "The body is not JSON.",
    "json_type": "The body is not JSON.",
    "dict_type": "The body must be a JSON object.",
    "model_attributes_type": "The body must be a JSON object.",
    "union_tag_not_found": "Missing: the event's type, one of " + ", ".join(TYPES) + ".",
    "union_tag_invalid": "Unknown type: use one of " + ", ".join(TYPES) + ".",
    "string_pattern_mismatch": "Use letters, digits and _ . : - only, starting with a letter or a digit.",
    "string_type": "Must be a string.",
    "int_type": "Must be a whole number (of cents), not a string, decimal or boolean.",
    "timezone_aware": "Must be an ISO 8601 time with its time zone (2026-03-18T10:00:00Z, or +01:00).",
    "datetime_type": "Must be an ISO 8601 time with its time zone (2026-03-18T10:00:00Z, or +01:00).",
    "datetime_parsing": "Must be an ISO 8601 time with its time zone (2026-03-18T10:00:00Z, or +01:00).",
    "missing": "Missing.",
    "string_too_short": "Must not be empty.",
    "string_too_long": "At most {max_length} characters.",
    "greater_than_equal": "Must be {ge} or more.",
    "less_than_equal": "Must be at most {le:,}.",
}


def _field(error: dict) -> str:
    """The body's field an error is about: pydantic's location without the union's tag; the tag
    itself for a missing or unknown type; "body" for the body as a whole."""
    if error["type"] in ("union_tag_not_found", "union_tag_invalid"):
        return "type"
    loc = [str(part) for part in error["loc"] if part not in TYPES]
    return ".".join(loc) or "body"


def _message(error: dict) -> str:
    if error["type"] == "value_error":  # our own validators' words
        return str(error["ctx"]["error"])
    if error["type"] in _MESSAGES:
        return _MESSAGES[error["type"]].format(**error.get("ctx", {}))
    return error["msg"].rstrip(".") + "."


def parse(raw: bytes) -> Event:
    """The event in `raw`, or Invalid with a message per failing field (the first per field)."""
    try:
        return _EVENT.validate_json(raw)
    except ValidationError as exc:
        fields: dict[str, str] = {}
        for error in exc.errors(include_url=False):
            fields.setdefault(_field(error), _message(error))
        raise Invalid("; ".join(f"{name}: {message}" for name, message in fields.items()), fields) from None
