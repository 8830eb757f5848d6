"""Param overrides (`--set name=value`, `params={...}`): known names, right unit, inside bounds.

A value may be a number in base units (0.18 for 18%) or a literal as a ruleset writes it
("18%", "20delta", "45d"), whose unit is checked against the param's; a bare literal ("15")
for a param in %, bp, x or $ is refused as the checker refuses one (units.may_take).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

from alvh_rules.check import types as T
from alvh_rules.check.ruleset import Ruleset
from alvh_rules.check.symbols import did_you_mean
from alvh_rules.lang.units import NUMBER, SUFFIXES, bare_number_fix, compatible, may_take
from alvh_rules.syntax import ast


class ParamError(ValueError):
    """A param override that names no param, has the wrong unit or leaves the bounds."""


def resolve_params(
    ruleset: Ruleset, overrides: Mapping[str, float | str] | None
) -> dict[str, float]:
    values = dict(ruleset.program.param_values)
    for name, raw in (overrides or {}).items():
        param = ruleset.params.get(name)
        if param is None:
            hint = did_you_mean(name, ruleset.params)
            raise ParamError(f"no param named '{name}'" + (f"; {hint}" if hint else ""))
        value = _value(name, raw, param)
        low, high = _bound(param.low), _bound(param.high)
        if low is not None and high is not None and not low <= value <= high:
            declared = _unit_of(param)
            # A Python number is taken in base units (15 for a percent param is 1500%); the
            # trader most likely meant it in the declared unit, which text can say.
            hint = (
                f"; a number is read in base units, so give the unit as text: '{raw:g}{declared}'"
                if declared and not isinstance(raw, str)
                else ""
            )
            raise ParamError(
                f"{name} = {raw} is outside its bounds {_text(param.low)} .. {_text(param.high)}"
                + hint
            )
        if name in ruleset.program.whole_params and value != int(value):
            raise ParamError(
                f"{name} = {raw} must be a whole number: it counts bars or days in the rules"
            )
        values[name] = value
    return values


def declared_bounds(param: ast.Param) -> tuple[float, float] | None:
    """The param's declared bounds in base units (`in 15delta .. 20delta` is (15.0, 20.0)),
    or None when it declares none."""
    low, high = _bound(param.low), _bound(param.high)
    return (low, high) if low is not None and high is not None else None


def _value(name: str, raw: float | str, param: ast.Param) -> float:
    if not isinstance(raw, str):
        # bool is a Real too, and NaN or inf would pass a param without bounds unnoticed
        if isinstance(raw, bool) or not isinstance(raw, numbers.Real) or not math.isfinite(raw):
            raise ParamError(f"{name} = {raw!r} is not a finite number such as 0.18 or '18%'")
        return float(raw)
    from alvh_rules.syntax.parser import parse

    try:
        let = parse(f"let value = {raw.strip()}\n").items[0]
    except Exception as error:
        raise ParamError(f"{name} = {raw!r} is not a number such as 18%, 20delta or 45d") from error
    number, sign = _literal(let)
    if number is None:
        raise ParamError(f"{name} = {raw!r} is not a number such as 18%, 20delta or 45d")
    declared = _unit_of(param)
    given = SUFFIXES[number.unit].unit if number.unit else None
    wanted = SUFFIXES[declared].unit if declared else None
    if given is None and wanted is not None and not may_take(wanted):
        # The rule the checker applies to a bare literal (ALVH215): `15` for a percent
        # param could be 15% or 0.15%, so the value must say which.
        raise ParamError(
            f"{name} = {raw} has no unit but {name} is {T.number(wanted).describe()}: "
            f"write {bare_number_fix(sign * number.value, wanted)}"
        )
    if given is not None and not compatible(given, wanted or NUMBER):
        written = declared or "a plain number"
        raise ParamError(
            f"{name} is {'in ' + declared if declared else written}, not {number.unit} (got {raw})"
        )
    return sign * number.value


def _literal(let: object) -> tuple[ast.Number | None, float]:
    value = getattr(let, "value", None)
    sign = 1.0
    while isinstance(value, ast.Unary) and value.op == "-":
        sign, value = -sign, value.operand
    return (value, sign) if isinstance(value, ast.Number) else (None, sign)


def _unit_of(param: ast.Param) -> str:
    for expr in (param.default, param.low, param.high):
        number, _ = _literal(type("L", (), {"value": expr})())
        if number is not None and number.unit:
            return number.unit
    return ""


def _bound(expr: object) -> float | None:
    number, sign = _literal(type("L", (), {"value": expr})())
    return sign * number.value if number is not None else None


def _text(expr: object) -> str:
    return str(getattr(expr, "text", "?"))
