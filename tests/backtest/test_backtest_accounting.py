"""Accounting identities of a run on real data: equity is cash plus the marked value, the
attribution tables sum to each day's P&L, fees and cash reconcile with the trade log."""

from __future__ import annotations

import numpy as np
import pandas as pd
from backtest_support import CAPITAL

from alvh_rules.backtesting.api import Backtest

TOLERANCE = 1e-6  # dollars


def test_the_run_takes_every_kind_of_action(layered_run: Backtest) -> None:
    trades = layered_run.trades
    filled = trades[trades["status"] == "filled"]
    assert {"open", "close", "roll_forward", "settle"} <= set(filled["action"])
    assert {"condor", "hedge"} <= set(filled["rule"])
    assert (trades["status"] == "not taken").any()
    assert trades.loc[trades["status"] == "not taken", "reason"].str.len().min() > 0


def test_equity_is_cash_plus_marked_value_every_day(layered_run: Backtest) -> None:
    daily = layered_run.daily
    marks = layered_run.marks.groupby("date")["value"].sum()
    marked = daily["date"].map(marks).fillna(0.0)
    np.testing.assert_allclose(daily["marked_value"], marked, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(
        daily["equity"], daily["cash"] + daily["marked_value"], rtol=0, atol=TOLERANCE
    )


def test_attribution_sums_to_each_days_pnl(layered_run: Backtest) -> None:
    daily = layered_run.daily
    pnl = np.diff(np.concatenate([[CAPITAL], daily["equity"].to_numpy()]))
    by_greek = layered_run.attribution.drop(columns=["date", "pnl"]).sum(axis=1)
    by_rule = layered_run.attribution_by_rule.drop(columns="date").sum(axis=1)
    np.testing.assert_allclose(by_greek, pnl, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(by_rule, pnl, rtol=0, atol=TOLERANCE)
    assert (layered_run.attribution_by_rule["condor"].abs() > 0).any()
    assert (layered_run.attribution["delta"].abs() > 0).any()


def test_fees_add_up_to_the_trade_logs(layered_run: Backtest) -> None:
    trades = layered_run.trades
    filled = trades[(trades["status"] == "filled") & (trades["effect"] != "settle")]
    settings = layered_run.settings.costs
    per_contract = settings.commission + settings.fees
    np.testing.assert_allclose(trades["fees"].sum(), layered_run.daily["fees"].sum(), atol=1e-9)
    np.testing.assert_allclose(
        trades["fees"].sum(), filled["quantity"].abs().sum() * per_contract, atol=1e-9
    )
    assert layered_run.summary["fees"] == trades["fees"].sum()


def test_cash_reconciles_with_the_trade_log_and_interest(layered_run: Backtest) -> None:
    trades, daily = layered_run.trades, layered_run.daily
    expected = CAPITAL + daily["interest"].sum() + trades["cash"].sum() - trades["fees"].sum()
    assert abs(daily["cash"].iloc[-1] - expected) < TOLERANCE


def test_closed_positions_pnl_adds_to_their_cash_flows(layered_run: Backtest) -> None:
    trades = layered_run.trades
    filled = trades[trades["status"] == "filled"]
    flows = filled.groupby("position")["cash"].sum() - filled.groupby("position")["fees"].sum()
    closed = layered_run.closed.set_index("position")["pnl"]
    pd.testing.assert_series_equal(
        closed.sort_index(), flows[closed.index].sort_index(), check_names=False, atol=1e-6
    )


def test_margin_drawdown_and_positions_are_plausible(layered_run: Backtest) -> None:
    daily = layered_run.daily
    assert (daily["margin_used"] >= 0).all()
    assert (daily["margin_used"] > 0).any()
    assert (daily["drawdown"] <= 1e-12).all()
    assert (daily["carried"] == 0).all()
    assert set(layered_run.summary) >= {"cagr", "sharpe", "max_drawdown", "per_year"}


def test_sizing_sees_the_current_equity(layered_run: Backtest) -> None:
    """On a day without fills the close's equity is what the decision saw as capital."""
    traded = set(layered_run.trades.loc[layered_run.trades["status"] == "filled", "date"])
    equity = dict(zip(layered_run.daily["date"], layered_run.daily["equity"], strict=True))
    quiet = [day for day in layered_run.holdings if day.isoformat() not in traded]
    assert len(quiet) > 50
    for day in quiet:
        assert abs(layered_run.holdings[day][1] - equity[day.isoformat()]) < 1e-6, day
