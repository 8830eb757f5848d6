"""The evaluation plan of a checked ruleset: every rule's clauses compiled once, and the
state of every rule on every day of a frame computed column-wise.

States: regimes `fires` (it is the regime) / `holds` / `unknown`; limits `held` /
`breached` / `unknown`; entries, layers and rolls `fires` / `holds` / `blocked` / `unknown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from alvh_rules.check.open_ranges import percent_args
from alvh_rules.check.ruleset import Ruleset
from alvh_rules.check.size_caps import capped_sum
from alvh_rules.eval import logic
from alvh_rules.eval.compiler import Compiler
from alvh_rules.eval.frame import Frame
from alvh_rules.eval.run import Compiled, Run, Scope
from alvh_rules.greeks.structure_legs import share_in_points
from alvh_rules.syntax import ast, walk

STATES = ("fires", "holds", "blocked", "unknown", "held", "breached")
FIRES, HOLDS, BLOCKED, UNKNOWN, HELD, BREACHED = range(6)
Codes = npt.NDArray[np.int8]


@dataclass
class RulePlan:
    rule: ast.Rule
    conditions: list[tuple[ast.Clause, Compiled]] = field(default_factory=list)
    open_args: list[tuple[ast.OpenArg, Compiled]] = field(default_factory=list)
    size: tuple[ast.SizeClause, Compiled, Compiled | None] | None = None
    size_cost: Compiled | None = None  # `size ... costing at most AMOUNT`: the amount
    roll_amount: Compiled | None = None

    @property
    def name(self) -> str:
        return self.rule.name.name

    @property
    def kind(self) -> str:
        return self.rule.rule_kind

    @property
    def open_spec(self) -> ast.OpenSpec | None:
        for clause in self.rule.clauses:
            if isinstance(clause, ast.OpenClause):
                return clause.spec
        return None

    @property
    def roll_action(self) -> ast.RollAction | None:
        for clause in self.rule.clauses:
            if isinstance(clause, ast.RollAction):
                return clause
        return None


@dataclass
class PlanRun:
    """The outcome of running a plan on a frame: state codes per rule, the regime, the memo."""

    run: Run
    states: dict[str, Codes]
    regime: logic.FloatArray
    plan: Plan

    def state_names(self, index: int) -> dict[str, str]:
        return {name: STATES[codes[index]] for name, codes in self.states.items()}


class Rerun(Protocol):
    """The plan run again on a changed frame of the same day (`Plan.run`'s `limits_only`)."""

    def __call__(self, frame: Frame, /, *, limits_only: bool = False) -> PlanRun: ...


class Plan:
    """Compile once; run on any frame (one snapshot, or a whole history)."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.ruleset_hash = ruleset.content_hash  # hashed once: every decision records it
        self.compiler = Compiler(ruleset.program)
        self.rules = [self._compile_rule(rule) for rule in ruleset.rules]
        self.regime_plans = [p for p in self.rules if p.kind == "regime"]
        self.regime_names = [p.name for p in self.regime_plans]
        self.compiler.regime_value = self._regime_value
        for plan in self.rules:
            if plan.kind == "limit":
                self._compile_limit_parts(plan)
        self.market_only = market_only_nodes(ruleset)
        # node id -> whether it reads a proposal (replay.reads_proposal, a walk of the tree
        # asked again each day of a backtest)
        self.reads_proposal: dict[int, bool] = {}
        # `size ... within LIMIT`: each capping limit's portfolio sum and comparison
        self.size_caps: dict[str, tuple[str, str]] = {}
        for plan in self.rules:
            cap = capped_sum(plan.rule) if plan.kind == "limit" else None
            if cap is not None:
                self.size_caps[plan.name] = (cap[0], cap[1])

    def _compile_rule(self, rule: ast.Rule) -> RulePlan:
        target = rule.target.name if rule.target is not None else ""
        candidates = tuple(c.name for c in rule.candidates)
        scope = Scope(rule.rule_kind, rule.name.name, target, candidates=candidates)
        plan = RulePlan(rule)
        for clause in rule.clauses:
            if isinstance(clause, ast.Clause) and clause.condition is not None:
                plan.conditions.append((clause, self.compiler.compile(clause.condition, scope)))
            elif isinstance(clause, ast.OpenClause):
                inside = _open_scope(scope, clause.spec)
                shares = percent_args(clause.spec, self.ruleset.program.types)
                plan.open_args = [
                    (a, self._open_arg(a, inside, a.name in shares)) for a in clause.spec.args
                ]
            elif isinstance(clause, ast.SizeClause):
                beta = (
                    self.compiler.compile(clause.beta, scope) if clause.beta is not None else None
                )
                plan.size = (clause, self.compiler.compile(clause.amount, scope), beta)
                if clause.costing is not None:
                    plan.size_cost = self.compiler.compile(clause.costing, scope)
            elif isinstance(clause, ast.RollAction) and clause.amount is not None:
                plan.roll_amount = self.compiler.compile(clause.amount, scope)
        return plan

    def _open_arg(self, arg: ast.OpenArg, scope: Scope, share_of_spot: bool) -> Compiled:
        """An `open` argument in the units the builders read: `wings 5%` in points of the
        day's SPX (`structure_legs.share_in_points`), every other as written."""
        compiled = self.compiler.compile(arg.value, scope)
        if not share_of_spot:
            return compiled
        return lambda run: share_in_points(compiled(run), run.frame.column("spx"))

    def _compile_limit_parts(self, plan: RulePlan) -> None:
        clause = plan.rule.clauses[0]
        assert isinstance(clause, ast.Clause) and isinstance(clause.condition, ast.Compare)
        scope = Scope("limit", plan.name)
        value = self.compiler.compile(clause.condition.left, scope)
        bound = self.compiler.compile(clause.condition.right, scope)
        sign = 1.0 if clause.condition.op in (">", ">=") else -1.0
        self.compiler.limit_bounds[plan.name + ".bound"] = bound
        self.compiler.limit_bounds[plan.name + ".margin"] = lambda run: (
            sign * (value(run) - bound(run))
        )

    # ---- running -----------------------------------------------------------------------

    def run(
        self, frame: Frame, known: dict[int, Any] | None = None, *, limits_only: bool = False
    ) -> PlanRun:
        """Run on a frame; `known` seeds node values already computed on the same frame and
        params (only nodes that read market data and params alone, see market_only_nodes).
        `limits_only`: the states of the limits alone (a limit reads no regime and no other
        rule's state, so each is the one a whole run gives); the regime is left unknown."""
        run = Run(frame, dict(known) if known else {})
        if limits_only:
            regime = run.full(np.nan)
            rules = [plan for plan in self.rules if plan.kind == "limit"]
        else:
            regime, rules = self._regime_value(run), self.rules
        states: dict[str, Codes] = {}
        for plan in rules:
            states[plan.name] = self._state(plan, run, regime)
        return PlanRun(run=run, states=states, regime=regime, plan=self)

    def _regime_value(self, run: Run) -> logic.FloatArray:
        """The index of the first regime whose condition holds; unknown after an unknown one."""
        cached = run.memo.get(-1)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        value = run.full(np.nan)
        undecided = np.ones(run.frame.length, dtype=bool)
        for index, plan in enumerate(self.regime_plans):
            condition = plan.conditions[0][1](run) if plan.conditions else run.full(1.0)
            hit = undecided & (condition == 1.0)
            value[hit] = index
            undecided &= ~hit & (condition == 0.0)
        run.memo[-1] = value
        return value

    def _state(self, plan: RulePlan, run: Run, regime: logic.FloatArray) -> Codes:
        n = run.frame.length
        if plan.kind == "regime":
            index = self.regime_names.index(plan.name)
            condition = plan.conditions[0][1](run) if plan.conditions else run.full(np.nan)
            codes = np.full(n, UNKNOWN, dtype=np.int8)
            codes[(condition == 0.0) | (~np.isnan(regime) & (regime != index))] = HOLDS
            codes[regime == index] = FIRES
            return codes
        if plan.kind == "limit":
            condition = plan.conditions[0][1](run)
            return np.where(
                condition == 1.0, HELD, np.where(condition == 0.0, BREACHED, UNKNOWN)
            ).astype(np.int8)
        return self._action_rule_state(plan, run)

    def _action_rule_state(
        self, plan: RulePlan, run: Run, substitute: dict[int, float] | None = None
    ) -> Codes:
        """States of an entry, layer or roll; `substitute` replaces clause i's value by a
        constant (replay uses it to find the days a clause can change the state)."""
        gates: list[logic.FloatArray] = []  # all must be true: the conditions, unless negated
        blocks: list[logic.FloatArray] = []
        for position, (clause, compiled) in enumerate(plan.conditions):
            if substitute and position in substitute:
                value = run.full(substitute[position])
            else:
                value = compiled(run)
            if clause.keyword == "block":
                blocks.append(value)
            else:
                gates.append(logic.not_(value) if clause.keyword == "unless" else value)
        if plan.rule.target is not None and not self._target_held(run, plan.rule):
            return np.full(run.frame.length, HOLDS, dtype=np.int8)
        one_row = all(isinstance(v, np.ndarray) and v.shape == (1,) for v in (*gates, *blocks))
        if run.frame.length == 1 and one_row:  # a backtest's day: no array work
            return np.array([one_state(gates, blocks)], dtype=np.int8)
        return action_states(gates, blocks, run.frame.length)

    @staticmethod
    def _target_held(run: Run, rule: ast.Rule) -> bool:
        return acting_on(run, rule) in run.frame.positions.held


def action_states(
    gates: list[logic.FloatArray], blocks: list[logic.FloatArray], length: int
) -> Codes:
    """The state codes of an action rule from its gates (all must be true) and blocks."""
    codes = np.full(length, FIRES, dtype=np.int8)
    # Each clause as a row, so the same few array operations serve any number of them
    # (a Kleene `and` per clause costs seven): later assignments win.
    stacked_gates, stacked_blocks = np.array(gates), np.array(blocks)
    if gates:
        codes[~(stacked_gates == 1.0).all(axis=0)] = UNKNOWN
    if blocks:
        codes[np.isnan(stacked_blocks).any(axis=0)] = BLOCKED  # an unknown block blocks
    if gates:
        codes[(stacked_gates == 0.0).any(axis=0)] = HOLDS
    if blocks:
        codes[(stacked_blocks == 1.0).any(axis=0)] = BLOCKED
    return codes


def one_state(gates: list[logic.FloatArray], blocks: list[logic.FloatArray]) -> int:
    """`action_states` on one row, on Python floats (the same rules in the same order: later
    ones win)."""
    gate = [float(value[0]) for value in gates]
    block = [float(value[0]) for value in blocks]
    code = FIRES
    if gate and not all(g == 1.0 for g in gate):
        code = UNKNOWN
    if any(b != b for b in block):  # an unknown block blocks
        code = BLOCKED
    if any(g == 0.0 for g in gate):
        code = HOLDS
    if any(b == 1.0 for b in block):
        code = BLOCKED
    return code


def acting_on(run: Run, rule: ast.Rule) -> str:
    """The position a layer or roll acts on in this run (see PositionFigures.acting_on)."""
    target = rule.target.name if rule.target is not None else ""
    return run.frame.positions.acting_on(target, [c.name for c in rule.candidates])


def market_only_nodes(ruleset: Ruleset) -> set[int]:
    """Ids of expression nodes whose value depends only on market series and params: their
    values can be reused across evaluations of the same snapshot with the same params."""
    return _nodes_reading_none_of(
        ruleset, {"figure", "portfolio", "entry", "layer", "context", "limit"}
    )


def proposal_free_nodes(ruleset: Ruleset) -> set[int]:
    """Ids of expression nodes that read no proposal (no `position` or `stack`, nor any
    other context name, nor a limit): on one day with the same holdings, their values are
    the same whichever proposals the frame's context gives."""
    return _nodes_reading_none_of(ruleset, {"context", "limit"})


def _nodes_reading_none_of(ruleset: Ruleset, impure_kinds: set[str]) -> set[int]:
    """Ids of expression nodes that read no symbol of `impure_kinds`, directly, through a
    let or through the current regime."""
    program = ruleset.program
    verdict: dict[int, bool] = {}

    def pure(node: Any) -> bool:
        key = id(node)
        if key in verdict:
            return verdict[key]
        verdict[key] = False  # a cycle (impossible after checking) would read as impure
        result = True
        if isinstance(node, ast.Name):
            symbol = program.references.get(key)
            if symbol is None or symbol.kind in impure_kinds:
                result = False
            elif symbol.kind == "let":
                result = pure(symbol.node.value)
        elif isinstance(node, ast.CurrentRegime):
            result = all(
                pure(c.condition)
                for r in program.rules("regime")
                for c in r.clauses
                if isinstance(c, ast.Clause) and c.condition is not None
            )
        else:
            result = all(pure(child) for child in walk.sub_expressions(node))
        verdict[key] = result
        return result

    for module in ruleset.modules:
        for item in module.items:
            for node in walk.top_expressions(item):
                pure(node)
    return {key for key, value in verdict.items() if value}


def _open_scope(scope: Scope, spec: ast.OpenSpec) -> Scope:
    from alvh_rules.lang.builtins import STRUCTURES

    structure = STRUCTURES.get(spec.structure.name)
    dte = next((a.value for a in spec.args if a.name == "dte"), None)
    return Scope(
        scope.rule_kind, scope.rule, scope.target, structure.underlying if structure else "", dte
    )
