"""The expected profit of a position at its expiry under the real-world (realized) volatility,
and its annualised return on risk (`expected_irr`): the IRR hurdle of seed rule E5.

`max_profit / max_loss` per year (the catalogue's `irr`) is the best case: hundreds of percent
for any credit condor, so a hurdle of 20-25 % never binds on it. The trader's edge is the
premium collected against what the legs are expected to pay at expiry when SPX moves as it has
been moving: each SPX leg's undiscounted Black price on the forward at the realized volatility
(`ValuationContext.realized_vol`, the 20-day close-to-close `spx_rv20`). A credit sold above
realized vol has a positive expected profit; one sold below it a negative one.

One formula for the per-day path (`figures.position_fields`) and the batch path
(`batch._figures`); `tests/greeks/test_expected.py` checks it against a quadrature of the
payoff over the lognormal density.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

from alvh_rules.greeks.batch_market import DayMarkets
from alvh_rules.greeks.context import ValuationContext
from alvh_rules.greeks.conventions import Figure, years_from_days
from alvh_rules.greeks.kept import Kept
from alvh_rules.greeks.legs import Position
from alvh_rules.greeks.payoff import entry_value, underlying_of

FloatArray = npt.NDArray[np.float64]


class LegArrays(Protocol):
    """What the batch path's `BatchPositions` gives (it imports this module, so not it)."""

    @property
    def markets(self) -> DayMarkets: ...
    @property
    def days(self) -> FloatArray: ...
    @property
    def signs(self) -> FloatArray: ...
    @property
    def strikes(self) -> FloatArray: ...
    @property
    def units(self) -> FloatArray: ...


def lognormal_expected_payoff(
    sign: Figure, forward: Figure, strike: Figure, t_years: Figure, vol: Figure
) -> FloatArray:
    """E[max(sign * (S_T - K), 0)] for S_T lognormal with mean `forward` and volatility
    `vol` (decimal) over `t_years`: Black's formula undiscounted. `sign` +1 call, -1 put.
    At t = 0 the intrinsic value on the forward; NaN where the vol is not positive and
    finite (an unknown realized vol leaves the expectation unknown)."""
    s, f, k, t, v = (np.asarray(x, dtype=np.float64) for x in (sign, forward, strike, t_years, vol))
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = v * np.sqrt(np.maximum(t, 0.0))
        d1 = (np.log(f / k) + 0.5 * spread * spread) / spread
        d2 = d1 - spread
        priced = s * (f * ndtr(s * d1) - k * ndtr(s * d2))
        intrinsic = np.maximum(s * (f - k), 0.0)
    usable = np.isfinite(v) & (v > 0)
    out: FloatArray = np.where(usable, np.where(spread > 0, priced, intrinsic), np.nan)
    return out


def spx_forward(spot: Figure, rate: Figure, div_yield: Figure, t_years: Figure) -> Figure:
    """The SPX forward to `t_years` (continuous rate and dividend yield), the lognormal's mean."""
    return spot * np.exp((rate - div_yield) * t_years)  # type: ignore[no-any-return]


def expected_profit(position: Position, ctx: ValuationContext, profit: float) -> float:
    """The position's expected P&L at its expiry, in dollars: for SPX options of one expiry,
    the sum of each leg's units x its expected payoff at `ctx.realized_vol` less the entry
    cost (NaN without a realized vol). A VIX position is taken at its modelled mark,
    `profit` (SPX realized vol says nothing of VIX: no edge is assumed); a position mixing
    underlyings or expiries has none (NaN)."""
    kind = underlying_of(position)
    if kind == "VIX":
        return profit
    if kind != "SPX" or len({leg.expiry for leg in position.legs}) != 1:
        return math.nan
    hit = _KEPT.get(id(position), position, ctx)  # a day reads it for the position and its group
    if hit is not None:
        return hit
    return _KEPT.put(id(position), position, ctx, _spx_expected_profit(position, ctx))


# The last SPX results by position and context (greeks.kept).
_KEPT: Kept[float] = Kept()


def _spx_expected_profit(position: Position, ctx: ValuationContext) -> float:
    vol = math.nan if ctx.realized_vol is None else ctx.realized_vol
    t = ctx.years_to(position.legs[0].expiry)
    forward = spx_forward(ctx.spx, ctx.rate, ctx.div_yield, t)
    total = 0.0
    for leg in position.legs:
        sign = 1.0 if leg.right == "c" else -1.0
        payoff = float(lognormal_expected_payoff(sign, forward, leg.strike or math.nan, t, vol))
        total = total + leg.units * payoff
    return total - entry_value(position)


def expected_profit_days(batch: LegArrays, entry_value: FloatArray) -> FloatArray:
    """`expected_profit` of one SPX structure on many days (the batch path), the legs added
    in order from 0.0 as the per-day loop adds them; unknown without a realized vol."""
    markets = batch.markets
    n = markets.size
    vol = np.full(n, np.nan) if markets.realized_vol is None else markets.realized_vol
    t = years_from_days(batch.days.astype(np.float64))
    forward = spx_forward(markets.spot, markets.rate, markets.div_yield, t)
    total = np.zeros(n)
    for leg in range(batch.signs.shape[0]):
        payoff = lognormal_expected_payoff(batch.signs[leg], forward, batch.strikes[:, leg], t, vol)
        total = total + batch.units[:, leg] * payoff
    expected: FloatArray = total - entry_value
    return expected
