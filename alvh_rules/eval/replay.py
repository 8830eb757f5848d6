"""`replay(ruleset, history) -> DataFrame`: every rule's state on every trading day, computed
column-wise by the same plan `evaluate` runs, so the two agree on every day.

What an entry or layer would open is built only on the days where it can change a state:
a first pass leaves those figures unknown, and a clause that reads them is filled in only
where setting it true or false would give a different state (Kleene logic guarantees the
other days keep their state once the figures are known).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alvh_rules.check.ruleset import Ruleset
from alvh_rules.eval.frame import PositionFigures, frame_from_history
from alvh_rules.eval.interpreter import as_ruleset, plan_for
from alvh_rules.eval.params import resolve_params
from alvh_rules.eval.plan import STATES, Plan, PlanRun, RulePlan
from alvh_rules.eval.proposals import Proposals
from alvh_rules.lang.catalog import PORTFOLIO_SUMS
from alvh_rules.syntax import ast

REGIME_COLUMN = "regime"


def replay(
    ruleset: Ruleset | str | Path,
    history: Any,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    params: Mapping[str, float | str] | None = None,
    *,
    capital: float | None = None,
    risk_budget: float | None = None,
    smile: Any = None,
) -> pd.DataFrame:
    """One row per trading day in [start, end] (indexed by date): a column per rule with its
    state, and a `regime` column. Earlier history is used for warm-up only. `smile` (a
    greeks.ssvi.SurfaceShape) prices with another SPX smile shape than the history's."""
    if smile is not None:
        history = history.with_smile(smile)
    checked = as_ruleset(ruleset)
    plan = plan_for(checked)
    end_day = pd.Timestamp(end).date() if end is not None else None
    frame = frame_from_history(history, resolve_params(checked, params), end=end_day)
    frame.positions = _empty_portfolio(capital, risk_budget)
    first = 0 if start is None else int(frame.dates.searchsorted(pd.Timestamp(start)))
    frame.context = Proposals(plan, days=[])
    result = plan.run(frame)
    needed = proposal_days(plan, result, first)
    if needed:
        frame.context = Proposals(plan, days=needed)
        result = plan.run(frame)
    return _table(result, first)


def _empty_portfolio(capital: float | None, risk_budget: float | None) -> PositionFigures:
    figures = PositionFigures()
    figures.portfolio = dict.fromkeys(PORTFOLIO_SUMS, 0.0)
    figures.portfolio["capital"] = float(capital) if capital is not None else float("nan")
    figures.portfolio["risk_budget"] = (
        float(risk_budget) if risk_budget is not None else float("nan")
    )
    return figures


def proposal_days(plan: Plan, result: PlanRun, first: int) -> list[int]:
    """Days from row `first` where a clause reading a proposed position could change some
    rule's state (`result`: a run with those figures unknown). Elsewhere the states are
    final without building what the entries and layers would open."""
    days = np.zeros(result.run.frame.length, dtype=bool)
    for rule in plan.rules:
        if rule.kind not in ("entry", "layer"):
            continue
        target = rule.rule.target
        if target is not None and target.name not in result.run.frame.positions.held:
            continue  # a layer on a position that is not open holds, whatever it would open
        for position, (clause, _) in enumerate(rule.conditions):
            key = id(clause.condition)
            if key not in plan.reads_proposal:
                plan.reads_proposal[key] = reads_proposal(clause.condition, plan)
            if not plan.reads_proposal[key]:
                continue
            as_true = plan._action_rule_state(rule, result.run, {position: 1.0})
            as_false = plan._action_rule_state(rule, result.run, {position: 0.0})
            days |= (as_true != as_false) | (as_true != result.states[rule.name])
    days[:first] = False
    return [int(i) for i in np.flatnonzero(days)]


def reads_proposal(node: Any, plan: Plan) -> bool:
    """Whether an expression reads `position` or `stack` (directly or through a let)."""
    references = plan.ruleset.program.references
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name):
            symbol = references.get(id(current))
            if (
                symbol is not None
                and symbol.kind == "context"
                and symbol.name in ("position", "stack")
            ):
                return True
            if symbol is not None and symbol.kind == "let":
                stack.append(symbol.node.value)
        elif isinstance(current, ast.Node):
            for value in current.__dict__.values():
                if isinstance(value, ast.Node):
                    stack.append(value)
                elif isinstance(value, list):
                    stack.extend(v for v in value if isinstance(v, ast.Node))
    return False


def _table(result: PlanRun, first: int) -> pd.DataFrame:
    frame = result.run.frame
    index = pd.DatetimeIndex(frame.dates[first:], name="date")
    names = np.array(STATES)
    columns: dict[str, Any] = {}
    regime_names = np.array([*result.plan.regime_names, "unknown"])
    regime = result.regime[first:]
    columns[REGIME_COLUMN] = regime_names[
        np.where(np.isnan(regime), len(regime_names) - 1, regime).astype(int)
    ]
    for rule in result.plan.rules:
        columns[rule.name] = names[result.states[rule.name][first:]]
    return pd.DataFrame(columns, index=index)


__all__ = ["REGIME_COLUMN", "RulePlan", "proposal_days", "reads_proposal", "replay"]
