"""What a position can make or lose: P&L at the nearest expiry and today over levels of its
underlying, max profit and max loss, price break-evens, and the volatility break-even.

SPX positions are read against SPX points; VIX positions (VIX options, VX futures) against the
VIX future of the nearest expiry, later expiries moving in parallel. Mixed positions have none.
"""

from __future__ import annotations

import math
import operator
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from alvh_rules.greeks.context import ValuationContext
from alvh_rules.greeks.kept import Kept
from alvh_rules.greeks.legs import Position
from alvh_rules.greeks.roots import find_roots
from alvh_rules.greeks.valuation import Scenario, leg_values

FloatArray = npt.NDArray[np.float64]
Underlying = Literal["SPX", "VIX"]

GRID_POINTS: Final = 4001


def underlying_of(position: Position) -> Underlying | None:
    """ "SPX" when every leg is an SPX option, "VIX" when every leg is VIX, else None."""
    kinds = {leg.instrument for leg in position.legs}
    if kinds == {"SPX"}:
        return "SPX"
    if kinds <= {"VIX", "VX"}:
        return "VIX"
    return None


def entry_value(position: Position) -> float:
    """Dollars paid for the options at entry (negative for a credit); futures cost nothing."""
    return float(sum(leg.units * leg.entry_price for leg in position.legs if leg.is_option))


def _reference_level(position: Position, ctx: ValuationContext) -> float:
    if underlying_of(position) == "SPX":
        return ctx.spx
    if ctx.vix_futures is None:
        raise ValueError("a VIX position needs vix_futures in the context")
    return ctx.vix_futures.future(min(leg.expiry for leg in position.legs))


def pnl_curve(
    position: Position, ctx: ValuationContext, levels: npt.ArrayLike, *, at_expiry: bool
) -> FloatArray:
    """Open P&L in dollars at each level of the underlying, today or at the nearest expiry.

    Legs expiring later keep their model value at the remaining time (same smile in moneyness).
    """
    kind = underlying_of(position)
    if kind is None:
        raise ValueError("P&L curves need a position on one underlying (all SPX or all VIX)")
    if at_expiry and _one_expiry(position):
        return _payoff_at_expiry(position, np.asarray(levels, dtype=np.float64))
    days = min(ctx.days_to(leg.expiry) for leg in position.legs) if at_expiry else 0
    scenario = Scenario(days_forward=float(days))
    level = np.asarray(levels, dtype=np.float64)
    if kind == "SPX":
        values = leg_values(position.legs, ctx, scenario, spx=level)
    else:
        shift = level - _reference_level(position, ctx)
        values = leg_values(position.legs, ctx, scenario, vix_shift=shift)
    pnl: FloatArray = values.sum(axis=-1) - entry_value(position)
    return pnl


def _one_expiry(position: Position) -> bool:
    return len({leg.expiry for leg in position.legs}) == 1


def _payoff_at_expiry(position: Position, levels: FloatArray) -> FloatArray:
    """P&L when every leg expires together: intrinsic values (futures: level less entry)."""
    legs = position.legs
    units = np.array([leg.units for leg in legs], dtype=np.float64)
    sign = np.array(
        [0.0 if leg.right is None else (1.0 if leg.right == "c" else -1.0) for leg in legs]
    )
    strike = np.array([leg.strike or 0.0 for leg in legs])
    entry = np.array([leg.entry_price for leg in legs])
    level = levels[..., np.newaxis]
    option = np.maximum(sign * (level - strike), 0.0)
    value = np.where(sign == 0.0, level - entry, option)
    pnl: FloatArray = (units * value).sum(axis=-1) - entry_value(position)
    return pnl


def _grid(
    position: Position, ctx: ValuationContext, reach: float, *, intrinsic: bool
) -> FloatArray:
    """Levels from near zero to `reach` times the largest kink, with every strike on it.

    Intrinsic (one expiry): 0, the kinks and the top alone. The P&L is linear between
    kinks, so its extremes and zeros are found there exactly, as the batch path does
    (`batch_payoff._kinks`); a dense grid would only add points on the same lines.
    """
    kinks = _kinks(position)
    reference = _reference_level(position, ctx)
    top = reach * max([reference, *kinks])
    if intrinsic:  # level 0 itself: models need a positive level, intrinsic values do not
        return np.unique(np.asarray([0.0, *kinks, top], dtype=np.float64))
    dense = np.linspace(1e-6 * reference, top, GRID_POINTS)
    return np.unique(np.concatenate([dense, np.asarray(kinks, dtype=np.float64)]))


def _kinks(position: Position) -> list[float]:
    kinks = [leg.strike for leg in position.legs if leg.strike is not None]
    return kinks + [leg.entry_price for leg in position.legs if not leg.is_option]


def _top(position: Position, ctx: ValuationContext, reach: float, kinks: list[float]) -> float:
    """The top of `_grid`'s levels (the same expression)."""
    return reach * max([_reference_level(position, ctx), *kinks])


def max_profit_and_loss(position: Position, ctx: ValuationContext) -> tuple[float, float]:
    """(max profit, max loss) at the nearest expiry in dollars; max loss is a positive number.

    Exact for one expiry (the P&L is piecewise linear and every kink is on the grid); on a
    4,001-point grid for diagonals. Unbounded on the upside (net long calls) gives inf.

    With one expiry the result depends on the day only through the grid's top (the legs
    are fixed), so it is kept by (position, top): a held position's bounds are solved again
    only on a day the underlying sets a new top, and are the same figures by construction.
    """
    if not _one_expiry(position):
        return _max_profit_and_loss(position, ctx)
    top = _top(position, ctx, 3.0, _kinks(position))
    hit = _BOUNDS.get(id(position), position, top)
    if hit is not None:
        return hit
    return _BOUNDS.put(id(position), position, top, _max_profit_and_loss(position, ctx))


# Kept by position and grid top (greeks.kept): a top is a float, matched by value.
_BOUNDS: Kept[tuple[float, float]] = Kept(same=operator.eq)


def _max_profit_and_loss(position: Position, ctx: ValuationContext) -> tuple[float, float]:
    levels = _grid(position, ctx, reach=3.0, intrinsic=_one_expiry(position))
    pnl = pnl_curve(position, ctx, levels, at_expiry=True)
    far = pnl_curve(position, ctx, np.array([levels[-1], 2 * levels[-1]]), at_expiry=True)
    slope = (far[1] - far[0]) / levels[-1]
    tolerance = 1e-9 * max(1.0, float(np.max(np.abs(pnl))))
    max_profit = math.inf if slope * levels[-1] > tolerance else float(np.max(pnl))
    worst = math.inf if slope * levels[-1] < -tolerance else float(-np.min(pnl))
    return max_profit, max(worst, 0.0)


def breakevens(
    position: Position, ctx: ValuationContext, *, at_expiry: bool
) -> tuple[float, float]:
    """(low, high): the lowest and highest levels where the P&L is zero (a condor's put-side
    and call-side break-evens wherever the market is today); with a single root, the side
    it bounds (low when the P&L is a loss below it).

    NaN where there is none on that side. Roots are bracketed on the grid, then interpolated
    (one expiry: exact) or solved by regula falsi.

    At expiry with one expiry they depend on the day only through the grid's top, and are
    kept by (position, top) as `max_profit_and_loss` is.
    """
    if not (at_expiry and _one_expiry(position)):
        return _breakevens(position, ctx, at_expiry=at_expiry)
    top = _top(position, ctx, 3.0, _kinks(position))
    hit = _ROOTS.get(id(position), position, top)
    if hit is not None:
        return hit
    return _ROOTS.put(id(position), position, top, _breakevens(position, ctx, at_expiry=True))


_ROOTS: Kept[tuple[float, float]] = Kept(same=operator.eq)


def _breakevens(
    position: Position, ctx: ValuationContext, *, at_expiry: bool
) -> tuple[float, float]:
    levels = _grid(position, ctx, reach=3.0, intrinsic=at_expiry and _one_expiry(position))
    pnl = pnl_curve(position, ctx, levels, at_expiry=at_expiry)
    sign_change = np.flatnonzero(np.signbit(pnl[:-1]) != np.signbit(pnl[1:]))
    if sign_change.size == 0:
        return math.nan, math.nan

    lo, hi = levels[sign_change], levels[sign_change + 1]
    if at_expiry and _one_expiry(position):
        # One expiry: the P&L is linear between grid points (every kink is one), so the
        # interpolated root is exact.
        f_lo, f_hi = pnl[sign_change], pnl[sign_change + 1]
        roots = lo - f_lo * (hi - lo) / (f_hi - f_lo)
    else:

        def curve(x: FloatArray) -> FloatArray:
            return pnl_curve(position, ctx, x, at_expiry=at_expiry)

        roots = find_roots(curve, lo, hi)
    if roots.size >= 2:
        return float(roots.min()), float(roots.max())
    # One root: a lower break-even when the P&L rises through it (a loss below), else upper.
    if pnl[sign_change[0]] < 0:
        return float(roots[0]), math.nan
    return math.nan, float(roots[0])


def vol_breakeven(position: Position, ctx: ValuationContext) -> float:
    """The parallel SPX implied-vol change, in vol points, that wipes out the credit: after it,
    the position is marked lower than today by exactly the credit collected at entry.

    About credit / |vega| for small changes; solved here by full revaluation (VIX legs move
    through the context's vix_vega_beta). The change nearest zero in [-300vp, +300vp], rows
    whose vols would turn negative skipped; NaN for a debit position or when there is none.
    """
    credit = -entry_value(position)
    if not credit > 0:
        return math.nan
    side = np.geomspace(0.01, 300.0, 40)  # brackets only: the root finder refines them
    shifts = np.concatenate([-side[::-1], [0.0], side])
    change = _value_after_shift(position, ctx, shifts)
    target = change[side.size] - credit  # today's value less the credit
    gap = change - target
    usable = np.isfinite(gap)
    shifts, gap = shifts[usable], gap[usable]
    crossing = np.flatnonzero(np.signbit(gap[:-1]) != np.signbit(gap[1:]))
    if crossing.size == 0:
        return math.nan
    distance = np.minimum(np.abs(shifts[crossing]), np.abs(shifts[crossing + 1]))
    nearest = crossing[np.argmin(distance)]

    def curve(x: FloatArray) -> FloatArray:
        gap_at: FloatArray = _value_after_shift(position, ctx, x) - target
        return gap_at

    root = find_roots(curve, shifts[nearest : nearest + 1], shifts[nearest + 1 : nearest + 2])
    return float(root[0])


def _value_after_shift(position: Position, ctx: ValuationContext, shifts: FloatArray) -> FloatArray:
    values = leg_values(position.legs, ctx, Scenario(), vol_shift_vp=shifts)
    total: FloatArray = values.sum(axis=-1)
    return total
