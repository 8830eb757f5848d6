"""A bare number (`12`) meeting a percent, ratio or money unit: ALVH215, with a hint that
writes the readings out ("write 12% or 0.12%"). Which units a bare number may take is
`units.may_take`; this module finds where one would and says so, at the use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from alvh_rules.check import types as T
from alvh_rules.check.results import Checking, Result
from alvh_rules.lang.units import PERCENT, Unit, bare_number_fix, may_take
from alvh_rules.syntax import ast

if TYPE_CHECKING:
    from alvh_rules.check.symbols import Symbol


def refuse_bare(
    checker: Checking, sides: Sequence[tuple[Result, Any]], wanted: Unit | None
) -> bool:
    """ALVH215 for each bare number among `sides` (result, expression) that would take a
    unit it may not from another side or from `wanted`; True when one was reported."""
    units = [r.type.unit for r, _ in sides if r.type.kind == "number" and r.type.unit]
    banned = next((u for u in [*units, wanted] if u is not None and not may_take(u)), None)
    if banned is None:
        return False
    bare = [(r, e) for r, e in sides if r.type.is_untyped_number]
    for result, expr in bare:
        _report(checker, result, expr, banned)
    return bool(bare)


def refuse_two_readings(checker: Checking, result: Result, expr: Any, name: str) -> bool:
    """ALVH215 for a bare number given to `wings`, which takes SPX points or a share of SPX
    (`wings 25`: 25pt or 25%? both are wings a trader writes); True when one was reported."""
    if not result.type.is_untyped_number:
        return False
    what, units = f"`{name}`", ("pt", "%")
    symbol, value = _declared(checker, expr, result)
    number = f"{value:g}" if value is not None else "N"
    fix = f"write {number}{units[0]} or {number}{units[1]}"
    if symbol is not None and symbol.span is not None:
        checker.error(
            "ALVH215",
            expr.span,
            f"the {symbol.kind} '{symbol.name}' (line {symbol.span.line}) has no unit but "
            f"is used as {what}, which takes SPX points or a share of SPX",
            f"give it its unit where it is declared: {fix}",
        )
        return True
    checker.error(
        "ALVH215",
        expr.span,
        f"{literal_text(expr, result.const)} has no unit but {what} takes SPX points or a "
        "share of SPX",
        f"a bare number cannot say which: {fix}",
    )
    return True


def refuse_bare_share(checker: Checking, node: ast.Binary, share: Result) -> Result:
    """`1 of capital` is 1% or 100% of it: a share before `of` says which (ALVH215)."""
    whole = literal_text(node.right, None)
    symbol, value = _declared(checker, node.left, share)
    fix = f"a percent such as 35% of {whole}"
    if value is not None:
        first, second = bare_number_fix(value, PERCENT).split(" or ")
        fix = f"{first} of {whole} or {second} of {whole}"
    if symbol is not None and symbol.span is not None:
        return checker.error(
            "ALVH215",
            node.left.span,
            f"the {symbol.kind} '{symbol.name}' (line {symbol.span.line}) is a share "
            f"before `of` but has no unit",
            f"give it its unit where it is declared: write {bare_number_fix(value, PERCENT)}",
        )
    return checker.error(
        "ALVH215",
        node.left.span,
        f"the share {literal_text(node.left, share.const)} before `of` has no unit",
        f"a bare number never takes a percent meaning: write {fix}",
    )


def _declared(checker: Checking, expr: Any, result: Result) -> tuple[Symbol | None, float | None]:
    """The param or let a bare operand names, if any, and the value to quote for it (a
    param's default: its result carries the upper bound, for history needs)."""
    symbol = checker.references.get(id(expr)) if isinstance(expr, ast.Name) else None
    if symbol is None or symbol.span is None:
        return None, result.const
    return symbol, checker.param_defaults.get(symbol.name, result.const)


def _report(checker: Checking, result: Result, expr: Any, unit: Unit) -> None:
    symbol, value = _declared(checker, expr, result)
    fix = bare_number_fix(value, unit)
    meaning = T.number(unit).describe()
    if symbol is not None and symbol.span is not None:
        checker.error(
            "ALVH215",
            expr.span,
            f"the {symbol.kind} '{symbol.name}' (line {symbol.span.line}) has no unit "
            f"but is used as {meaning}",
            f"give it its unit where it is declared: write {fix}",
        )
        return
    checker.error(
        "ALVH215",
        expr.span,
        f"{literal_text(expr, result.const)} has no unit but is used as {meaning}",
        f"a bare number never takes a percent, ratio or money unit: write {fix}",
    )


def literal_text(expr: Any, const: float | None) -> str:
    """How an operand reads in a message: a literal or name as written, else its value."""
    if isinstance(expr, ast.Number):
        return expr.text
    if isinstance(expr, ast.Unary) and expr.op == "-" and isinstance(expr.operand, ast.Number):
        return "-" + expr.operand.text
    if isinstance(expr, ast.Name):
        return expr.name
    if isinstance(expr, ast.Member):
        return f"{literal_text(expr.target, None)}.{expr.member.name}"
    return f"{const:g}" if const is not None else "this value"
