"""The small parts on their own: settlement styles, sessions and substitutes; the margin
rule for undefined risk against a hand computation; fills and fees; interest."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.backtesting.costs import Costs
from alvh_rules.backtesting.interest import growth
from alvh_rules.backtesting.margin import reserve_at_open, undefined_requirement
from alvh_rules.eval.positions import valuation_context
from alvh_rules.greeks.legs import Leg, Position
from alvh_rules.market.settlement import (
    is_standard_monthly,
    payoff,
    settlement_price,
    settlement_session,
    settlement_style,
)

DAY = dt.date(2024, 3, 1)
VALUES = {"spx": 5000.0, "vix": 15.0, "risk_free": 0.05, "vix_f1": 16.0, "vix_f1_dte": 20.0}


@pytest.mark.parametrize(
    ("expiry", "monthly"),
    [
        (dt.date(2024, 3, 15), True),  # third Friday
        (dt.date(2014, 3, 22), True),  # the Saturday after it (listed until 2015)
        (dt.date(2024, 3, 22), False),  # a weekly
        (dt.date(2024, 3, 8), False),
        (dt.date(2024, 3, 28), False),  # end of quarter (Thursday)
    ],
)
def test_standard_monthlies_are_am_settled(expiry: dt.date, monthly: bool) -> None:
    assert is_standard_monthly(expiry) is monthly
    assert settlement_style("SPX", expiry) == ("AM" if monthly else "PM")
    assert settlement_style("VIX", expiry) == "AM"


def test_a_weekend_or_holiday_expiry_settles_on_the_session_before() -> None:
    assert settlement_session(dt.date(2024, 3, 16)) == dt.date(2024, 3, 15)  # Saturday
    assert settlement_session(dt.date(2024, 3, 29)) == dt.date(2024, 3, 28)  # Good Friday
    assert settlement_session(dt.date(2024, 3, 15)) == dt.date(2024, 3, 15)


def test_settlement_prints_and_substitutes() -> None:
    columns = {
        "spx_open": np.array([4990.0, np.nan]),
        "spx": np.array([5000.0, 5010.0]),
        "vix_open": np.array([14.0, 15.0]),
        "vix": np.array([14.5, np.nan]),
    }
    friday, thursday = dt.date(2024, 3, 15), dt.date(2024, 3, 14)
    am = settlement_price("SPX", friday, 0, columns, friday)
    assert (am.price, am.substitute) == (4990.0, False) and "spx_open" in am.source
    missing_open = settlement_price("SPX", friday, 1, columns, friday)
    assert (missing_open.price, missing_open.substitute) == (5010.0, True)
    weekly = settlement_price("SPX", dt.date(2024, 3, 22), 1, columns, dt.date(2024, 3, 22))
    assert (weekly.price, weekly.substitute) == (5010.0, False)
    vix = settlement_price("VIX", dt.date(2024, 3, 20), 1, columns, dt.date(2024, 3, 20))
    assert (vix.price, vix.substitute) == (15.0, False)
    # the session is missing from the data: the last known close, said so
    gone = settlement_price("SPX", friday, 0, columns, friday, row_day=thursday)
    assert gone.substitute and gone.price == 5000.0 and "last known spx close" in gone.source
    assert "no data on 2024-03-15" in gone.source
    assert payoff("c", 4900.0, 5000.0) == 100.0 and payoff("p", 4900.0, 5000.0) == 0.0
    assert payoff(None, None, 17.5) == 17.5  # a future settles at the print


def _ctx() -> object:
    ctx = valuation_context(VALUES, DAY)
    assert not isinstance(ctx, str)
    return ctx


def test_a_naked_short_put_needs_cboes_requirement() -> None:
    ctx = _ctx()
    put = Leg(instrument="SPX", right="p", strike=4500.0, expiry=dt.date(2024, 4, 19), quantity=-2)
    position = Position(name="naked", legs=(put,))
    assert reserve_at_open(position, ctx) is None  # undefined risk
    mid = 12.0
    # 15% of 5000 less 500 out of the money = 250, above 10% of the 4500 strike = 450? no:
    # the larger of 250 and 450 is 450 points, plus the premium, times 200 units
    expected = (mid + max(0.15 * 5000 - 500, 0.10 * 4500)) * 200
    assert undefined_requirement(position, ctx, [mid]) == pytest.approx(expected)


def test_a_strangle_needs_its_larger_side_plus_the_other_premium() -> None:
    ctx = _ctx()
    expiry = dt.date(2024, 4, 19)
    put = Leg(instrument="SPX", right="p", strike=4800.0, expiry=expiry, quantity=-1)
    call = Leg(instrument="SPX", right="c", strike=5200.0, expiry=expiry, quantity=-1)
    position = Position(name="strangle", legs=(put, call))
    put_need = (20.0 + max(0.15 * 5000 - 200, 0.10 * 4800)) * 100
    call_need = (15.0 + max(0.15 * 5000 - 200, 0.10 * 5000)) * 100
    larger, other_premium = max(put_need, call_need), (15.0 if put_need >= call_need else 20.0)
    got = undefined_requirement(position, ctx, [20.0, 15.0])
    assert got == pytest.approx(larger + other_premium * 100)


def test_a_spread_reserves_its_maximum_loss() -> None:
    ctx = _ctx()
    expiry = dt.date(2024, 4, 19)
    short = Leg(
        instrument="SPX", right="p", strike=4800.0, expiry=expiry, quantity=-1, entry_price=30.0
    )
    long = Leg(
        instrument="SPX", right="p", strike=4750.0, expiry=expiry, quantity=1, entry_price=22.0
    )
    reserve = reserve_at_open(Position(name="spread", legs=(short, long)), ctx)
    assert reserve == pytest.approx((50 - 8) * 100)


@given(
    mid=st.floats(0, 500),
    quantity=st.integers(-50, 50).filter(bool),
    slippage=st.floats(0, 50),
)
def test_fills_go_against_the_trader(mid: float, quantity: int, slippage: float) -> None:
    costs = Costs(slippage=slippage)
    price = costs.fill_price(mid, quantity, 100, option=True)
    assert price >= 0
    if quantity > 0:
        assert price == pytest.approx(mid + slippage / 100)
    else:
        assert price == pytest.approx(max(mid - slippage / 100, 0.0))
    assert costs.charges(quantity) == pytest.approx(abs(quantity) * 1.50)


def test_costs_refuse_negative_or_infinite_amounts() -> None:
    for bad in (-1.0, math.inf, math.nan):
        with pytest.raises(ValueError, match="slippage"):
            Costs(slippage=bad)


def test_interest_compounds_the_bill_rate() -> None:
    # a 91-day bill at a 5% discount: price 0.987361..., so 91 days grow cash by 1/price
    assert growth(0.05, 91) == pytest.approx(1 / (1 - 0.05 * 91 / 360), rel=1e-12)
    assert growth(0.05, 0) == 1.0 and growth(math.nan, 3) == 1.0


def test_the_front_door_signature_the_sweep_builds_on() -> None:
    import inspect

    import alvh_rules
    from alvh_rules.backtesting import api

    assert alvh_rules.backtest is api.backtest and alvh_rules.compare is api.compare
    parameters = inspect.signature(alvh_rules.backtest).parameters
    assert list(parameters)[:5] == ["ruleset", "history", "start", "end", "params"]
    assert parameters["capital"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["capital"].default is inspect.Parameter.empty
    assert parameters["risk_budget"].default is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"capital": -1.0}, "capital must be a positive finite number"),
        ({"capital": math.inf}, "capital must be a positive finite number"),
        ({"capital": 1e5, "risk_budget": math.nan}, "risk_budget must be a finite number"),
        ({"capital": 1e5, "start": "2024-08-01", "end": "2024-07-01"}, "is after end"),
        ({"capital": 1e5, "start": "1900-01-02"}, "is outside the data"),
        ({"capital": 1e5, "start": "not a day"}, "is not a date"),
        (
            {"capital": 1e5, "commission": -0.5},
            "commission must be a finite number of dollars >= 0",
        ),
    ],
)
def test_bad_arguments_are_refused_before_the_run(
    arguments: dict[str, object], message: str
) -> None:
    from alvh_rules.backtesting.api import BacktestInputError, backtest
    from alvh_rules.market import History

    held = Path(__file__).parent / "fixtures" / "held_condor.alvh"
    with pytest.raises(BacktestInputError, match=message):
        backtest(held, History.builtin(), **arguments)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(
    strikes=st.lists(
        st.tuples(st.floats(3000.0, 7000.0), st.sampled_from(["c", "p"]), st.integers(-5, 5)),
        min_size=1,
        max_size=6,
    ),
    vix_strike=st.floats(10.0, 40.0),
    sizes=st.lists(st.integers(1, 3), min_size=1, max_size=4),
)
def test_holdings_marked_together_are_marked_as_one_by_one(
    strikes: list[tuple[float, str, int]], vix_strike: float, sizes: list[int]
) -> None:
    """`marks_of` values every held leg in one call: each mark is `mark_of`'s, bit for bit,
    and a day without VIX inputs still marks the SPX holdings (the VIX one is carried)."""
    from alvh_rules.backtesting.book import Holding, mark_of, marks_of

    expiry = dt.date(2024, 4, 19)
    legs = [
        Leg(instrument="SPX", right=right, strike=strike, expiry=expiry, quantity=q or 1)
        for strike, right, q in strikes
    ]
    vix = Leg(
        instrument="VIX", right="c", strike=vix_strike, expiry=dt.date(2024, 4, 17), quantity=2
    )
    pool = [*legs, vix]
    holdings, start = [], 0
    for size in sizes:
        chosen = tuple(pool[(start + i) % len(pool)] for i in range(size))
        start += size
        holdings.append(Holding(Position(name="p", legs=chosen), "r", "entry", DAY, None))
    ctx = valuation_context({**VALUES, "vvix": 90.0, "vix_f2": 17.0}, DAY)
    assert not isinstance(ctx, str)
    marks = marks_of(holdings, ctx)
    assert marks == [mark_of(h, ctx) for h in holdings] and None not in marks
    no_vix = _ctx()  # no VVIX: VIX options cannot be valued
    together = marks_of(holdings, no_vix)
    assert together == [mark_of(h, no_vix) for h in holdings]
    for holding, mark in zip(holdings, together, strict=True):
        has_vix = any(leg.instrument == "VIX" for leg in holding.position.legs)
        assert (mark is None) == has_vix
    assert marks_of(holdings, "no context today") == [None] * len(holdings)
