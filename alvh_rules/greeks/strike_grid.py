"""Listed strike grids: where a solved or written strike lands on the exchange's listing.

SPX on 5-point steps; VIX on 1-point steps up to 30, 2.5 from 30 to 50, 5 above 50 (Cboe's
VIX chain, sources in docs/greeks.md). A strike snaps to the nearest listed one (exactly
halfway: numpy's round-half-to-even on the step count).
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np

from alvh_rules.greeks.conventions import SPX_STRIKE_INCREMENT, Figure

VIX_BANDS: Final = ((0.0, 1.0), (30.0, 2.5), (50.0, 5.0))
"""(from this strike up, step): each band starts on a strike of the band below, so the
nearest listed strike of a level is the nearest step of the band the level lies in."""

VIX_LOWEST_STRIKE: Final = 1.0


def spx_listed_strike(strike: Figure) -> Figure:
    """The nearest listed SPX strike (5-point grid)."""
    snapped: Figure = np.round(strike / SPX_STRIKE_INCREMENT) * SPX_STRIKE_INCREMENT
    return snapped


def spx_strikes_outside(put: Any, call: Any, spot: Any, distance: Any) -> tuple[Any, Any]:
    """Short put and call strikes moved out, where needed, to the first listed strikes at
    least `distance` points from spot (`open ... outside D`); a NaN distance moves nothing."""
    step = SPX_STRIKE_INCREMENT
    with np.errstate(invalid="ignore"):
        low = np.floor((spot - distance) / step + 1e-9) * step
        high = np.ceil((spot + distance) / step - 1e-9) * step
        moved_put = np.where(np.isfinite(distance), np.fmin(put, low), put)
        moved_call = np.where(np.isfinite(distance), np.fmax(call, high), call)
    if np.ndim(moved_put) == 0:
        return float(moved_put), float(moved_call)
    return moved_put, moved_call


def vix_listed_strike(strike: Figure) -> Figure:
    """The nearest listed VIX strike on the grid by level (NaN stays NaN)."""
    value = np.asarray(strike, dtype=np.float64)
    out = np.full(value.shape, np.nan)
    for start, step in VIX_BANDS:
        band = start + np.round((value - start) / step) * step
        out = np.where(value >= start, band, out)
    out = np.where(np.isfinite(value), np.maximum(out, VIX_LOWEST_STRIKE), np.nan)
    return out if out.ndim else float(out)  # type: ignore[return-value]
