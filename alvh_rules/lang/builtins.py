"""The registry of built-in functions and open structures: signatures, units, history needs.

Pure Python (no pandas): the checker reads it on the `alvh check` path, the interpreter
binds each name to its implementation in `alvh_rules.indicators`, and docs/language.md
prints its table from here, so the three cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

# What an argument must be:
#   series  a numeric expression (a market series, a let, arithmetic on them, or a scalar)
#   bool    a boolean expression (may be a series of booleans)
#   count   a constant whole number of bars: a bare number or N `d` (trading days)
#   number  a constant plain number
#   days    a number of days (`45d`), may vary (position.dte)
#   event   an event kind of the calendar (fomc, cpi, ppi, vix_expiry)
#   position  the name of an entry or layer (the position it opens)
ArgKind = Literal["series", "bool", "count", "number", "days", "event", "position"]

# How the result's unit follows from the arguments: the unit of the first argument,
# a fixed unit name from alvh_rules.lang.units.NAMED_UNITS, or the first argument's unit per day.
UnitRule = Literal["arg0", "arg0/d", "1", "%", "vp", "pt", "d", "bool"]


@dataclass(frozen=True, slots=True)
class Arg:
    name: str
    kind: ArgKind
    default: float | None = None


@dataclass(frozen=True, slots=True)
class Builtin:
    """A built-in function. `bars(counts)` is how many bars of its input one output needs,
    given the constant count arguments by name; a member of a record may need more."""

    name: str
    args: tuple[Arg, ...]
    unit: UnitRule
    description: str
    bars: Callable[[Mapping[str, float]], int] = lambda counts: 1
    members: Mapping[str, Callable[[Mapping[str, float]], int]] = field(default_factory=dict)
    # `bars` (and `members`) written as a formula for people: docs, hover. Tests check both
    # against the indicators' computed warm-up, so the two cannot drift apart.
    needs: str = "1"
    implicit_fields: tuple[str, ...] = ()  # market fields read besides the arguments

    @property
    def signature(self) -> str:
        parts = []
        for arg in self.args:
            default = "" if arg.default is None else f"={arg.default:g}"
            parts.append(f"{arg.name}: {arg.kind}{default}")
        return f"{self.name}({', '.join(parts)})"

    @property
    def is_record(self) -> bool:
        return bool(self.members)

    @property
    def returns_bool(self) -> bool:
        return self.unit == "bool"


def _n(counts: Mapping[str, float], name: str) -> int:
    return int(counts[name])


def _window(description: str, name: str, unit: UnitRule = "arg0") -> Builtin:
    return Builtin(
        name,
        (Arg("x", "series"), Arg("window", "count")),
        unit,
        description,
        bars=lambda c: _n(c, "window"),
        needs="window",
    )


BUILTINS: dict[str, Builtin] = {
    b.name: b
    for b in (
        Builtin(
            "sma",
            (Arg("x", "series"), Arg("n", "count")),
            "arg0",
            "simple moving average of the last n bars",
            bars=lambda c: _n(c, "n"),
            needs="n",
        ),
        Builtin(
            "ema",
            (Arg("x", "series"), Arg("n", "count")),
            "arg0",
            "exponential moving average, alpha 2/(n+1), seeded with the SMA of the first n bars",
            bars=lambda c: _n(c, "n"),
            needs="n",
        ),
        Builtin(
            "rsi",
            (Arg("x", "series"), Arg("n", "count", 14)),
            "1",
            "Wilder's relative strength index (0-100) over n changes",
            bars=lambda c: _n(c, "n") + 1,
            needs="n + 1",
        ),
        Builtin(
            "macd",
            (
                Arg("x", "series"),
                Arg("fast", "count", 12),
                Arg("slow", "count", 26),
                Arg("signal", "count", 9),
            ),
            "arg0",
            "MACD: pick a part with .macd, .signal or .hist (each EMA seeded with its own SMA)",
            members={
                "macd": lambda c: _n(c, "slow"),
                "signal": lambda c: _n(c, "slow") + _n(c, "signal") - 1,
                "hist": lambda c: _n(c, "slow") + _n(c, "signal") - 1,
            },
            needs=".macd: slow; .signal, .hist: slow + signal - 1",
        ),
        Builtin(
            "realized_vol",
            (Arg("x", "series"), Arg("n", "count", 20)),
            "vp",
            "close-to-close realized volatility of n returns, annualised (sqrt 252), in vol points",
            bars=lambda c: _n(c, "n") + 1,
            needs="n + 1",
        ),
        _window("highest value over the window (with a `d` window; else the larger of two)", "max"),
        _window("lowest value over the window (with a `d` window; else the smaller of two)", "min"),
        _window("median over the window", "median"),
        Builtin(
            "percentile",
            (Arg("x", "series"), Arg("window", "count"), Arg("p", "number")),
            "arg0",
            "the p-th percentile (0-100) over the window",
            bars=lambda c: _n(c, "window"),
            needs="window",
        ),
        _window("how many standard deviations today is from the window's mean", "zscore", "1"),
        Builtin(
            "count",
            (Arg("condition", "bool"), Arg("window", "count")),
            "1",
            "on how many of the window's bars the condition was true",
            bars=lambda c: _n(c, "window"),
            needs="window",
        ),
        Builtin(
            "crosses_above",
            (Arg("a", "series"), Arg("b", "series")),
            "bool",
            "a is above b today and was at or below it on the bar before",
            bars=lambda c: 2,
            needs="2",
        ),
        Builtin(
            "crosses_below",
            (Arg("a", "series"), Arg("b", "series")),
            "bool",
            "a is below b today and was at or above it on the bar before",
            bars=lambda c: 2,
            needs="2",
        ),
        Builtin(
            "rising",
            (Arg("x", "series"), Arg("n", "count", 1)),
            "bool",
            "today's value is above each of the previous n values",
            bars=lambda c: _n(c, "n") + 1,
            needs="n + 1",
        ),
        Builtin(
            "falling",
            (Arg("x", "series"), Arg("n", "count", 1)),
            "bool",
            "today's value is below each of the previous n values",
            bars=lambda c: _n(c, "n") + 1,
            needs="n + 1",
        ),
        Builtin(
            "distance_from_ma",
            (Arg("x", "series"), Arg("n", "count")),
            "%",
            "(x - sma(x, n)) / sma(x, n), as a percent",
            bars=lambda c: _n(c, "n"),
            needs="n",
        ),
        Builtin(
            "slope",
            (Arg("x", "series"), Arg("n", "count")),
            "arg0/d",
            "least-squares slope over the last n bars, per trading day",
            bars=lambda c: _n(c, "n"),
            needs="n",
        ),
        Builtin(
            "change",
            (Arg("x", "series"), Arg("n", "count", 1)),
            "arg0",
            "x minus its value n bars ago",
            bars=lambda c: _n(c, "n") + 1,
            needs="n + 1",
        ),
        Builtin(
            "pct_change",
            (Arg("x", "series"), Arg("n", "count", 1)),
            "%",
            "relative change of x over n bars, as a percent",
            bars=lambda c: _n(c, "n") + 1,
            needs="n + 1",
        ),
        Builtin("abs", (Arg("x", "series"),), "arg0", "absolute value"),
        Builtin(
            "expected_move",
            (Arg("days", "days"),),
            "pt",
            "one-standard-deviation SPX move over the days: spx * vix/100 * sqrt(days/365)",
            implicit_fields=("spx", "vix"),
            needs="1 (spx, vix)",
        ),
        Builtin(
            "held",
            (Arg("rule", "position"),),
            "bool",
            "whether the portfolio holds a position opened by that entry or layer (never"
            " unknown: false when none is open)",
            needs="none (the portfolio)",
        ),
        Builtin(
            "known",
            (Arg("x", "series"),),
            "bool",
            "whether x has a value today (never unknown): `if known(roa) then roa else proxy`"
            " falls back to a proxy where an input is missing, and says so in the reasons",
        ),
        Builtin(
            "days_to",
            (Arg("event", "event"),),
            "d",
            "trading days until the next event of the kind (0 on the event day)",
            needs="calendar",
        ),
        Builtin(
            "days_since",
            (Arg("event", "event"),),
            "d",
            "trading days since the last event of the kind (0 on the event day)",
            needs="calendar",
        ),
    )
}

# Functions whose second argument decides between a window (a `d` duration) and a pairwise value.
PAIRWISE_WHEN_NOT_WINDOW = frozenset({"max", "min"})


Underlying = Literal["SPX", "VIX", "VX"]


@dataclass(frozen=True, slots=True)
class Structure:
    """What `open` can build: its underlying, the arguments it takes and those it needs."""

    name: str
    underlying: Underlying
    args: tuple[str, ...]
    required: tuple[str, ...]
    description: str
    one_of: tuple[tuple[str, ...], ...] = ()  # groups of which exactly one must be given

    @property
    def takes_side(self) -> bool:
        """Whether `long`/`short` may be written: VIX structures and single SPX legs."""
        return self.underlying != "SPX" or self.name in SINGLE_LEGS


SINGLE_LEGS = ("put", "call")


STRUCTURES: dict[str, Structure] = {
    s.name: s
    for s in (
        Structure(
            "iron_condor",
            "SPX",
            ("dte", "delta", "wings", "wing_delta", "outside", "contracts"),
            ("dte", "delta"),
            "short OTM put and call at the given delta (each at least `outside` points from "
            "spot when given; at 50delta both at the 50-delta call's strike: an iron "
            "butterfly), long wings `wings` further out (points, or a percent of SPX: "
            "`wings 5%`) or at `wing_delta`",
            one_of=(("wings", "wing_delta"),),
        ),
        Structure(
            "put",
            "SPX",
            ("dte", "delta", "strike", "contracts"),
            ("dte",),
            "one SPX put (long unless written `short`) at the given delta or strike (atm - 100)",
            one_of=(("delta", "strike"),),
        ),
        Structure(
            "call",
            "SPX",
            ("dte", "delta", "strike", "contracts"),
            ("dte",),
            "one SPX call (long unless written `short`) at the given delta or strike (atm + 100)",
            one_of=(("delta", "strike"),),
        ),
        Structure(
            "short_strangle",
            "SPX",
            ("dte", "delta", "outside", "contracts"),
            ("dte", "delta"),
            "short OTM put and call at the given delta (each at least `outside` points from "
            "spot when given; at 50delta both at the 50-delta call's strike: a straddle)",
        ),
        Structure(
            "short_straddle",
            "SPX",
            ("dte", "contracts"),
            ("dte",),
            "short ATM put and call",
        ),
        Structure(
            "put_spread",
            "SPX",
            ("dte", "delta", "width", "contracts"),
            ("dte", "delta", "width"),
            "short put at the given delta, long put `width` points lower",
        ),
        Structure(
            "call_spread",
            "SPX",
            ("dte", "delta", "width", "contracts"),
            ("dte", "delta", "width"),
            "short call at the given delta, long call `width` points higher",
        ),
        Structure(
            "vix_call",
            "VIX",
            ("dte", "strike", "contracts"),
            ("dte", "strike"),
            "VIX call (long unless written `short`), strike in vol points (atm + 5)",
        ),
        Structure(
            "vix_call_spread",
            "VIX",
            ("dte", "strike", "width", "contracts"),
            ("dte", "strike", "width"),
            "long VIX call at the strike, short VIX call `width` vol points higher",
        ),
        Structure(
            "vix_future",
            "VX",
            ("dte", "contracts"),
            ("dte",),
            "VIX future of the monthly expiry nearest the given days",
        ),
    )
}

# The unit each `open` argument takes; strike and width follow the underlying.
OPEN_ARG_UNITS: dict[str, str] = {
    "dte": "d",
    "delta": "delta",
    "wing_delta": "delta",
    "wings": "pt",
    "outside": "pt",
    "contracts": "1",
}

# The most calendar days to a listed expiry on any day (alvh_rules.market.expiries, whose
# tests hold these equal): a constant `dte` beyond it is never served. VIX: six monthly
# expiries listed, the widest span in 2004-05, when VX futures listed some months only.
MAX_LISTED_DTE: dict[Underlying, int] = {"SPX": 366, "VIX": 280, "VX": 280}
UNDERLYING_PRICE_UNIT: dict[Underlying, str] = {"SPX": "pt", "VIX": "vp", "VX": "vp"}

# Units of the amount of each sizing mode.
SIZE_MODE_UNITS: dict[str, str] = {"risk": "$", "vega": "$/vp", "contracts": "1"}
# A percent written where a sizing amount goes (`size risk 1%`) is a share of what it sizes by.
SIZE_SHARE_HINTS: dict[str, str] = {
    "risk": "a share of what? size risk 1% of capital",
    "vega": "a share of what? size vega 50% of -base_condor.vega",
}

# Parts of a limit readable by member access (`max_short_vega.bound`).
LIMIT_MEMBERS: dict[str, str] = {
    "bound": "the threshold side of the limit's comparison",
    "margin": "how far the limit is from breaching (bound minus value, signed so positive is safe)",
}
