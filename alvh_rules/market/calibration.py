"""Solving a smile's ATM level so that its own variance swap equals a Cboe volatility index.

The fair variance of a T-year variance swap on a smile is the log-contract strip (Demeterfi,
Derman, Kamal and Zou 1999; the continuous form of the Cboe VIX formula):
    sigma_vs^2 * T = 2 * integral of OTM(k) * exp(-k) dk,   k = ln(K / F),
where OTM(k) is the undiscounted out-of-the-money Black price per unit forward. On an SSVI
smile the integral depends on the ATM total variance theta alone, so it is tabulated once per
shape (fixed-grid trapezoid in z = k / sqrt(theta), `VS_GRID_Z`) and every day's theta is the
table read backwards (monotone, log-log interpolation): all days at once, no per-day solver.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

from alvh_rules.greeks.ssvi import SurfaceShape, total_variance

FloatArray = npt.NDArray[np.float64]

VS_GRID_Z: Final = np.linspace(-60.0, 20.0, 1601)
"""Log-moneyness grid in units of sqrt(theta): the put wing decays slowly where total variance
grows linearly, so it reaches further; k = 0 is a node (the OTM price has a kink there)."""

THETA_TABLE: Final = np.geomspace(1e-7, 4.0, 257)
"""ATM total variances the variance swap is tabulated at: a 9-day vol of 0.2% to a 1-year 200%."""


def variance_swap_total(theta: npt.ArrayLike, shape: SurfaceShape) -> FloatArray:
    """sigma_vs^2 * T of the SSVI smile at ATM total variance `theta` (any shape of array)."""
    theta_col = np.asarray(theta, dtype=np.float64)[..., np.newaxis]
    k = VS_GRID_Z * np.sqrt(theta_col)
    sqrt_w = np.sqrt(total_variance(k, theta_col, shape))
    d1 = -k / sqrt_w + 0.5 * sqrt_w
    d2 = d1 - sqrt_w
    # OTM(k) * exp(-k): the put below the forward, the call above it.
    put = ndtr(-d2) - np.exp(-k) * ndtr(-d1)
    call = np.exp(-k) * ndtr(d1) - ndtr(d2)
    integrand = np.where(k < 0, put, call)
    total: FloatArray = 2.0 * np.trapezoid(integrand, k, axis=-1)
    return total


@functools.lru_cache(maxsize=16)
def _table(shape: SurfaceShape) -> tuple[FloatArray, FloatArray]:
    """(ln theta, ln variance-swap total) over THETA_TABLE, increasing in both."""
    total = variance_swap_total(THETA_TABLE, shape)
    if not np.all(np.diff(total) > 0):  # the inversion below needs a monotone table
        raise ValueError(f"the variance swap of shape {shape!r} is not increasing in theta")
    return np.log(THETA_TABLE), np.log(total)


@dataclass(frozen=True, slots=True)
class Fit:
    """Solved ATM total variances (NaN where the index is unknown), and per tenor the fitted
    variance swap's error in vol points (NaN unless asked for: it costs a quadrature)."""

    atm_variances: FloatArray
    residual_vp: FloatArray

    def atm_ratio(self, levels_vp: FloatArray, tenors_years: FloatArray) -> FloatArray:
        """Solved ATM vol over the index level it was solved to (0.9: ATM 10% under VIX)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio: FloatArray = np.sqrt(self.atm_variances / tenors_years) * 100.0 / levels_vp
        return ratio


def fit_atm_variances(
    levels_vp: npt.ArrayLike,
    tenors_years: npt.ArrayLike,
    shape: SurfaceShape,
    *,
    with_residual: bool = False,
) -> Fit:
    """ATM total variances whose variance swap equals each index level (vol points).

    `levels_vp` (..., k) against `tenors_years` (k,): NaN or non-positive levels stay NaN.
    Levels outside the table (a 9-day index under 0.2 or a 1-year one over 200 vol points)
    are solved at the table's end and show it in the residual.
    """
    levels = np.asarray(levels_vp, dtype=np.float64)
    tenors = np.asarray(tenors_years, dtype=np.float64)
    log_theta, log_total = _table(shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        usable = np.isfinite(levels) & (levels > 0)
        target = np.log(np.where(usable, levels, 1.0) ** 2 * 1e-4 * tenors)
    theta = np.where(usable, np.exp(np.interp(target, log_total, log_theta)), np.nan)
    residual = np.full(levels.shape, np.nan)
    if with_residual:
        fitted = np.sqrt(variance_swap_total(np.where(usable, theta, 1.0), shape) / tenors)
        residual = np.where(usable, fitted * 100.0 - levels, np.nan)
    return Fit(theta, residual)
