"""What each entry and layer would open on a day, built lazily: only for the days asked
(the last day of a snapshot; every day of a replay that reads `position` or `stack`),
each built once and kept, with the reason when it cannot be built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alvh_rules.catalog import POSITION_FIELDS
from alvh_rules.eval import positions as pos
from alvh_rules.eval.compiler import PositionRef, Run

if TYPE_CHECKING:
    from alvh_rules.eval.plan import Plan, RulePlan


@dataclass
class Proposals:
    """The frame's `context`: proposed positions per (rule, day), built on demand."""

    plan: Plan
    days: list[int]
    chain: Any = None
    cache: dict[tuple[str, int], pos.Proposal] = field(default_factory=dict)
    _building: set[tuple[str, int]] = field(default_factory=set)

    def figure(self, run: Run, ref: PositionRef, name: str) -> np.ndarray:
        out = run.full(np.nan)
        for index in self.days:
            proposal = self.proposal(run, ref.rule, index)
            if proposal.reason:
                run.frame.positions.missing_reason[f"proposed:{ref.rule}"] = proposal.reason
                continue
            figures = proposal.figures
            if ref.kind == "stack":
                figures = pos.stack_figures(
                    {
                        k: float(np.asarray(v).reshape(-1)[-1])
                        for k, v in run.frame.positions.portfolio.items()
                    },
                    {
                        k: {f: float(np.asarray(x).reshape(-1)[-1]) for f, x in v.items()}
                        for k, v in run.frame.positions.held.items()
                    },
                    figures,
                )
            out[index] = figures.get(name, math.nan)
        return out

    def proposal(self, run: Run, rule: str, index: int) -> pos.Proposal:
        key = (rule, index)
        if key in self.cache:
            return self.cache[key]
        if key in self._building:  # a sizing amount that reads the position it sizes
            return pos.Proposal(reason=f"{rule}'s size depends on its own position")
        self._building.add(key)
        try:
            proposal = self._build(run, self._rule(rule), index)
        finally:
            self._building.discard(key)
        self.cache[key] = proposal
        return proposal

    def _rule(self, name: str) -> RulePlan:
        return next(p for p in self.plan.rules if p.name == name)

    def _build(self, run: Run, rule: RulePlan, index: int) -> pos.Proposal:
        spec = rule.open_spec
        if spec is None:
            return pos.Proposal(reason=f"{rule.name} opens nothing")
        frame = run.frame
        today = pd.Timestamp(frame.dates[index]).date()
        args: dict[str, float] = {
            str(arg.name): float(compiled(run)[index]) for arg, compiled in rule.open_args
        }
        unknown = [name for name, value in args.items() if not math.isfinite(value)]
        if unknown:
            return pos.Proposal(reason=f"{rule.name}'s `{unknown[0]}` is unknown on {today}")
        values = pos.day_values(frame.columns, index)
        values.update(frame.overrides)
        beta = pos.DEFAULT_VIX_BETA
        if rule.size is not None and rule.size[2] is not None:
            beta = float(rule.size[2](run)[index])
        ctx = pos.valuation_context(values, today, self.chain, beta)
        if isinstance(ctx, str):
            return pos.Proposal(reason=ctx)
        request = pos.OpenRequest(rule.name, spec.structure.name, spec.side, args)
        try:
            one = pos.figures_of(pos.build_position(request, ctx, today, values, 1), ctx)
            count, sizing = self._contracts(run, rule, index, args, one)
            if count <= 0:
                return pos.Proposal(
                    contracts=0,
                    sizing=sizing,
                    figures=pos.scale(one, 0),
                    reason="" if "unknown" not in sizing else sizing,
                )
            position = pos.build_position(request, ctx, today, values, count)
            figures = pos.figures_of(position, ctx)
        except (ValueError, ArithmeticError) as error:
            return pos.Proposal(reason=f"{rule.name} cannot be built on {today}: {error}")
        return pos.Proposal(position=position, contracts=count, sizing=sizing, figures=figures)

    def _contracts(
        self, run: Run, rule: RulePlan, index: int, args: dict[str, float], one: dict[str, float]
    ) -> tuple[int, str]:
        if rule.size is None:
            count = int(args.get("contracts", 1))
            return count, f"{count} contract{'s' if count != 1 else ''} (no size clause)"
        clause, amount, _ = rule.size
        return pos.size_contracts(clause.mode, float(amount(run)[index]), one)


def unknown_figures() -> dict[str, float]:
    return {name: math.nan for name in POSITION_FIELDS}
