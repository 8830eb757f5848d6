"""Margin: what each held position reserves of the account.

- Defined risk (options only, every short covered by as many long contracts of the same
  underlying and right: spreads, condors, long options): the maximum loss at the nearest
  expiry, fixed when the position opens.
- Undefined risk (a naked short option, a strangle, a VX future): an approximation of Cboe's
  rule for short broad-based index options, per short option leg: its premium plus the larger
  of 15% of the underlying less the out-of-the-money amount and 10% of the underlying (of the
  strike for a put), times the multiplier; a position with several short legs reserves the
  largest leg's requirement plus the other short legs' premiums (Cboe's strangle rule). The
  underlying of a VIX option is its VX future. A VX future reserves VX_MARGIN_RATE of its
  notional. Recomputed on every close.
Free cash is equity less the margin used; an action that raises the margin above equity is
not taken, and a book whose margin the market has pushed above the equity meets a margin
call at the close (`margin_call`).
"""

from __future__ import annotations

import math
from typing import Any

from alvh_rules.backtesting.book import Holding, mid_prices
from alvh_rules.greeks.legs import Position
from alvh_rules.greeks.payoff import max_profit_and_loss

BROAD_RATE = 0.15
MINIMUM_RATE = 0.10
VX_MARGIN_RATE = 0.20


def is_defined_risk(position: Position) -> bool:
    """Options only, and every short option covered: for each underlying and right, as many
    long contracts as short ones (spreads, condors, long options; not a naked put)."""
    if any(not leg.is_option for leg in position.legs):
        return False
    net: dict[tuple[str, str | None], int] = {}
    for leg in position.legs:
        key = (leg.instrument, leg.right)
        net[key] = net.get(key, 0) + leg.quantity
    return all(quantity >= 0 for quantity in net.values())


def reserve_at_open(position: Position, ctx: Any) -> float | None:
    """The fixed reserve of a defined-risk position (its maximum loss), None otherwise."""
    if not is_defined_risk(position):
        return None
    try:
        _, max_loss = max_profit_and_loss(position, ctx)
    except ValueError:
        return None
    return max_loss if math.isfinite(max_loss) else None


def undefined_requirement(position: Position, ctx: Any, mids: list[float]) -> float:
    """Cboe-style requirement of an undefined-risk position on `ctx` with legs at `mids`."""
    requirements: list[float] = []
    premiums: list[float] = []
    futures = 0.0
    for leg, mid in zip(position.legs, mids, strict=True):
        if not leg.is_option:
            futures += VX_MARGIN_RATE * abs(mid * leg.units)
            continue
        if leg.quantity > 0:
            continue  # a long option is paid in full
        under = ctx.spx if leg.instrument == "SPX" else ctx.vix_futures.future(leg.expiry)
        strike = float(leg.strike or 0.0)
        otm = max(strike - under, 0.0) if leg.right == "c" else max(under - strike, 0.0)
        floor = MINIMUM_RATE * (under if leg.right == "c" else strike)
        per_unit = max(BROAD_RATE * under - otm, floor)
        premium = mid * abs(leg.units)
        requirements.append(premium + per_unit * abs(leg.units))
        premiums.append(premium)
    if not requirements:
        return futures
    largest = max(range(len(requirements)), key=requirements.__getitem__)
    others = sum(p for i, p in enumerate(premiums) if i != largest)
    return futures + requirements[largest] + others


def margin_used(holdings: list[Holding], ctx: Any) -> float:
    """Margin of the holdings on `ctx`."""
    return sum((requirement(holding, ctx) for holding in holdings), 0.0)


def requirement(holding: Holding, ctx: Any) -> float:
    """What one holding reserves on `ctx`: its fixed reserve (defined risk), else the Cboe-style
    requirement (an undefined-risk position that cannot be priced keeps its requirement of
    the last close, carried in `last_requirement`)."""
    if holding.reserve is not None:
        return holding.reserve
    mids = mid_prices(holding.position.legs, ctx)
    if mids is not None:
        holding.last_requirement = undefined_requirement(holding.position, ctx, mids)
    return holding.last_requirement
