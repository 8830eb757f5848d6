"""The zero-equity path (docs/backtest.md, decision at the close): three short VX futures on
25,000 $ from January 2018 lose more than the account on 2018-02-05, when the front future
more than doubled in one session. From the first close with equity at or below zero no
decision is made and nothing is opened; the margin call closes the position at that close;
cash keeps its interest; the books still balance and the summary's return ratios stop at the
ruin."""

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

CAPITAL = 25_000.0


@pytest.fixture(scope="module")
def ruined(real_history: History) -> Backtest:
    return backtest(
        FIXTURES / "short_vx.alvh", real_history, "2018-01-02", "2018-04-30", capital=CAPITAL
    )


def test_no_decision_and_no_opening_once_the_equity_is_gone(ruined: Backtest) -> None:
    daily, trades = ruined.daily, ruined.trades
    below = daily.index[daily["equity"] <= 0]
    assert len(below) > 0
    first = int(below[0])
    ruin_day = str(daily["date"].iloc[first])
    assert ruin_day == "2018-02-05"  # the front VX future 15.6 -> 33.2 in one session
    # the decision of a day sees the equity of its close before any action: from the ruin on
    # every day has one `decide` row not taken, with the equity it saw
    later = trades[trades["date"] >= ruin_day]
    notes = later[later["action"] == "decide"]
    assert list(notes["date"]) == list(daily["date"].iloc[first:])
    assert set(notes["status"]) == {"not taken"}
    assert notes["reason"].str.fullmatch(r"equity -[\d,]+\.\d\d \$ <= 0: no decision").all()
    assert not ((later["status"] == "filled") & (later["effect"] == "open")).any()
    assert (trades[trades["date"] < ruin_day]["action"] != "decide").all()


def test_the_margin_call_closes_the_ruined_book_at_that_close(ruined: Backtest) -> None:
    daily, trades = ruined.daily, ruined.trades
    called = trades[trades["rule"] == "margin call"]
    assert list(called["date"]) == ["2018-02-05"] and list(called["position"]) == ["short_vx#1"]
    assert list(called["status"]) == ["filled"] and list(called["quantity"]) == [3]
    assert (
        called["reason"]
        .str.match(r"margin call: margin used [\d,.]+ \$ exceeds the equity -")
        .all()
    )
    assert ruined.summary["margin_calls"] == 1
    held = daily.set_index("date")["positions"]
    assert (held[held.index < "2018-02-05"] == 1).all()
    assert (held[held.index >= "2018-02-05"] == 0).all()
    # the loss stays with the rule that opened the position, and exceeds the account
    closed = ruined.closed.set_index("position").loc["short_vx#1"]
    assert closed["rule"] == "short_vx" and closed["pnl"] < -CAPITAL


def test_cash_only_earns_its_interest_after_the_ruin(ruined: Backtest) -> None:
    daily = ruined.daily
    after = daily[daily["date"] > "2018-02-05"]
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
    first, second = per_year(daily, opened, 10_000.0)
    assert first["return"] == pytest.approx(-1.2) and first["pnl"] == pytest.approx(-12_000)
    assert math.isnan(second["return"]) and second["pnl"] == pytest.approx(0.0)
