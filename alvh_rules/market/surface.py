"""A volatility surface from VIX and its term structure, for when no option chain is given.

ATM vol by tenor from VIX9D (9 days), VIX (30) and VIX3M (93), interpolated in total
variance; a documented skew linear in log-moneyness, steeper for short expiries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from alvh_rules.greeks.conventions import DAYS_PER_YEAR, VOL_POINT

FloatArray = npt.NDArray[np.float64]

# Calendar days each Cboe index measures.
VIX_TENOR_DAYS: dict[str, float] = {"vix9d": 9.0, "vix": 30.0, "vix3m": 93.0}
# Slope of decimal vol per unit of ln(K/S) at 30 days: a 5% OTM put is about 5 vol points
# over ATM on a typical SPX day. Scaled by sqrt(30d / t) so short expiries are steeper.
DEFAULT_SKEW_30D = -1.0
VOL_FLOOR = 0.01
VOL_CAP = 5.0


@dataclass(frozen=True, slots=True)
class VixTermSurface:
    """`vol(strike, t_years)` in decimal vol (0.20 is 20%), the Greeks core's convention.

    The VIX indexes are variance-swap levels, a little above ATM implied vol when puts
    are bid; this surface takes them as ATM vol (it overstates ATM by about 1 vol point
    on a typical day). Moneyness is measured against spot, without carry.
    """

    spot: float
    tenors_years: tuple[float, ...]
    atm_vols: tuple[float, ...]
    skew_30d: float = DEFAULT_SKEW_30D

    @classmethod
    def from_indexes(
        cls,
        spot: float,
        vix: float,
        vix9d: float = float("nan"),
        vix3m: float = float("nan"),
        skew_30d: float = DEFAULT_SKEW_30D,
    ) -> VixTermSurface:
        """Build from index levels in vol points; NaN VIX9D/VIX3M are left out."""
        if not (np.isfinite(spot) and spot > 0):
            raise ValueError(f"spot must be a positive number, got {spot!r}")
        if not (np.isfinite(vix) and vix > 0):
            raise ValueError(f"VIX must be a positive number of vol points, got {vix!r}")
        levels = {"vix9d": vix9d, "vix": vix, "vix3m": vix3m}
        pairs = sorted(
            (VIX_TENOR_DAYS[name] / DAYS_PER_YEAR, level * VOL_POINT)
            for name, level in levels.items()
            if np.isfinite(level) and level > 0
        )
        return cls(spot, tuple(t for t, _ in pairs), tuple(v for _, v in pairs), skew_30d=skew_30d)

    def atm_vol(self, t_years: npt.ArrayLike) -> FloatArray:
        """ATM vol: linear in total variance between tenors, flat vol outside them."""
        t = np.maximum(np.asarray(t_years, dtype=np.float64), 1e-6)
        tenors = np.asarray(self.tenors_years)
        vols = np.asarray(self.atm_vols)
        variance = np.interp(t, tenors, vols * vols * tenors)
        inside = np.sqrt(variance / t)
        flat_low = np.full_like(t, vols[0])
        flat_high = np.full_like(t, vols[-1])
        return np.where(t < tenors[0], flat_low, np.where(t > tenors[-1], flat_high, inside))

    def vol(self, strike: npt.ArrayLike, t_years: npt.ArrayLike) -> FloatArray:
        """Implied vol at `strike` for expiry `t_years`, broadcast, clipped to [1%, 500%]."""
        k = np.asarray(strike, dtype=np.float64)
        t = np.maximum(np.asarray(t_years, dtype=np.float64), 1e-6)
        slope = self.skew_30d * np.sqrt((30.0 / DAYS_PER_YEAR) / t)
        with np.errstate(divide="ignore", invalid="ignore"):
            smile = self.atm_vol(t) + slope * np.log(k / self.spot)
        result: FloatArray = np.clip(smile, VOL_FLOOR, VOL_CAP)
        return result
