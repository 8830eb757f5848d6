"""Constant `open`, `size contracts` and `roll forward` values no position can be built
from, and a constant `dte` past every listed expiry.

A negative wing puts the long strikes inside the shorts, a 50-delta condor crosses its short
strikes, `dte 0d` opens an option that has expired by the close the rules run at, and
`contracts 0` opens nothing: each would evaluate without complaint to something else than
the trader meant, so a constant (a literal, a param's default or upper bound, or each arm
of a choice of those) outside its range is an error here. Values computed on the day are
refused where the day's builder can tell (eval/positions.check_widths, the delta solve).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from alvh_rules.lang import builtins

if TYPE_CHECKING:
    from alvh_rules.check.context import CheckContext
    from alvh_rules.lang.diagnostics import Span
    from alvh_rules.syntax import ast

# Structures whose two short strikes sit on either side of the money: above 50 delta the
# short put's strike is above the short call's. At 50 delta both sell the money: a condor
# is then an iron butterfly (Cboe's BFLY), a strangle a straddle, both meant by traders.
TWO_SIDED = frozenset({"iron_condor", "short_strangle"})


def _delta(value: float) -> str | None:
    if value < 0:
        return "a delta is written by its size: a 16-delta put is 16delta, not -16delta"
    if not 0 < value < 100:
        return "a delta lies strictly between 0delta and 100delta"
    return None


def _positive(unit: str) -> Callable[[float], str | None]:
    def check(value: float) -> str | None:
        if value > 0:
            return None
        return f"the long strike sits that far beyond the short one: above 0{unit}"

    return check


def _at_least_one_day(value: float) -> str | None:
    if value < 1:
        return "rules run at the close, when an option expiring today has expired: 1d at least"
    return None


def _contracts(value: float) -> str | None:
    if value < 1 or value != int(value):
        return "a count of contracts is a whole number of 1 or more"
    return None


def _not_negative(value: float) -> str | None:
    return None if value >= 0 else "a distance from spot cannot be negative"


RANGES: dict[str, Callable[[float], str | None]] = {
    "dte": _at_least_one_day,
    "delta": _delta,
    "wing_delta": _delta,
    "wings": _positive("pt"),
    "outside": _not_negative,
    "contracts": _contracts,
}


def check_open_constants(
    program: CheckContext,
    structure: str,
    underlying: builtins.Underlying,
    given: dict[str, tuple[list[float], Span]],
) -> None:
    """Report each constant argument of `open STRUCTURE` outside the range it can be built
    from; `given` maps an argument's name to the values it can take (one, or one per arm
    of a choice by regime) and its span."""
    for name, (values, span) in given.items():
        unit = builtins.OPEN_ARG_UNITS.get(name) or builtins.UNDERLYING_PRICE_UNIT[underlying]
        unit = "" if unit == "1" else unit
        check = _positive(unit) if name == "width" else RANGES.get(name)
        found = [(value, check(value)) for value in values] if check is not None else []
        bad = [(value, problem) for value, problem in found if problem is not None]
        if bad:
            value, problem = bad[0]
            program.report("ALVH213", span, f"`{name} {value:g}{unit}` cannot be opened", problem)
    deltas, wings = given.get("delta", ([], None))[0], given.get("wing_delta", ([], None))[0]
    crossed = [d for d in deltas if 50 < d < 100]
    if structure in TWO_SIDED and crossed:
        program.report(
            "ALVH213",
            given["delta"][1],
            f"`delta {crossed[0]:g}delta` puts the short put above the short call",
            f"an {structure} sells out-of-the-money options, at most 50delta "
            "(at 50delta both short legs sell the money: an iron butterfly or a straddle)",
        )
    if len(deltas) == 1 and len(wings) == 1 and 0 < deltas[0] <= wings[0] < 100:
        program.report(
            "ALVH213",
            given["wing_delta"][1],
            f"`wing_delta {wings[0]:g}delta` is not further out than `delta {deltas[0]:g}delta`",
            "the long wings have the smaller delta, as in delta 16delta wing_delta 5delta",
        )


def check_size_contracts(program: CheckContext, value: float, span: Span) -> None:
    """`size contracts N` with a constant N: a whole number of 1 or more."""
    problem = _contracts(value)
    if problem is not None:
        program.report("ALVH213", span, f"`size contracts {value:g}` cannot be opened", problem)


def check_roll_forward(program: CheckContext, value: float, span: Span) -> None:
    """`roll forward N` with a constant N: a later expiry, so 1d or more."""
    if value < 1:
        program.report(
            "ALVH214",
            span,
            f"`roll forward {value:g}d` does not move to a later expiry",
            "roll forward by the days to add to the current expiry, as in roll forward 30d",
        )


def check_listed_dte(
    program: CheckContext, structure: builtins.Structure, arg: ast.OpenArg, const: float | None
) -> None:
    """A constant `dte` past every listed expiry is an error here, not unknown later."""
    most = builtins.MAX_LISTED_DTE[structure.underlying]
    if const is not None and const > most:
        program.report(
            "ALVH213",
            arg.value.span,
            f"`dte {const:g}d` is beyond every listed {structure.underlying} expiry",
            f"{structure.underlying} expiries are listed at most {most} days out",
        )
