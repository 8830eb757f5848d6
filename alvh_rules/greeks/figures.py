"""Every figure of a position, a layer or the whole portfolio (FIGURES), in trader units.

The names are the Greeks core's own; the language's catalogue maps onto them on the eval
side (`alvh_rules.eval.positions.catalogue_figures`), so this package imports no language.

`days_held` counts calendar days since the position's `opened` date (NaN without one); a
group's is its youngest position's, NaN when any member's is unknown.

A figure that does not apply is NaN: SPX break-evens of a VIX position, `roll_cost` without
a roll date, `projected_payoff` without a scenario, `vol_breakeven` of a debit, `irr` without a
bounded max loss, `expected_profit` and `expected_irr` without a realized vol (`expected`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Final

from alvh_rules.greeks.context import ValuationContext
from alvh_rules.greeks.conventions import annualised_return
from alvh_rules.greeks.expected import expected_profit
from alvh_rules.greeks.kept import Kept
from alvh_rules.greeks.legs import Portfolio, Position, require_live
from alvh_rules.greeks.payoff import (
    breakevens,
    entry_value,
    max_profit_and_loss,
    underlying_of,
    vol_breakeven,
)
from alvh_rules.greeks.scenario_values import value_together_under, value_under
from alvh_rules.greeks.valuation import (
    UNTAGGED_LAYER,
    FloatArray,
    Risk,
    Scenario,
    position_risk,
    positions_risk,
    risks_of,
)

FIGURES: Final = (
    "delta",
    "gamma",
    "vega",
    "theta",
    "vanna",
    "volga",
    "value",
    "credit",
    "profit",
    "max_profit",
    "max_loss",
    "dte",
    "days_held",
    "breakeven_low",
    "breakeven_high",
    "vol_breakeven",
    "roll_cost",
    "projected_payoff",
    "contracts",
    "irr",
    "expected_profit",
    "expected_irr",
)
"""Every figure this module computes, in the units of `conventions` (dollar Greeks)."""

SUMMED: Final = (
    "delta",
    "gamma",
    "vega",
    "theta",
    "vanna",
    "volga",
    "value",
    "credit",
    "profit",
    "contracts",
)
"""The figures that add up across positions (zero for an empty book)."""

ACCOUNT: Final = ("capital", "risk_budget")


# Figures the caller will not read (an evaluation session whose ruleset names none of them,
# for the positions it holds): left NaN instead of solved. The vol break-even is a root search
# of a dozen repricings, about 60% of a held position's figures.
SKIPPABLE: Final = frozenset(
    {
        "vol_breakeven",
        "breakeven_low",
        "breakeven_high",
        "projected_payoff",  # a revaluation under the stress scenario
        "expected_profit",  # an integral over the realized-vol distribution...
        "expected_irr",  # ... and the return on it: skipped only when neither is read
    }
)
_UNREAD: ContextVar[frozenset[str]] = ContextVar("unread_figures", default=frozenset())


@contextmanager
def figures_unread(names: Iterable[str]) -> Iterator[None]:
    """Within the block, `position_fields` leaves `names` (of SKIPPABLE) NaN."""
    token = _UNREAD.set(frozenset(names) & SKIPPABLE)
    try:
        yield
    finally:
        _UNREAD.reset(token)


def position_fields(
    position: Position,
    ctx: ValuationContext,
    *,
    scenario: Scenario | None = None,
    roll_to: date | None = None,
    slippage_per_contract: float = 0.0,
) -> dict[str, float]:
    """All FIGURES of `position`, valued on `ctx`.

    credit: premium collected at entry (options only). value: today's mark (futures: their
    open P&L). profit: value less the entry cost. dte: days to the nearest expiry.
    max_profit / max_loss / break-evens: at the nearest expiry (break-evens in SPX points,
    SPX positions only; "today" break-evens are in `payoff.breakevens(..., at_expiry=False)`).
    roll_cost: the debit of closing today plus `slippage_per_contract` per contract traded
    closing and reopening at `roll_to` (positive = the roll costs money; see `_roll_cost`).
    projected_payoff: the change of value under `scenario`.
    """
    key = (id(position), id(ctx), scenario, roll_to, slippage_per_contract, _UNREAD.get())
    hit = _FIELDS.get(key, position, ctx)
    if hit is None:
        result = _position_fields(position, ctx, scenario, roll_to, slippage_per_contract)
        hit = _FIELDS.put(key, position, ctx, result)
    return dict(hit)


# The last position_fields results, as _RISKS (below) and for the same reason: a backtest's
# limit re-check after an action reads the held positions' figures again on the same context.
_FIELDS: Kept[dict[str, float]] = Kept()


def _position_fields(
    position: Position,
    ctx: ValuationContext,
    scenario: Scenario | None,
    roll_to: date | None,
    slippage_per_contract: float,
) -> dict[str, float]:
    unread = _UNREAD.get()
    if "projected_payoff" in unread:
        scenario = None  # projected_payoff NaN, as without a scenario
    figures = _additive_fields(position, ctx, scenario)
    kind = underlying_of(position)
    max_profit, max_loss = max_profit_and_loss(position, ctx) if kind else (math.nan, math.nan)
    skip_expected = {"expected_profit", "expected_irr"} <= unread
    low, high = (
        breakevens(position, ctx, at_expiry=True)
        if kind == "SPX" and not {"breakeven_low", "breakeven_high"} <= unread
        else (math.nan,) * 2
    )
    figures.update(
        max_profit=max_profit,
        max_loss=max_loss,
        breakeven_low=low,
        breakeven_high=high,
        vol_breakeven=math.nan if "vol_breakeven" in unread else vol_breakeven(position, ctx),
        roll_cost=_roll_cost(position, ctx, roll_to, slippage_per_contract, figures["value"]),
        irr=annualised_return(max_profit, max_loss, figures["dte"]),
        expected_profit=math.nan
        if skip_expected
        else expected_profit(position, ctx, figures["profit"]),
    )
    figures["expected_irr"] = annualised_return(
        figures["expected_profit"], max_loss, figures["dte"]
    )
    return {name: figures.get(name, math.nan) for name in FIGURES}


_ADDITIVE = (*SUMMED, "projected_payoff")


def _additive_fields(
    position: Position, ctx: ValuationContext, scenario: Scenario | None
) -> dict[str, float]:
    """The figures that add up across positions, plus dte (a copy: the caller may add to
    it). Without a scenario they are kept by position and context, as its risk is: one day
    reads them for the portfolio's sums, then for its group's."""
    if scenario is not None:
        return _additive(position, ctx, scenario)
    hit = _SUMMANDS.get(id(position), position, ctx)
    if hit is None:
        hit = _SUMMANDS.put(id(position), position, ctx, _additive(position, ctx, None))
    return dict(hit)


_SUMMANDS: Kept[dict[str, float]] = Kept()


def _additive(
    position: Position, ctx: ValuationContext, scenario: Scenario | None
) -> dict[str, float]:
    require_live(position, ctx.as_of)
    risk = _risk(position, ctx)
    return {
        "delta": risk.delta,
        "gamma": risk.gamma,
        "vega": risk.vega,
        "theta": risk.theta,
        "vanna": risk.vanna,
        "volga": risk.volga,
        "value": risk.value,
        "credit": 0.0 - entry_value(position),  # 0.0, not -0.0, when there is no premium
        "profit": risk.value - entry_value(position),
        "projected_payoff": _projected(position, ctx, scenario, risk.value),
        "contracts": float(abs(position.legs[0].quantity)),
        "dte": float(min(ctx.days_to(leg.expiry) for leg in position.legs)),
        "days_held": math.nan
        if position.opened is None
        else float(ctx.days_since(position.opened)),
    }


# The last position_risk results by position: on one day the same objects are valued for the
# portfolio's sums, their group's and their own figures (greeks.kept).
_RISKS: Kept[Risk] = Kept()


def _risk(position: Position, ctx: ValuationContext) -> Risk:
    hit = _RISKS.get(id(position), position, ctx)
    if hit is not None:
        return hit
    return _RISKS.put(id(position), position, ctx, position_risk(position, ctx))


def _value_together(positions: Sequence[Position], ctx: ValuationContext) -> None:
    """Fill the risk cache for the positions not yet valued on `ctx`, in one `leg_table`
    call (`positions_risk`: the same figures as one by one). When one of them cannot be
    valued, nothing is filled: `_risk` then values each alone and raises for that one."""
    todo = [p for p in positions if not _cached(p, ctx)]
    if len(todo) < 2:
        return
    try:
        risks = positions_risk(todo, ctx)
    except ValueError:
        return
    _remember(todo, ctx, risks)


def remember_table(
    positions: Sequence[Position], ctx: ValuationContext, table: dict[str, FloatArray]
) -> None:
    """Keep the risks of `positions` from `table`, the `leg_table` of all their legs in order
    on `ctx` (Scenario()) that a caller computed already (the backtest's marks): the held
    figures then read them instead of valuing the legs again. Each is what `position_risk`
    gives (`risks_of` adds a position's legs in its order). When one is not live on `ctx`
    (`require_live`), nothing is kept: valuing it alone raises, as before."""
    live = []
    for position in positions:
        try:
            require_live(position, ctx.as_of)
        except ValueError:
            return
        live.append(position)
    _remember(live, ctx, risks_of(live, table))


def _remember(positions: Sequence[Position], ctx: ValuationContext, risks: list[Risk]) -> None:
    _RISKS.put_all([id(position) for position in positions], positions, ctx, risks)


def _cached(position: Position, ctx: ValuationContext) -> bool:
    return _RISKS.has(id(position), position, ctx)


def _roll_cost(
    position: Position, ctx: ValuationContext, roll_to: date | None, slippage: float, value: float
) -> float:
    """What the roll costs the account, a debit positive: buying the position back at
    today's mark (`-value`: a short condor's mark is negative, so closing it is a debit)
    plus `slippage` per contract traded closing it and reopening it at `roll_to`. The
    reopened position's premium is new premium for new risk and is not netted (netting it
    made a short condor's roll look like income whatever the market did)."""
    if roll_to is None or roll_to <= ctx.as_of:
        return math.nan
    traded = 2 * sum(abs(leg.quantity) for leg in position.legs)
    return 0.0 - value + slippage * traded


def _projected(
    position: Position, ctx: ValuationContext, scenario: Scenario | None, value: float
) -> float:
    if scenario is None:
        return math.nan
    return value_under(position, ctx, scenario) - value


def value_stressed_together(
    positions: Sequence[Position], ctx: ValuationContext, scenario: Scenario
) -> None:
    """Value `positions` under `scenario` in one call for their `projected_payoff`s
    (`scenario_values`: the same figures), unless the caller reads no projected payoff."""
    if "projected_payoff" not in _UNREAD.get():
        value_together_under(positions, ctx, scenario)


def group_fields(
    positions: Sequence[Position], ctx: ValuationContext, *, scenario: Scenario | None = None
) -> dict[str, float]:
    """FIGURES of a group (a layer or the portfolio): additive figures summed
    (`contracts` too), dte the nearest, days_held the youngest (`youngest`); max profit,
    max loss and expected profit summed over the positions, irr and expected_irr from those
    sums to the nearest expiry; break-evens, vol break-even and roll cost are NaN for a
    group (they do not add up)."""
    _value_together(positions, ctx)
    per_position = [_additive_fields(p, ctx, scenario) for p in positions]
    result = {name: math.nan for name in FIGURES}
    for name in _ADDITIVE:
        result[name] = float(sum(f[name] for f in per_position))
    result["dte"] = min((f["dte"] for f in per_position), default=math.nan)
    result["days_held"] = youngest([f["days_held"] for f in per_position])
    if scenario is None:
        result["projected_payoff"] = math.nan
    # The group's bounds are its positions' summed: every position at its best (or worst)
    # at once, the stack's convention (eval/sizing.stack_figures). Left NaN, a rule holding
    # two condors had no max loss, so the stack's expected return and a take-profit on the
    # rule's positions were unknown whenever a second one was open.
    bounds = [_bounds(p, ctx, f["profit"]) for p, f in zip(positions, per_position, strict=True)]
    if bounds:
        for column, name in enumerate(("max_profit", "max_loss", "expected_profit")):
            result[name] = float(sum(b[column] for b in bounds))
    result["irr"] = annualised_return(result["max_profit"], result["max_loss"], result["dte"])
    result["expected_irr"] = annualised_return(
        result["expected_profit"], result["max_loss"], result["dte"]
    )
    return result


def youngest(days_held: Sequence[float]) -> float:
    """A group's days held: its youngest member's; NaN when any member's is unknown (that
    one may be the youngest) or the group is empty."""
    if not days_held or any(math.isnan(days) for days in days_held):
        return math.nan
    return min(days_held)


def _bounds(position: Position, ctx: ValuationContext, profit: float) -> tuple[float, float, float]:
    """(max profit, max loss, expected profit) of one position, as `position_fields` has them."""
    kind = underlying_of(position)
    max_profit, max_loss = max_profit_and_loss(position, ctx) if kind else (math.nan, math.nan)
    if {"expected_profit", "expected_irr"} <= _UNREAD.get():  # as position_fields leaves them
        return max_profit, max_loss, math.nan
    return max_profit, max_loss, expected_profit(position, ctx, profit)


def layer_fields(portfolio: Portfolio, ctx: ValuationContext) -> dict[str, dict[str, float]]:
    """FIGURES per layer: positions grouped by their legs' common `layer` tag."""
    layers: dict[str, list[Position]] = {}
    for position in portfolio.positions:
        layers.setdefault(position.layer or UNTAGGED_LAYER, []).append(position)
    return {name: group_fields(members, ctx) for name, members in layers.items()}


def portfolio_fields(portfolio: Portfolio, ctx: ValuationContext) -> dict[str, float]:
    """FIGURES of the whole portfolio plus ACCOUNT (capital, risk_budget)."""
    result = group_fields(portfolio.positions, ctx)
    result.update({"capital": portfolio.capital, "risk_budget": portfolio.risk_budget})
    return {name: result[name] for name in (*FIGURES, *ACCOUNT)}
