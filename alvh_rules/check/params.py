"""Checking a `param`: a constant default, constant bounds of the same unit, default inside.

A param's value for history needs is its upper bound when it has one, so that any
override within the bounds (`alvh eval --set`) is covered by the data loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alvh_rules.check import types as T
from alvh_rules.check.results import ERROR_RESULT, Result, Where

if TYPE_CHECKING:
    from alvh_rules.check.context import CheckContext
    from alvh_rules.syntax import ast


def check_param(program: CheckContext, param: ast.Param) -> Result:
    checker = program.expressions
    default = checker.check(param.default, Where())
    if default.type.is_error:
        return ERROR_RESULT
    if default.type.kind not in ("number", "bool") or default.const is None or default.needs:
        program.report(
            "ALVH211",
            param.default.span,
            "a param's default must be a constant number, such as 45d or 16delta",
            "use `let` for values computed from market data",
        )
        return ERROR_RESULT
    program.param_defaults[param.name.name] = default.const
    if param.low is None or param.high is None:
        return default
    return _check_bounds(program, param, default)


def _check_bounds(program: CheckContext, param: ast.Param, default: Result) -> Result:
    """A param's bounds: constants in its default's unit, in order, around the default."""
    assert param.low is not None and param.high is not None
    checker = program.expressions
    low, high = checker.check(param.low, Where()), checker.check(param.high, Where())
    if low.type.is_error or high.type.is_error:
        return ERROR_RESULT
    for bound in (low, high):
        if bound.type.kind != "number" or bound.const is None or bound.needs:
            program.report(
                "ALVH211", param.low.span.to(param.high.span), "a param's bounds must be constants"
            )
            return ERROR_RESULT
    sides = [(default, param.default), (low, param.low), (high, param.high)]
    if checker.refuse_bare(sides):
        return ERROR_RESULT
    units_agree = (
        T.same_unit(default.type, low.type)
        and T.same_unit(default.type, high.type)
        and T.same_unit(low.type, high.type)
    )
    if not units_agree:
        program.report(
            "ALVH210",
            param.span,
            f"the bounds of '{param.name.name}' "
            f"({low.type.describe()} .. {high.type.describe()}) do not match its default "
            f"({default.type.describe()})",
            "write all three in the same unit",
        )
        return ERROR_RESULT
    assert low.const is not None and high.const is not None and default.const is not None
    if low.const > high.const:
        program.report(
            "ALVH210",
            param.low.span.to(param.high.span),
            f"the bounds of '{param.name.name}' are reversed: the low end is above the high end",
        )
        return ERROR_RESULT
    if not low.const <= default.const <= high.const:
        program.report(
            "ALVH210",
            param.default.span,
            f"the default of '{param.name.name}' is outside its "
            f"bounds {_text(param.low)} .. {_text(param.high)}",
            "move the default inside the bounds, or widen them",
        )
        return ERROR_RESULT
    unit = T.joined_unit(default.type, T.number(T.joined_unit(low.type, high.type)))
    return Result(T.number(unit), {}, high.const)


def _text(expr: object) -> str:
    text = getattr(expr, "text", None)
    return str(text) if text is not None else "?"
