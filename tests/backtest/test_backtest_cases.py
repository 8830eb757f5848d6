"""Cases computed independently: a 45-day iron condor held to expiry on a real month (credit,
settlement at the SPX open of an AM-settled monthly, fees), and a ruleset that never trades
(it ends with exactly the T-bill interest)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from backtest_support import CAPITAL, SHARED_DATA, fixture_ruleset

from alvh_rules.backtesting.api import backtest
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History

SLIPPAGE_POINTS = 0.05  # 5 $ per contract on a 100 multiplier
PER_CONTRACT = 0.65 + 0.85


def test_condor_held_to_expiry_on_a_real_month(real_history: History) -> None:
    ruleset = fixture_ruleset("held_condor")
    run = backtest(ruleset, real_history, "2019-01-02", "2019-02-15", capital=CAPITAL)
    # What evaluate opens on the first day, with nothing held, priced at the model's mid.
    decision = evaluate(ruleset, real_history.snapshot("2019-01-02", capital=CAPITAL))
    (action,) = decision.actions
    # the listed monthly nearest 45 days: the third Friday of February 2019, AM-settled
    assert {leg.expiry for leg in action.legs} == {"2019-02-15"}
    credit = fees = 0.0
    for leg in action.legs:
        fill = leg.price + SLIPPAGE_POINTS if leg.quantity > 0 else leg.price - SLIPPAGE_POINTS
        credit -= leg.quantity * max(fill, 0.0) * 100
        fees += abs(leg.quantity) * PER_CONTRACT
    # The settlement value: the SPX open of 2019-02-15, read from the CSV itself.
    csv = pd.read_csv(SHARED_DATA / "spx_daily.csv", index_col="date")
    settle = float(csv.loc["2019-02-15", "open"])
    payoff = 0.0
    for leg in action.legs:
        assert leg.strike is not None
        intrinsic = max(settle - leg.strike, 0) if leg.right == "c" else max(leg.strike - settle, 0)
        payoff += leg.quantity * intrinsic * 100
    closed = run.closed.set_index("position").loc["condor#1"]
    assert closed["opened"] == "2019-01-02" and closed["date"] == "2019-02-15"
    assert abs(closed["pnl"] - (credit + payoff - fees)) < 1e-6
    assert abs(closed["credit"] - credit) < 1e-6
    trades = run.trades
    settled = trades[(trades["position"] == "condor#1") & (trades["effect"] == "settle")]
    assert len(settled) == 4 and settled["reason"].str.contains("spx_open on 2019-02-15").all()
    assert settled["fees"].sum() == 0.0


def test_a_ruleset_that_never_trades_earns_the_tbill_interest(real_history: History) -> None:
    never = fixture_ruleset("never")
    run = backtest(never, real_history, "2018-01-02", "2020-12-31", capital=CAPITAL)
    assert run.trades.empty and run.summary["trades"] == 0
    daily = real_history.daily.loc["2018-01-02":"2020-12-31"]
    discount = daily["risk_free"].ffill().to_numpy()
    days = np.diff(daily.index.to_numpy()).astype("timedelta64[D]").astype(float)
    continuous = -np.log(1 - discount[:-1] * 91 / 360) * 365 / 91
    expected = CAPITAL * math.exp(float(np.sum(continuous * days / 365)))
    final = run.daily["equity"].iloc[-1]
    assert abs(final - expected) < 1e-6 * CAPITAL / 1e6  # a micro-dollar per million
    assert abs(run.summary["interest"] - (expected - CAPITAL)) < 1e-6
    assert (run.daily["marked_value"] == 0).all() and (run.daily["margin_used"] == 0).all()
    assert math.isnan(run.summary["sharpe"])  # cash alone: no excess return to measure


def test_fixed_capital_sizes_from_the_start(real_history: History) -> None:
    held = fixture_ruleset("held_condor")
    run = backtest(
        held, real_history, "2019-01-02", "2019-02-28", capital=CAPITAL, fixed_capital=True
    )
    assert {capital for _, capital in run.holdings.values()} == {CAPITAL}
    assert run.daily["equity"].iloc[-1] != CAPITAL
