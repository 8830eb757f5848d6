"""Held-position figures on real days: the roll cost a trader means (a debit is positive),
a hedge's projected payoff, and the rate and dividend yield the day is priced at."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import QuantLib as ql

from alvh_rules.eval import positions as pos
from alvh_rules.greeks.valuation import Scenario, leg_values
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import History

OPENED, MARKED = dt.date(2017, 11, 3), dt.date(2017, 11, 17)  # a calm fortnight (VIX ~10-11)


def _values(history: History, day: dt.date) -> dict[str, float]:
    frame = history.daily
    row = frame.loc[str(day)]
    return {name: float(row[name]) if name in frame else math.nan for name in MARKET_FIELDS}


def _ctx(history: History, day: dt.date) -> object:
    ctx = pos.valuation_context(_values(history, day), day)
    assert not isinstance(ctx, str), ctx
    return ctx


def _condors(history: History, count: int) -> object:
    request = pos.OpenRequest(
        "core_condor", "iron_condor", None, {"dte": 45.0, "delta": 16.0, "wings": 50.0}
    )
    ctx = _ctx(history, OPENED)
    return pos.build_position(request, ctx, OPENED, _values(history, OPENED), count)


def _years_to_open(as_of: dt.date, expiry: dt.date) -> float:
    """Years from `as_of`'s 16:00 close to the 09:30 open of `expiry`, when an AM-settled
    option settles (worked out with datetimes here, not with the code under test)."""
    gap = dt.datetime.combine(expiry, dt.time(9, 30)) - dt.datetime.combine(as_of, dt.time(16))
    return gap.total_seconds() / 86_400 / 365.0


def _quantlib_value(leg: object, ctx: object) -> float:
    """One leg's dollar value with QuantLib's Black formula on the forward (independent of
    the Greeks core's pricer), at the vol the day's surface gives the leg."""
    # the condor's legs are AM-settled monthlies: time runs to the expiry day's open
    t = _years_to_open(ctx.as_of, leg.expiry)  # type: ignore[attr-defined]
    vol = float(ctx.spx_surface.vol(leg.strike, t))  # type: ignore[attr-defined]
    forward = ctx.spx * math.exp((ctx.rate - ctx.div_yield) * t)  # type: ignore[attr-defined]
    kind = ql.Option.Call if leg.right == "c" else ql.Option.Put  # type: ignore[attr-defined]
    discount = math.exp(-ctx.rate * t)  # type: ignore[attr-defined]
    price = ql.blackFormula(kind, leg.strike, forward, vol * math.sqrt(t), discount)  # type: ignore[attr-defined]
    return 100.0 * leg.quantity * price  # type: ignore[attr-defined]


def test_a_short_condor_held_in_a_calm_market_costs_money_to_roll(real_history: History) -> None:
    condors = _condors(real_history, 5)
    ctx = _ctx(real_history, MARKED)
    held = pos.held_figures(condors, ctx)
    mark = sum(_quantlib_value(leg, ctx) for leg in condors.legs)  # type: ignore[attr-defined]
    assert mark < 0  # a short condor is a liability until it expires
    traded = 2 * 4 * 5  # four legs of five condors, closed and reopened
    assert held["roll_cost"] == pytest.approx(-mark + pos.ROLL_SLIPPAGE * traded, rel=1e-6)
    assert held["roll_cost"] > 0


def test_a_hedge_projected_payoff_is_its_gain_in_the_stress_scenario(
    real_history: History,
) -> None:
    ctx = _ctx(real_history, OPENED)
    values = _values(real_history, OPENED)
    request = pos.OpenRequest("hedge", "vix_call", "long", {"dte": 60.0, "strike": 15.0})
    hedge = pos.build_position(request, ctx, OPENED, values, 10)
    held = pos.held_figures(hedge, ctx)
    scenario = Scenario(spx_move=pos.STRESS_SPX_MOVE, spx_vol_shift_vp=pos.STRESS_VOL_SHIFT_VP)
    stressed = float(leg_values(hedge.legs, ctx, scenario).sum())  # type: ignore[attr-defined]
    assert held["projected_payoff"] == pytest.approx(stressed - held["value"])
    assert held["projected_payoff"] > 0  # VIX calls gain when SPX falls and vol jumps
    condor_payoff = pos.held_figures(_condors(real_history, 1), ctx)["projected_payoff"]
    assert condor_payoff < 0  # ... and the short condor it hedges loses


def test_the_day_is_priced_at_the_continuous_rate_and_dividend_yield(
    real_history: History,
) -> None:
    values = _values(real_history, OPENED)
    ctx = _ctx(real_history, OPENED)
    d, y = values["risk_free"], values["dividend_yield"]
    assert 0.005 < d < 0.02 and 0.01 < y < 0.03  # 2017: bills ~1.2 %, S&P yield ~1.9 %
    assert ctx.rate == pytest.approx(-math.log(1 - d * 91 / 360) * 365 / 91)  # type: ignore[attr-defined]
    assert ctx.div_yield == pytest.approx(math.log(1 + y))  # type: ignore[attr-defined]
    no_dividends = dict(values, dividend_yield=math.nan)
    fallback = pos.valuation_context(no_dividends, OPENED)
    assert fallback.div_yield == pos.UNKNOWN_DIV_YIELD  # type: ignore[union-attr]


def test_what_an_open_builds_is_opened_that_day_and_ages_by_the_calendar(
    real_history: History,
) -> None:
    condors = _condors(real_history, 1)
    assert condors.opened == OPENED  # type: ignore[attr-defined]
    assert pos.figures_of(condors, _ctx(real_history, OPENED))["days_held"] == 0
    held = pos.held_figures(condors, _ctx(real_history, MARKED))
    assert held["days_held"] == (MARKED - OPENED).days == 14
