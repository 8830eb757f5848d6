"""Compiling checked expressions into closures over a frame's columns (the evaluation plan).

Every name is resolved once, here, from the checker's reference table; evaluating a plan
is calling closures on arrays, one value per day of the frame. Each node's value is kept
in the run's memo, so the same plan serves replay (every row) and the explanation of one
day (reading the memo at that row).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from alvh_rules.check.program import CheckedProgram
from alvh_rules.check.symbols import Symbol
from alvh_rules.eval import logic
from alvh_rules.eval.calls import compile_call
from alvh_rules.eval.run import Compiled, PositionRef, Run, Scope
from alvh_rules.syntax import ast

# What the VX curve (alvh_rules.greeks.vx_curve, one owner) is read from.
VX_CURVE_FIELDS = ("vix_f1", "vix_f2", "vix_f1_dte", "vix_f2_dte")


class Compiler:
    def __init__(self, program: CheckedProgram) -> None:
        self.program = program
        self.regimes = [r.name.name for r in program.rules("regime")]
        self.lets: dict[str, Compiled] = {}
        self.regime_value: Compiled | None = None  # set by the plan once regimes are compiled
        self.limit_bounds: dict[str, Compiled] = {}

    def compile(self, node: Any, scope: Scope) -> Compiled:
        build = getattr(self, "_" + node.kind)
        inner: Compiled = build(node, scope)
        key = id(node)

        def memoised(run: Run) -> Any:
            value = run.memo.get(key)
            if value is None:
                value = inner(run)
                run.memo[key] = value
            return value

        return memoised

    # ---- leaves ------------------------------------------------------------------------

    def _number(self, node: ast.Number, scope: Scope) -> Compiled:
        value = node.value
        return lambda run: run.full(value)

    def _bool(self, node: ast.Bool, scope: Scope) -> Compiled:
        value = 1.0 if node.value else 0.0
        return lambda run: run.full(value)

    def _string(self, node: ast.String, scope: Scope) -> Compiled:
        return lambda run: run.full(np.nan)

    def _regime(self, node: ast.CurrentRegime, scope: Scope) -> Compiled:
        def read(run: Run) -> Any:
            assert self.regime_value is not None
            return self.regime_value(run)

        return read

    def _name(self, node: ast.Name, scope: Scope) -> Compiled:
        symbol: Symbol = self.program.references[id(node)]
        return self.symbol_reader(symbol, scope)

    def symbol_reader(self, symbol: Symbol, scope: Scope) -> Compiled:
        name, kind = symbol.name, symbol.kind
        if kind == "param":
            return lambda run: run.full(run.frame.params[name])
        if kind == "let":
            return self._let(symbol)
        if kind == "field":
            return lambda run: run.frame.column(name)
        if kind == "figure":
            return lambda run: _figure(run, PositionRef("portfolio"), name)
        if kind == "regime":
            index = float(self.regimes.index(name))
            return lambda run: run.full(index)
        if kind in ("entry", "layer"):
            ref = PositionRef("held", name)
            return lambda run: ref
        if kind == "portfolio":
            ref = PositionRef("portfolio")
            return lambda run: ref
        if kind == "limit":
            return lambda run: name
        return self._context(name, scope)

    def _let(self, symbol: Symbol) -> Compiled:
        name = symbol.name
        if name not in self.lets:
            self.lets[name] = self.compile(symbol.node.value, Scope())
        compiled = self.lets[name]

        def read(run: Run) -> Any:
            value = compiled(run)
            if name in run.frame.overrides:  # `given vix_rsi = 62` replaces today's value
                value = np.array(value, dtype=np.float64, copy=True)
                value[-1] = run.frame.overrides[name]
            return value

        return read

    def _context(self, name: str, scope: Scope) -> Compiled:
        if name == "atm":
            return self._atm(scope)
        if name == "stack":
            ref = PositionRef("stack", scope.rule)
        elif scope.rule_kind == "roll" and scope.candidates:
            target, candidates = scope.target, scope.candidates
            return lambda run: PositionRef(
                "held", run.frame.positions.acting_on(target, candidates)
            )
        elif scope.rule_kind == "roll":
            ref = PositionRef("held", scope.target)
        else:
            ref = PositionRef("proposed", scope.rule)
        return lambda run: ref

    def _atm(self, scope: Scope) -> Compiled:
        """At the money: SPX spot for SPX structures; for VIX ones, the VIX futures curve at
        the structure's days to expiry (VIX options are struck against the future)."""
        if scope.underlying == "SPX":
            return lambda run: run.frame.column("spx")
        dte = self.compile(scope.dte, Scope()) if scope.dte is not None else None

        def forward(run: Run) -> logic.FloatArray:
            from alvh_rules.eval.market_days import vix_future_at_days

            days = dte(run) if dte is not None else run.full(30.0)
            columns = {name: run.frame.column(name) for name in VX_CURVE_FIELDS}
            return vix_future_at_days(columns, np.asarray(days, dtype=np.float64).round())

        return forward

    # ---- operators ---------------------------------------------------------------------

    def _unary(self, node: ast.Unary, scope: Scope) -> Compiled:
        operand = self.compile(node.operand, scope)
        if node.op == "not":
            return lambda run: logic.not_(operand(run))
        return lambda run: -operand(run)

    def _binary(self, node: ast.Binary, scope: Scope) -> Compiled:
        left, right = self.compile(node.left, scope), self.compile(node.right, scope)
        op = node.op
        if op == "and":
            return lambda run: logic.and_(left(run), right(run))
        if op == "or":
            return lambda run: logic.or_(left(run), right(run))
        if op == "+":
            return lambda run: left(run) + right(run)
        if op == "-":
            return lambda run: left(run) - right(run)
        if op in ("*", "of"):
            return lambda run: left(run) * right(run)

        def divide(run: Run) -> logic.FloatArray:
            numerator, denominator = left(run), right(run)
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(
                    denominator != 0, numerator / np.where(denominator != 0, denominator, 1), np.nan
                )

        return divide

    def _compare(self, node: ast.Compare, scope: Scope) -> Compiled:
        left, right = self.compile(node.left, scope), self.compile(node.right, scope)
        op = node.op
        return lambda run: logic.compare(op, left(run), right(run))

    def _in_range(self, node: ast.InRange, scope: Scope) -> Compiled:
        value, low, high = (self.compile(e, scope) for e in (node.value, node.low, node.high))
        return lambda run: logic.and_(
            logic.compare(">=", value(run), low(run)), logic.compare("<=", value(run), high(run))
        )

    def _within(self, node: ast.Within, scope: Scope) -> Compiled:
        distance = self.compile(node.distance, scope)
        kinds = [e.name for e in node.events]

        def near(run: Run) -> logic.FloatArray:
            reach = distance(run)
            result = run.full(0.0)
            for kind in kinds:
                prev, nxt = run.frame.event_gaps[kind]
                with np.errstate(invalid="ignore"):
                    hit = (np.abs(prev) <= reach) | (nxt <= reach)
                known = ~(np.isnan(prev) & np.isnan(nxt)) | hit
                result = logic.or_(result, logic.from_bool(hit, known & ~np.isnan(reach)))
            return result

        return near

    # ---- access and calls ----------------------------------------------------------------

    def _lookback(self, node: ast.Lookback, scope: Scope) -> Compiled:
        target = self.compile(node.target, scope)
        lag = self.compile(node.offset, scope)

        def shifted(run: Run) -> logic.FloatArray:
            values = target(run)
            offset = int(lag(run)[0])  # the checker made it a constant whole number
            out = np.full(values.shape, np.nan)
            if offset == 0:
                return np.array(values, dtype=np.float64, copy=True)
            if offset < len(values):
                out[offset:] = values[:-offset]
            return out

        return shifted

    def _member(self, node: ast.Member, scope: Scope) -> Compiled:
        target = self.compile(node.target, scope)
        part = node.member.name
        if (
            isinstance(node.target, ast.Name)
            and self.program.references.get(id(node.target)) is not None
        ):
            symbol = self.program.references[id(node.target)]
            if symbol.kind == "limit":
                return self._limit_member(symbol.name, part)

        def read(run: Run) -> Any:
            value = target(run)
            if isinstance(value, dict):  # a record such as macd(x)
                return value[part]
            return _figure(run, value, part)

        return read

    def _limit_member(self, limit: str, part: str) -> Compiled:
        def read(run: Run) -> Any:
            return self.limit_bounds[limit + "." + part](run)

        return read

    def _call(self, node: ast.Call, scope: Scope) -> Compiled:

        return compile_call(self, node, scope)

    def _conditional(self, node: ast.Conditional, scope: Scope) -> Compiled:
        test = self.compile(node.test, scope)
        if_true, if_false = self.compile(node.if_true, scope), self.compile(node.if_false, scope)

        def choose(run: Run) -> logic.FloatArray:
            # both branches are computed, so each can be explained; an unknown test leaves
            # the value unknown unless both branches agree (Kleene)
            truth, a, b = test(run), if_true(run), if_false(run)
            undecided = np.where(a == b, a, np.nan)
            return np.where(truth == 1.0, a, np.where(truth == 0.0, b, undecided))

        return choose

    def _choice(self, node: ast.Choice, scope: Scope) -> Compiled:
        selector = self.compile(node.selector, scope)
        arms = [(arm.label.name, self.compile(arm.value, scope)) for arm in node.arms]
        regimes = self.regimes

        def choose(run: Run) -> logic.FloatArray:
            chosen = selector(run)
            out = run.full(np.nan)
            listed = {label for label, _ in arms}
            for label, value in arms:
                if label == "otherwise":
                    indexes = [i for i, r in enumerate(regimes) if r not in listed]
                else:
                    indexes = [regimes.index(label)]
                mask = chosen == indexes[0] if len(indexes) == 1 else np.isin(chosen, indexes)
                values = value(run)  # every arm is computed, so each can be explained
                if mask.any():
                    out[mask] = values[mask]
            return out

        return choose


def _figure(run: Run, ref: PositionRef, name: str) -> logic.FloatArray:
    """A figure of a position, per day; NaN (unknown) where it cannot be known."""
    positions = run.frame.positions
    if not isinstance(ref, PositionRef):
        return run.full(np.nan)
    # _filled copies a figure given once or per day alike (broadcast_to + astype did the
    # same in three steps)
    if ref.kind == "portfolio":
        return _filled(run, positions.portfolio.get(name, np.nan))
    if ref.kind == "held":
        figures = positions.held.get(ref.rule)
        if figures is None:
            return run.full(np.nan)
        return _filled(run, figures.get(name, np.nan))
    context = run.frame.context
    if context is None:
        return run.full(np.nan)
    return np.asarray(context.figure(run, ref, name), dtype=np.float64)


def _filled(run: Run, value: Any) -> logic.FloatArray:
    """`value` (a figure given once or per day) as a new array of the frame's length."""
    if run.frame.length == 1 and isinstance(value, float):  # a backtest's day: cheaper
        return np.array([value], dtype=np.float64)
    return np.full(run.frame.length, value, dtype=np.float64)


__all__ = ["Compiled", "Compiler", "PositionRef", "Run", "Scope"]
