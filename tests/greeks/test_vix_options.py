"""VIX options on their own future: Black-76 prices against QuantLib's `blackFormula` on the
futures the code picks, the VX curve (one owner) and the VIX option vol model."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alvh_rules.eval import positions as pos
from alvh_rules.eval.market_model import market_model_notes
from alvh_rules.greeks.builders import LegSpec, price_legs
from alvh_rules.greeks.figures import position_fields
from alvh_rules.greeks.vix_options import VIX_SHAPE, VVIX_TENOR_YEARS, vix_atm_variance
from alvh_rules.greeks.vx_curve import LONG_RUN_VIX, VxCurve, vx_future
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import History
from alvh_rules.market.calibration import variance_swap_total
from alvh_rules.market.surface import vvix_atm_variance

ql = pytest.importorskip("QuantLib")
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="module")
def real_days() -> list[tuple[dt.date, dict[str, float]]]:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent")
    history = History.from_dir(SHARED_DATA)
    frame = history.daily
    usable = frame[["spx", "vix", "risk_free", "vix_f1", "vix_f2", "vix_f1_dte", "vvix"]]
    dates = usable.dropna().index
    picked = np.random.default_rng(5).choice(len(dates), size=40, replace=False)
    return [
        (dates[i].date(), {n: float(frame[n].loc[dates[i]]) for n in MARKET_FIELDS})
        for i in sorted(picked)
    ]


def test_black76_vix_prices_match_quantlib_on_the_futures_the_code_picks(
    real_days: list[tuple[dt.date, dict[str, float]]],
) -> None:
    for today, values in real_days:
        ctx = pos.valuation_context(values, today)
        for days in (7, 30, 45, 60, 120):
            expiry = today + dt.timedelta(days=days)
            forward = ctx.vix_futures.future(expiry)
            assert forward == pytest.approx(pos.vix_future_at(values, days))
            for moneyness in (0.8, 1.0, 1.3):
                strike = round(forward * moneyness, 1)
                spec = LegSpec("VIX", "c", strike, expiry, 1)
                price = price_legs("c", [spec], ctx, opened_by="t", layer="t").legs[0].entry_price
                t = (days - 6.5 / 24) / 365.0  # VIX options settle at the expiry day's open
                vol = float(ctx.vix_surface.vol(strike, t))
                expected = ql.blackFormula(
                    ql.Option.Call, strike, forward, vol * math.sqrt(t), math.exp(-ctx.rate * t)
                )
                assert price == pytest.approx(expected, rel=1e-9, abs=1e-10), (today, days)


def test_the_vx_curve_goes_through_the_real_settles_and_extrapolates_beyond_f2() -> None:
    curve = VxCurve(dt.date(2020, 3, 16), 72.625, 59.15, 2.0, 30.0)
    assert curve.at_days(0.0) == 72.625 and curve.at_days(2.0) == 72.625
    assert curve.at_days(30.0) == pytest.approx(59.15)
    assert curve.at_days(16.0) == pytest.approx(72.625 + (59.15 - 72.625) * 14 / 28)
    beyond = float(curve.at_days(60.0))
    assert LONG_RUN_VIX < beyond < 59.15 and curve.extrapolated(60.0)
    assert not curve.extrapolated(30.0)
    # F2's expiry unknown: 30 days after F1's; F2 unknown: F1 flat.
    assert vx_future(20.0, 22.0, 10.0, math.nan, 40.0) == pytest.approx(22.0)
    assert vx_future(20.0, math.nan, 10.0, math.nan, 90.0) == 20.0
    assert math.isnan(vx_future(math.nan, 22.0, 10.0, 40.0, 20.0))


@given(
    f1=st.floats(9.0, 90.0),
    f2=st.floats(9.0, 90.0),
    dte1=st.integers(0, 35),
    gap=st.integers(20, 40),
    days=st.integers(0, 400),
)
def test_the_curve_stays_between_its_anchors(
    f1: float, f2: float, dte1: int, gap: int, days: int
) -> None:
    value = float(vx_future(f1, f2, dte1, dte1 + gap, days))
    low, high = min(f1, f2, LONG_RUN_VIX), max(f1, f2, LONG_RUN_VIX)
    assert low - 1e-9 <= value <= high + 1e-9


def test_vvix_is_the_30_day_variance_swap_of_the_vix_smile() -> None:
    for vvix in (80.0, 110.0, 207.59):
        theta = float(vvix_atm_variance(vvix))
        fair = math.sqrt(float(variance_swap_total(theta, VIX_SHAPE)) / VVIX_TENOR_YEARS) * 100
        assert fair == pytest.approx(vvix, rel=1e-5)
        assert 0.8 < math.sqrt(theta / VVIX_TENOR_YEARS) * 100 / vvix < 1.0


def test_longer_vix_options_have_lower_vol_and_calls_carry_the_skew() -> None:
    values = {"spx": 2386.13, "vix": 82.69, "risk_free": 0.0024, "vvix": 207.59}
    values |= {"vix_f1": 72.625, "vix_f2": 59.15, "vix_f1_dte": 2.0, "vix_f2_dte": 30.0}
    ctx = pos.valuation_context(values, dt.date(2020, 3, 16))
    surface = ctx.vix_surface
    forward = ctx.vix_futures.future(dt.date(2020, 5, 15))
    atm = [float(surface.vol(forward, d / 365)) for d in (30, 60, 90)]
    assert atm[0] > atm[1] > atm[2]
    assert float(surface.vol(forward * 1.3, 60 / 365)) > atm[1]
    theta_60 = float(vix_atm_variance(float(vvix_atm_variance(207.59)), 60 / 365))
    assert atm[1] == pytest.approx(math.sqrt(theta_60 / (60 / 365)), rel=1e-9)
    spec = LegSpec("VIX", "c", round(forward, 1), dt.date(2020, 5, 15), 1)
    call = price_legs("c", [spec], ctx, opened_by="t", layer="t").legs[0].entry_price
    assert 8.0 < call < 12.0  # the flat-VVIX model gave 17.69


def test_vix_legs_report_spx_equivalent_delta_and_vega_through_the_beta() -> None:
    values = {"spx": 5344.16, "vix": 20.37, "risk_free": 0.05, "vvix": 114.63}
    values |= {"vix_f1": 19.5, "vix_f2": 18.85, "vix_f1_dte": 12.0, "vix_f2_dte": 40.0}
    today = dt.date(2024, 8, 9)
    ctx = pos.valuation_context(values, today, beta=0.8)
    assert ctx.vix_delta_beta < 0  # VIX rises when SPX falls
    spec = LegSpec("VIX", "c", 20.0, dt.date(2024, 9, 18), 10)
    hedge = price_legs("c", [spec], ctx, opened_by="t", layer="t")
    figures = position_fields(hedge, ctx)
    assert figures["delta"] < 0 < figures["vega"]
    assert figures["vega"] / figures["delta"] == pytest.approx(0.8 / ctx.vix_delta_beta)


def test_a_day_without_the_front_future_leaves_vix_options_unvalued() -> None:
    values = {"spx": 3000.0, "vix": 20.0, "risk_free": 0.01, "vvix": 100.0}
    ctx = pos.valuation_context(values, dt.date(2010, 1, 4))
    assert ctx.vix_futures is None and ctx.vix_surface is None
    assert math.isnan(pos.vix_future_at(values, 30.0))
    notes = market_model_notes(values)
    assert "VX curve: none (the front future or its expiry is unknown)" in notes
