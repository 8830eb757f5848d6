"""What a position's legs are worth together under a scenario on a context (the stress
revaluation behind `projected_payoff`), kept by (position, context, scenario).

A day reads the stress payoff of every held position; valuing the book's legs in one
`leg_table` call instead of one call per position is the same figure bit for bit:
`leg_table` values each leg by elementwise array operations (nothing reduces across legs),
and each position's slice is then summed alone, as `leg_values(legs, ...).sum()` sums it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alvh_rules.greeks.context import ValuationContext
from alvh_rules.greeks.kept import Kept
from alvh_rules.greeks.legs import Position, require_live
from alvh_rules.greeks.valuation import FloatArray, Scenario, leg_table, leg_values

# Kept by (position, context, scenario) (greeks.kept).
_VALUES: Kept[float] = Kept()


def value_under(position: Position, ctx: ValuationContext, scenario: Scenario) -> float:
    """The sum of the position's leg values under `scenario` (`leg_values(...).sum()`)."""
    key = (id(position), id(ctx), scenario)
    hit = _VALUES.get(key, position, ctx)
    if hit is not None:
        return hit
    return _VALUES.put(key, position, ctx, float(leg_values(position.legs, ctx, scenario).sum()))


def value_together_under(
    positions: Sequence[Position], ctx: ValuationContext, scenario: Scenario
) -> None:
    """Keep `value_under` of each position, all their legs valued in one `leg_table` call.
    When one cannot be valued (not live, a VIX leg without the futures curve), nothing is
    kept: each is then valued alone and the one that cannot raises, as before."""
    todo = [p for p in positions if not _cached(p, ctx, scenario)]
    if len(todo) < 2:
        return
    try:
        for position in todo:
            require_live(position, ctx.as_of)
        legs = [leg for position in todo for leg in position.legs]
        table = leg_table(legs, ctx, scenario)
    except ValueError:
        return
    _keep(todo, ctx, scenario, sums_by_position(todo, table["value"]))


def remember_values(
    positions: Sequence[Position], ctx: ValuationContext, scenario: Scenario, column: FloatArray
) -> None:
    """Keep `value_under` of `positions` from `column`, the values of all their legs in
    order under `scenario` on `ctx` that a caller computed already (the backtest's marks,
    `valuation.leg_tables`). When one is not live on `ctx`, nothing is kept (valuing it
    alone raises, as before)."""
    try:
        for position in positions:
            require_live(position, ctx.as_of)
    except ValueError:
        return
    _keep(positions, ctx, scenario, sums_by_position(positions, column))


def sums_by_position(positions: Sequence[Position], column: FloatArray) -> list[float]:
    """Each position's slice of `column` (its legs, in order) summed alone."""
    sums, start = [], 0
    for position in positions:
        stop = start + len(position.legs)
        sums.append(float(column[start:stop].sum()))
        start = stop
    return sums


def _cached(position: Position, ctx: ValuationContext, scenario: Scenario) -> bool:
    return _VALUES.has((id(position), id(ctx), scenario), position, ctx)


def _keep(
    positions: Sequence[Position],
    ctx: ValuationContext,
    scenario: Scenario,
    values: Sequence[float],
) -> None:
    keys = [(id(position), id(ctx), scenario) for position in positions]
    _VALUES.put_all(keys, positions, ctx, values)
