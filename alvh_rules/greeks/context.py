"""Market inputs for valuing positions: `ValuationContext` (as-of date, SPX, rates, surfaces,
VIX futures, VIX betas) and `VixFutures`, a curve of VIX futures by expiry date.

Times to expiry are ACT/365 calendar days from `as_of`; options expiring on `as_of` are at expiry.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from alvh_rules.greeks.conventions import DAYS_PER_YEAR
from alvh_rules.greeks.legs import FiniteFloat, PositiveFloat
from alvh_rules.greeks.surfaces import VolSurface


@runtime_checkable
class FutureCurve(Protocol):
    """Anything that gives the VIX future (VIX points) for an expiry date."""

    def future(self, expiry: date) -> float: ...


class VixFutures(BaseModel):
    """VIX futures settlements by expiry; between expiries linear in days, flat outside."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    settlements: dict[date, PositiveFloat] = Field(min_length=1)

    def future(self, expiry: date) -> float:
        days = sorted(self.settlements)
        if expiry in self.settlements:
            return self.settlements[expiry]
        ordinals = np.array([d.toordinal() for d in days], dtype=np.float64)
        prices = np.array([self.settlements[d] for d in days])
        return float(np.interp(float(expiry.toordinal()), ordinals, prices))


class ValuationContext(BaseModel):
    """Everything needed to value SPX and VIX legs on `as_of` (the day's close).

    `vix_vega_beta`: VIX-future points per SPX implied-vol point; a VIX leg's SPX-equivalent
    vega is its dollar delta to the future times this beta. `vix_delta_beta`: VIX-future
    points per SPX point (usually negative); 0 leaves VIX legs out of SPX delta and gamma.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    as_of: date
    spx: PositiveFloat
    rate: FiniteFloat
    div_yield: FiniteFloat = 0.0
    spx_surface: VolSurface
    vix_futures: FutureCurve | None = None
    vix_surface: VolSurface | None = None
    vix_vega_beta: FiniteFloat
    vix_delta_beta: FiniteFloat = 0.0
    # SPX realized volatility (decimal) the expected figures read (`greeks.expected`); None
    # where the day has none, which leaves those figures unknown.
    realized_vol: PositiveFloat | None = None

    @field_validator("rate", "div_yield")
    @classmethod
    def _plausible_rate(cls, value: float) -> float:
        if abs(value) > 1.0:
            raise ValueError("must be a decimal rate such as 0.045, not a percentage")
        return value

    def years_to(self, expiry: date) -> float:
        """ACT/365 year fraction of the calendar days from `as_of` to `expiry` (0 on the
        expiry day). Pricing counts to the settlement instant instead (`settlement_time`)."""
        return (expiry - self.as_of).days / DAYS_PER_YEAR

    def days_to(self, expiry: date) -> int:
        return (expiry - self.as_of).days

    def days_since(self, opened: date) -> int:
        """Calendar days from `opened` to `as_of`: a position's `days_held`, counted as
        `days_to` counts its `dte` (0 on the day it opens)."""
        return (self.as_of - opened).days
