"""The volatility surface the market state offers when no option chain is given.

Built from VIX and its term structure: ATM vol by tenor from VIX9D (9 days), VIX (30) and
VIX3M (93), with the Greeks core's `SkewSurface` skew (linear in log-moneyness, -1.0 at 30d).
"""

from __future__ import annotations

import math

from alvh_rules.greeks.conventions import DAYS_PER_YEAR, VOL_POINT
from alvh_rules.greeks.surfaces import SkewSurface

# Calendar days each Cboe index measures.
VIX_TENOR_DAYS: dict[str, float] = {"vix9d": 9.0, "vix": 30.0, "vix3m": 93.0}
# Change of decimal vol per unit of ln(K/spot) at 30 days: a put 5% out of the money is about
# 5 vol points over ATM on a typical SPX day (SkewSurface scales it by sqrt(30d / t)).
DEFAULT_SKEW_30D = -1.0


def vix_term_surface(
    spot: float,
    vix: float,
    vix9d: float = math.nan,
    vix3m: float = math.nan,
    skew_30d: float = DEFAULT_SKEW_30D,
) -> SkewSurface:
    """A `VolSurface` (decimal vol) from index levels in vol points; NaN VIX9D/VIX3M are left out.

    The VIX indexes are variance-swap levels, a little above ATM implied vol when puts are
    bid; the surface takes them as ATM vol (about 1 vol point high on a typical day).
    Between tenors ATM vol is linear in total variance, flat outside them.
    """
    if not (math.isfinite(spot) and spot > 0):
        raise ValueError(f"spot must be a positive number, got {spot!r}")
    if not (math.isfinite(vix) and vix > 0):
        raise ValueError(f"VIX must be a positive number of vol points, got {vix!r}")
    levels = {"vix9d": vix9d, "vix": vix, "vix3m": vix3m}
    pairs = sorted(
        (VIX_TENOR_DAYS[name] / DAYS_PER_YEAR, level * VOL_POINT)
        for name, level in levels.items()
        if math.isfinite(level) and level > 0
    )
    return SkewSurface(
        spot, tuple(t for t, _ in pairs), tuple(v for _, v in pairs), skew_30d=skew_30d
    )
