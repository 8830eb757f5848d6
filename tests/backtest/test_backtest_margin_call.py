"""The margin call (docs/backtest.md, "Margin"): forty naked strangles on 1,000,000 $ through
the autumn of 2008. When the margin used outgrows the equity at a close, whole positions are
closed at that close, the largest requirement first, until it fits; the trade log names the
call and its figures, the P&L stays with the opening rule, and the books still balance."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from backtest_support import FIXTURES

from alvh_rules.backtesting.api import Backtest, backtest
from alvh_rules.backtesting.margin_call import MARGIN_CALL
from alvh_rules.market import History

CAPITAL = 1_000_000.0
CALL = re.compile(
    r"margin call: margin used ([\d,.]+) \$ exceeds the equity (-?[\d,.]+) \$; "
    r"(\S+) reserves the most \(([\d,.]+) \$\)"
)


@pytest.fixture(scope="module")
def called(real_history: History) -> Backtest:
    return backtest(
        FIXTURES / "naked_strangles.alvh",
        real_history,
        "2008-08-01",
        "2008-12-31",
        capital=CAPITAL,
    )


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_every_close_ends_with_the_margin_within_the_equity(called: Backtest) -> None:
    daily = called.daily
    fits = (daily["margin_used"] <= daily["equity"]) | (daily["positions"] == 0)
    assert fits.all(), daily.loc[~fits, ["date", "equity", "margin_used"]]
    # without the call the book would have needed 7.5 times its equity on 2008-10-10
    assert called.summary["margin_calls"] >= 1


def test_each_call_closes_the_whole_position_that_reserves_the_most(called: Backtest) -> None:
    trades = called.trades
    rows = trades[trades["rule"] == MARGIN_CALL]
    assert len(rows) and set(rows["status"]) == {"filled"} and set(rows["action"]) == {"close"}
    equity_at = called.daily.set_index("date")["equity"]
    calls_on = rows.groupby("date")["position"].nunique()
    for (day_key, name), legs in rows.groupby(["date", "position"]):
        day = str(day_key)
        found = CALL.fullmatch(legs["reason"].iloc[0])
        assert found is not None
        used, equity, named, largest = found.groups()
        assert named == name and _number(used) > _number(equity)
        assert _number(largest) <= _number(used)
        if calls_on[day] == 1:  # the equity it saw: the close's, before the costs of closing
            cost = (legs["quantity"].abs() * 100 * (legs["price"] - legs["mid"]).abs()).sum()
            before = equity_at[day] + cost + legs["fees"].sum()
            assert _number(equity) == pytest.approx(before, abs=0.01)
        opened = trades[(trades["position"] == name) & (trades["effect"] == "open")]
        # every leg bought or sold back in full
        assert sorted(legs["quantity"]) == sorted(-opened["quantity"])
        assert (legs["fees"] > 0).all()
    positions = rows["position"].nunique()
    assert called.summary["margin_calls"] == positions


def test_the_loss_stays_with_the_opening_rule_and_the_books_balance(called: Backtest) -> None:
    closed = called.closed
    assert set(closed["rule"]) == {"strangle"}
    daily = called.daily
    np.testing.assert_allclose(
        daily["equity"], daily["cash"] + daily["marked_value"], rtol=0, atol=1e-6
    )
    assert MARGIN_CALL not in called.attribution_by_rule.columns
    by_rule = called.attribution_by_rule.drop(columns="date").sum(axis=1)
    np.testing.assert_allclose(by_rule, daily["pnl"], rtol=0, atol=1e-6)
    fees = pd.to_numeric(called.trades["fees"]).sum()
    assert fees == pytest.approx(daily["fees"].sum(), abs=1e-6)
