"""Counts in expressions: a window or lookback length in bars, a distance in days, and a
param used as one (which must then default to a whole number, as its overrides must be).
"""

from __future__ import annotations

from typing import Any

from alvh_rules.check.results import MAX_BARS, Checking, Result
from alvh_rules.lang.diagnostics import Span
from alvh_rules.lang.units import DAYS, NUMBER
from alvh_rules.syntax import ast


def expect_days(
    checker: Checking, result: Result, span: Span, what: str, *, constant: bool
) -> bool:
    """Whether `result` is a number of days (a constant whole one when `constant`); if not,
    reports why."""
    if result.type.is_error:
        return False
    if result.type.kind != "number" or result.type.unit not in (None, DAYS):
        checker.error(
            "ALVH203",
            span,
            f"{what} must be a number of days such as 2d, not {result.type.describe()}",
        )
        return False
    if constant and (result.const is None or result.const < 0 or result.const != int(result.const)):
        checker.error("ALVH205", span, f"{what} must be a constant whole number of days")
        return False
    return True


def whole_param(checker: Checking, expr: Any, what: str, code: str) -> bool:
    """A param used as a count of bars or days must default to a whole number (its
    overrides are held to it too); other expressions pass."""
    symbol = checker.references.get(id(expr)) if isinstance(expr, ast.Name) else None
    if symbol is None or symbol.kind != "param":
        return True
    checker.whole_params.add(symbol.name)
    default = checker.param_defaults.get(symbol.name)
    if default is None or default == int(default):
        return True
    checker.error(
        code,
        expr.span,
        f"{what}: the param '{symbol.name}' defaults to {default:g}",
        f"give {symbol.name} a whole-number default",
    )
    return False


def constant_count(
    checker: Checking, result: Result, span: Span, what: str, *, allow_zero: bool = False
) -> int | None:
    """A constant whole number of bars (plain or in `d`), or None after reporting why not."""
    if result.type.is_error:
        return None
    if result.type.kind != "number" or result.type.unit not in (None, NUMBER, DAYS):
        checker.error(
            "ALVH203",
            span,
            f"the length of {what} must be a number of bars such as 14 "
            f"or 5d, not {result.type.describe()}",
        )
        return None
    value = result.const
    least = 0 if allow_zero else 1
    if value is None or value != int(value) or value < least or value > MAX_BARS:
        checker.error(
            "ALVH206",
            span,
            f"the length of {what} must be a constant whole number "
            f"{'of 0 or more' if allow_zero else 'of 1 or more'}, at most {MAX_BARS:,}",
        )
        return None
    return int(value)
