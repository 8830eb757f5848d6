"""Hand-checked positions on a real day (2017-11-03, SPX 2587.84): a short 30-delta put and
a 20/5-delta iron condor, each leg's expiry, strike, price and delta and the break-evens
recomputed here with QuantLib's Black calculator (not the Greeks core)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
import QuantLib as ql

from alvh_rules.eval import positions as pos
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import History

DAY = dt.date(2017, 11, 3)


@pytest.fixture(scope="module")
def day(real_history: History) -> tuple[dict[str, float], Any]:
    frame = real_history.daily
    row = frame.loc[str(DAY)]
    values = {n: float(row[n]) if n in frame else math.nan for n in MARKET_FIELDS}
    ctx = pos.valuation_context(values, DAY)
    assert not isinstance(ctx, str)
    return values, ctx


def _years_to_open(as_of: dt.date, expiry: dt.date) -> float:
    """Years from `as_of`'s 16:00 close to the 09:30 open of `expiry`, when an AM-settled
    option settles (worked out with datetimes here, not with the code under test)."""
    gap = dt.datetime.combine(expiry, dt.time(9, 30)) - dt.datetime.combine(as_of, dt.time(16))
    return gap.total_seconds() / 86_400 / 365.0


def _black(ctx: Any, right: str, strike: float, expiry: dt.date) -> ql.BlackCalculator:
    t = _years_to_open(DAY, expiry)  # every expiry here is an AM-settled monthly
    vol = float(ctx.spx_surface.vol(strike, t))
    forward = ctx.spx * math.exp((ctx.rate - ctx.div_yield) * t)
    kind = ql.Option.Call if right == "c" else ql.Option.Put
    payoff = ql.PlainVanillaPayoff(kind, strike)
    return ql.BlackCalculator(payoff, forward, vol * math.sqrt(t), math.exp(-ctx.rate * t))


def _delta(ctx: Any, right: str, strike: float, expiry: dt.date) -> float:
    return abs(_black(ctx, right, strike, expiry).delta(ctx.spx))


def _nearest_on_grid(ctx: Any, right: str, strike: float, expiry: dt.date, target: float) -> None:
    """The strike is on the 5-point grid and no neighbour's delta is nearer the target
    (the snap rule: the solved strike rounded to the grid, so within one step)."""
    assert strike % 5 == 0
    gaps = [abs(_delta(ctx, right, k, expiry) - target) for k in (strike - 5, strike, strike + 5)]
    assert gaps[1] <= max(gaps[0], gaps[2])


def test_short_put_by_delta(day: tuple[dict[str, float], Any]) -> None:
    values, ctx = day
    request = pos.OpenRequest("put_write", "put", "short", {"dte": 30.0, "delta": 30.0})
    position = pos.build_position(request, ctx, DAY, values, 2)
    (leg,) = position.legs
    assert (leg.instrument, leg.right, leg.quantity) == ("SPX", "p", -2)
    assert leg.expiry == dt.date(2017, 12, 15)  # the listed monthly nearest 30 days (42 out)
    _nearest_on_grid(ctx, "p", leg.strike, leg.expiry, 0.30)
    black = _black(ctx, "p", leg.strike, leg.expiry)
    assert leg.entry_price == pytest.approx(black.value(), rel=1e-9)
    figures = pos.figures_of(position, ctx)
    assert figures["delta"] == pytest.approx(-2 * 100 * black.delta(ctx.spx), rel=1e-6)
    assert figures["credit"] == pytest.approx(200 * black.value(), rel=1e-9)
    assert figures["breakeven_low"] == pytest.approx(leg.strike - black.value(), rel=1e-9)
    assert math.isnan(figures["breakeven_high"])
    assert figures["max_loss"] == pytest.approx(200 * (leg.strike - black.value()), rel=1e-9)


def test_long_call_at_a_written_strike(day: tuple[dict[str, float], Any]) -> None:
    values, ctx = day
    request = pos.OpenRequest("hedge", "call", None, {"dte": 60.0, "strike": ctx.spx + 102.0})
    (leg,) = pos.build_position(request, ctx, DAY, values, 1).legs
    assert leg.strike == 2690.0  # 2587.84 + 102 = 2689.84 snaps to the listed 2690
    assert leg.quantity == 1 and leg.expiry == dt.date(2018, 1, 19)
    assert leg.entry_price == pytest.approx(_black(ctx, "c", 2690.0, leg.expiry).value())


def test_iron_condor_20_5_by_delta(day: tuple[dict[str, float], Any]) -> None:
    values, ctx = day
    args = {"dte": 45.0, "delta": 20.0, "wing_delta": 5.0}
    position = pos.build_position(pos.OpenRequest("c", "iron_condor", None, args), ctx, DAY, values)
    long_put, short_put, short_call, long_call = position.legs
    assert {leg.expiry for leg in position.legs} == {dt.date(2017, 12, 15)}
    expiry = short_put.expiry
    for leg, target in ((long_put, 0.05), (short_put, 0.20), (short_call, 0.20), (long_call, 0.05)):
        _nearest_on_grid(ctx, leg.right, leg.strike, expiry, target)
        assert leg.entry_price == pytest.approx(_black(ctx, leg.right, leg.strike, expiry).value())
    assert [leg.quantity for leg in position.legs] == [1, -1, -1, 1]
    credit = sum(-leg.quantity * leg.entry_price for leg in position.legs)
    figures = pos.figures_of(position, ctx)
    assert figures["credit"] == pytest.approx(100 * credit, rel=1e-9)
    assert figures["breakeven_low"] == pytest.approx(short_put.strike - credit, rel=1e-9)
    assert figures["breakeven_high"] == pytest.approx(short_call.strike + credit, rel=1e-9)
    widest = max(short_put.strike - long_put.strike, long_call.strike - short_call.strike)
    assert figures["max_loss"] == pytest.approx(100 * (widest - credit), rel=1e-9)
