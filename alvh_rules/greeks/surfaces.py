"""Volatility surfaces: the `VolSurface` protocol the market package builds against, and two
small implementations, a flat surface and a sticky-moneyness skew surface.

A surface answers `vol(strike, t_years)` in decimal vol (0.20 is 20%), broadcasting arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from alvh_rules.greeks.conventions import DAYS_PER_YEAR

FloatArray = npt.NDArray[np.float64]

SKEW_REFERENCE_YEARS = 30.0 / DAYS_PER_YEAR
"""The skew slope of `SkewSurface` is quoted at 30 days and scales with sqrt(30d / t)."""

VOL_FLOOR = 0.01
"""Lowest vol a skew surface returns (1%), so deep wings never go to zero or below."""

VOL_CAP = 5.0
"""Highest vol a skew surface returns (500%), so far put wings stay finite."""


@runtime_checkable
class VolSurface(Protocol):
    """Anything that gives a decimal implied vol for a strike and a time to expiry in years."""

    def vol(self, strike: npt.ArrayLike, t_years: npt.ArrayLike) -> FloatArray:
        """Decimal implied vol, broadcast over `strike` and `t_years`."""
        ...


def _require_positive(name: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


@dataclass(frozen=True, slots=True)
class FlatSurface:
    """The same vol for every strike and expiry."""

    flat_vol: float

    def __post_init__(self) -> None:
        _require_positive("flat_vol", self.flat_vol)

    def vol(self, strike: npt.ArrayLike, t_years: npt.ArrayLike) -> FloatArray:
        shape = np.broadcast_shapes(np.shape(strike), np.shape(t_years))
        return np.full(shape, self.flat_vol)


@dataclass(frozen=True, slots=True)
class SkewSurface:
    """Sticky-moneyness skew: ATM vol per expiry plus a slope in log-moneyness.

    vol(K, t) = clip(atm(t) + skew_30d * ln(K / spot) * sqrt(30d / t), 1%, 500%).
    atm(t) interpolates linearly in total variance atm^2 * t between the given expiries and is
    flat outside them. `skew_30d` is the change of decimal vol per unit of ln(K/spot) at 30
    days (SPX: about -1.0, so a put 5% out of the money is 5 vol points over ATM). The smile is
    tied to moneyness: `moved_to(spot)` gives the same surface around a new spot.
    """

    spot: float
    expiries_years: tuple[float, ...]
    atm_vols: tuple[float, ...]
    skew_30d: float = -1.0

    def __post_init__(self) -> None:
        _require_positive("spot", self.spot)
        if not self.expiries_years or len(self.expiries_years) != len(self.atm_vols):
            raise ValueError("expiries_years and atm_vols must be non-empty and of equal length")
        for t, v in zip(self.expiries_years, self.atm_vols, strict=True):
            _require_positive("expiries_years", t)
            _require_positive("atm_vols", v)
        if list(self.expiries_years) != sorted(set(self.expiries_years)):
            raise ValueError("expiries_years must be strictly increasing")
        if not math.isfinite(self.skew_30d):
            raise ValueError(f"skew_30d must be finite, got {self.skew_30d!r}")

    def moved_to(self, spot: float) -> SkewSurface:
        """The same smile in moneyness around a new spot (sticky moneyness)."""
        return SkewSurface(spot, self.expiries_years, self.atm_vols, self.skew_30d)

    def atm_vol(self, t_years: npt.ArrayLike) -> FloatArray:
        t = np.asarray(t_years, dtype=np.float64)
        tenors = np.asarray(self.expiries_years)
        vols = np.asarray(self.atm_vols)
        with np.errstate(divide="ignore", invalid="ignore"):
            inside = np.sqrt(np.interp(t, tenors, vols * vols * tenors) / t)
        atm: FloatArray = np.where(
            t <= tenors[0], vols[0], np.where(t >= tenors[-1], vols[-1], inside)
        )
        return atm

    def vol(self, strike: npt.ArrayLike, t_years: npt.ArrayLike) -> FloatArray:
        k = np.asarray(strike, dtype=np.float64)
        t = np.asarray(t_years, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = self.skew_30d * np.sqrt(SKEW_REFERENCE_YEARS / t)
            smile = self.atm_vol(t) + slope * np.log(k / self.spot)
        clipped: FloatArray = np.clip(smile, VOL_FLOOR, VOL_CAP)
        return clipped
