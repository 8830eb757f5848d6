"""The checker's types: what an expression is (number with a unit, bool, regime, ...).

A number's unit is None when it is an untyped literal (a bare `30`): such a number
takes the unit of whatever it meets, like an untyped constant in Go, but only a unit
that `units.may_take` allows (never a percent, ratio or money). `series` marks values
that have a history (market fields and what is computed from them).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from alvh_rules.lang.units import NUMBER, SUFFIXES, Unit, compatible, format_unit, parse_unit

TypeKind = Literal[
    "number", "bool", "regime", "event", "position", "string", "record", "limit", "error"
]


@dataclass(frozen=True, slots=True)
class Type:
    kind: TypeKind
    unit: Unit | None = None
    series: bool = False
    record_of: str = ""  # for records: the built-in that made them (macd)

    @property
    def is_error(self) -> bool:
        return self.kind == "error"

    @property
    def is_untyped_number(self) -> bool:
        return self.kind == "number" and self.unit is None

    def with_series(self, series: bool) -> Type:
        return Type(self.kind, self.unit, series, self.record_of)

    def describe(self) -> str:
        if self.kind == "number":
            if self.unit is None or self.unit == NUMBER:
                return "a plain number"
            if self.unit.percent:
                return "a percent"
            if self.unit.ratio:
                return "a ratio (x)"
            named = _UNIT_NAMES.get(format_unit(self.unit))
            return f"a number in {named}" if named else f"a number in {format_unit(self.unit)}"
        return {
            "bool": "a condition (true or false)",
            "regime": "a regime",
            "event": "a calendar event kind",
            "position": "a position",
            "string": "a string",
            "record": f"the parts of {self.record_of}()",
            "limit": "a limit",
            "error": "an invalid value",
        }[self.kind]


# Words for the common units in messages; others are shown as written (`$/vp`).
_UNIT_NAMES = {
    "pt": "SPX points (pt)",
    "vp": "vol points (vp)",
    "d": "days (d)",
    "delta": "delta points",
}

ERROR = Type("error")
BOOL = Type("bool")
REGIME = Type("regime")
UNTYPED = Type("number", None)


def number(unit: Unit | None, series: bool = False) -> Type:
    return Type("number", unit, series)


def article(word: str) -> str:
    """`word` with "a" or "an" before it."""
    return f"{'an' if word.lstrip('`')[:1] in 'aeiou' else 'a'} {word}"


def same_unit(a: Type, b: Type) -> bool:
    """Whether two numbers may be added or compared: compatible units, or one untyped (the
    checker refuses separately a bare number that would take a unit it may not)."""
    return a.unit is None or b.unit is None or compatible(a.unit, b.unit)


def joined_unit(a: Type, b: Type) -> Unit | None:
    """The unit of a sum or choice of two compatible numbers (a ratio over a plain number)."""
    if a.unit is None or (b.unit is not None and b.unit.ratio):
        return b.unit
    return a.unit


@functools.cache
def literal_type(suffix: str) -> Type:
    """The type of a number literal with this unit suffix ("" for none)."""
    if not suffix:
        return number(None)
    return number(parse_unit(format_unit(SUFFIXES[suffix].unit)))
