"""Time to expiry runs to the settlement instant: an AM-settled SPX monthly on the Thursday
before its Friday expiry has 17.5 hours left (16:00 close to the 09:30 open), a PM-settled
weekly a whole day, a VIX option 6.5 hours less than its calendar days; checked on real days
with QuantLib's Black formula, and the AM rule against the listed expiries (XNYS calendar)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
import QuantLib as ql

from alvh_rules.eval import positions as pos
from alvh_rules.greeks.legs import Leg
from alvh_rules.greeks.settlement_time import (
    days_to_settlement,
    settlement_offsets,
    spx_am_settled,
)
from alvh_rules.greeks.valuation import Scenario, leg_values
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import History
from alvh_rules.market.expiries import spx_monthly_expiries, spx_weekly_series

HOURS_PER_YEAR = 365.0 * 24.0


def _ctx(history: History, day: dt.date) -> object:
    row = history.daily.loc[str(day)]
    values = {n: float(row[n]) if n in history.daily else math.nan for n in MARKET_FIELDS}
    ctx = pos.valuation_context(values, day)
    assert not isinstance(ctx, str), ctx
    return ctx


def _put_value(ctx: object, strike: float, expiry: dt.date, hours: float) -> float:
    """QuantLib's Black value of one SPX put with `hours` to go, at the surface's vol."""
    t = hours / HOURS_PER_YEAR
    vol = float(ctx.spx_surface.vol(strike, t))  # type: ignore[attr-defined]
    forward = ctx.spx * math.exp((ctx.rate - ctx.div_yield) * t)  # type: ignore[attr-defined]
    discount = math.exp(-ctx.rate * t)  # type: ignore[attr-defined]
    return 100.0 * ql.blackFormula(ql.Option.Put, strike, forward, vol * math.sqrt(t), discount)


def _held_put(strike: float, expiry: dt.date) -> Leg:
    return Leg.model_validate(
        {
            "instrument": "SPX",
            "right": "p",
            "strike": strike,
            "expiry": expiry,
            "quantity": 1,
            "entry_price": 1.0,
            "layer": "t",
            "opened_by": "t",
        }
    )


@pytest.mark.parametrize(
    ("today", "expiry", "hours"),
    [
        # AM monthly, third Friday 2020-03-20: from Thursday's close to Friday's open
        (dt.date(2020, 3, 19), dt.date(2020, 3, 20), 17.5),
        # PM weekly, Wednesday 2020-03-18: from Tuesday's close to Wednesday's close
        (dt.date(2020, 3, 17), dt.date(2020, 3, 18), 24.0),
        # AM monthly moved to Thursday 2022-04-14 (Good Friday): Wednesday to Thursday's open
        (dt.date(2022, 4, 13), dt.date(2022, 4, 14), 17.5),
    ],
)
def test_an_option_on_its_last_day_is_priced_to_its_settlement_instant(
    real_history: History, today: dt.date, expiry: dt.date, hours: float
) -> None:
    ctx = _ctx(real_history, today)
    strike = 5.0 * round(0.97 * ctx.spx / 5.0)  # type: ignore[attr-defined]
    [value] = leg_values([_held_put(strike, expiry)], ctx, Scenario())  # type: ignore[arg-type]
    assert value == pytest.approx(_put_value(ctx, strike, expiry, hours), rel=1e-9)
    if hours != 24.0:  # and visibly not the whole calendar day
        assert abs(value - _put_value(ctx, strike, expiry, 24.0)) > 1e-3 * value


def test_the_am_rule_is_the_listed_monthlies_and_never_a_weekly() -> None:
    """`spx_am_settled` (a date rule: third Friday, Thursday before a Good Friday or
    Juneteenth) against the listing built on the XNYS calendar, 1985-2034."""
    monthly = spx_monthly_expiries().astype("datetime64[D]")
    assert all(spx_am_settled(day.item()) for day in monthly)
    for series in spx_weekly_series().values():
        assert not any(spx_am_settled(day.item()) for day in series.astype("datetime64[D]"))


def test_settlement_offsets_are_the_per_day_rule_for_many_days() -> None:
    days = np.arange("2007-01-01", "2025-01-01", dtype="datetime64[D]")
    days = np.append(days, np.datetime64("NaT"))
    offsets = settlement_offsets("SPX", days)
    assert offsets[-1] == 0.0
    day_before = dt.timedelta(days=1)
    for day, offset in zip(days[:-1], offsets[:-1], strict=True):
        expiry = day.item()
        one = days_to_settlement("SPX", expiry, expiry - day_before)
        assert 1.0 - one == pytest.approx(offset, abs=1e-12)
    vix = settlement_offsets("VIX", days[:10])
    assert (vix == 6.5 / 24).all()
