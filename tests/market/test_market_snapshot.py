"""MarketSnapshot: JSON round trip, schema, overrides, and no value visible before its time."""

from __future__ import annotations

import datetime as dt
import json
import math
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import History
from alvh_rules.market.snapshot import MarketSnapshot, snapshot_json_schema

NEW_YORK = ZoneInfo("America/New_York")
SLOW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _moment(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=NEW_YORK)


def test_date_means_the_close(demo_history: History) -> None:
    snapshot = demo_history.snapshot("2024-08-05")
    assert snapshot.as_of == _moment("2024-08-05", 16)
    assert snapshot.today == dt.date(2024, 8, 5)
    assert snapshot.value("vix") == 38.57
    assert snapshot.series("vix")[-1] == 38.57
    assert len(snapshot.series("spx")) == len(snapshot.dates)


def test_naive_datetime_is_refused(demo_history: History) -> None:
    with pytest.raises(ValueError, match="tz-aware"):
        demo_history.snapshot(dt.datetime(2024, 8, 5, 12))


def test_close_and_open_before_their_time(real_history: History) -> None:
    before_open = real_history.snapshot(_moment("2024-08-05", 9, 0))
    after_open = real_history.snapshot(_moment("2024-08-05", 10, 0))
    assert math.isnan(before_open.value("spx_open")) and math.isnan(before_open.value("spx"))
    assert after_open.value("spx_open") == pytest.approx(5151.14, abs=0.01)
    assert math.isnan(after_open.value("spx")) and math.isnan(after_open.value("vix_basis"))
    # Yesterday's close is history, visible all day.
    assert after_open.series("spx")[-2] == real_history.daily.at[pd.Timestamp("2024-08-02"), "spx"]


def test_cpi_is_invisible_before_0830_on_its_release_day(real_history: History) -> None:
    early = real_history.snapshot(_moment("2024-08-14", 8, 29))
    late = real_history.snapshot(_moment("2024-08-14", 8, 30))
    assert early.value("cpi") == pytest.approx(-0.001)  # June's print, released 2024-07-11
    assert late.value("cpi") == pytest.approx(0.002)
    assert early.value("cpi_surprise") == pytest.approx(-0.001 - 0.001)
    assert early.published["cpi"] == _moment("2024-07-11", 8, 30)


def test_snapshot_on_a_non_trading_day_ends_on_the_last_session(demo_history: History) -> None:
    snapshot = demo_history.snapshot("2024-08-04")  # a Sunday
    assert snapshot.today == dt.date(2024, 8, 2)


def test_json_round_trip_and_schema(demo_history: History) -> None:
    snapshot = demo_history.snapshot("2024-08-05", capital=250_000.0, risk_budget=5_000.0)
    text = snapshot.model_dump_json()
    assert "NaN" not in text
    again = MarketSnapshot.model_validate_json(text)
    assert again == snapshot
    assert again.model_dump_json() == text
    schema = snapshot_json_schema()
    assert schema["properties"]["series_values"]["additionalProperties"]["items"]["type"] == [
        "number",
        "null",
    ]
    json.dumps(schema)


@SLOW
@given(
    day=st.integers(min_value=0, max_value=337),
    hour=st.integers(min_value=0, max_value=23),
    minute=st.sampled_from([0, 29, 30, 59]),
    overrides=st.dictionaries(
        st.sampled_from(["vix", "spx", "vix_f1", "cpi", "roa"]),
        st.floats(min_value=0.01, max_value=1e4, allow_nan=False),
        max_size=3,
    ),
)
def test_json_round_trip_is_exact(
    demo_history: History, day: int, hour: int, minute: int, overrides: dict[str, float]
) -> None:
    date = demo_history.daily.index[day]
    moment = dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=NEW_YORK)
    snapshot = demo_history.snapshot(moment, lookback=40).with_values(overrides)
    again = MarketSnapshot.model_validate_json(snapshot.model_dump_json())
    assert again == snapshot
    for field in MARKET_FIELDS:
        assert np.array_equal(again.series(field), snapshot.series(field), equal_nan=True)


def _history_known_at(history: History, moment: pd.Timestamp) -> History:
    """The same history with every observation published after `moment` deleted."""
    from alvh_rules.market.observations import Observations

    kept = {}
    for field, found in history.observations.items():
        keep = np.asarray(found.published <= moment)
        kept[field] = Observations(
            field,
            found.period[keep],
            found.published[keep],
            found.values[keep],
            found.sources[keep],
            found.same_day,
            found.max_age_days[keep],
            None if found.labels is None else found.labels[keep],
        )
    return History(history.daily.index, kept, history.report, history.calendar)


@SLOW
@given(
    day=st.integers(min_value=30, max_value=337),
    hour=st.integers(min_value=0, max_value=23),
    minute=st.sampled_from([0, 29, 30, 59]),
)
def test_no_value_is_visible_before_its_time(
    demo_history: History, day: int, hour: int, minute: int
) -> None:
    """Deleting everything published after as-of must not change the snapshot at as-of."""
    date = demo_history.daily.index[day]
    moment = pd.Timestamp(
        dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=NEW_YORK)
    )
    seen = demo_history.snapshot(moment)
    blind = _history_known_at(demo_history, moment).snapshot(moment)
    assert seen == blind
    assert all(stamp is None or stamp <= moment for stamp in seen.published.values())


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=st.dates(min_value=dt.date(2007, 1, 1), max_value=dt.date(2026, 8, 21)),
    hour=st.integers(6, 17),
)
def test_no_value_is_visible_before_its_time_on_real_data(
    real_history: History, day: dt.date, hour: int
) -> None:
    moment = pd.Timestamp(dt.datetime(day.year, day.month, day.day, hour, tzinfo=NEW_YORK))
    seen = real_history.snapshot(moment, lookback=60)
    blind = _history_known_at(real_history, moment).snapshot(moment, lookback=60)
    assert seen == blind


def test_with_values_overrides_today_and_follows_derived_fields(demo_history: History) -> None:
    snapshot = demo_history.snapshot("2024-08-05")
    stressed = snapshot.with_values({"vix": 35.0})
    assert stressed.value("vix") == 35.0
    assert stressed.value("vix_basis") == pytest.approx(snapshot.value("vix_f1") - 35.0)
    assert stressed.value("vvix_vix_ratio") == pytest.approx(snapshot.value("vvix") / 35.0)
    assert stressed.value("iv_rv_ratio") == pytest.approx(35.0 / snapshot.value("spx_rv20"))
    assert snapshot.value("vix") == 38.57, "the original is unchanged"
    assert np.array_equal(stressed.series("vix")[:-1], snapshot.series("vix")[:-1])
    assert stressed.published["vix"] == stressed.as_of == stressed.published["vix_basis"]
    assert stressed.published["spx"] == snapshot.published["spx"]
    explicit = snapshot.with_values({"vix": 35.0, "vix_basis": 1.0})
    assert explicit.value("vix_basis") == 1.0


def test_with_values_moves_rv_and_ad_line(demo_history: History) -> None:
    snapshot = demo_history.snapshot("2024-08-05")
    crashed = snapshot.with_values({"spx": snapshot.series("spx")[-2] * 0.9})
    assert crashed.value("spx_rv20") > snapshot.value("spx_rv20")
    broad = snapshot.with_values({"advances": 1500.0, "declines": 100.0})
    previous = snapshot.series("ad_line")[-2]
    assert broad.value("ad_line") == pytest.approx(previous + 1400.0)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"vixx": 30.0}, "unknown market field 'vixx'"),
        ({"vix": float("nan")}, "vix must be a finite number"),
        ({"spx": float("inf")}, "spx must be a finite number"),
        ({"vix": True}, "vix must be a finite number"),
        ({"vix": "20"}, "vix must be a finite number"),
    ],
)
def test_with_values_validates(
    demo_history: History, overrides: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        demo_history.snapshot("2024-08-05").with_values(overrides)


def test_unknown_field_in_series_and_value(demo_history: History) -> None:
    snapshot = demo_history.snapshot("2024-08-05")
    with pytest.raises(KeyError, match="unknown market field 'vixx'"):
        snapshot.value("vixx")


def test_calendar_questions_on_a_snapshot(demo_history: History) -> None:
    snapshot = demo_history.snapshot("2024-08-01")
    assert snapshot.days_since("fomc") == 1 and snapshot.within("fomc", 1)
    assert not snapshot.within("fomc", 0)
    assert snapshot.days_to("cpi") == 9  # 2024-08-14
    assert snapshot.days_to("vix_expiry") == 14  # 2024-08-21


def test_vol_surface_from_the_snapshot(demo_history: History) -> None:
    snapshot = demo_history.snapshot("2024-08-05")
    from alvh_rules.greeks.ssvi import SsviSurface
    from alvh_rules.market.calibration import variance_swap_total

    surface = snapshot.vol_surface()
    assert isinstance(surface, SsviSurface)
    t = 30 / 365
    fair = np.sqrt(variance_swap_total(surface.atm_variance(t), surface.shape) / t)
    assert fair * 100 == pytest.approx(snapshot.value("vix"), abs=1e-4)
    assert 0.8 < surface.atm_vol(t) * 100 / snapshot.value("vix") < 0.95


def test_portfolio_and_chain_round_trip(demo_history: History) -> None:
    from alvh_rules.greeks.chain import OptionChain, OptionQuote
    from alvh_rules.greeks.legs import Leg, Portfolio, Position

    expiry = dt.date(2024, 9, 20)
    condor = Position(
        name="base_condor",
        legs=(
            Leg(
                instrument="SPX",
                right="p",
                strike=4800.0,
                expiry=expiry,
                quantity=-1,
                opened_by="base_condor",
                layer="core",
            ),
            Leg(
                instrument="SPX",
                right="p",
                strike=4750.0,
                expiry=expiry,
                quantity=1,
                opened_by="base_condor",
                layer="core",
            ),
        ),
    )
    portfolio = Portfolio(positions=(condor,), capital=250_000.0, risk_budget=5_000.0)
    chain = OptionChain(
        as_of=dt.date(2024, 8, 5),
        spot=5186.33,
        quotes=(OptionQuote(strike=5000.0, expiry=expiry, right="p", bid=60.0, ask=62.0, iv=0.3),),
    )
    snapshot = demo_history.snapshot("2024-08-05", portfolio=portfolio, chain=chain)
    assert snapshot.capital == 250_000.0 and snapshot.risk_budget == 5_000.0
    assert snapshot.vol_surface() is snapshot.chain
    again = MarketSnapshot.model_validate_json(snapshot.model_dump_json())
    assert again == snapshot
    assert again.portfolio is not None and again.portfolio.legs[0].layer == "core"


def test_published_json_schema_is_up_to_date() -> None:
    from importlib import resources

    shipped = resources.files("alvh_rules.data") / "market_snapshot.schema.json"
    assert json.loads(shipped.read_text("utf-8")) == snapshot_json_schema(), (
        "regenerate alvh_rules/data/market_snapshot.schema.json (see docs/data.md)"
    )


def test_snapshot_one_session_past_the_end_is_live(demo_history: History) -> None:
    # The demo ends Friday 2024-08-09; Monday's snapshot carries the slow values.
    live = demo_history.snapshot(_moment("2024-08-12", 10, 0))
    assert live.today == dt.date(2024, 8, 12)
    assert len(live.dates) == len(demo_history.daily) + 1
    assert len(demo_history.snapshot(_moment("2024-08-12", 10, 0), lookback=5).dates) == 5
    assert math.isnan(live.value("spx")) and math.isnan(live.value("vix"))
    assert live.value("roe") == demo_history.daily["roe"].iloc[-1]
    quoted = live.with_values({"spx": 5350.0, "vix": 20.0, "vix_f1": 19.5})
    assert quoted.value("vix_basis") == pytest.approx(-0.5)
    assert not math.isnan(quoted.value("spx_rv20"))


def test_snapshot_outside_the_history_is_refused(demo_history: History) -> None:
    with pytest.raises(ValueError, match="history ends on 2024-08-09"):
        demo_history.snapshot("2024-09-03")
    with pytest.raises(ValueError, match="before the history's first day"):
        demo_history.snapshot("2020-01-02")


def test_within_is_unknown_past_the_calendar(real_history: History) -> None:
    snapshot = real_history.snapshot("2026-08-19", lookback=5)
    assert snapshot.within("cpi", 2) is None
    assert snapshot.within("vix_expiry", 0) is True
    assert snapshot.within("fomc", 1) is False  # 2026-07-29 and 2026-09-16 are far
