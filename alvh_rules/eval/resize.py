"""A roll's `resize`: the held position's new contract count, its target's `size` clause
evaluated today on the HELD structure (not on a fresh one): the amount over the held
position's figure per contract (its maximum loss for `risk`, its SPX vega through the
clause's `beta` for `vega`), rounded as `size` rounds, then cut by `costing at most` (at
today's mark of one held structure) and by `within LIMIT` (only when it adds contracts).

What cannot be known (the amount, the held figures, a limit's room) leaves the rule
unknown with the reason: no count is guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from alvh_rules.eval import sizing as sz
from alvh_rules.eval.day_market import DEFAULT_VIX_BETA
from alvh_rules.eval.frame import Figure
from alvh_rules.eval.plan import PlanRun, RulePlan
from alvh_rules.eval.run import Compiled
from alvh_rules.lang.builtins import STRUCTURES


@dataclass(frozen=True)
class Resize:
    """The count a resize brings `target` to (`held` before), with the sizing words; or
    `reason`, why it cannot be known today."""

    target: str
    held: int = 0
    count: int = 0
    sizing: str = ""
    reason: str = ""

    @property
    def note(self) -> str:
        change = self.count - self.held
        if change == 0:
            trade = "nothing to trade"
        else:
            trade = f"buy {change}" if change > 0 else f"sell {-change}"
        verb = f"from {self.held} to {self.count}" if change else f"at {self.held}"
        return f"resize {self.target} {verb} contracts ({trade}): {self.sizing}"


def resized(result: PlanRun, target: str, index: int) -> Resize:
    """What `resize` makes of the held position `target` on day `index`."""
    plan = next((p for p in result.plan.rules if p.name == target), None)
    if plan is None or plan.size is None:  # the checker refuses this (ALVH404)
        return Resize(target, reason=f"{target}'s rule has no `size` clause")
    held = result.run.frame.positions.held.get(target, {})
    figures = {name: _at(held.get(name, math.nan), index) for name in _HELD}
    count = figures["contracts"]
    if not math.isfinite(count) or count <= 0:
        reason = result.run.frame.positions.missing_reason.get(target, "")
        return Resize(target, reason=f"the held {target}'s contracts are unknown {reason}".strip())
    one = _per_contract(plan, result, figures, index)
    clause, amount, _ = plan.size
    new, sizing = sz.size_contracts(clause.mode, _value(amount, result, index), one)
    if "unknown" in sizing:
        return Resize(target, reason=f"{target}'s size: {sizing}")
    if plan.size_cost is not None and new > 0:
        limit = _value(plan.size_cost, result, index)
        cut = int(
            sz.cost_cut(np.array([float(new)]), np.array([limit]), np.array([one["credit"]]))[0]
        )
        if cut < 0:
            return Resize(target, reason=f"{target}'s size: {sz.cost_text(sizing, limit, cut)}")
        if cut != new:
            new, sizing = cut, sz.cost_text(sizing, limit, cut)
    held_count = round(count)
    if clause.within and new > held_count:
        new, sizing = _within(plan, result, index, figures, held_count, new, sizing)
        if new < 0:
            return Resize(target, reason=f"{target}'s size: {sizing}")
    return Resize(target, held_count, new, sizing)


# The held figures a resize reads (none of them is skippable: greeks.figures.SKIPPABLE).
_HELD = ("contracts", "vega", "max_loss", "value")


def _per_contract(
    plan: RulePlan, result: PlanRun, figures: dict[str, float], index: int
) -> dict[str, float]:
    """One held structure's figures today. Held positions are valued at the default VIX
    beta; a VIX leg's SPX vega is its dollar delta to the future times the beta
    (greeks.conventions.vix_dollar_figures), so the clause's own beta rescales it."""
    count = figures["contracts"]
    vega = figures["vega"] / count
    spec = plan.open_spec
    beta = plan.size[2] if plan.size is not None else None
    if (
        beta is not None
        and spec is not None
        and STRUCTURES[spec.structure.name].underlying != "SPX"
    ):
        vega *= _value(beta, result, index) / DEFAULT_VIX_BETA
    # `costing at most` pays today's price of one structure: its mark (a debit is positive);
    # a future's mark is its open P&L, not a price: it costs nothing to trade, as at opening
    future = spec is not None and spec.structure.name == "vix_future"
    credit = 0.0 if future else -figures["value"] / count
    return {"vega": vega, "max_loss": figures["max_loss"] / count, "credit": credit}


def _within(
    plan: RulePlan,
    result: PlanRun,
    index: int,
    figures: dict[str, float],
    held: int,
    count: int,
    sizing: str,
) -> tuple[int, str]:
    """`within LIMIT, ...` on a resize that adds contracts: at most the held count plus the
    room each limit leaves today (its margin over one held structure's figure); -1 when a
    room is unknown."""
    assert plan.size is not None
    compiler = result.plan.compiler
    for name in plan.size[0].within:
        field_name, op = result.plan.size_caps[name.name]
        margin = _value(compiler.limit_bounds[name.name + ".margin"], result, index)
        per_contract = _held_sum(result, plan.name, field_name, index) / figures["contracts"]
        room = float(sz.contracts_within(np.array([margin]), np.array([per_contract]), op)[0])
        if math.isnan(room):
            return -1, sz.cap_text(sizing, name.name, -1)
        if held + room < count:
            count, sizing = held + int(room), sz.cap_text(sizing, name.name, held + int(room))
    return count, sizing


def _held_sum(result: PlanRun, target: str, name: str, index: int) -> float:
    return _at(result.run.frame.positions.held.get(target, {}).get(name, math.nan), index)


def _value(compiled: Compiled, result: PlanRun, index: int) -> float:
    values = np.asarray(compiled(result.run), dtype=np.float64)
    return float(np.broadcast_to(values, (result.run.frame.length,))[index])


def _at(figure: Figure, index: int) -> float:
    """A held figure on day `index`: one value for every day, or one per day."""
    values = np.asarray(figure, dtype=np.float64).ravel()
    return float(values[0] if values.size == 1 else values[index])
