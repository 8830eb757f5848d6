"""The batch path's market arrays (`markets_for_days`) are the per-day context's surfaces and
curve (`valuation_context`), day by day: SPX vols, VX futures, VIX option vols, betas."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.eval import market_days as md
from alvh_rules.eval import positions as pos
from alvh_rules.lang.catalog import MARKET_FIELDS

maybe = st.one_of(st.just(math.nan), st.floats(8.0, 90.0))


@settings(max_examples=80, deadline=None)
@given(
    vix=st.floats(8.0, 90.0),
    vix9d=maybe,
    vix3m=maybe,
    vvix=st.one_of(st.just(math.nan), st.floats(60.0, 220.0)),
    f1=st.floats(9.0, 80.0),
    f2=st.one_of(st.just(math.nan), st.floats(9.0, 80.0)),
    dte1=st.integers(0, 35),
    dte2=st.one_of(st.just(math.nan), st.integers(36, 70).map(float)),
    days=st.integers(1, 200),
    moneyness=st.floats(0.5, 1.6),
)
def test_batch_markets_equal_the_per_day_context(
    vix: float,
    vix9d: float,
    vix3m: float,
    vvix: float,
    f1: float,
    f2: float,
    dte1: int,
    dte2: float,
    days: int,
    moneyness: float,
) -> None:
    values = dict.fromkeys(MARKET_FIELDS, math.nan) | {
        "spx": 4000.0, "vix": vix, "vix9d": vix9d, "vix3m": vix3m, "risk_free": 0.03,
        "vvix": vvix, "vix_f1": f1, "vix_f2": f2, "vix_f1_dte": float(dte1), "vix_f2_dte": dte2,
    }  # fmt: skip
    today = dt.date(2020, 1, 2)
    ctx = pos.valuation_context(values, today, beta=0.8)
    columns = {name: np.array([value]) for name, value in values.items()}
    markets = md.markets_for_days(columns, np.array([0.8]))
    t = np.array([days / 365.0])
    strike = np.array([[4000.0 * moneyness]])
    assert markets.spx_vol(strike, t)[0, 0] == pytest.approx(
        ctx.spx_surface.vol(strike[0, 0], t[0])
    )
    expiry = today + dt.timedelta(days=days)
    assert markets.future(np.array([float(days)]))[0] == pytest.approx(
        ctx.vix_futures.future(expiry)
    )
    assert markets.vix_delta_beta[0] == pytest.approx(ctx.vix_delta_beta)
    if ctx.vix_surface is None:
        assert math.isnan(markets.vix_theta_30d[0])
        return
    vix_strike = np.array([[f1 * moneyness]])
    batch = markets.vix_vol(vix_strike, t)[0, 0]
    assert batch == pytest.approx(float(ctx.vix_surface.vol(vix_strike[0, 0], t[0])), rel=1e-12)
