"""Values written in a test block (`given vix = 35`, `set short_delta = 18delta`, a
holding's `strike atm + 5`): constant arithmetic over numbers, params, today's market
values and `atm`, in base units.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from alvh_rules.lang.diagnostics import Span
from alvh_rules.syntax import ast


class TestInputError(ValueError):
    """A test block that cannot be run as written, with where it says so."""

    def __init__(self, span: Span, message: str) -> None:
        super().__init__(message)
        self.span = span
        self.message = message


def constant(
    expr: ast.Expr,
    names: Mapping[str, float],
    atm: Callable[[], float] | None = None,
) -> float:
    """The value of `expr`, reading `names` (params, today's market values) and `atm`."""
    if isinstance(expr, ast.Number):
        return expr.value
    if isinstance(expr, ast.Bool):  # `given vix_rsi_stabilised = true` (a condition let)
        return 1.0 if expr.value else 0.0
    if isinstance(expr, ast.Unary) and expr.op == "-":
        return -constant(expr.operand, names, atm)
    if isinstance(expr, ast.Binary) and expr.op in ("+", "-", "*", "/", "of"):
        left, right = constant(expr.left, names, atm), constant(expr.right, names, atm)
        if expr.op == "+":
            return left + right
        if expr.op == "-":
            return left - right
        if expr.op == "/":
            return left / right if right != 0 else math.nan
        return left * right
    if isinstance(expr, ast.Name):
        if expr.name == "atm" and atm is not None:
            return atm()
        if expr.name in names:
            return float(names[expr.name])
        raise TestInputError(expr.span, f"'{expr.name}' has no value in a test")
    raise TestInputError(
        expr.span, "a test value must be a number, a param, a market field or arithmetic on them"
    )


def finite(expr: ast.Expr, value: float, what: str) -> float:
    if not math.isfinite(value):
        raise TestInputError(expr.span, f"{what} is unknown (not a finite number) on this day")
    return value
