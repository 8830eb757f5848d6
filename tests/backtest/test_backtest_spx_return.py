"""`spx_price_return`: the index beside the strategy, SPX's change from the run's first
close to its last, recomputed from the history's own closes."""

from __future__ import annotations

import math

import pytest
from backtest_support import FIXTURES, summary_of_days

from alvh_rules.backtesting.api import backtest
from alvh_rules.market import History


def test_it_is_the_closes_of_the_first_and_last_day(real_history: History) -> None:
    run = backtest(
        FIXTURES / "held_condor.alvh", real_history, "2019-01-02", "2019-06-28", capital=1e6
    )
    spx = real_history.daily["spx"]
    expected = spx.loc["2019-06-28"] / spx.loc["2019-01-02"] - 1.0
    assert run.summary["spx_price_return"] == pytest.approx(expected, rel=1e-12)
    assert run.summary["spx_price_return"] > 0.15  # the first half of 2019: +17 %


def test_days_without_a_close_are_skipped_and_one_close_is_no_return() -> None:
    def spx_return(closes: list[float]) -> float:
        equity = [1e6] * len(closes)
        return float(summary_of_days(equity, 1e6, spx=closes)["spx_price_return"])

    assert spx_return([math.nan, 100.0, math.nan, 110.0, math.nan]) == pytest.approx(0.1)
    assert math.isnan(spx_return([math.nan, 100.0, math.nan]))
