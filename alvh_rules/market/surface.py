"""The SPX volatility surface the market state offers when no option chain is given.

An SSVI smile (alvh_rules.greeks.ssvi, shape `SPX_SHAPE` unless given) whose ATM level at 9, 30
and 93 days is solved so that the smile's own variance swap equals VIX9D, VIX and VIX3M
(alvh_rules.market.calibration). A modelled surface, not traded quotes.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from alvh_rules.greeks.conventions import DAYS_PER_YEAR, VOL_POINT
from alvh_rules.greeks.ssvi import SPX_SHAPE, SsviSurface, SurfaceShape, total_variance_slope
from alvh_rules.greeks.vix_options import VIX_SHAPE, VVIX_TENOR_YEARS
from alvh_rules.market.calibration import Fit, fit_atm_variances

FloatArray = npt.NDArray[np.float64]

# Calendar days each Cboe index measures, in tenor order.
VIX_TENOR_DAYS: dict[str, float] = {"vix9d": 9.0, "vix": 30.0, "vix3m": 93.0}
INDEX_NAMES: tuple[str, ...] = tuple(sorted(VIX_TENOR_DAYS, key=VIX_TENOR_DAYS.__getitem__))
TENORS_YEARS = np.array([VIX_TENOR_DAYS[name] / DAYS_PER_YEAR for name in INDEX_NAMES])
INDEX_LABELS = {"vix9d": "VIX9D", "vix": "VIX", "vix3m": "VIX3M"}


def _levels(vix: float, vix9d: float, vix3m: float) -> FloatArray:
    by_name = {"vix9d": vix9d, "vix": vix, "vix3m": vix3m}
    return np.array([by_name[name] for name in INDEX_NAMES], dtype=np.float64)


def fit_day(
    vix: float, vix9d: float = math.nan, vix3m: float = math.nan, shape: SurfaceShape = SPX_SHAPE
) -> Fit:
    """One day's fit, with its residuals (NaN for an unknown index)."""
    return fit_atm_variances(_levels(vix, vix9d, vix3m), TENORS_YEARS, shape, with_residual=True)


def vix_term_surface(
    spot: float,
    vix: float,
    vix9d: float = math.nan,
    vix3m: float = math.nan,
    *,
    rate: float = 0.0,
    div_yield: float = 0.0,
    shape: SurfaceShape = SPX_SHAPE,
) -> SsviSurface:
    """The day's SSVI surface from index levels in vol points; NaN VIX9D/VIX3M are left out
    (the surface fits what it has). `rate` and `div_yield` (continuous, decimal) set the
    forward the smile is centred on."""
    if not (math.isfinite(spot) and spot > 0):
        raise ValueError(f"spot must be a positive number, got {spot!r}")
    if not (math.isfinite(vix) and vix > 0):
        raise ValueError(f"VIX must be a positive number of vol points, got {vix!r}")
    levels = _levels(vix, vix9d, vix3m)
    theta = fit_atm_variances(levels, TENORS_YEARS, shape).atm_variances
    known = np.isfinite(theta)
    return SsviSurface(
        spot,
        rate,
        div_yield,
        tuple(float(t) for t in TENORS_YEARS[known]),
        tuple(float(v) for v in theta[known]),
        shape,
    )


def fit_notes(
    vix: float, vix9d: float = math.nan, vix3m: float = math.nan, shape: SurfaceShape = SPX_SHAPE
) -> list[str]:
    """What the day's surface was fitted to, in words: per index its level, the solved ATM
    vol over it and the fit's residual; an unknown index is named as left out."""
    levels = _levels(vix, vix9d, vix3m)
    if not (math.isfinite(vix) and vix > 0):
        return ["SPX surface: none (VIX is unknown)"]
    fit = fit_day(vix, vix9d, vix3m, shape)
    ratio = fit.atm_ratio(levels, TENORS_YEARS)
    notes = [
        f"SPX surface (modelled): {shape.describe()}"
        f"{'' if shape == SPX_SHAPE else ' (given, not the default)'}; "
        "ATM level solved so its variance swap equals each index"
    ]
    for column, name in enumerate(INDEX_NAMES):
        label = INDEX_LABELS[name]
        if not math.isfinite(fit.atm_variances[column]):
            notes.append(f"{label} unknown: not fitted, the surface uses the other tenors")
            continue
        notes.append(
            f"{label} {levels[column]:.2f}: ATM {ratio[column] * levels[column]:.2f} vp "
            f"({ratio[column]:.3f} x {label}), residual {fit.residual_vp[column]:+.4f} vp"
        )
    return notes


def vvix_atm_variance(vvix: npt.ArrayLike) -> FloatArray:
    """The VIX option smile's 30-day ATM total variance solved to VVIX (vol points; NaN or
    non-positive: NaN), as the SPX one is to VIX (alvh_rules.greeks.vix_options)."""
    levels = np.asarray(vvix, dtype=np.float64)[..., np.newaxis]
    fit = fit_atm_variances(levels, np.array([VVIX_TENOR_YEARS]), VIX_SHAPE)
    theta: FloatArray = fit.atm_variances[..., 0]
    return theta


def vix_delta_beta(
    vega_beta: npt.ArrayLike, spot: npt.ArrayLike, theta_30d: npt.ArrayLike, shape: SurfaceShape
) -> FloatArray:
    """VIX-future points per SPX point: as SPX moves, the 30-day ATM vol moves along the
    day's skew (sticky strike: d atm / d spot = skew / spot), and the VIX future by the
    sizing beta per vol point of it. Negative: VIX legs gain when SPX falls."""
    theta = np.asarray(theta_30d, dtype=np.float64)
    t = VIX_TENOR_DAYS["vix"] / DAYS_PER_YEAR
    with np.errstate(invalid="ignore", divide="ignore"):
        skew = total_variance_slope(np.zeros_like(theta), theta, shape) / (2 * np.sqrt(theta * t))
        beta: FloatArray = np.asarray(vega_beta) * skew / VOL_POINT / np.asarray(spot)
    return beta
