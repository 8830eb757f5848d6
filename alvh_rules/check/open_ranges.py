"""Constant `open`, `size contracts` and `roll forward` values no position can be built
from, and a constant `dte` past every listed expiry.

A negative wing puts the long strikes inside the shorts, a 55-delta condor crosses its short
strikes, `dte 0d` opens an option that has expired by the close the rules run at, and
`contracts 0` opens nothing: each would evaluate without complaint to something else than
the trader meant, so a constant (a literal, a param's default or upper bound, or each arm
of a choice of those) outside its range is an error here. The same ranges judge the values
computed on the day (`unbuildable`, asked by eval/positions before it builds anything): such
a day opens nothing, with a note in these words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from alvh_rules.check.types import article
from alvh_rules.lang import builtins

if TYPE_CHECKING:
    from alvh_rules.check.context import CheckContext
    from alvh_rules.check.types import Type
    from alvh_rules.lang.diagnostics import Span
    from alvh_rules.lang.units import Unit
    from alvh_rules.syntax import ast

# Structures whose two short strikes sit on either side of the money: above 50 delta the
# short put's strike is above the short call's. At 50 delta both sell the money: a condor
# is then an iron butterfly (Cboe's BFLY), a strangle a straddle, both meant by traders.
TWO_SIDED = frozenset({"iron_condor", "short_strangle"})


# `open` arguments that may be written as a share of the day's SPX instead of in points
# (`wings 5%`, Cboe BFLY's "long call and put 5% out of the money"), and the hint of the
# error when another unit is written there.
SHARES_OF_SPOT = frozenset({"wings"})
SHARE_HINTS = {
    "wings": "write the wings in SPX points (wings 25pt) or as a share of SPX (wings 5%)"
}


def share_of_spot(name: str, unit: Unit | None) -> bool:
    """Whether `name` is written as a share of the day's SPX (a percent) rather than in points."""
    return name in SHARES_OF_SPOT and unit is not None and unit.percent


def percent_args(spec: ast.OpenSpec, types: Mapping[int, Type]) -> frozenset[str]:
    """The arguments of a checked `open` clause written as a share of SPX (read from the
    checker's node types): the interpreter reads them in points of the day's SPX."""
    return frozenset(
        arg.name
        for arg in spec.args
        if id(arg.value) in types and share_of_spot(arg.name, types[id(arg.value)].unit)
    )


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


def _share_of_spot(value: float) -> str | None:
    """`wings 5%`: a share of the day's SPX, above 0% and below 100% (a long put at or
    below a strike of 0 is no listed option)."""
    if not value > 0:
        return "the long strike sits that far beyond the short one: above 0%"
    if value >= 1:
        return "wings of 100% of SPX or more put the long put at a strike of 0 or less"
    return None


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


def arg_unit(name: str, underlying: builtins.Underlying, *, percent: bool = False) -> str:
    """The unit an `open` argument is written in ("" for a plain count): `percent` for
    wings written as a share of spot (`wings 5%`)."""
    if percent:
        return "%"
    unit = builtins.OPEN_ARG_UNITS.get(name) or builtins.UNDERLYING_PRICE_UNIT[underlying]
    return "" if unit == "1" else unit


def arg_problem(name: str, value: float, unit: str) -> str | None:
    """Why no structure can be built from `name value` (in `unit`), or None: the one range
    of each argument, for constants here and for values computed on the day in eval."""
    if unit == "%":
        return _share_of_spot(value)
    check = _positive(unit) if name == "width" else RANGES.get(name)
    return None if check is None else check(value)


def shown(name: str, value: float, unit: str) -> str:
    """`name value` as a ruleset writes it (a percent in percent, not its base fraction)."""
    return f"{value * 100:g}%" if unit == "%" else f"{value:g}{unit}"


def crossed_delta(structure: str, delta: float) -> tuple[str, str] | None:
    """A two-sided structure above 50delta: its short put above its short call."""
    if structure in TWO_SIDED and 50 < delta < 100:
        return (
            f"`delta {delta:g}delta` puts the short put above the short call",
            f"{article(structure)} sells out-of-the-money options, at most 50delta "
            "(at 50delta both short legs sell the money: an iron butterfly or a straddle)",
        )
    return None


def fly_outside(structure: str, delta: float, outside: float) -> tuple[str, str] | None:
    """A two-sided structure at 50delta (one short strike, at the money) told to keep its
    shorts `outside` points from spot: the two cannot both hold."""
    if structure in TWO_SIDED and delta == 50 and outside > 0:
        return (
            f"`outside {outside:g}pt` moves the one short strike of a 50delta {structure} apart",
            "at 50delta both short legs sell the money (an iron butterfly or a straddle); "
            "for shorts away from spot write a delta below 50delta",
        )
    return None


def wings_inside(delta: float, wing_delta: float) -> tuple[str, str] | None:
    """Wings by delta no further out than the short strikes."""
    if 0 < delta <= wing_delta < 100:
        return (
            f"`wing_delta {wing_delta:g}delta` is not further out than `delta {delta:g}delta`",
            "the long wings have the smaller delta, as in delta 16delta wing_delta 5delta",
        )
    return None


def unbuildable(
    structure: str, args: Mapping[str, float], written: Mapping[str, str] | None = None
) -> str | None:
    """Why `open STRUCTURE` with these argument values (a day's, in the language's units:
    days, delta points, SPX points) builds nothing, in the checker's words, or None. The
    interpreter asks it of values computed on the day; `written` is the source text of the
    arguments not written as a number (`delta short_delta`), so the note names it."""
    underlying = builtins.STRUCTURES[structure].underlying
    written = written or {}
    for name, value in args.items():
        unit = arg_unit(name, underlying)
        problem = arg_problem(name, value, unit)
        if problem is None:
            continue
        if name in written:
            return (
                f"`{name} {written[name]}` is {shown(name, value, unit)}, which cannot be "
                f"opened: {problem}"
            )
        return f"`{name} {shown(name, value, unit)}` cannot be opened: {problem}"
    pair = crossed_delta(structure, args.get("delta", 0.0))
    if pair is None and "wing_delta" in args and "delta" in args:
        pair = wings_inside(args["delta"], args["wing_delta"])
    if pair is None and "outside" in args and "delta" in args:
        pair = fly_outside(structure, args["delta"], args["outside"])
    if pair is None:
        return None
    sources = [
        f"`{name}` is `{written[name]}`"
        for name in ("delta", "wing_delta", "outside")
        if name in written
    ]
    return f"{pair[0]}: {pair[1]}" + (f" ({', '.join(sources)})" if sources else "")


def check_open_constants(
    program: CheckContext,
    structure: str,
    underlying: builtins.Underlying,
    given: dict[str, tuple[list[float], Span]],
    *,
    percent: frozenset[str] = frozenset(),
) -> None:
    """Report each constant argument of `open STRUCTURE` outside the range it can be built
    from; `given` maps an argument's name to the values it can take (one, or one per arm
    of a choice by regime) and its span; the names in `percent` are written in `%`."""
    for name, (values, span) in given.items():
        unit = arg_unit(name, underlying, percent=name in percent)
        found = [(value, arg_problem(name, value, unit)) for value in values]
        bad = [(value, problem) for value, problem in found if problem is not None]
        if bad:
            value, problem = bad[0]
            program.report(
                "ALVH213", span, f"`{name} {shown(name, value, unit)}` cannot be opened", problem
            )
    deltas, wings = given.get("delta", ([], None))[0], given.get("wing_delta", ([], None))[0]
    crossed = [pair for pair in (crossed_delta(structure, d) for d in deltas) if pair]
    if crossed:
        program.report("ALVH213", given["delta"][1], *crossed[0])
    inside = wings_inside(deltas[0], wings[0]) if len(deltas) == 1 and len(wings) == 1 else None
    if inside is not None:
        program.report("ALVH213", given["wing_delta"][1], *inside)
    outsides = given.get("outside", ([], None))[0]
    fly = [
        pair
        for delta in deltas
        for outside in outsides
        if (pair := fly_outside(structure, delta, outside)) is not None
    ]
    if fly:
        program.report("ALVH213", given["outside"][1], *fly[0])


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
