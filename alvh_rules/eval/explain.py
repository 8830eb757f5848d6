"""Reasons: the tree of a condition on one day, each sub-expression with its value, unit and
origin, and for every unknown leaf the exact reason it is unknown.

A decision costs only what is read of it, in two steps:
- `Explainer.gather`, when the decision is made, reads each node its clauses' reasons show:
  the value on the day as a number and, when unknown, why (which fills `Decision.missing`).
  It keeps them in a `DayFacts`: numbers and strings, no arrays and no frame, so a kept
  decision holds no history. Nodes that read market data and params alone are read once
  per snapshot and params (`MarketFacts`, kept by `evaluate`): a hot evaluation reads only
  the others (positions, proposals and the logic over them).
- `DayFacts.reason` builds the `Reason` tree from those facts alone; `ClauseOutcome.reason`
  calls it on first read (see decision.py), so a caller reading states and actions never
  pays for the trees, and the JSON is the same as if they were built at once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from alvh_rules.check.ruleset import Ruleset
from alvh_rules.check.symbols import Symbol
from alvh_rules.check.types import Type
from alvh_rules.eval.day_market import EXPECTED_FIGURES, REALIZED_VOL
from alvh_rules.eval.decision import Reason
from alvh_rules.eval.logic import state_name
from alvh_rules.eval.plan import PlanRun
from alvh_rules.eval.positions import pricing_note
from alvh_rules.eval.reason_children import (
    MAX_DEPTH,
    explained_children,
    known_argument,
    shown_operands,
)
from alvh_rules.eval.run import PositionRef
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.lang.units import format_unit
from alvh_rules.syntax import ast
from alvh_rules.syntax.source_text import span_text
from alvh_rules.syntax.trusted import construct

if TYPE_CHECKING:
    from alvh_rules.market.synthetic import SyntheticDays


# An unknown node's why, and the name it records in Decision.missing (None: records none).
Why = tuple[str, str | None]


@dataclass
class NodeFacts:
    """Nodes' values on the day (NaN: unknown), why the unknown ones are unknown, and the
    name each records in Decision.missing (None: none)."""

    numbers: dict[int, float] = field(default_factory=dict)
    whys: dict[int, str] = field(default_factory=dict)
    missing: dict[int, str | None] = field(default_factory=dict)


@dataclass
class MarketFacts(NodeFacts):
    """The facts of market-only nodes (see DayFacts), and what `Explainer.gather` derives
    from the plan alone, so that a hot evaluation reads only the other nodes."""

    # (node id, depth) -> what a market-only node's reason finds missing: (name, why) pairs
    # in the order shown
    notes: dict[tuple[int, int], list[tuple[str, str]]] = field(default_factory=dict)
    # (node id, depth) -> the nodes of a clause's reason in the order shown, with their depth
    # and whether market-only (one such stands for its whole subtree)
    walks: dict[tuple[int, int], list[tuple[ast.Expr, int, bool]]] = field(default_factory=dict)


@dataclass
class DayFacts:
    """What the reasons of one day read, kept by a decision until its reasons are built.

    `market` holds the nodes that read market data and params alone (`Plan.market_only`):
    they are the same on every evaluation of a snapshot with the same params and no
    overrides, so `evaluate` keeps one per snapshot and params; `rules` holds the rest."""

    ruleset: Ruleset
    regime_names: list[str]
    day: dt.date
    params: dict[str, float]
    overridden: frozenset[str]  # fields and lets whose value a ruleset test replaced
    market: MarketFacts
    rules: NodeFacts = field(default_factory=NodeFacts)
    pricing: str = ""  # how position figures are priced that day (positions.pricing_note)
    # field -> the days its value is synthetic (the demo set), named where the field is read
    synthetic: Mapping[str, SyntheticDays] = field(default_factory=dict)

    def reason(self, node: ast.Expr, depth: int = 0) -> Reason:
        key = id(node)
        shown, unit, truth = self._shown(key)
        why = self.rules.whys.get(key, self.market.whys.get(key))
        children: list[Reason] = []
        if depth < MAX_DEPTH:
            children = [
                self.reason(child, depth + 1)
                for child in explained_children(self.ruleset, node, depth)
            ]
        return construct(
            Reason,
            text=self.text(node),
            span=node.span,
            value=shown,
            unit=unit,
            truth=truth,
            why=self.known_why(node) if why is None else why,
            children=children,
        )

    def text(self, node: ast.Expr) -> str:
        return span_text(self.ruleset.sources.get(node.span.file, ""), node.span)

    def _shown(self, key: int) -> tuple[float | str | None, str, Any]:
        number = self.rules.numbers.get(key, self.market.numbers.get(key))
        node_type: Type | None = self.ruleset.program.types.get(key)
        if number is None or node_type is None:
            return None, "", None
        if node_type.kind == "bool":
            return state_name(number), "", state_name(number)
        if node_type.kind == "regime":
            return (
                (self.regime_names[int(number)] if not math.isnan(number) else "unknown"),
                "",
                None,
            )
        unit = format_unit(node_type.unit) if node_type.unit is not None else ""
        return (None if math.isnan(number) else round(number, 10)), unit, None

    def known_why(self, node: ast.Expr) -> str:
        """Where a known value comes from (unknown ones keep theirs in `NodeFacts.whys`)."""
        if isinstance(node, ast.CurrentRegime):
            return "the first regime whose condition holds"
        if isinstance(node, ast.Member):
            target = self.ruleset.program.types.get(id(node.target))
            return self.pricing if target is not None and target.kind == "position" else ""
        if isinstance(node, ast.Conditional):
            key = id(node.test)
            test = self.rules.numbers.get(key, self.market.numbers.get(key))
            guarded = known_argument(node.test)
            if guarded is not None and test in (0.0, 1.0):
                text = self.text(guarded)
                return (
                    f"{text} is known: the value after `then`"
                    if test == 1.0
                    else f"{text} is unknown: the fallback after `else`"
                )
            if test == 1.0:
                return "the test is true: the value after `then`"
            if test == 0.0:
                return "the test is false: the value after `else`"
            return "the test is unknown, and both values agree"
        symbol = (
            self.ruleset.program.references.get(id(node)) if isinstance(node, ast.Name) else None
        )
        if symbol is None:
            return ""
        if symbol.kind == "field":
            if symbol.name in self.overridden:
                return f"{symbol.name} overridden by the test"
            as_of = MARKET_FIELDS[symbol.name].as_of
            labelled = self.synthetic.get(symbol.name)
            note = labelled.note(self.day) if labelled is not None else ""
            return f"{symbol.name} on {self.day} ({as_of}{'; ' + note if note else ''})"
        return self.declared_why(symbol)

    def declared_why(self, symbol: Symbol) -> str:
        """A param's or let's why, known or not."""
        if symbol.kind == "param":
            return f"param {symbol.name} = {self.params.get(symbol.name)}"
        if symbol.kind == "let":
            if symbol.name in self.overridden:
                return f"let {symbol.name}, overridden by the test"
            return f"let {symbol.name}"
        return ""


@dataclass
class Explainer:
    """Gathers the facts of one day's reasons from a plan run, and what was missing."""

    ruleset: Ruleset
    result: PlanRun
    index: int
    full: bool = True  # False: only unknown clauses get their whole tree
    market: MarketFacts = field(default_factory=MarketFacts)  # see DayFacts
    # leaf name -> reason, for Decision.missing
    missing: dict[str, str] = field(default_factory=dict)
    affected: dict[str, set[str]] = field(default_factory=dict)  # missing name -> rules reading it
    current_rule: str = ""
    facts: DayFacts = field(init=False)

    def __post_init__(self) -> None:
        frame = self.result.run.frame
        self.facts = DayFacts(
            self.ruleset,
            self.result.plan.regime_names,
            frame.day(self.index),
            dict(frame.params),
            frozenset(frame.overrides),
            self.market,
            pricing=pricing_note(
                float(frame.column("risk_free")[self.index]),
                float(frame.column("dividend_yield")[self.index]),
            ),
            synthetic=frame.synthetic,
        )

    def gather(self, node: ast.Expr, depth: int = 0) -> None:
        """Keep what the reason of `node` at `depth` shows, and record what it finds missing
        for the current rule."""
        walk = self.market.walks.get((id(node), depth))
        if walk is None:
            walk = self.market.walks[(id(node), depth)] = self._walk(node, depth)
        rules = self.facts.rules
        for step, step_depth, market_only in walk:
            if market_only:
                notes = self._market_notes(step, step_depth)
            else:
                key = id(step)
                # a node shown under several rules is read once
                missing = rules.missing[key] if key in rules.missing else self._read(step, rules)
                notes = [(missing, rules.whys[key])] if missing is not None else []
            for name, why in notes:
                self.missing.setdefault(name, why)
                if self.current_rule:
                    self.affected.setdefault(name, set()).add(self.current_rule)

    def _walk(self, node: ast.Expr, depth: int) -> list[tuple[ast.Expr, int, bool]]:
        market_only = id(node) in self.result.plan.market_only
        walk = [(node, depth, market_only)]
        if not market_only and depth < MAX_DEPTH:
            for child in explained_children(self.ruleset, node, depth):
                walk += self._walk(child, depth + 1)
        return walk

    def _market_notes(self, node: ast.Expr, depth: int) -> list[tuple[str, str]]:
        """What the reason of a market-only `node` at `depth` finds missing, in the order
        shown: read once per snapshot and params (the sub-expressions of a market-only node
        are market-only too)."""
        notes = self.market.notes.get((id(node), depth))
        if notes is None:
            missing = self._read(node, self.market)
            notes = [(missing, self.market.whys[id(node)])] if missing is not None else []
            if depth < MAX_DEPTH:
                for child in explained_children(self.ruleset, node, depth):
                    notes += self._market_notes(child, depth + 1)
            self.market.notes[(id(node), depth)] = notes
        return notes

    def _read(self, node: ast.Expr, store: NodeFacts) -> str | None:
        """Keep `node`'s value on the day and, when it is unknown, why and the name it
        records as missing (returned)."""
        key = id(node)
        value = self.result.run.value_on(key, self.index)
        shown = isinstance(value, float) and self.ruleset.program.types.get(key) is not None
        if shown:
            store.numbers[key] = value
        missing = None
        if isinstance(value, dict):  # a record such as macd(x): its parts say what they are
            store.whys[key] = ""
        elif not shown or math.isnan(value):  # known values get their why with the reason
            handler: Callable[[Any], Why] | None = getattr(self, "_why_" + node.kind, None)
            why, missing = handler(node) if handler is not None else ("", None)
            if not why and shown:
                why, missing = self._why_from_inputs(node)
            store.whys[key] = why
        store.missing[key] = missing
        return missing

    # ---- why unknown values are unknown -----------------------------------------------------

    def _why_name(self, node: ast.Name) -> Why:
        symbol = self.ruleset.program.references.get(id(node))
        if symbol is None:
            return "", None
        if symbol.kind == "field":
            return self._field_origin(symbol.name), symbol.name
        if symbol.kind == "figure":
            given = self.result.run.frame.positions.portfolio.get(symbol.name, math.nan)
            if math.isfinite(float(np.asarray(given).reshape(-1)[-1])):
                return "", None  # given: the clause reading it was not reached on the day
            return f"the account's {symbol.name} was not given", symbol.name
        if symbol.kind == "let" and symbol.name in self.facts.overridden:
            value = self.result.run.value_on(id(node), self.index)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                # listed among the missing values, as an overridden field is
                return f"{symbol.name} has no value: it was overridden as unknown", symbol.name
        return self.facts.declared_why(symbol), None

    def _field_origin(self, name: str) -> str:
        day = self.facts.day
        if name in self.facts.overridden:
            return f"{name} has no value: it was overridden as unknown"
        frame = self.result.run.frame
        last, _ = frame.known_until(name, self.index)
        if last < 0:
            return f"{name} has no value up to {day} (the data has none)"
        return (
            f"{name} has no value on {day}; its last value is from "
            f"{frame.day(last)}, {self.index - last} trading day(s) old"
        )

    def _why_call(self, node: ast.Call) -> Why:
        if node.function.name in ("days_to", "days_since") and node.args:
            kind = node.args[0].name if isinstance(node.args[0], ast.Name) else ""
            return f"the event calendar has no {kind} dates around {self.facts.day}", (
                f"calendar {kind}"
            )
        return self._short_history(node) or ("an input is unknown on this day", None)

    def _short_history(self, node: ast.Expr) -> Why | None:
        """Why a call or lookback is unknown when the history is shorter than it needs."""
        needs = self.ruleset.program.node_needs.get(id(node), {})
        frame = self.result.run.frame
        short = []
        for name, bars in sorted(needs.items()):
            _, available = frame.known_until(name, self.index)
            if available < bars:
                short.append(f"{bars} bars of {name}, the history has {available}")
        if not short:
            return None
        text = self.facts.text(node)
        return f"{text} needs " + "; ".join(short), text

    def _why_from_inputs(self, node: ast.Expr) -> Why:
        """An unknown value with no reason of its own: unknown inputs carry the reason (none is
        recorded here); with every input known, the operation itself has no value on the day
        (a division by zero, a lookback past the history), which is recorded by its text."""
        record_part = isinstance(node, ast.Member) and isinstance(node.target, ast.Call)
        inputs = [self.result.run.value_on(id(child), self.index) for child in shown_operands(node)]
        if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in inputs):
            return "", None
        text, day = self.facts.text(node), self.facts.day
        if isinstance(node, ast.Lookback) or record_part:
            short = self._short_history(node)
            if short is not None:
                return short
        if isinstance(node, ast.Lookback):
            return f"{text} has no value: the history has a gap there", text
        if isinstance(node, ast.Binary) and node.op == "/" and inputs[1] == 0:
            return f"{text} divides by zero on {day}", text
        return f"{text} has no value for its inputs on {day}", text

    def _why_within(self, node: ast.Within) -> Why:
        kinds = ", ".join(e.name for e in node.events)
        day = self.facts.day
        return f"the event calendar has no {kinds} dates around {day}", f"calendar {kinds}"

    def _why_member(self, node: ast.Member) -> Why:
        target = self.result.run.memo.get(id(node.target))
        if not isinstance(target, PositionRef):
            return "", None
        realized = self.result.run.frame.column(REALIZED_VOL)[self.index]
        if node.member.name in EXPECTED_FIGURES and math.isnan(realized):
            why = f"{self._field_origin(REALIZED_VOL)}, so the expected return at realized vol"
            return f"{why} is unknown", REALIZED_VOL
        positions = self.result.run.frame.positions
        reasons = positions.missing_reason
        key = target.rule if target.kind == "held" else target.kind
        figure_reason = reasons.get(f"{key}.{node.member.name}")  # one figure's (days_held)
        if figure_reason is not None and target.kind in ("held", "portfolio"):
            return figure_reason, self.facts.text(node)
        if target.kind == "held":
            default = (
                f"{target.rule}'s {node.member.name} cannot be known on this day"
                if target.rule in positions.held
                else f"no {target.rule} position is open"
            )
            why = reasons.get(target.rule, default)
        elif target.kind == "portfolio":
            why = reasons.get("portfolio", "no portfolio was given")
        else:
            why = reasons.get(
                f"proposed:{target.rule}", f"the position {target.rule} would open is not known"
            )
        return why, self.facts.text(node)

    def _why_regime(self, node: ast.CurrentRegime) -> Why:
        for plan in self.result.plan.regime_plans:
            if plan.conditions:
                value = float(plan.conditions[0][1](self.result.run)[self.index])
                if math.isnan(value):
                    return (
                        f"regime {plan.name}'s condition is unknown, "
                        "so later regimes cannot be chosen"
                    ), None
        return "no regime's condition holds", None
