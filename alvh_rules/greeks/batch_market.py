"""Market inputs of many days at once for the batch path: per-day SSVI surfaces, VX futures
curves and VIX option smiles as arrays, and strikes by delta solved for every day in one
vectorized Newton pass.

Each function mirrors its per-day twin (`SsviSurface`, `VxCurve`, `VixOptionSurface`,
`strike_for_delta`) operation by operation, so the two agree to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.special import ndtri

from alvh_rules.greeks.analytic import bsm
from alvh_rules.greeks.conventions import DAYS_PER_YEAR
from alvh_rules.greeks.ssvi import SurfaceShape, smile_vol, total_variance_slope
from alvh_rules.greeks.surfaces import VOL_CAP, VOL_FLOOR
from alvh_rules.greeks.vix_options import vix_option_vol
from alvh_rules.greeks.vx_curve import vx_future

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

NEWTON_STEPS: Final = 60
# Newton stops once a step in log-strike is this small: the next step would be below one ulp.
_STEP_TOLERANCE: Final = 1e-13


@dataclass(frozen=True, slots=True)
class DayMarkets:
    """Per-day market inputs, one row per day (n days).

    `atm_variances` (n, k): solved ATM total variance of the day's SSVI smile (`shape`) at
    `tenors_years` (k, increasing), NaN where a day has none (its `SsviSurface` leaves that
    tenor out). `vx_f1`, `vx_f2`, `vx_dte1`, `vx_dte2` (n,): the day's VX curve (`vx_future`).
    `vix_theta_30d`: the VIX option smile's solved 30-day ATM total variance (NaN: none).
    Betas as `ValuationContext`.
    """

    spot: FloatArray
    rate: FloatArray
    div_yield: FloatArray
    tenors_years: FloatArray
    atm_variances: FloatArray
    shape: SurfaceShape
    vx_f1: FloatArray
    vx_f2: FloatArray
    vx_dte1: FloatArray
    vx_dte2: FloatArray
    vix_theta_30d: FloatArray
    vix_vega_beta: FloatArray
    vix_delta_beta: FloatArray
    realized_vol: FloatArray | None = None  # as ValuationContext's, NaN: none (None: no day has)

    @property
    def size(self) -> int:
        return int(self.spot.shape[0])

    def take(self, rows: IntArray) -> DayMarkets:
        """The same markets restricted to `rows`."""
        return DayMarkets(
            self.spot[rows],
            self.rate[rows],
            self.div_yield[rows],
            self.tenors_years,
            self.atm_variances[rows],
            self.shape,
            self.vx_f1[rows],
            self.vx_f2[rows],
            self.vx_dte1[rows],
            self.vx_dte2[rows],
            self.vix_theta_30d[rows],
            self.vix_vega_beta[rows],
            self.vix_delta_beta[rows],
            None if self.realized_vol is None else self.realized_vol[rows],
        )

    def atm_variance(self, t_years: FloatArray) -> FloatArray:
        """ATM total variance per day at its `t_years` (n,): `SsviSurface.atm_variance`."""
        tenors = np.broadcast_to(self.tenors_years, self.atm_variances.shape)
        present = np.isfinite(self.atm_variances)
        tenors = np.where(present, tenors, np.nan)
        first, last = _first_present(present), _last_present(present)
        rows = np.arange(self.size)
        inside = row_interp(t_years, tenors, self.atm_variances)
        with np.errstate(divide="ignore", invalid="ignore"):
            below = self.atm_variances[rows, first] * (t_years / tenors[rows, first])
            above = self.atm_variances[rows, last] * (t_years / tenors[rows, last])
        theta: FloatArray = np.where(
            t_years <= tenors[rows, first],
            below,
            np.where(t_years >= tenors[rows, last], above, inside),
        )
        return theta

    def atm_vol(self, t_years: FloatArray) -> FloatArray:
        """ATM-forward vol per day at its `t_years` (n,): `SsviSurface.atm_vol`."""
        with np.errstate(divide="ignore", invalid="ignore"):
            atm: FloatArray = np.sqrt(self.atm_variance(t_years) / t_years)
        return atm

    def forward(self, t_years: FloatArray) -> FloatArray:
        """SPX forward per day (n,): `SsviSurface.forward`."""
        forward: FloatArray = self.spot * np.exp((self.rate - self.div_yield) * t_years)
        return forward

    def spx_vol(self, strike: FloatArray, t_years: FloatArray) -> FloatArray:
        """`SsviSurface.vol` per day: strike (n, ...) against t_years (n,)."""
        extra = (slice(None),) + (np.newaxis,) * (strike.ndim - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.log(strike / self.forward(t_years)[extra])
        theta, t = self.atm_variance(t_years)[extra], t_years[extra]
        return smile_vol(k, theta, t, self.shape)

    def future(self, days: FloatArray) -> FloatArray:
        """The VX curve per day at `days` calendar days (n,); NaN without a curve."""
        return vx_future(self.vx_f1, self.vx_f2, self.vx_dte1, self.vx_dte2, days)

    def vix_vol(self, strike: FloatArray, t_years: FloatArray) -> FloatArray:
        """`VixOptionSurface.vol` per day: strike (n, ...) expiring in `t_years` (n,), on the
        future of the curve at that many whole days."""
        extra = (slice(None),) + (np.newaxis,) * (strike.ndim - 1)
        forward = self.future(np.round(t_years * DAYS_PER_YEAR))[extra]
        return vix_option_vol(strike, forward, t_years[extra], self.vix_theta_30d[extra])


def _first_present(present: npt.NDArray[np.bool_]) -> IntArray:
    first: IntArray = np.argmax(present, axis=1)
    return first


def _last_present(present: npt.NDArray[np.bool_]) -> IntArray:
    last: IntArray = present.shape[1] - 1 - np.argmax(present[:, ::-1], axis=1)
    return last


def row_interp(x: FloatArray, xp: FloatArray, fp: FloatArray) -> FloatArray:
    """`np.interp(x[i], xp[i], fp[i])` for every row i, NaN entries of xp left out.

    Flat outside the row's points, exact at a point, `slope * (x - xp[j]) + fp[j]` between
    (np.interp's own formula); NaN for a row with no point.
    """
    present = np.isfinite(xp) & np.isfinite(fp)
    rows = np.arange(x.shape[0])
    column = x[:, np.newaxis]
    with np.errstate(invalid="ignore"):
        below = present & (xp <= column)
        above = present & (xp > column)
    has_below, has_above = below.any(axis=1), above.any(axis=1)
    low = np.where(has_below, _last_present(below), 0)
    high = np.where(has_above, _first_present(above), 0)
    x_low, f_low = xp[rows, low], fp[rows, low]
    x_high, f_high = xp[rows, high], fp[rows, high]
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (f_high - f_low) / (x_high - x_low)
        between = np.where(x_low == x, f_low, slope * (x - x_low) + f_low)
    value: FloatArray = np.where(has_below & has_above, between, np.where(has_below, f_low, f_high))
    return np.where(present.any(axis=1), value, np.nan)


@dataclass(frozen=True, slots=True)
class SolvedStrikes:
    """Unrounded strikes by delta per row, and whether the row's bracket held a root (the
    per-day solver's bracket; a row without one is left to the per-day path)."""

    strike: FloatArray
    bracketed: npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class _DeltaGap:
    """|BSM delta| less the target per row, with its slope in log-strike (for Newton)."""

    spot: FloatArray
    rate: FloatArray
    div: FloatArray
    t_years: FloatArray
    sign: FloatArray
    size: FloatArray
    forward: FloatArray
    theta: FloatArray  # ATM total variance at the row's expiry
    shape: SurfaceShape

    def __call__(self, rows: IntArray, log_strike: FloatArray) -> tuple[FloatArray, FloatArray]:
        spot, t, theta = self.spot[rows], self.t_years[rows], self.theta[rows]
        strike = np.exp(log_strike)
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.log(strike / self.forward[rows])
        vol = smile_vol(k, theta, t, self.shape)
        sign = self.sign[rows]
        g = bsm(sign, spot, strike, t, vol, self.rate[rows], self.div[rows])
        with np.errstate(divide="ignore", invalid="ignore"):
            skew = total_variance_slope(k, theta, self.shape) / (2.0 * vol * t)
        skew = np.where((vol > VOL_FLOOR) & (vol < VOL_CAP), skew, 0.0)
        slope = sign * (g.vanna * skew - g.gamma * spot)
        return np.abs(g.delta) - self.size[rows], slope


def solve_strikes(
    markets: DayMarkets, size: FloatArray, sign: FloatArray, t_years: FloatArray
) -> SolvedStrikes:
    """Strikes whose |BSM delta| at the day's smile vol is `size` (fractions), sign +1 call /
    -1 put, per row: `solve_strike_for_delta` for every day at once (safeguarded Newton in
    log-strike inside the same bracket, converged to rounding)."""
    spot, rate, div = markets.spot, markets.rate, markets.div_yield
    theta, forward = markets.atm_variance(t_years), markets.forward(t_years)
    gap = _DeltaGap(spot, rate, div, t_years, sign, size, forward, theta, markets.shape)
    atm = markets.spx_vol(spot, t_years)  # the bracket of `solve_strike_for_delta`
    width = 12.0 * atm * np.sqrt(t_years) + 0.5
    low, high = np.log(spot) - width, np.log(spot) + width
    every = np.arange(markets.size)
    gap_low, gap_high = gap(every, low)[0], gap(every, high)[0]
    bracketed = np.signbit(gap_low) != np.signbit(gap_high)
    with np.errstate(invalid="ignore", divide="ignore"):
        guess = np.log(spot) + (rate - div + 0.5 * atm * atm) * t_years
        guess -= sign * atm * np.sqrt(t_years) * ndtri(np.clip(size, 1e-12, 1 - 1e-12))
    guess = np.where((guess > low) & (guess < high), guess, 0.5 * (low + high))
    strike = np.exp(_newton(gap, guess, low, high, np.signbit(gap_low)))
    return SolvedStrikes(strike, bracketed & np.isfinite(strike))


def _newton(
    gap: _DeltaGap,
    x: FloatArray,
    low: FloatArray,
    high: FloatArray,
    low_sign: npt.NDArray[np.bool_],
) -> FloatArray:
    """Newton on the rows still moving; a step leaving the bracket becomes a bisection."""
    low, high, x = low.copy(), high.copy(), x.copy()
    active = np.flatnonzero(np.isfinite(x))
    for _ in range(NEWTON_STEPS):
        if active.size == 0:
            break
        here = x[active]
        value, slope = gap(active, here)
        same = np.signbit(value) == low_sign[active]
        low[active] = np.where(same, here, low[active])
        high[active] = np.where(same, high[active], here)
        lo = np.minimum(low[active], high[active])
        hi = np.maximum(low[active], high[active])
        with np.errstate(divide="ignore", invalid="ignore"):
            step = here - value / slope
        inside = np.isfinite(step) & (step > lo) & (step < hi)
        # A converged step may cross the bracket's edge by rounding noise: it is taken, not
        # bisected (a bisection there jumps half the bracket away from the root).
        settled = np.abs(step - here) <= _STEP_TOLERANCE
        moved = np.where(inside | settled, step, 0.5 * (lo + hi))
        done = settled | (value == 0) | (hi - lo <= 0)
        x[active] = np.where(value == 0, here, moved)
        active = active[~done]
    return x


def days_to_years(days: FloatArray, settle_offset: FloatArray | None = None) -> FloatArray:
    """ACT/365 year fraction to the settlement instant: calendar `days` less the days an AM
    settlement comes early (`settlement_time.settlement_offsets`; None: PM, none)."""
    if settle_offset is not None:
        days = np.maximum(days - settle_offset, 0.0)
    years: FloatArray = days / DAYS_PER_YEAR
    return years


__all__ = ["DayMarkets", "SolvedStrikes", "days_to_years", "row_interp", "solve_strikes"]
