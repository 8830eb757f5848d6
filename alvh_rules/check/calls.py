"""Checking calls of built-in functions and choices by regime.

A call is checked against its registry entry in `alvh_rules.lang.builtins`: arity, the kind
of each argument, the result's unit and the bars of history it needs. A choice must
be selected by `regime`, label only declared regimes and cover them all (or say `otherwise`).
"""

from __future__ import annotations

from typing import Any

from alvh_rules.check import types as T
from alvh_rules.check.counts import constant_count, expect_days, whole_param
from alvh_rules.check.results import (
    ERROR_RESULT,
    Checking,
    Result,
    Where,
    event_kind_of,
    extend,
    merge,
)
from alvh_rules.check.symbols import did_you_mean, event_symbol
from alvh_rules.lang import builtins
from alvh_rules.lang.diagnostics import Diagnostic
from alvh_rules.lang.units import DAYS, NUMBER, Unit, parse_unit
from alvh_rules.syntax import ast


def check_call(checker: Checking, node: ast.Call, where: Where) -> Result:
    name = node.function.name
    function = builtins.BUILTINS.get(name)
    if function is None:
        hint = (
            did_you_mean(name, builtins.BUILTINS) or "see the list of built-ins in docs/language.md"
        )
        return checker.error("ALVH107", node.function.span, f"unknown function '{name}'", hint)
    required = sum(1 for arg in function.args if arg.default is None)
    if not required <= len(node.args) <= len(function.args):
        expected = (
            str(required)
            if required == len(function.args)
            else f"{required} to {len(function.args)}"
        )
        return checker.error(
            "ALVH204",
            node.span,
            f"{name}() takes {expected} argument"
            f"{'s' if len(function.args) != 1 else ''}, not {len(node.args)}",
            function.signature,
        )
    if name in builtins.PAIRWISE_WHEN_NOT_WINDOW and len(node.args) == 2:
        second = checker.check(node.args[1], where)
        if second.type.kind == "number" and second.type.unit != DAYS:
            return _pairwise(checker, node, where, second)
    return _check_arguments(checker, function, node, where)


def _check_arguments(
    checker: Checking, function: builtins.Builtin, node: ast.Call, where: Where
) -> Result:
    counts: dict[str, float] = {
        arg.name: arg.default for arg in function.args if arg.default is not None
    }
    needs: list[dict[str, int]] = []
    first_unit: Unit | None = None
    first_series_seen = False
    series = False
    failed = False
    for arg, expr in zip(function.args, node.args, strict=False):
        if arg.kind == "event":
            failed |= not _check_event(checker, expr)
            continue
        if arg.kind == "position":
            failed |= not _check_position_name(checker, expr, where, function.name)
            continue
        result = checker.check(expr, where)
        if result.type.is_error:
            failed = True
            continue
        if arg.kind == "count":
            count = constant_count(checker, result, expr.span, f"{function.name}()")
            if count is not None and not whole_param(
                checker, expr, f"the length of {function.name}() must be a whole number", "ALVH206"
            ):
                count = None
            failed |= count is None
            if count is not None:
                counts[arg.name] = count
        elif arg.kind == "number":
            failed |= not _expect_constant_number(checker, result, expr)
            if result.const is not None:
                counts[arg.name] = result.const
        elif arg.kind == "days":
            failed |= not expect_days(
                checker, result, expr.span, f"the argument of {function.name}()", constant=False
            )
            needs.append(result.needs)
        else:
            failed |= not _expect_value(checker, arg, result, expr, function.name)
            needs.append(result.needs)
            series = series or result.type.series
            if arg.kind == "series" and not first_series_seen:
                first_unit, first_series_seen = result.type.unit, True
    if failed:
        return ERROR_RESULT
    input_needs = merge(*needs, {f: 1 for f in function.implicit_fields})
    unit = _result_unit(function.unit, first_unit)
    if function.is_record:
        record_type = T.Type("record", unit, series, record_of=function.name)
        return Result(record_type, input_needs, record=(function, counts, input_needs))
    result_type = T.BOOL.with_series(series) if function.returns_bool else T.number(unit, series)
    return Result(result_type, extend(input_needs, function.bars(counts) - 1))


def _check_position_name(checker: Checking, expr: Any, where: Where, function: str) -> bool:
    """The argument names an entry or layer: the position it opens."""
    result = checker.check(expr, where)
    symbol = checker.references.get(id(expr)) if isinstance(expr, ast.Name) else None
    if symbol is not None and symbol.kind in ("entry", "layer"):
        return True
    if not result.type.is_error:
        what = result.type.describe()
        if result.type.kind == "position" and isinstance(expr, ast.Name):
            what = f"'{expr.name}', which no rule opens"  # the portfolio, or `position`
        checker.error(
            "ALVH203",
            expr.span,
            f"{function}() takes the name of an entry or layer, not {what}",
            f"write {function}(base_condor), naming the rule that opens the position",
        )
    return False


def _expect_value(
    checker: Checking, arg: builtins.Arg, result: Result, expr: Any, function: str
) -> bool:
    wanted = "bool" if arg.kind == "bool" else "number"
    if result.type.kind == wanted:
        return True
    what = "a condition" if wanted == "bool" else "a number or a series"
    checker.error(
        "ALVH203",
        expr.span,
        f"argument '{arg.name}' of {function}() must be {what}, not {result.type.describe()}",
    )
    return False


def _expect_constant_number(checker: Checking, result: Result, expr: Any) -> bool:
    if (
        result.type.kind == "number"
        and result.type.unit in (None, NUMBER)
        and result.const is not None
    ):
        return True
    checker.error("ALVH205", expr.span, "this argument must be a constant plain number")
    return False


def _check_event(checker: Checking, expr: Any) -> bool:
    kind = event_kind_of(expr)
    if kind is not None:
        return True
    if isinstance(expr, ast.Name) and event_symbol(expr.name) is None:
        from alvh_rules.lang import catalog

        checker.error(
            "ALVH109",
            expr.span,
            f"unknown calendar event '{expr.name}'",
            did_you_mean(expr.name, catalog.EVENT_KINDS)
            or f"known events: {', '.join(catalog.EVENT_KINDS)}",
        )
        return False
    checker.error("ALVH203", expr.span, "this argument must name a calendar event: fomc, cpi, ppi")
    return False


def _result_unit(rule: builtins.UnitRule, first: Unit | None) -> Unit | None:
    if rule == "arg0":
        return first
    if rule == "arg0/d":
        return (first or NUMBER) / DAYS
    if rule == "bool":
        return None
    return parse_unit(rule)


def _pairwise(checker: Checking, node: ast.Call, where: Where, second: Result) -> Result:
    """max(a, b) / min(a, b) of two values with the same unit (no `d` window given)."""
    first = checker.check(node.args[0], where)
    if first.type.is_error or second.type.is_error:
        return ERROR_RESULT
    if checker.refuse_bare([(first, node.args[0]), (second, node.args[1])]):
        return ERROR_RESULT
    if first.type.kind != "number" or not T.same_unit(first.type, second.type):
        return checker.error(
            "ALVH202",
            node.span,
            f"{node.function.name}() of two values needs the "
            f"same unit: {first.type.describe()} and {second.type.describe()}",
            "for a window, give its length in days: max(vix, 5d)",
        )
    series = first.type.series or second.type.series
    if first.type.series:
        _warn_window_reading(checker, node)
    return Result(
        T.number(T.joined_unit(first.type, second.type), series), merge(first.needs, second.needs)
    )


def _warn_window_reading(checker: Checking, node: ast.Call) -> None:
    """`max(vix, 20)` is the larger of VIX and 20, where TA-Lib's MAX(vix, 20) and pandas'
    rolling(20).max() are a 20-bar window: a bare whole number there is read both ways."""
    count = node.args[1]
    if not (isinstance(count, ast.Number) and not count.unit and count.text.isdigit()):
        return
    name, n = node.function.name, count.text
    which = ("larger", "highest") if name == "max" else ("smaller", "lowest")
    checker.report(
        Diagnostic(
            code="ALVH216",
            severity="warning",
            span=count.span,
            message=f"{name}(x, {n}) is the {which[0]} of x and {n}, not a window of {n} bars",
            hint=f"for the {which[1]} of the last {n} bars write {name}(x, {n}d); "
            f"for the value, write {n}.0 or give it a unit",
        )
    )


def check_choice(checker: Checking, node: ast.Choice, where: Where) -> Result:
    selector = checker.check(node.selector, where)
    if selector.type.kind not in ("regime", "error"):
        checker.error(
            "ALVH208",
            node.selector.span,
            f"a choice is selected by `regime`, not {selector.type.describe()}",
            "write (steward: 25pt, promoter: 50pt)[regime]",
        )
    regimes = checker.regime_names()
    labels = _check_labels(checker, node, regimes)
    results = [checker.check(arm.value, where) for arm in node.arms]
    if any(r.type.is_error for r in results) or selector.type.is_error:
        return ERROR_RESULT
    if checker.refuse_bare([(r, arm.value) for r, arm in zip(results, node.arms, strict=True)]):
        return ERROR_RESULT
    if "otherwise" not in labels:
        missing = [r for r in regimes if r not in labels]
        if missing:
            checker.error(
                "ALVH208",
                node.span,
                f"this choice has no value for the regime {', '.join(repr(m) for m in missing)}",
                "add it, or an `otherwise:` arm",
            )
    joined = results[0].type
    for arm, result in zip(node.arms, results, strict=True):
        if result.type.kind != joined.kind or (
            joined.kind == "number" and not T.same_unit(joined, result.type)
        ):
            return checker.error(
                "ALVH202",
                arm.value.span,
                f"the arms of a choice must agree: "
                f"{joined.describe()} and {result.type.describe()}",
            )
        if joined.kind == "number":
            joined = T.number(
                T.joined_unit(joined, result.type), joined.series or result.type.series
            )
    return Result(joined, merge(selector.needs, *(r.needs for r in results)))


def _check_labels(checker: Checking, node: ast.Choice, regimes: list[str]) -> set[str]:
    labels: set[str] = set()
    for arm in node.arms:
        label = arm.label.name
        if label in labels:
            checker.error(
                "ALVH208", arm.label.span, f"the regime '{label}' is listed twice in this choice"
            )
        elif label != "otherwise" and label not in regimes:
            checker.error(
                "ALVH101",
                arm.label.span,
                f"unknown regime '{label}'",
                did_you_mean(label, regimes) or f"declared regimes: {', '.join(regimes) or 'none'}",
            )
        else:
            symbol = checker.symbols.get(label)
            if symbol is not None:
                symbol.uses.append(arm.label.span)
        labels.add(label)
    return labels
