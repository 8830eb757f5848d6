"""Checking ruleset test blocks: the names they override and the states they expect exist,
and each override has the unit of what it replaces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alvh_rules.check import types as T
from alvh_rules.check.results import Result, Where
from alvh_rules.check.symbols import Symbol, did_you_mean
from alvh_rules.lang.units import parse_unit
from alvh_rules.syntax import ast

if TYPE_CHECKING:
    from alvh_rules.check.context import CheckContext

# The states a rule of each kind can be in (what `expect NAME STATE` may say).
STATES_BY_KIND: dict[str, tuple[str, ...]] = {
    "regime": ("fires", "holds", "unknown"),
    "limit": ("held", "breached", "unknown"),
    "entry": ("fires", "holds", "blocked", "unknown"),
    "layer": ("fires", "holds", "blocked", "unknown"),
    "roll": ("fires", "holds", "blocked", "unknown"),
}
INSTRUMENTS = ("spx", "vix", "vx")


def check_test_blocks(program: CheckContext, module: ast.Ruleset) -> None:
    for item in module.items:
        if isinstance(item, ast.TestBlock):
            _check_block(program, item)


def _check_block(program: CheckContext, block: ast.TestBlock) -> None:
    ons = [s for s in block.statements if isinstance(s, ast.TestOn)]
    for extra in ons[1:]:
        program.report("ALVH508", extra.span, "a test takes one `on` day")
    for statement in block.statements:
        if isinstance(statement, ast.TestGiven):
            for assignment in statement.assignments:
                _check_given(program, assignment)
        elif isinstance(statement, ast.TestSet):
            for assignment in statement.assignments:
                _check_set(program, assignment)
        elif isinstance(statement, ast.TestHolding):
            _check_holding(program, statement)
        elif isinstance(statement, ast.ExpectState | ast.ExpectContracts):
            _check_expect(program, statement)
        elif isinstance(statement, ast.ExpectRegime):
            _expect_symbol(program, statement.regime, ("regime",), "regime")


def _check_given(program: CheckContext, assignment: ast.Assignment) -> None:
    name = assignment.name.name
    symbol = program.symbols.get(name)
    if symbol is None or symbol.kind not in ("field", "let", "figure"):
        candidates = [
            s.name for s in program.symbols.values() if s.kind in ("field", "let", "figure")
        ]
        program.report(
            "ALVH503",
            assignment.name.span,
            f"`given` overrides market fields and lets; "
            f"'{name}' is {'unknown' if symbol is None else 'a ' + symbol.kind}",
            did_you_mean(name, candidates),
        )
        return
    symbol.uses.append(assignment.name.span)
    if assignment.value is None:
        return  # `given name = unknown`: the value is missing, whatever its unit
    value = program.expressions.check(assignment.value, Where())
    if symbol.kind == "let":
        wanted = program.let_results.get(name)
        wanted_type = wanted.type if wanted is not None else T.ERROR
    else:
        wanted_type = T.number(parse_unit(symbol.unit))
    _expect_same(program, assignment, value, wanted_type)


def _check_set(program: CheckContext, assignment: ast.Assignment) -> None:
    name = assignment.name.name
    symbol = program.symbols.get(name)
    if symbol is None or symbol.kind != "param":
        params = [s.name for s in program.symbols.values() if s.kind == "param"]
        program.report(
            "ALVH505",
            assignment.name.span,
            f"`set` overrides params; '{name}' is "
            f"{'unknown' if symbol is None else 'a ' + symbol.kind}",
            did_you_mean(name, params),
        )
        return
    symbol.uses.append(assignment.name.span)
    if assignment.value is None:
        program.report(
            "ALVH505",
            assignment.span,
            f"a param always has a value: '{name}' cannot be unknown",
            "use `given` to make a market value or a let unknown",
        )
        return
    value = program.expressions.check(assignment.value, Where())
    param_result = program.let_results.get(name)
    if param_result is not None:
        _expect_same(program, assignment, value, param_result.type)
    param: ast.Param = symbol.node
    low = getattr(param.low, "value", None) if isinstance(param.low, ast.Number) else None
    high = getattr(param.high, "value", None) if isinstance(param.high, ast.Number) else None
    if (
        value.const is not None
        and low is not None
        and high is not None
        and not low <= value.const <= high
    ):
        program.report(
            "ALVH506",
            assignment.value.span,
            f"{name} must stay within its bounds {_text(param.low)} .. {_text(param.high)}",
        )


def _expect_same(
    program: CheckContext, assignment: ast.Assignment, value: Result, wanted: T.Type
) -> None:
    if value.type.is_error or wanted.is_error:
        return
    if program.expressions.refuse_bare([(value, assignment.value)], wanted.unit):
        return
    got = value.type
    if got.kind != wanted.kind or (got.kind == "number" and not T.same_unit(got, wanted)):
        program.report(
            "ALVH504",
            assignment.value.span if assignment.value is not None else assignment.span,
            f"'{assignment.name.name}' is {wanted.describe()}; this override is {got.describe()}",
        )


def _check_holding(program: CheckContext, holding: ast.TestHolding) -> None:
    from alvh_rules.check.rules import RuleChecker

    if holding.spec is not None:
        RuleChecker(program).check_open(holding.spec, Where("entry", holding.name.name))
    for leg in holding.legs:
        instrument = leg.instrument.name
        if instrument not in INSTRUMENTS:
            program.report(
                "ALVH507",
                leg.instrument.span,
                f"unknown instrument '{instrument}'",
                f"legs are on {', '.join(INSTRUMENTS)}",
            )
            continue
        if instrument == "vx" and leg.right is not None:
            program.report("ALVH507", leg.span, "a VIX future (vx) leg has no call or put")
        if instrument != "vx" and (leg.right is None or leg.strike is None):
            program.report(
                "ALVH507", leg.span, f"an {instrument} option leg needs call or put and a strike"
            )
        if leg.quantity == 0:
            program.report("ALVH507", leg.span, "a leg's quantity cannot be zero")
        for expr in (leg.strike, leg.price):
            if expr is not None:
                program.expressions.check(expr, Where())
        if leg.expiry_days is not None:
            _check_expiring(program, leg.expiry_days)
    if holding.held is not None:
        _check_held(program, holding.held)


DAYS = T.number(parse_unit("d"))


def _check_expiring(program: CheckContext, days: ast.Number) -> None:
    """`expiring N`: calendar days after the test's day, whole and not negative (`30%` or
    `0.5d` were read as a leg expiring that very day)."""
    if days.unit != "d" or days.value < 0 or days.value != round(days.value):
        program.report(
            "ALVH507",
            days.span,
            f"`expiring` takes a date or a whole number of days, 0d or more; not {days.text}",
            "write the calendar days to the leg's expiry, such as `expiring 30d`",
        )


def _check_held(program: CheckContext, held: ast.Expr) -> None:
    """`held N`: calendar days before the test's day, whole and not negative (a value
    computed from params is checked on the test's day, testing/holdings.held_days)."""
    value = program.expressions.check(held, Where())
    if value.type.is_error:
        return
    if value.type.kind != "number" or not T.same_unit(value.type, DAYS):
        program.report(
            "ALVH509",
            held.span,
            f"`held` takes a number of days; this is {value.type.describe()}",
            "write the days the position has been held, such as `held 17d`",
        )
    elif value.const is not None and (value.const < 0 or value.const != round(value.const)):
        program.report(
            "ALVH509",
            held.span,
            f"a position is held a whole number of days, 0d or more; not {value.const:g}d",
        )


def _check_expect(program: CheckContext, statement: ast.ExpectState | ast.ExpectContracts) -> None:
    if isinstance(statement, ast.ExpectContracts) and statement.verb == "resizes":
        _expect_symbol(program, statement.rule, ("roll",), "roll")
        return
    if isinstance(statement, ast.ExpectContracts):
        _expect_symbol(program, statement.rule, ("entry", "layer"), "entry or layer")
        return
    symbol = _expect_symbol(program, statement.rule, tuple(STATES_BY_KIND), "rule")
    if symbol is None:
        return
    allowed = STATES_BY_KIND[symbol.kind]
    if statement.state not in allowed:
        program.report(
            "ALVH502",
            statement.span,
            f"{T.article(symbol.kind)} is never '{statement.state}'",
            f"{T.article(symbol.kind)} can be: {', '.join(allowed)}",
        )


def _text(expr: object) -> str:
    return str(getattr(expr, "text", "?"))


def _expect_symbol(
    program: CheckContext, name: ast.Identifier, kinds: tuple[str, ...], what: str
) -> Symbol | None:
    symbol = program.symbols.get(name.name)
    if symbol is None or symbol.kind not in kinds:
        candidates = [s.name for s in program.symbols.values() if s.kind in kinds]
        program.report(
            "ALVH501",
            name.span,
            f"no {what} named '{name.name}'",
            did_you_mean(name.name, candidates),
        )
        return None
    symbol.uses.append(name.span)
    return symbol


__all__ = ["INSTRUMENTS", "STATES_BY_KIND", "check_test_blocks"]
