"""The positions the simulation holds and their marks: each held position with the rule that
opened it, its last mark (value and dollar Greeks) and whether that mark was carried forward
because the position could not be valued today.

Marks are modelled prices (the Greeks core on the day's close), not traded quotes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alvh_rules.greeks.context import ValuationContext
from alvh_rules.greeks.figures import remember_table
from alvh_rules.greeks.legs import Leg, Position
from alvh_rules.greeks.scenario_values import remember_values
from alvh_rules.greeks.valuation import Scenario, leg_table, leg_tables

GREEKS = ("delta", "gamma", "vega", "theta")
FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass
class Mark:
    """A position's value ($; a future's open P&L) and dollar Greeks on a close."""

    value: float = 0.0
    delta: float = 0.0
    gamma: float = 0.0
    vega: float = 0.0
    theta: float = 0.0


@dataclass
class Holding:
    """One position held: its legs, the rule that opened it, the margin fixed at its
    opening (defined risk: its maximum loss; None for undefined risk) and its last mark."""

    position: Position
    rule: str
    kind: str  # the opening rule's kind: entry or layer
    opened: dt.date
    reserve: float | None
    mark: Mark = field(default_factory=Mark)
    carried: bool = False  # the mark is an earlier day's (the position could not be valued)
    cash: float = 0.0  # its cash flows so far, fees included (its P&L once closed)
    credit: float = 0.0  # premium received at its opening (0 for a debit)
    last_requirement: float = 0.0  # undefined risk: the margin of the last close it was priced

    @property
    def name(self) -> str:
        return self.position.name


def leg_marks(legs: Sequence[Leg], ctx: ValuationContext) -> dict[str, FloatArray] | None:
    """Each leg's dollar figures on `ctx`; None when any leg cannot be valued."""
    try:
        table = leg_table(legs, ctx, Scenario())
    except ValueError:  # a VIX leg on a day without the futures curve or VVIX
        return None
    if not all(np.isfinite(table[name]).all() for name in ("value", *GREEKS)):
        return None
    return table


def mark_of(holding: Holding, ctx: Any) -> Mark | None:
    """The holding's mark on `ctx`; None when it cannot be valued (the caller carries it)."""
    if isinstance(ctx, str):
        return None
    table = leg_marks(holding.position.legs, ctx)
    if table is None:
        return None
    return Mark(**{name: float(table[name].sum()) for name in ("value", *GREEKS)})


def marks_of(
    holdings: Sequence[Holding], ctx: Any, stress: Scenario | None = None
) -> list[Mark | None]:
    """`mark_of` of each holding, their legs valued in one call (the Greeks core values legs
    one by one, so each mark is the one valued alone; per holding again when some leg of the
    day cannot be valued at all). With `stress` (the scenario of the held positions'
    projected payoff, when the ruleset reads it), the same call values the legs under it
    too (`leg_tables`), kept for the held figures."""
    if isinstance(ctx, str) or not holdings:
        return [None] * len(holdings)
    legs = [leg for holding in holdings for leg in holding.position.legs]
    positions = [holding.position for holding in holdings]
    try:
        if stress is None:
            table = leg_table(legs, ctx, Scenario())
        else:
            table, stressed = leg_tables(legs, ctx, [Scenario(), stress])
            remember_values(positions, ctx, stress, stressed["value"])
    except ValueError:  # a VIX leg on a day without the futures curve or VVIX
        return [mark_of(holding, ctx) for holding in holdings]
    remember_table(positions, ctx, table)  # held figures
    marks: list[Mark | None] = []
    start = 0
    for holding in holdings:
        stop = start + len(holding.position.legs)
        part = {name: table[name][start:stop] for name in ("value", *GREEKS)}
        start = stop
        finite = all(np.isfinite(column).all() for column in part.values())
        marks.append(Mark(**{n: float(c.sum()) for n, c in part.items()}) if finite else None)
    return marks


def mid_prices(legs: Sequence[Leg], ctx: Any) -> list[float] | None:
    """Per unit of underlying, each leg's model mid: an option's price, a future's level."""
    if isinstance(ctx, str):
        return None
    table = leg_marks(legs, ctx)
    if table is None:
        return None
    mids = []
    for leg, value in zip(legs, table["value"], strict=True):
        per_unit = float(value) / leg.units
        mids.append(per_unit if leg.is_option else per_unit + leg.entry_price)
    return mids


def leg_cash(leg: Leg, price: float) -> float:
    """Cash of trading `leg` at `price` (an option's premium; a future trades without cash)."""
    return -price * leg.units if leg.is_option else 0.0


def closing_cash(leg: Leg, price: float) -> float:
    """Cash of closing `leg` at `price` (a future pays its gain since entry); never -0.0."""
    cash = price * leg.units if leg.is_option else (price - leg.entry_price) * leg.units
    return cash + 0.0


def finite_or(value: float, default: float) -> float:
    return value if math.isfinite(value) else default
