"""Type, unit and history-need inference for expressions.

`ExpressionChecker.check(expr, where)` returns the expression's type, the bars of each
market series it needs (`{"vix": 19}` for `max(rsi(vix, 14), 5d)`) and its constant
value when one is known statically. Results are recorded in side tables keyed by node.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from alvh_rules.check import types as T
from alvh_rules.check.bare_numbers import refuse_bare, refuse_bare_share
from alvh_rules.check.calls import check_call, check_choice
from alvh_rules.check.counts import constant_count, expect_days, whole_param
from alvh_rules.check.results import (
    ERROR_RESULT,
    Needs,
    Result,
    Where,
    extend,
    fold_constant,
    merge,
)
from alvh_rules.check.symbols import CONTEXT_NAMES, Symbol, did_you_mean, event_symbol
from alvh_rules.lang import builtins, catalog
from alvh_rules.lang.diagnostics import Diagnostic, Span
from alvh_rules.lang.units import NUMBER, Unit, parse_unit
from alvh_rules.syntax import ast


class ExpressionChecker:
    """Checks expressions against a program's symbols; lets and regimes are resolved lazily."""

    def __init__(
        self,
        symbols: dict[str, Symbol],
        report: Callable[[Diagnostic], None],
        resolve_let: Callable[[Symbol, Span], Result],
        regime_needs: Callable[[Span], Needs],
        limit_bound: Callable[[Symbol, Span], Result],
    ) -> None:
        self.symbols = symbols
        self.report = report
        self.resolve_let = resolve_let
        self.regime_needs = regime_needs
        self.limit_bound = limit_bound
        self.types: dict[int, T.Type] = {}
        self.needs: dict[int, Needs] = {}
        self.references: dict[int, Symbol] = {}
        self.param_defaults: dict[str, float] = {}  # the program's, filled as params resolve
        self.whole_params: set[str] = set()  # params used as a count of bars or days
        self._regimes: list[str] | None = None

    def regime_names(self) -> list[str]:
        """Declared regimes in order; listed once per program (declarations come first)."""
        if self._regimes is None:
            self._regimes = [s.name for s in self.symbols.values() if s.kind == "regime"]
        return self._regimes

    def error(self, code: str, span: Span, message: str, hint: str = "") -> Result:
        self.report(Diagnostic(code=code, severity="error", span=span, message=message, hint=hint))
        return ERROR_RESULT

    def check(self, expr: Any, where: Where) -> Result:
        method = _METHODS.get(expr.kind)
        if method is None:  # first sight of this kind: one lookup by name, then by kind
            method = _METHODS[expr.kind] = getattr(ExpressionChecker, "_" + expr.kind)
        result: Result = method(self, expr, where)
        self.types[id(expr)] = result.type
        self.needs[id(expr)] = result.needs
        return result

    def expect_bool(self, expr: Any, where: Where, what: str) -> Result:
        result = self.check(expr, where)
        if result.type.kind not in ("bool", "error"):
            self.error(
                "ALVH209",
                expr.span,
                f"{what} must be a condition, not {result.type.describe()}",
                "compare it with something, as in vix > 30",
            )
            return ERROR_RESULT
        return result

    def refuse_bare(self, sides: Sequence[tuple[Result, Any]], wanted: Unit | None = None) -> bool:
        """ALVH215 for each bare number among `sides` that would take a percent, ratio or
        money unit from another side (or from `wanted`); True when one was reported."""

        return refuse_bare(self, sides, wanted)

    # ---- leaves ------------------------------------------------------------------------

    def _number(self, node: ast.Number, where: Where) -> Result:
        return Result(T.literal_type(node.unit), const=node.value)

    def _string(self, node: ast.String, where: Where) -> Result:
        return Result(T.Type("string"))

    def _bool(self, node: ast.Bool, where: Where) -> Result:
        return Result(T.BOOL, const=float(node.value))

    def _regime(self, node: ast.CurrentRegime, where: Where) -> Result:
        return Result(T.REGIME, self.regime_needs(node.span))

    def _name(self, node: ast.Name, where: Where) -> Result:
        symbol = self.symbols.get(node.name)
        if symbol is None:
            return self._unknown_name(node)
        self.references[id(node)] = symbol
        symbol.uses.append(node.span)
        return self._resolve(symbol, node, where)

    def _unknown_name(self, node: ast.Name) -> Result:
        if node.name in builtins.BUILTINS:
            return self.error(
                "ALVH203",
                node.span,
                f"'{node.name}' is a function: call it, as in "
                f"{builtins.BUILTINS[node.name].signature}",
            )
        if event_symbol(node.name):
            return self.error(
                "ALVH109",
                node.span,
                f"'{node.name}' is a calendar event: use it in "
                f"`within 1d of {node.name}` or days_to({node.name})",
            )
        hint = did_you_mean(node.name, self.symbols)
        return self.error("ALVH101", node.span, f"unknown name '{node.name}'", hint)

    def _resolve(self, symbol: Symbol, node: ast.Name, where: Where) -> Result:
        kind = symbol.kind
        if kind == "param":
            return self.resolve_let(symbol, node.span)
        if kind == "let":
            return self.resolve_let(symbol, node.span)
        if kind == "field":
            return Result(T.number(parse_unit(symbol.unit), series=True), {symbol.name: 1})
        if kind == "figure":
            return Result(T.number(parse_unit(symbol.unit)))
        if kind == "regime":
            return Result(T.REGIME)
        if kind in ("entry", "layer", "portfolio"):
            return Result(T.Type("position"))
        if kind == "limit":
            return Result(T.Type("limit"))
        if kind == "context":
            return self._context_name(symbol, node, where)
        return self.error(
            "ALVH203",
            node.span,
            f"the {kind} '{symbol.name}' is not a value",
            "a roll is an action; refer to the position it rolls instead",
        )

    def _context_name(self, symbol: Symbol, node: ast.Name, where: Where) -> Result:
        name = symbol.name
        if name == "atm":
            if where.open_underlying is None:
                return self.error(
                    "ALVH111", node.span, "'atm' is only known inside `open`", CONTEXT_NAMES[name]
                )
            unit = builtins.UNDERLYING_PRICE_UNIT[where.open_underlying]  # type: ignore[index]
            return Result(T.number(parse_unit(unit)))
        allowed = ("entry", "layer", "roll") if name == "position" else ("entry", "layer")
        if where.rule_kind not in allowed:
            place = "an entry, layer or roll" if name == "position" else "an entry or layer"
            return self.error(
                "ALVH111", node.span, f"'{name}' is only known inside {place}", CONTEXT_NAMES[name]
            )
        return Result(T.Type("position"))

    # ---- operators ---------------------------------------------------------------------

    def _unary(self, node: ast.Unary, where: Where) -> Result:
        if node.op == "not":
            operand = self.expect_bool(node.operand, where, "the operand of `not`")
            return Result(T.BOOL.with_series(operand.type.series), operand.needs)
        operand = self.check(node.operand, where)
        if operand.type.kind not in ("number", "error"):
            return self.error("ALVH203", node.span, f"cannot negate {operand.type.describe()}")
        const = -operand.const if operand.const is not None else None
        return Result(operand.type, operand.needs, const)

    def _binary(self, node: ast.Binary, where: Where) -> Result:
        if node.op in ("and", "or"):
            left = self.expect_bool(node.left, where, f"each side of `{node.op}`")
            right = self.expect_bool(node.right, where, f"each side of `{node.op}`")
            if T.ERROR in (left.type, right.type):
                return ERROR_RESULT
            return Result(
                T.BOOL.with_series(left.type.series or right.type.series),
                merge(left.needs, right.needs),
            )
        left, right = self.check(node.left, where), self.check(node.right, where)
        if left.type.is_error or right.type.is_error:
            return ERROR_RESULT
        for side in (left, right):
            if side.type.kind != "number":
                return self.error(
                    "ALVH203", node.span, f"`{node.op}` needs numbers, not {side.type.describe()}"
                )
        if node.op in ("+", "-") and self.refuse_bare([(left, node.left), (right, node.right)]):
            return ERROR_RESULT
        if node.op == "of" and left.type.is_untyped_number:
            return refuse_bare_share(self, node, left)
        # `8 / wacc` is 100 times `8% / wacc`: a bare number over a percent is read two
        # ways, like a bare number compared with one (a bare divisor only scales).
        divides_percent = node.op == "/" and right.type.unit is not None and right.type.unit.percent
        if divides_percent and self.refuse_bare([(left, node.left)], right.type.unit):
            return ERROR_RESULT
        unit = self._arithmetic_unit(node, left.type, right.type)
        if isinstance(unit, bool):
            return ERROR_RESULT
        series = left.type.series or right.type.series
        const = fold_constant(node.op, left.const, right.const)
        return Result(T.number(unit, series), merge(left.needs, right.needs), const)

    def _arithmetic_unit(self, node: ast.Binary, left: T.Type, right: T.Type) -> Unit | bool | None:
        if node.op in ("+", "-"):
            if not T.same_unit(left, right):
                self.error(
                    "ALVH201",
                    node.span,
                    f"cannot {'add' if node.op == '+' else 'subtract'} "
                    f"{left.describe()} and {right.describe()}",
                    "both sides need the same unit",
                )
                return False
            return T.joined_unit(left, right)
        if node.op == "of" and left.unit is not None and not left.unit.is_dimensionless:
            self.error(
                "ALVH212",
                node.left.span,
                f"the left side of `of` must be a percent or a plain number, not {left.describe()}",
                "write a share of something, as in 35% of base_condor.vega",
            )
            return False
        if left.unit is None and right.unit is None:
            return None
        left_unit, right_unit = left.unit or NUMBER, right.unit or NUMBER
        if node.op == "of" and right_unit.ratio and left_unit.is_dimensionless:
            return right_unit  # a share of a ratio is a ratio: 50% of a 12x P/CF is 6x
        return left_unit / right_unit if node.op == "/" else left_unit * right_unit

    def _compare(self, node: ast.Compare, where: Where) -> Result:
        left, right = self.check(node.left, where), self.check(node.right, where)
        if left.type.is_error or right.type.is_error:
            return ERROR_RESULT
        if self.refuse_bare([(left, node.left), (right, node.right)]):
            return ERROR_RESULT
        kinds = {left.type.kind, right.type.kind}
        series = left.type.series or right.type.series
        needs = merge(left.needs, right.needs)
        if kinds == {"number"}:
            if not T.same_unit(left.type, right.type):
                return self.error(
                    "ALVH202",
                    node.span,
                    f"cannot compare {left.type.describe()} with {right.type.describe()}",
                    "both sides need the same unit",
                )
            return Result(T.BOOL.with_series(series), needs)
        if len(kinds) == 1 and kinds <= {"regime", "bool"} and node.op in ("==", "!="):
            return Result(T.BOOL.with_series(series), needs)
        return self.error(
            "ALVH202",
            node.span,
            f"cannot compare {left.type.describe()} with {right.type.describe()} using {node.op}",
            "read a position by a field, as in base_condor.profit" if "position" in kinds else "",
        )

    def _in_range(self, node: ast.InRange, where: Where) -> Result:
        parts = [self.check(e, where) for e in (node.value, node.low, node.high)]
        if any(p.type.is_error for p in parts):
            return ERROR_RESULT
        for part, expr in zip(parts, (node.value, node.low, node.high), strict=True):
            if part.type.kind != "number":
                return self.error(
                    "ALVH203", expr.span, f"`in` needs numbers, not {part.type.describe()}"
                )
        if self.refuse_bare(list(zip(parts, (node.value, node.low, node.high), strict=True))):
            return ERROR_RESULT
        value, low, high = (p.type for p in parts)
        if not (T.same_unit(value, low) and T.same_unit(value, high) and T.same_unit(low, high)):
            return self.error(
                "ALVH202",
                node.span,
                f"cannot test {value.describe()} against a range "
                f"of {low.describe()} .. {high.describe()}",
            )
        return Result(T.BOOL.with_series(value.series), merge(*(p.needs for p in parts)))

    def _within(self, node: ast.Within, where: Where) -> Result:
        distance = self.check(node.distance, where)
        what = "the distance of `within`"
        if expect_days(self, distance, node.distance.span, what, constant=True):
            whole_param(self, node.distance, f"{what} must be a whole number of days", "ALVH205")
        for event in node.events:
            if event_symbol(event.name) is None:
                self.error(
                    "ALVH109",
                    event.span,
                    f"unknown calendar event '{event.name}'",
                    did_you_mean(event.name, catalog.EVENT_KINDS)
                    or f"known events: {', '.join(catalog.EVENT_KINDS)}",
                )
        return Result(T.BOOL)

    # ---- access and calls ----------------------------------------------------------------

    def _lookback(self, node: ast.Lookback, where: Where) -> Result:
        target, offset = self.check(node.target, where), self.check(node.offset, where)
        if target.type.is_error or offset.type.is_error:
            return ERROR_RESULT
        if not target.type.series:
            return self.error(
                "ALVH207",
                node.span,
                f"only a market series has past values; this is "
                f"{target.type.describe()} without history",
            )
        bars = constant_count(self, offset, node.offset.span, "a lookback", allow_zero=True)
        if bars is not None and not whole_param(
            self, node.offset, "the length of a lookback must be a whole number", "ALVH206"
        ):
            bars = None
        if bars is None:
            return ERROR_RESULT
        return Result(target.type, extend(target.needs, bars))

    def _member(self, node: ast.Member, where: Where) -> Result:
        target = self.check(node.target, where)
        name = node.member.name
        kind = target.type.kind
        if kind == "error":
            return ERROR_RESULT
        if kind == "position":
            fields = dict(catalog.POSITION_FIELDS) | dict(catalog.PORTFOLIO_FIELDS)
            if name in fields:
                return Result(T.number(fields[name].unit))
            return self._unknown_member(node, fields)
        if kind == "record" and target.record is not None:
            function, counts, input_needs = target.record
            if name not in function.members:
                return self._unknown_member(node, function.members)
            bars = function.members[name](counts)
            return Result(T.number(target.type.unit, series=True), extend(input_needs, bars - 1))
        if kind == "limit" and isinstance(node.target, ast.Name):
            if name not in builtins.LIMIT_MEMBERS:
                return self._unknown_member(node, builtins.LIMIT_MEMBERS)
            return self.limit_bound(self.symbols[node.target.name], node.span)
        return self.error(
            "ALVH108", node.member.span, f"{target.type.describe()} has no part '{name}'"
        )

    def _unknown_member(self, node: ast.Member, known: Any) -> Result:
        hint = did_you_mean(node.member.name, known) or f"known: {', '.join(sorted(known))}"
        return self.error("ALVH108", node.member.span, f"unknown field '{node.member.name}'", hint)

    def _conditional(self, node: ast.Conditional, where: Where) -> Result:
        test = self.expect_bool(node.test, where, "the test of `if`")
        if_true, if_false = self.check(node.if_true, where), self.check(node.if_false, where)
        if T.ERROR in (test.type, if_true.type, if_false.type):
            return ERROR_RESULT
        if self.refuse_bare([(if_true, node.if_true), (if_false, node.if_false)]):
            return ERROR_RESULT
        a, b = if_true.type, if_false.type
        if (
            a.kind != b.kind
            or a.kind not in ("number", "bool", "regime")
            or (a.kind == "number" and not T.same_unit(a, b))
        ):
            return self.error(
                "ALVH202",
                node.span,
                f"the two values of `if` must agree: {a.describe()} and {b.describe()}",
                "give both branches the same unit, as in if vix > 30 then 2% else 1%",
            )
        series = test.type.series or a.series or b.series
        joined = (
            T.number(T.joined_unit(a, b), series) if a.kind == "number" else a.with_series(series)
        )
        return Result(joined, merge(test.needs, if_true.needs, if_false.needs))

    def _call(self, node: ast.Call, where: Where) -> Result:
        return check_call(self, node, where)

    def _choice(self, node: ast.Choice, where: Where) -> Result:
        return check_choice(self, node, where)


# ExpressionChecker's method for each expression kind (`_` + kind), filled on first use
_METHODS: dict[str, Callable[[ExpressionChecker, Any, Where], Result]] = {}


__all__ = ["ExpressionChecker"]
