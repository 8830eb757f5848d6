"""What the batch path's positions can make or lose, per day: max profit and loss and the
break-evens at expiry in closed form (the payoff is piecewise linear between the strikes),
and the vol break-even by one vectorized root find over all days.

Each mirrors its per-day twin in `alvh_rules.greeks.payoff` and agrees with it to rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from alvh_rules.greeks.roots import find_roots

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

# payoff._grid reaches this multiple of the largest kink; its P&L tolerance for an unbounded
# side is this share of the largest P&L on the grid.
_REACH: Final = 3.0
_FLAT: Final = 1e-9
# payoff.vol_breakeven's brackets: vol shifts in vol points on both sides of zero.
_SIDE: Final = np.geomspace(0.01, 300.0, 40)
VOL_SHIFTS: Final = np.concatenate([-_SIDE[::-1], [0.0], _SIDE])

ValueAfterShift = Callable[[IntArray, FloatArray], FloatArray]


class PayoffLegs(Protocol):
    """The legs of one structure on n days (see `batch.BatchPositions`)."""

    @property
    def signs(self) -> FloatArray: ...  # per leg: +1 call, -1 put, 0 future
    @property
    def strikes(self) -> FloatArray: ...  # (n, legs), NaN for futures
    @property
    def entry_prices(self) -> FloatArray: ...  # (n, legs)
    @property
    def units(self) -> FloatArray: ...  # (n, legs) signed units of underlying
    @property
    def reference(self) -> FloatArray: ...  # (n,) today's level of the underlying
    @property
    def on_spx(self) -> bool: ...


def payoff_at(legs: PayoffLegs, entry_value: FloatArray, levels: FloatArray) -> FloatArray:
    """P&L at expiry (n, points) at `levels` (n, points): `payoff._payoff_at_expiry`."""
    level = levels[..., np.newaxis]
    strike = np.where(legs.signs == 0.0, 0.0, legs.strikes)[:, np.newaxis, :]
    option = np.maximum(legs.signs * (level - strike), 0.0)
    value = np.where(legs.signs == 0.0, level - legs.entry_prices[:, np.newaxis, :], option)
    pnl: FloatArray = (legs.units[:, np.newaxis, :] * value).sum(axis=-1)
    return pnl - entry_value[:, np.newaxis]


def _kinks(legs: PayoffLegs) -> tuple[FloatArray, FloatArray]:
    """Sorted levels 0, every kink, and the grid's top (n, legs + 2); and the top (n,)."""
    kinks = np.where(legs.signs == 0.0, legs.entry_prices, legs.strikes)
    top = _REACH * np.maximum(legs.reference, kinks.max(axis=1))
    n = kinks.shape[0]
    levels = np.concatenate([np.zeros((n, 1)), kinks, top[:, np.newaxis]], axis=1)
    return np.sort(levels, axis=1), top


def expiry_payoff_figures(legs: PayoffLegs, entry_value: FloatArray) -> dict[str, FloatArray]:
    """max_profit, max_loss (`payoff.max_profit_and_loss`) and breakeven_low/high
    (`payoff.breakevens` at expiry; SPX only) per day, from the P&L at the kinks."""
    levels, top = _kinks(legs)
    pnl = payoff_at(legs, entry_value, levels)
    far = payoff_at(legs, entry_value, np.stack([top, 2 * top], axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = (far[:, 1] - far[:, 0]) / top
        tolerance = _FLAT * np.maximum(1.0, np.abs(pnl).max(axis=1))
        max_profit = np.where(slope * top > tolerance, np.inf, pnl.max(axis=1))
        worst = np.where(slope * top < -tolerance, np.inf, -pnl.min(axis=1))
    figures = {"max_profit": max_profit, "max_loss": np.maximum(worst, 0.0)}
    n = levels.shape[0]
    if legs.on_spx:
        figures["breakeven_low"], figures["breakeven_high"] = _breakevens(legs, levels, pnl)
    else:
        figures["breakeven_low"] = figures["breakeven_high"] = np.full(n, np.nan)
    return figures


def _breakevens(
    legs: PayoffLegs, levels: FloatArray, pnl: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The zero of each linear piece whose ends differ in sign; as `payoff.breakevens`: the
    lowest and highest of two or more, and a single one on the side it bounds (low when
    the P&L is a loss below it)."""
    lo, hi = levels[:, :-1], levels[:, 1:]
    f_lo, f_hi = pnl[:, :-1], pnl[:, 1:]
    crossing = np.signbit(f_lo) != np.signbit(f_hi)
    with np.errstate(invalid="ignore", divide="ignore"):
        roots = np.where(crossing, lo - f_lo * (hi - lo) / (f_hi - f_lo), np.nan)
    count = crossing.sum(axis=1)
    lowest = np.where(crossing, roots, np.inf).min(axis=1)
    highest = np.where(crossing, roots, -np.inf).max(axis=1)
    first = np.argmax(crossing, axis=1)
    loss_below = f_lo[np.arange(f_lo.shape[0]), first] < 0
    low = np.where((count >= 2) | ((count == 1) & loss_below), lowest, np.nan)
    high = np.where((count >= 2) | ((count == 1) & ~loss_below), highest, np.nan)
    return low, high


def vol_breakevens(credit: FloatArray, value_after_shift: ValueAfterShift) -> FloatArray:
    """`payoff.vol_breakeven` per day: the parallel SPX vol shift (vol points) nearest zero
    after which the position is worth its value today less its credit; NaN for a debit or
    when there is none. `value_after_shift(rows, shifts)` values those days' positions at
    shifts (rows, k)."""
    n = credit.shape[0]
    result = np.full(n, np.nan)
    rows = np.flatnonzero(credit > 0)
    if rows.size == 0:
        return result
    grid = np.broadcast_to(VOL_SHIFTS, (rows.size, VOL_SHIFTS.size))
    change = value_after_shift(rows, grid)
    target = change[:, _SIDE.size] - credit[rows]
    gap = change - target[:, np.newaxis]
    lo, hi, found = _nearest_crossing(gap)
    rows, lo, hi, target = rows[found], lo[found], hi[found], target[found]
    if rows.size == 0:
        return result

    def curve(x: FloatArray) -> FloatArray:
        at: FloatArray = value_after_shift(rows, x[:, np.newaxis])[:, 0] - target
        return at

    result[rows] = find_roots(curve, lo, hi)
    return result


def _nearest_crossing(gap: FloatArray) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Per row, the bracket of grid shifts nearest zero across which the finite gap changes
    sign (non-finite points skipped, as the per-day path drops them), and whether one exists."""
    usable = np.isfinite(gap)
    width = gap.shape[1]
    positions = np.where(usable, np.arange(width), width)
    # The next usable point after each point: a running minimum from the right.
    after = np.minimum.accumulate(positions[:, ::-1], axis=1)[:, ::-1]
    following = np.concatenate([after[:, 1:], np.full((gap.shape[0], 1), width)], axis=1)
    has_next = usable & (following < width)
    nxt = np.minimum(following, width - 1)
    rows = np.arange(gap.shape[0])[:, np.newaxis]
    crossing = has_next & (np.signbit(gap) != np.signbit(gap[rows, nxt]))
    shifts = VOL_SHIFTS[np.newaxis, :]
    distance = np.minimum(np.abs(shifts), np.abs(VOL_SHIFTS[nxt]))
    distance = np.where(crossing, distance, np.inf)
    nearest = np.argmin(distance, axis=1)
    found = crossing.any(axis=1)
    flat = rows[:, 0]
    return VOL_SHIFTS[nearest], VOL_SHIFTS[nxt[flat, nearest]], found
