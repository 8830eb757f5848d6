"""Trader-level holdings: `Leg`, `Position` and `Portfolio`, validated pydantic models.

A leg is one SPX option, VIX option or VX future with a signed quantity (negative = short);
errors name the field: a negative strike, a quantity of zero, NaN or infinite numbers.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from alvh_rules.greeks.conventions import (
    SPX_MULTIPLIER,
    VIX_OPTION_MULTIPLIER,
    VX_FUTURE_MULTIPLIER,
)

Instrument = Literal["SPX", "VIX", "VX"]
Right = Literal["c", "p"]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number, not NaN or infinite")
    return value


FiniteFloat = Annotated[float, AfterValidator(_finite)]
PositiveFloat = Annotated[float, AfterValidator(_finite), Field(gt=0)]
NonNegativeFloat = Annotated[float, AfterValidator(_finite), Field(ge=0)]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Leg(BaseModel):
    """One SPX option, VIX option or VX future. Prices are per unit of underlying (points).

    `multiplier` defaults to 100 for options and 1000 for VX futures. Validating with
    `Leg.model_validate(data, context={"as_of": some_date})` also rejects an expired leg.
    """

    model_config = _FROZEN

    instrument: Instrument
    right: Right | None = Field(default=None, validate_default=True)
    strike: PositiveFloat | None = Field(default=None, validate_default=True)
    expiry: date
    quantity: int
    multiplier: int = Field(default=0, ge=0, validate_default=True)
    entry_price: NonNegativeFloat = 0.0
    opened_by: str | None = None
    layer: str | None = None

    @field_validator("quantity")
    @classmethod
    def _nonzero_quantity(cls, quantity: int) -> int:
        if quantity == 0:
            raise ValueError("quantity must not be zero (negative is short, positive is long)")
        return quantity

    @field_validator("expiry")
    @classmethod
    def _not_expired(cls, expiry: date, info: ValidationInfo) -> date:
        as_of = (info.context or {}).get("as_of") if isinstance(info.context, dict) else None
        if isinstance(as_of, date) and expiry < as_of:
            raise ValueError(f"expiry {expiry} is in the past (as of {as_of})")
        return expiry

    @field_validator("right", "strike")
    @classmethod
    def _option_fields(cls, value: object, info: ValidationInfo) -> object:
        instrument = info.data.get("instrument")
        if instrument == "VX" and value is not None:
            raise ValueError(f"a VX future has no {info.field_name}")
        if instrument in ("SPX", "VIX") and value is None:
            raise ValueError(f"an {instrument} option needs a {info.field_name}")
        return value

    @field_validator("multiplier")
    @classmethod
    def _default_multiplier(cls, multiplier: int, info: ValidationInfo) -> int:
        if multiplier:
            return multiplier
        defaults = {"SPX": SPX_MULTIPLIER, "VIX": VIX_OPTION_MULTIPLIER, "VX": VX_FUTURE_MULTIPLIER}
        return defaults.get(info.data.get("instrument", ""), 0)

    @model_validator(mode="after")
    def _future_has_a_price(self) -> Self:
        if self.instrument == "VX" and self.entry_price <= 0:
            raise ValueError("entry_price of a VX future must be positive")
        return self

    @property
    def is_option(self) -> bool:
        return self.instrument != "VX"

    @property
    def units(self) -> int:
        """Signed units of underlying: quantity times multiplier (dollars per point)."""
        return self.quantity * self.multiplier


class Position(BaseModel):
    """A named group of legs opened together (an iron condor, a VIX call spread...).

    `opened`: the day it was opened (its `days_held` counts from it; None: not known, and
    so neither is `days_held`). Validating with `context={"as_of": some_date}` rejects an
    opening after that day, as `Leg` rejects an expired leg.
    """

    model_config = _FROZEN

    name: str = Field(min_length=1)
    legs: tuple[Leg, ...] = Field(min_length=1)
    opened: date | None = None

    @field_validator("opened")
    @classmethod
    def _not_opened_later(cls, opened: date | None, info: ValidationInfo) -> date | None:
        as_of = (info.context or {}).get("as_of") if isinstance(info.context, dict) else None
        if opened is not None and isinstance(as_of, date) and opened > as_of:
            raise ValueError(opened_later(opened, as_of))
        return opened

    @property
    def layer(self) -> str | None:
        """The legs' common layer tag; None when untagged or mixed."""
        tags = {leg.layer for leg in self.legs}
        return tags.pop() if len(tags) == 1 else None


class Portfolio(BaseModel):
    """Positions with the account's capital and the risk it allows at once (dollars)."""

    model_config = _FROZEN

    positions: tuple[Position, ...] = ()
    capital: PositiveFloat
    risk_budget: NonNegativeFloat

    @property
    def legs(self) -> tuple[Leg, ...]:
        return tuple(leg for position in self.positions for leg in position.legs)


def opened_later(opened: date, as_of: date) -> str:
    """Why a position opened after the day it is valued on is refused."""
    return f"opened {opened} is after the day it is valued on ({as_of})"


def require_live(position: Position, as_of: date) -> None:
    """Raise a ValidationError naming `legs.<i>.expiry` for any leg expired before `as_of`,
    and `opened` for a position opened after it."""
    errors: list[InitErrorDetails] = []
    if position.opened is not None and position.opened > as_of:
        message = opened_later(position.opened, as_of)
        errors.append(_error(("opened",), position.opened, message, "opened_later"))
    for index, leg in enumerate(position.legs):
        if leg.expiry < as_of:
            message = f"expiry {leg.expiry} is in the past (as of {as_of})"
            errors.append(_error(("legs", index, "expiry"), leg.expiry, message))
    if errors:
        raise ValidationError.from_exception_data(f"Position {position.name!r}", errors)


def _error(
    loc: tuple[str | int, ...], value: Any, message: str, kind: str = "expired"
) -> InitErrorDetails:
    return {
        "type": PydanticCustomError(kind, message),
        "loc": loc,
        "input": value,
    }
