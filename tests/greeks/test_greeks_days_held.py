"""`days_held` of the Greeks core: calendar days since a position's `opened` date, counted
as `dte` counts to its expiry (so the two add up to the days from opening to the nearest
expiry, whatever day it is valued on), the youngest of a group, NaN without a date."""

from __future__ import annotations

import math
from datetime import date, timedelta

from flat_market import flat_context
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.greeks import Leg, Portfolio, Position
from alvh_rules.greeks.figures import group_fields, portfolio_fields, position_fields

START = date(2025, 1, 2)


def _spread(name: str, opened: date | None, expiry: date) -> Position:
    legs = tuple(
        Leg(instrument="SPX", right="p", strike=k, expiry=expiry, quantity=q, entry_price=p)
        for k, q, p in ((4800.0, 1, 10.0), (4850.0, -1, 14.0))
    )
    return Position(name=name, legs=legs, opened=opened)


@settings(max_examples=60, deadline=None)
@given(
    held=st.integers(0, 120),
    left=st.integers(0, 120),
)
def test_days_held_and_dte_add_up_to_the_days_from_opening_to_expiry(held: int, left: int) -> None:
    as_of = START + timedelta(days=held)
    opened, expiry = START, as_of + timedelta(days=left)
    figures = position_fields(_spread("p", opened, expiry), flat_context(as_of))
    assert figures["days_held"] == held
    assert figures["days_held"] + figures["dte"] == (expiry - opened).days


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(0, 60)), min_size=1, max_size=4))
def test_a_group_reads_its_youngest_or_unknown(ages: list[int | None]) -> None:
    as_of = START + timedelta(days=60)
    positions = [
        _spread(
            f"p{i}", None if age is None else as_of - timedelta(days=age), as_of + timedelta(30)
        )
        for i, age in enumerate(ages)
    ]
    ctx = flat_context(as_of)
    group = group_fields(positions, ctx)["days_held"]
    book = portfolio_fields(
        Portfolio(positions=tuple(positions), capital=1e6, risk_budget=1e5), ctx
    )
    if any(age is None for age in ages):
        assert math.isnan(group) and math.isnan(book["days_held"])
    else:
        assert group == book["days_held"] == min(a for a in ages if a is not None)


def test_no_opened_date_is_nan_and_an_empty_book_has_none() -> None:
    ctx = flat_context(START)
    assert math.isnan(position_fields(_spread("p", None, START + timedelta(30)), ctx)["days_held"])
    empty = portfolio_fields(Portfolio(positions=(), capital=1e6, risk_budget=1e5), ctx)
    assert math.isnan(empty["days_held"])
