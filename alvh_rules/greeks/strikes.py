"""Strike selection by delta (on a chain: the nearest listed strike; on a surface: solved, then
rounded to the listing increment) and the one-standard-deviation expected move.

Deltas are given as fractions, sign ignored: 0.16 and -0.16 both mean the 16-delta option.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr, ndtri

from alvh_rules.greeks.analytic import bsm
from alvh_rules.greeks.chain import OptionChain
from alvh_rules.greeks.conventions import DAYS_PER_YEAR, SPX_STRIKE_INCREMENT
from alvh_rules.greeks.legs import Right
from alvh_rules.greeks.roots import find_roots
from alvh_rules.greeks.settlement_time import days_to_settlement
from alvh_rules.greeks.ssvi import SsviSurface

if TYPE_CHECKING:
    from alvh_rules.greeks.context import ValuationContext
from alvh_rules.greeks.surfaces import VolSurface

FloatArray = npt.NDArray[np.float64]


def expected_move(spot: npt.ArrayLike, iv: npt.ArrayLike, days: npt.ArrayLike) -> FloatArray:
    """One standard deviation move in points: spot * iv * sqrt(days / 365), iv decimal (0.20)."""
    move: FloatArray = (
        np.asarray(spot, float)
        * np.asarray(iv, float)
        * np.sqrt(np.asarray(days, float) / DAYS_PER_YEAR)
    )
    return move


def _target(delta: float) -> float:
    size = abs(delta)
    if not (math.isfinite(size) and 0 < size < 1):
        raise ValueError(
            f"delta must be a fraction between 0 and 1 (0.16 for 16-delta), got {delta!r}"
        )
    return size


def _delta_size(
    sign: float, spot: float, strike: FloatArray, t: float, vol: FloatArray, rate: float, div: float
) -> FloatArray:
    """|BSM delta| = e^(-q t) N(sign * d1): `bsm`'s closed form for the one Greek the strike
    solve reads, without the block evaluator's set-up (which dominates at one strike)."""
    deviation = vol * math.sqrt(t)
    with np.errstate(divide="ignore", invalid="ignore"):
        d1 = (np.log(spot / strike) + (rate - div) * t) / deviation + 0.5 * deviation
    size: FloatArray = np.asarray(math.exp(-div * t) * ndtr(sign * d1), dtype=np.float64)
    return size


def _smile_at(surface: VolSurface, t_years: float) -> Callable[[FloatArray], FloatArray]:
    """Vol by strike at one expiry: the SSVI slice with its forward and ATM level worked out
    once, or the surface itself asked at `t_years`."""
    if isinstance(surface, SsviSurface):
        return surface.smile_at(t_years)
    return lambda strike: surface.vol(strike, t_years)


NEWTON_STEPS: Final = 12
_FD_STEP: Final = 1e-7  # log-strike step of the slope's forward difference


def solve_strike_for_delta(
    delta: npt.ArrayLike,
    right: Right,
    spot: float,
    t_years: float,
    surface: VolSurface,
    rate: float,
    div: float = 0.0,
) -> FloatArray:
    """Unrounded strikes whose |BSM delta| at the surface's vol equals |delta| (vectorized).

    Newton in log-strike from the flat-ATM-vol guess (slope by a forward difference, both
    points in one surface call), converged to 1e-13; any row that does not converge inside
    the bracket is solved by regula falsi (|delta| falls with the strike for calls, rises
    for puts), so every row has the bracketed root.
    """
    size = np.abs(np.asarray(delta, dtype=np.float64)).reshape(-1)
    sign = 1.0 if right == "c" else -1.0
    atm = float(np.asarray(surface.vol(spot, t_years)))
    width = 12.0 * atm * math.sqrt(t_years) + 0.5
    low = np.full(size.shape, math.log(spot) - width)
    high = np.full(size.shape, math.log(spot) + width)

    smile = _smile_at(surface, t_years)

    def gap_of(target: FloatArray) -> Callable[[FloatArray], FloatArray]:
        def gap(log_strike: FloatArray) -> FloatArray:
            strike = np.exp(log_strike)
            vol = smile(strike)
            return _delta_size(sign, spot, strike, t_years, vol, rate, div) - target

        return gap

    guess = math.log(spot) + (rate - div + 0.5 * atm * atm) * t_years
    x = guess - sign * atm * math.sqrt(t_years) * ndtri(np.clip(size, 1e-12, 1 - 1e-12))
    converged = np.zeros(size.shape, dtype=bool)
    for _ in range(NEWTON_STEPS):
        both = gap_of(np.concatenate([size, size]))(np.concatenate([x, x + _FD_STEP]))
        value, slope = both[: x.size], (both[x.size :] - both[: x.size]) / _FD_STEP
        with np.errstate(divide="ignore", invalid="ignore"):
            step = value / slope
        x = np.clip(x - step, low, high)  # a wild step stays in the bracket (then regula falsi)
        converged = np.isfinite(x) & (np.abs(step) <= 1e-13 * np.abs(x)) & (x > low) & (x < high)
        if converged.all():
            break
    if not converged.all():  # a row Newton left: the bracketing solver, as before
        rest = ~converged
        x[rest] = find_roots(gap_of(size[rest]), low[rest], high[rest], x_tolerance=1e-14)
    solved: FloatArray = np.exp(x)
    return solved.reshape(np.shape(delta))


def strike_for_delta(
    delta: float,
    right: Right,
    expiry: date,
    *,
    as_of: date,
    spot: float,
    rate: float,
    div: float = 0.0,
    surface: VolSurface | None = None,
    chain: OptionChain | None = None,
    increment: float = SPX_STRIKE_INCREMENT,
) -> float:
    """The strike of the `delta` option: nearest listed on `chain`, else solved on `surface`
    and rounded to `increment` (5 points for SPX)."""
    size = _target(delta)
    t = days_to_settlement("SPX", expiry, as_of) / DAYS_PER_YEAR
    if t <= 0:
        raise ValueError(f"expiry {expiry} must be after as_of {as_of}")
    if chain is not None:
        return _nearest_listed(size, right, expiry, chain, t)
    if surface is None:
        raise ValueError("strike_for_delta needs a chain or a surface")
    solved = float(solve_strike_for_delta(size, right, spot, t, surface, rate, div))
    return float(np.round(solved / increment) * increment)


def _nearest_listed(size: float, right: Right, expiry: date, chain: OptionChain, t: float) -> float:
    strikes, ivs = chain.listed(expiry, right)
    usable = np.isfinite(ivs)
    if not usable.any():
        raise ValueError(f"the chain has no usable {right!r} quotes for {expiry}")
    strikes, ivs = strikes[usable], ivs[usable]
    deltas = np.abs(bsm(right, chain.spot, strikes, t, ivs, chain.rate, chain.div_yield).delta)
    return float(strikes[np.argmin(np.abs(deltas - size))])


def strike_in(
    ctx: ValuationContext,
    delta: float,
    right: Right,
    expiry: date,
    *,
    chain: OptionChain | None = None,
    increment: float = SPX_STRIKE_INCREMENT,
) -> float:
    """`strike_for_delta` on a valuation context's SPX spot, rates and surface."""
    return strike_for_delta(
        delta,
        right,
        expiry,
        as_of=ctx.as_of,
        spot=ctx.spx,
        rate=ctx.rate,
        div=ctx.div_yield,
        surface=ctx.spx_surface,
        chain=chain,
        increment=increment,
    )
