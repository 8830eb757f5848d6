"""The zero-equity path (docs/backtest.md, decision at the close): three short VX futures on
10,000 $ through February 2020 lose more than the account. From the first close with equity at
or below zero no decision is made and nothing is opened; the position held runs to its
settlement; cash keeps its interest; the books still balance and the summary's return ratios
stop at the ruin."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from backtest_support import FIXTURES

from alvh_rules.backtesting.api import Backtest, backtest
from alvh_rules.backtesting.summary import per_year
from alvh_rules.market import History

CAPITAL = 10_000.0


@pytest.fixture(scope="module")
def ruined(real_history: History) -> Backtest:
    return backtest(
        FIXTURES / "short_vx.alvh", real_history, "2020-01-02", "2020-04-30", capital=CAPITAL
    )


def test_no_decision_and_no_opening_once_the_equity_is_gone(ruined: Backtest) -> None:
    daily, trades = ruined.daily, ruined.trades
    below = daily.index[daily["equity"] <= 0]
    assert len(below) > 0
    first = int(below[0])
    ruin_day = str(daily["date"].iloc[first])
    assert ruin_day == "2020-02-25"  # VIX 17 -> 28 in two sessions
    # the decision of a day sees the equity of its close before any action: from the ruin on
    # every day has one `decide` row not taken, with the equity it saw
    later = trades[trades["date"] >= ruin_day]
    notes = later[later["action"] == "decide"]
    assert list(notes["date"]) == list(daily["date"].iloc[first:])
    assert set(notes["status"]) == {"not taken"}
    assert notes["reason"].str.fullmatch(r"equity -[\d,]+\.\d\d \$ <= 0: no decision").all()
    assert not ((later["status"] == "filled") & (later["effect"] == "open")).any()
    assert (trades[trades["date"] < ruin_day]["action"] != "decide").all()


def test_the_position_held_runs_to_its_settlement(ruined: Backtest) -> None:
    daily, trades = ruined.daily, ruined.trades
    settled = trades[(trades["action"] == "settle") & (trades["date"] > "2020-02-25")]
    assert list(settled["position"]) == ["short_vx#3"]
    day = str(settled["date"].iloc[0])
    assert day == "2020-03-18"  # the March VX expiry
    held = daily.set_index("date")["positions"]
    assert (held[held.index < day].iloc[-20:] == 1).all()
    assert (held[held.index >= day] == 0).all()
    # what the settlement paid is what the equity lost that day beyond the marks
    closed = ruined.closed.set_index("position").loc["short_vx#3"]
    assert closed["pnl"] < -CAPITAL


def test_cash_only_earns_its_interest_after_settlement(ruined: Backtest) -> None:
    daily = ruined.daily
    after = daily[daily["date"] > "2020-03-18"]
    assert (after["positions"] == 0).all() and (after["marked_value"] == 0).all()
    cash = after["cash"].to_numpy()
    expected = cash[:-1] * (1.0 + after["tbill_return"].to_numpy()[1:])
    np.testing.assert_allclose(cash[1:], expected, rtol=1e-12)
    np.testing.assert_allclose(
        daily["equity"], daily["cash"] + daily["marked_value"], rtol=0, atol=1e-6
    )


def test_the_summary_stops_its_return_ratios_at_the_ruin(ruined: Backtest) -> None:
    summary, daily = ruined.summary, ruined.daily
    equity = daily["equity"].to_numpy()
    previous = np.concatenate([[CAPITAL], equity[:-1]])
    growing = previous > 0
    returns = (equity - previous)[growing] / previous[growing]
    assert summary["ann_vol"] == pytest.approx(np.std(returns, ddof=1) * math.sqrt(252))
    assert summary["sharpe"] < 0 and summary["sortino"] < 0  # a loss, not a sign flipped
    assert summary["final_equity"] < 0 and summary["cagr"] == -1.0
    assert json.loads(ruined.summary_json())["per_year"][0]["return"] < -1.0


def test_a_year_that_starts_ruined_has_no_return() -> None:
    daily = pd.DataFrame(
        {
            "date": ["2020-12-30", "2020-12-31", "2021-01-04", "2021-01-05"],
            "equity": [5_000.0, -2_000.0, -2_100.0, -2_000.0],
            "fees": [0.0, 0.0, 0.0, 0.0],
        }
    )
    opened = pd.DataFrame(columns=["date", "position"])
    first, second = per_year(daily, opened, CAPITAL)
    assert first["return"] == pytest.approx(-1.2) and first["pnl"] == pytest.approx(-12_000)
    assert math.isnan(second["return"]) and second["pnl"] == pytest.approx(0.0)
