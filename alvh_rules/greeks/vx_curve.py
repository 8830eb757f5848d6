"""The VIX futures curve, one owner: the VX future for any number of days ahead, from the
front (F1) and second (F2) settles and their real expiries.

- up to F1's expiry: F1 (no listed VX future expires sooner, so a VIX option there is on F1);
- between F1's and F2's expiries: linear in calendar days;
- beyond F2's expiry: an EXTRAPOLATION, named as such wherever it is used: the curve reverts
  from F2 towards the long-run VIX level at the speed of `VX_REVERSION_PER_YEAR`
  (F(t) = L + (F2 - L) * exp(-kappa * (t - t2))), the mean-reverting shape of the VIX futures
  term structure (e.g. Zhang and Zhu 2006, "VIX futures", J. Futures Markets 26(6)).
- F2's expiry unknown (early history): taken `F2_FALLBACK_DAYS` after F1's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

LONG_RUN_VIX: Final = 19.5
"""The level the curve reverts to beyond F2: the mean VIX close of 1990-2024 is about 19.5."""

VX_REVERSION_PER_YEAR: Final = 4.0
"""Mean-reversion speed kappa of the VX curve beyond F2 (half-life ln2/kappa about 2 months)."""

F2_FALLBACK_DAYS: Final = 30.0
"""Days from F1's expiry to F2's when the data does not give F2's expiry."""


def second_expiry_days(dte1: FloatArray, dte2: FloatArray) -> FloatArray:
    """F2's days to expiry: the data's, else F1's plus `F2_FALLBACK_DAYS`."""
    days: FloatArray = np.where(np.isfinite(dte2), dte2, dte1 + F2_FALLBACK_DAYS)
    return days


def vx_future(
    f1: npt.ArrayLike,
    f2: npt.ArrayLike,
    dte1: npt.ArrayLike,
    dte2: npt.ArrayLike,
    days: npt.ArrayLike,
) -> FloatArray:
    """The VX future `days` calendar days ahead (broadcasting); NaN without F1 or its expiry.
    Without F2 the curve is F1 everywhere."""
    f1a, f2a = np.asarray(f1, np.float64), np.asarray(f2, np.float64)
    d1, d = np.asarray(dte1, np.float64), np.asarray(days, np.float64)
    d2 = second_expiry_days(d1, np.asarray(dte2, np.float64))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        between = f1a + (f2a - f1a) * (d - d1) / (d2 - d1)
        beyond = LONG_RUN_VIX + (f2a - LONG_RUN_VIX) * np.exp(
            -VX_REVERSION_PER_YEAR * (d - d2) / 365.0
        )
        curve = np.where(d <= d1, f1a, np.where(d <= d2, between, beyond))
    curve = np.where(np.isnan(f2a), f1a, curve)
    found: FloatArray = np.where(np.isnan(f1a) | np.isnan(d1), np.nan, curve)
    return found


def beyond_second(dte1: FloatArray, dte2: FloatArray, days: FloatArray) -> npt.NDArray[np.bool_]:
    """Where `days` lies past F2's expiry, so the future there is the extrapolation."""
    with np.errstate(invalid="ignore"):
        past: npt.NDArray[np.bool_] = np.asarray(days > second_expiry_days(dte1, dte2))
    return past


@lru_cache(maxsize=4096)
def _future_at(f1: float, f2: float, dte1: float, dte2: float, days: float) -> float:
    """`vx_future` on one day and expiry, kept: a backtest values the same VIX legs on the
    same curve several times a day (marks, held figures, fills)."""
    return float(vx_future(f1, f2, dte1, dte2, days))


@dataclass(frozen=True, slots=True)
class VxCurve:
    """The day's curve as the Greeks core's `FutureCurve` (a future by expiry date)."""

    as_of: dt.date
    f1: float
    f2: float
    dte1: float
    dte2: float

    def at_days(self, days: npt.ArrayLike) -> FloatArray:
        return vx_future(self.f1, self.f2, self.dte1, self.dte2, days)

    def future(self, expiry: dt.date) -> float:
        return _future_at(self.f1, self.f2, self.dte1, self.dte2, float((expiry - self.as_of).days))

    def extrapolated(self, days: float) -> bool:
        """Whether the future `days` ahead is the extrapolation beyond F2."""
        if np.isnan(self.f2):
            return bool(days > self.dte1)
        return bool(beyond_second(np.asarray(self.dte1), np.asarray(self.dte2), np.asarray(days)))
