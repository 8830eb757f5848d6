"""Positions valued together (`positions_risk`, and the portfolio sums that use it) give each
position the figures it has valued alone, bit for bit: the backtest values a day's whole book
in one call, and its decisions must equal `evaluate`'s on the same holdings."""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.eval.positions import valuation_context
from alvh_rules.greeks import figures
from alvh_rules.greeks.legs import Leg, Position
from alvh_rules.greeks.valuation import RISK_FIELDS, Risk, position_risk, positions_risk, total

DAY = dt.date(2024, 3, 1)
VALUES = {
    "spx": 5000.0,
    "vix": 15.0,
    "risk_free": 0.05,
    "vix_f1": 16.0,
    "vix_f1_dte": 20.0,
    "vix_f2": 17.0,
    "vvix": 90.0,
}
EXPIRIES = [dt.date(2024, 3, 15), dt.date(2024, 4, 19), dt.date(2024, 6, 21)]
VIX_EXPIRIES = [dt.date(2024, 3, 20), dt.date(2024, 4, 17)]


def option_leg(
    instrument: str, strikes: tuple[float, float], expiries: list[dt.date]
) -> st.SearchStrategy[Leg]:
    return st.builds(
        lambda strike, right, q, expiry: Leg(
            instrument=instrument, right=right, strike=strike, expiry=expiry, quantity=q
        ),
        st.floats(*strikes),
        st.sampled_from(["c", "p"]),
        st.integers(-5, 5).filter(bool),
        st.sampled_from(expiries),
    )


spx_leg = option_leg("SPX", (3000.0, 7000.0), EXPIRIES)
vix_leg = option_leg("VIX", (10.0, 60.0), VIX_EXPIRIES)
future_leg = st.builds(
    lambda q, expiry, entry: Leg(instrument="VX", expiry=expiry, quantity=q, entry_price=entry),
    st.integers(-3, 3).filter(bool),
    st.sampled_from(VIX_EXPIRIES),
    st.floats(10.0, 40.0),
)
position = st.builds(
    lambda legs: Position(name="p", legs=tuple(legs)),
    st.lists(st.one_of(spx_leg, vix_leg, future_leg), min_size=1, max_size=5),
)


def _ctx() -> object:
    ctx = valuation_context(VALUES, DAY)
    assert not isinstance(ctx, str)
    return ctx


@settings(max_examples=60, deadline=None)
@given(st.lists(position, min_size=1, max_size=8))
def test_positions_valued_together_are_valued_as_one_by_one(book: list[Position]) -> None:
    ctx = _ctx()
    assert positions_risk(book, ctx) == [position_risk(p, ctx) for p in book]  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(st.lists(position, min_size=2, max_size=8))
def test_group_sums_do_not_depend_on_the_cache(book: list[Position]) -> None:
    """`group_fields` fills the risk cache for the whole group at once; the sums equal those
    of positions each valued alone on a context the cache has never seen."""
    together = figures.group_fields(book, _ctx())  # type: ignore[arg-type]
    alone_ctx = _ctx()
    for member in book:  # each valued alone first: the cache holds the one-by-one risks
        figures.position_fields(member, alone_ctx)  # type: ignore[arg-type]
    alone = figures.group_fields(book, alone_ctx)  # type: ignore[arg-type]
    assert together.keys() == alone.keys()
    for name, value in together.items():
        assert value == alone[name] or (value != value and alone[name] != alone[name]), name


def test_a_position_that_cannot_be_valued_still_raises_alone() -> None:
    """A VIX leg on a day without VVIX: the group cannot be valued together, and the error
    is the one valuing that position alone raises."""
    ctx = valuation_context({k: v for k, v in VALUES.items() if k != "vvix"}, DAY)
    assert not isinstance(ctx, str)
    spx = Position(
        name="a",
        legs=(Leg(instrument="SPX", right="p", strike=4800.0, expiry=EXPIRIES[1], quantity=-1),),
    )
    vix = Position(
        name="b",
        legs=(Leg(instrument="VIX", right="c", strike=20.0, expiry=VIX_EXPIRIES[1], quantity=2),),
    )
    with pytest.raises(ValueError, match="VIX option smile"):
        figures.group_fields([spx, vix], ctx)


def test_position_fields_kept_by_context_are_those_computed_afresh() -> None:
    """`position_fields` keeps its last results by position and context: a second read is
    the first's (a copy: changing it changes nothing kept), another context or another set
    of unread figures is computed afresh."""
    legs = (
        Leg(instrument="SPX", right="p", strike=4700.0, expiry=EXPIRIES[1], quantity=-1),
        Leg(instrument="SPX", right="p", strike=4600.0, expiry=EXPIRIES[1], quantity=1),
    )
    spread = Position(name="p", legs=legs)
    ctx = _ctx()
    first = figures.position_fields(spread, ctx)  # type: ignore[arg-type]
    first["value"] = 1e9
    again = figures.position_fields(spread, ctx)  # type: ignore[arg-type]
    assert again["value"] != 1e9
    fresh = figures.position_fields(spread, _ctx())  # type: ignore[arg-type]
    assert again.keys() == fresh.keys()
    for name, value in again.items():
        assert value == fresh[name] or (value != value and fresh[name] != fresh[name]), name
    assert not math.isnan(again["breakeven_low"])
    with figures.figures_unread({"breakeven_low", "breakeven_high"}):
        unread = figures.position_fields(spread, ctx)  # type: ignore[arg-type]
    assert math.isnan(unread["breakeven_low"])


finite = st.floats(-1e7, 1e7, allow_nan=False)


@given(st.lists(st.tuples(*[finite] * 9), max_size=8))
def test_total_adds_field_by_field_as_risk_addition(rows: list[tuple[float, ...]]) -> None:
    risks = [Risk(*row) for row in rows]
    expected = functools.reduce(Risk.__add__, risks, Risk())
    assert total(risks) == expected
    assert [f.name for f in fields(Risk)] == list(RISK_FIELDS)
