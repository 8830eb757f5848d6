"""Units of measure: the algebra the checker enforces and the scales the interpreter applies.

A unit is a vector of integer exponents over five base dimensions (dollars, SPX index
points, volatility points, calendar days, delta points) plus two flags for dimensionless
numbers: fractions written in percent or basis points, and ratios written with `x` (a P/CF
of 12x). Values are always stored in base units: `5%` is 0.05, `400bp` is 0.04, `45d` is
45.0, `-180$/vp` is -180.0, `12x` is 12.0.

This module also owns which units a bare number (`12`) may take from what it meets, and
the fix-it text when it may not (`bare_number_fix`).
"""

from __future__ import annotations

from dataclasses import dataclass

# Order of the exponent vector. Names are the literal suffixes a trader writes.
BASE_DIMENSIONS: tuple[str, ...] = ("$", "pt", "vp", "d", "delta")


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit: exponents over BASE_DIMENSIONS; `percent` marks a fraction (%, bp), `ratio`
    a multiple written with `x`. Both flags only live on dimensionless units."""

    exponents: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    percent: bool = False
    ratio: bool = False

    @property
    def is_dimensionless(self) -> bool:
        return not any(self.exponents)

    def __mul__(self, other: Unit) -> Unit:
        exps = _add(self.exponents, other.exponents)
        # "a percent of X is X": a percentage scales a quantity and disappears,
        # except when both sides are dimensionless (50% of 10% is 5%). A ratio works alike,
        # and a ratio of a percent is a percent (1.5x of 10% is 15%).
        percent = (self.percent or other.percent) and not any(exps)
        ratio = (self.ratio or other.ratio) and not any(exps) and not percent
        return Unit(exps, percent, ratio)

    def __truediv__(self, other: Unit) -> Unit:
        exps = _add(self.exponents, tuple(-e for e in other.exponents))
        # A ratio of like quantities is a plain number; a percent over a number stays a percent.
        percent = self.percent and not other.percent and not any(exps)
        ratio = self.ratio and not other.ratio and not any(exps) and not percent
        return Unit(exps, percent, ratio)

    def __str__(self) -> str:
        return format_unit(self)


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, int, int, int, int]:
    s = tuple(x + y for x, y in zip(a, b, strict=True))
    return (s[0], s[1], s[2], s[3], s[4])


def _dims(**powers: int) -> Unit:
    names = {"usd": 0, "pt": 1, "vp": 2, "day": 3, "delta": 4}
    exps = [0] * 5
    for name, power in powers.items():
        exps[names[name]] = power
    return Unit((exps[0], exps[1], exps[2], exps[3], exps[4]))


NUMBER = Unit()
PERCENT = Unit(percent=True)
RATIO = Unit(ratio=True)
DOLLARS = _dims(usd=1)
POINTS = _dims(pt=1)
VOL_POINTS = _dims(vp=1)
DAYS = _dims(day=1)
DELTA_POINTS = _dims(delta=1)
DOLLARS_PER_POINT = _dims(usd=1, pt=-1)
DOLLARS_PER_VOL_POINT = _dims(usd=1, vp=-1)
DOLLARS_PER_DAY = _dims(usd=1, day=-1)
DOLLARS_PER_POINT_SQUARED = _dims(usd=1, pt=-2)
DOLLARS_PER_POINT_PER_VOL_POINT = _dims(usd=1, pt=-1, vp=-1)
DOLLARS_PER_VOL_POINT_SQUARED = _dims(usd=1, vp=-2)


@dataclass(frozen=True, slots=True)
class Suffix:
    """A unit suffix as written after a number literal, with its scale to base units."""

    text: str
    unit: Unit
    scale: float
    meaning: str


# Every suffix the language accepts on a number literal (`45d`, `400bp`, `-180$/vp`).
SUFFIXES: dict[str, Suffix] = {
    s.text: s
    for s in (
        Suffix("%", PERCENT, 0.01, "percent: a fraction, 5% is 0.05"),
        Suffix("bp", PERCENT, 0.0001, "basis points: 400bp is 4%"),
        Suffix("x", RATIO, 1.0, "a ratio or multiple, such as a P/CF of 12x"),
        Suffix("$", DOLLARS, 1.0, "US dollars"),
        Suffix("pt", POINTS, 1.0, "SPX index points"),
        Suffix("vp", VOL_POINTS, 1.0, "volatility points: VIX 20 is 20vp, an IV of 20%"),
        Suffix("d", DAYS, 1.0, "days (calendar days for expiries, trading days for windows)"),
        Suffix("delta", DELTA_POINTS, 1.0, "delta points: a 16-delta put is 16delta"),
        Suffix("$/pt", DOLLARS_PER_POINT, 1.0, "dollars per SPX point (dollar delta)"),
        Suffix("$/vp", DOLLARS_PER_VOL_POINT, 1.0, "dollars per volatility point (dollar vega)"),
        Suffix("$/d", DOLLARS_PER_DAY, 1.0, "dollars per calendar day (dollar theta)"),
    )
}

# Names of units used in the catalogue of fields and built-ins, beyond the suffixes.
NAMED_UNITS: dict[str, Unit] = {
    "1": NUMBER,
    "%": PERCENT,
    "x": RATIO,
    "$": DOLLARS,
    "pt": POINTS,
    "vp": VOL_POINTS,
    "d": DAYS,
    "delta": DELTA_POINTS,
    "$/pt": DOLLARS_PER_POINT,
    "$/vp": DOLLARS_PER_VOL_POINT,
    "$/d": DOLLARS_PER_DAY,
    "$/pt^2": DOLLARS_PER_POINT_SQUARED,
    "$/pt/vp": DOLLARS_PER_POINT_PER_VOL_POINT,
    "$/vp^2": DOLLARS_PER_VOL_POINT_SQUARED,
}


def parse_unit(text: str) -> Unit:
    """The unit named by `text` (a key of NAMED_UNITS); KeyError names the bad text."""
    try:
        return NAMED_UNITS[text]
    except KeyError:
        raise KeyError(f"unknown unit {text!r}; known units: {', '.join(NAMED_UNITS)}") from None


def format_unit(unit: Unit) -> str:
    """Human spelling of a unit: `$/vp`, `%`, `1` for a plain number, `$*d/vp` for odd products."""
    for name, known in NAMED_UNITS.items():
        if known == unit:
            return name
    numerator: list[str] = []
    denominator: list[str] = []
    for name, power in zip(BASE_DIMENSIONS, unit.exponents, strict=True):
        if power > 0:
            numerator.append(name if power == 1 else f"{name}^{power}")
        elif power < 0:
            denominator.append(name if power == -1 else f"{name}^{-power}")
    top = "*".join(numerator) or "1"
    return top + "".join(f"/{d}" for d in denominator)


def is_plain(unit: Unit) -> bool:
    """A number without scale or dimension: a plain number or a ratio (`12x` is 12.0)."""
    return not any(unit.exponents) and not unit.percent


def compatible(a: Unit, b: Unit) -> bool:
    """Whether two units may be added or compared: equal, or both plain (a ratio computed
    as `vvix / vix` is a plain number and meets a ratio field such as `vvix_vix_ratio`)."""
    return a == b or (is_plain(a) and is_plain(b))


def may_take(unit: Unit) -> bool:
    """Whether a bare number may take `unit` from what it meets (docs/language.md, "Bare
    numbers"). Never a percent or basis points (12 could be 12% or 1200%), a ratio, or
    anything in dollars (money): those must be written out. Days, delta points, SPX points,
    vol points and plain numbers have no second reading, so `dte 45`, `vix > 30` stay."""
    return not (unit.percent or unit.ratio or unit.exponents[0] != 0)


def bare_number_fix(value: float | None, unit: Unit) -> str:
    """The literals a bare `value` could have meant in `unit`: "12% or 0.12%", "1000$"."""
    if value is None:
        return f"a number with its unit, such as {_example(unit)}"
    if unit.percent:
        other = value * 100 if abs(value) <= 1 else value / 100
        return f"{_written(value)}% or {_written(other)}%"
    return f"{_written(value)}{_suffix_text(unit)}"


def _written(value: float) -> str:
    """A number as a trader writes it: 1000000, not the 1e+06 of `:g`; 0.12, not 0.12000001."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.12g}"


def _suffix_text(unit: Unit) -> str:
    for suffix in SUFFIXES.values():
        if suffix.unit == unit:
            return suffix.text
    return format_unit(unit)


def _example(unit: Unit) -> str:
    return "12%" if unit.percent else f"1{_suffix_text(unit)}"
