"""Reasons: the tree of a condition on one day, each sub-expression with its value, unit and
origin, and for every unknown leaf the exact reason it is unknown.

Built from the memo of a plan run (every node's values are already computed), only for
the day being explained and only when a Decision is asked for.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alvh_rules.catalog import MARKET_FIELDS
from alvh_rules.check.ruleset import Ruleset
from alvh_rules.check.types import Type
from alvh_rules.eval.compiler import PositionRef
from alvh_rules.eval.decision import Reason
from alvh_rules.eval.logic import state_name
from alvh_rules.eval.plan import PlanRun
from alvh_rules.syntax import ast
from alvh_rules.units import format_unit

MAX_DEPTH = 12  # deeper sub-expressions are summarised by their value only


@dataclass
class Explainer:
    ruleset: Ruleset
    result: PlanRun
    index: int
    full: bool = True  # False: only unknown clauses get their whole tree
    # leaf name -> reason, for Decision.missing
    missing: dict[str, str] = field(default_factory=dict)
    affected: dict[str, set[str]] = field(default_factory=dict)  # missing name -> rules reading it
    current_rule: str = ""
    _lines: dict[str, list[str]] = field(default_factory=dict)
    _day: pd.Timestamp | None = None

    @property
    def day(self) -> pd.Timestamp:
        if self._day is None:  # indexing a DatetimeIndex costs ~25 us: read it once
            self._day = pd.Timestamp(self.result.run.frame.dates[self.index])
        return self._day

    def text(self, node: Any) -> str:
        span = node.span
        lines = self._lines.get(span.file)
        if lines is None:
            lines = self.ruleset.sources.get(span.file, "").splitlines()
            self._lines[span.file] = lines
        if span.end_line > len(lines):
            return ""
        if span.line == span.end_line:
            return str(lines[span.line - 1][span.column - 1 : span.end_column - 1])
        parts = [lines[span.line - 1][span.column - 1 :], *lines[span.line : span.end_line - 1]]
        parts.append(lines[span.end_line - 1][: span.end_column - 1])
        return " ".join(" ".join(parts).split())  # a clause written over lines, on one line

    def explain(self, node: Any, depth: int = 0) -> Reason:
        value = self.result.run.memo.get(id(node))
        node_type: Type | None = self.ruleset.program.types.get(id(node))
        shown, unit, truth = self._value(value, node_type)
        why = self._why(node, value, shown)
        children: list[Reason] = []
        if depth < MAX_DEPTH:
            children = [self.explain(child, depth + 1) for child in _children(node)]
            children += self._let_body(node, depth)
        return Reason.model_construct(
            text=self.text(node),
            span=node.span,
            value=shown,
            unit=unit,
            truth=truth,
            why=why,
            children=children,
        )

    def _value(self, value: Any, node_type: Type | None) -> tuple[float | str | None, str, Any]:
        if node_type is None or isinstance(value, PositionRef | dict | str) or value is None:
            return None, "", None
        number = float(np.asarray(value)[self.index])
        if node_type.kind == "bool":
            return state_name(number), "", state_name(number)
        if node_type.kind == "regime":
            names = self.result.plan.regime_names
            return (names[int(number)] if not math.isnan(number) else "unknown"), "", None
        unit = format_unit(node_type.unit) if node_type.unit is not None else ""
        return (None if math.isnan(number) else round(number, 10)), unit, None

    def _let_body(self, node: Any, depth: int) -> list[Reason]:
        if isinstance(node, ast.Name):
            symbol = self.ruleset.program.references.get(id(node))
            if symbol is not None and symbol.kind == "let" and depth + 1 < MAX_DEPTH:
                return [self.explain(symbol.node.value, depth + 1)]
        return []

    # ---- where values come from, and why unknown ones are unknown ---------------------------

    def _why(self, node: Any, value: Any, shown: Any) -> str:
        if isinstance(value, dict):  # a record such as macd(x): its parts say what they are
            return ""
        unknown = shown is None or shown == "unknown"
        handler: Callable[[Any, bool], str] | None = getattr(self, "_why_" + node.kind, None)
        if handler is None:
            return ""
        return str(handler(node, unknown))

    def _why_name(self, node: ast.Name, unknown: bool) -> str:
        symbol = self.ruleset.program.references.get(id(node))
        if symbol is None:
            return ""
        if symbol.kind == "field":
            return self._field_origin(symbol.name, unknown)
        if symbol.kind == "param":
            return f"param {symbol.name} = {self.result.run.frame.params.get(symbol.name)}"
        if symbol.kind == "let":
            if symbol.name in self.result.run.frame.overrides:
                return f"let {symbol.name}, overridden by the test"
            return f"let {symbol.name}"
        if symbol.kind == "figure" and unknown:
            return self._note_missing(symbol.name, f"the account's {symbol.name} was not given")
        return ""

    def _field_origin(self, name: str, unknown: bool) -> str:
        frame = self.result.run.frame
        if name in frame.overrides:
            if unknown:
                return self._note_missing(
                    name, f"{name} has no value: it was overridden as unknown"
                )
            return f"{name} overridden by the test"
        description = MARKET_FIELDS[name].as_of
        if not unknown:
            return f"{name} on {self.day.date()} ({description})"
        values = frame.column(name)[: self.index + 1]
        known = np.flatnonzero(~np.isnan(values))
        if len(known) == 0:
            reason = f"{name} has no value up to {self.day.date()} (the data has none)"
        else:
            last = known[-1]
            age = self.index - last
            reason = (
                f"{name} has no value on {self.day.date()}; its last value is from "
                f"{pd.Timestamp(frame.dates[last]).date()}, {age} trading day(s) old"
            )
        return self._note_missing(name, reason)

    def _why_call(self, node: ast.Call, unknown: bool) -> str:
        if not unknown:
            return ""
        needs = self.ruleset.program.node_needs.get(id(node), {})
        frame = self.result.run.frame
        short = []
        for name, bars in sorted(needs.items()):
            available = int(np.count_nonzero(~np.isnan(frame.column(name)[: self.index + 1])))
            if available < bars:
                short.append(f"{bars} bars of {name}, the history has {available}")
        if short:
            return self._note_missing(
                self.text(node), f"{self.text(node)} needs " + "; ".join(short)
            )
        return "an input is unknown on this day"

    def _why_within(self, node: ast.Within, unknown: bool) -> str:
        if not unknown:
            return ""
        kinds = ", ".join(e.name for e in node.events)
        return self._note_missing(
            f"calendar {kinds}", f"the event calendar has no {kinds} dates around {self.day.date()}"
        )

    def _why_member(self, node: ast.Member, unknown: bool) -> str:
        if not unknown:
            return ""
        target = self.result.run.memo.get(id(node.target))
        if isinstance(target, PositionRef):
            reasons = self.result.run.frame.positions.missing_reason
            if target.kind == "held":
                held = target.rule in self.result.run.frame.positions.held
                part = node.member.name
                default = (
                    f"{target.rule}'s {part} cannot be known on this day"
                    if held
                    else f"no {target.rule} position is open"
                )
                why = reasons.get(target.rule, default)
            elif target.kind == "portfolio":
                why = reasons.get("portfolio", "no portfolio was given")
            else:
                why = reasons.get(
                    f"proposed:{target.rule}", f"the position {target.rule} would open is not known"
                )
            return self._note_missing(self.text(node), why)
        return ""

    def _why_regime(self, node: ast.CurrentRegime, unknown: bool) -> str:
        if not unknown:
            return "the first regime whose condition holds"
        for plan in self.result.plan.regime_plans:
            if plan.conditions:
                value = float(plan.conditions[0][1](self.result.run)[self.index])
                if math.isnan(value):
                    return (
                        f"regime {plan.name}'s condition is unknown, "
                        "so later regimes cannot be chosen"
                    )
        return "no regime's condition holds"

    def _note_missing(self, name: str, reason: str) -> str:
        self.missing.setdefault(name, reason)
        if self.current_rule:
            self.affected.setdefault(name, set()).add(self.current_rule)
        return reason


def _children(node: Any) -> list[Any]:
    if isinstance(node, ast.Unary):
        return [node.operand]
    if isinstance(node, ast.Binary | ast.Compare):
        return [node.left, node.right]
    if isinstance(node, ast.InRange):
        return [node.value, node.low, node.high]
    if isinstance(node, ast.Call):
        return [
            a
            for a in node.args
            if not (isinstance(a, ast.Name) and a.name in ("fomc", "cpi", "ppi"))
        ]
    if isinstance(node, ast.Member | ast.Lookback):
        return [node.target]
    if isinstance(node, ast.Choice):
        return [node.selector, *(arm.value for arm in node.arms)]
    return []
