"""`resize` in the backtest: only the difference is traded, on the held legs; the holding
keeps its name and P&L (it is not closed); cash, fees, quantities by hand on a real day
(7 -> 10 and 10 -> 7); the accounting identities, the agreement with `evaluate` and
determinism over a run that resizes up and down."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from backtest_support import CAPITAL, RISK_BUDGET, fixture_ruleset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alvh_rules.backtesting.actions import Pricing
from alvh_rules.backtesting.api import Backtest, backtest
from alvh_rules.backtesting.book import Holding, mark_of, mid_prices
from alvh_rules.backtesting.costs import Costs
from alvh_rules.backtesting.resizing import resize_holding
from alvh_rules.eval.decision import Action
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.session import EvaluationSession
from alvh_rules.greeks.legs import Leg, Position
from alvh_rules.market import History

TOLERANCE = 1e-6  # dollars
FIRST, LAST = "2020-01-02", "2020-06-30"
DAY = dt.date(2020, 2, 24)
PER_CONTRACT = 0.65 + 0.85  # commission and fees
SLIPPAGE = 5.0 / 100  # 5 $ per contract, per unit of a VIX option (multiplier 100)


@pytest.fixture(scope="module")
def resized_run(real_history: History) -> Backtest:
    return backtest(
        fixture_ruleset("resized"),
        real_history,
        FIRST,
        LAST,
        capital=CAPITAL,
        risk_budget=RISK_BUDGET,
        keep_decisions=True,
    )


def _spread(contracts: int) -> list[Leg]:
    """A VIX call spread of `contracts` (15/20, March 2020 expiry) held since 2020-02-18."""
    expiry = dt.date(2020, 3, 18)
    return [
        Leg(
            instrument="VIX",
            right="c",
            strike=15,
            expiry=expiry,
            quantity=contracts,
            entry_price=2.0,
        ),
        Leg(
            instrument="VIX",
            right="c",
            strike=20,
            expiry=expiry,
            quantity=-contracts,
            entry_price=0.6,
        ),
    ]


def _pricing(real_history: History) -> Pricing:
    session = EvaluationSession(fixture_ruleset("resized"), real_history)
    return Pricing(DAY, session.day_context(session.index_of(DAY)), Costs())


@pytest.mark.parametrize(("held", "new"), [(7, 10), (10, 7)])
def test_a_resize_by_hand_on_a_real_day(real_history: History, held: int, new: int) -> None:
    pricing = _pricing(real_history)
    legs = _spread(held)
    holding = Holding(Position(name="hedge#4", legs=tuple(legs)), "hedge", "layer", DAY, 700.0)
    holding.cash, holding.credit = -980.0, 0.0
    action = Action(rule="rebalance", kind="resize", target="hedge", contracts=new)
    change = resize_holding(holding, action, pricing, "out of its band")
    mids = mid_prices(legs, pricing.ctx)
    assert mids is not None and not change.refused
    traded = new - held
    cash = fees = 0.0
    for leg, mid, row in zip(legs, mids, change.rows, strict=True):
        quantity = int(math.copysign(1, leg.quantity)) * traded
        price = max(mid + math.copysign(SLIPPAGE, quantity), 0.0)
        assert row["quantity"] == quantity and row["action"] == "resize"
        assert row["effect"] == ("open" if traded > 0 else "close")
        assert row["rule"] == "rebalance" and row["position"] == "hedge#4"
        assert abs(row["price"] - price) < 1e-12 and row["fees"] == abs(quantity) * PER_CONTRACT
        cash += -quantity * price * 100
        fees += abs(quantity) * PER_CONTRACT
    assert abs(change.cash - cash) < TOLERANCE and abs(change.fees - fees) < TOLERANCE
    assert change.flows == {"hedge": pytest.approx(cash, abs=TOLERANCE)}
    assert change.removed == [] and change.replaced == [holding]
    (copy,) = change.added
    assert copy.name == "hedge#4" and copy.opened == DAY and copy.rule == "hedge"
    assert [leg.quantity for leg in copy.position.legs] == [new, -new]
    assert abs(copy.cash - (-980.0 + cash - fees)) < TOLERANCE
    entries = [leg.entry_price for leg in copy.position.legs]
    if traded > 0:  # added contracts average into the entry price
        fills = [row["price"] for row in change.rows]
        assert entries == pytest.approx(
            [(2.0 * 7 + fills[0] * 3) / 10, (0.6 * 7 + fills[1] * 3) / 10]
        )
    else:
        assert entries == [2.0, 0.6]
    mark = mark_of(copy, pricing.ctx)
    assert mark is not None and copy.mark == mark


def test_a_resize_to_the_held_count_trades_nothing_and_to_zero_closes(
    real_history: History,
) -> None:
    pricing = _pricing(real_history)
    holding = Holding(
        Position(name="hedge#4", legs=tuple(_spread(7))), "hedge", "layer", DAY, 700.0
    )
    same = resize_holding(
        holding, Action(rule="r", kind="resize", target="hedge", contracts=7), pricing, ""
    )
    assert not same.rows and not same.added and not same.replaced and same.cash == 0.0
    none = resize_holding(
        holding, Action(rule="r", kind="resize", target="hedge", contracts=0), pricing, ""
    )
    assert none.removed == [holding] and not none.added
    assert {row["effect"] for row in none.rows} == {"close"}


def test_the_run_resizes_up_and_down_on_the_same_legs(resized_run: Backtest) -> None:
    trades = resized_run.trades
    resizes = trades[(trades["action"] == "resize") & (trades["status"] == "filled")]
    assert set(resizes["effect"]) == {"open", "close"} and set(resizes["rule"]) == {"rebalance"}
    opened = trades[(trades["action"] == "open") & (trades["status"] == "filled")]
    for (day, name), rows in resizes.groupby(["date", "position"]):
        decision, portfolio, _ = resized_run.decisions[dt.date.fromisoformat(str(day))]
        (action,) = [a for a in decision.actions if a.kind == "resize"]
        assert portfolio is not None
        (held,) = [p for p in portfolio.positions if p.name == name]
        before = abs(held.legs[0].quantity)
        assert action.note.startswith(f"resize hedge from {before} to {action.contracts}")
        for leg, quantity in zip(held.legs, rows["quantity"], strict=True):
            assert quantity == leg.quantity // before * (action.contracts - before)
        # the same strikes and expiries as when the position was opened
        first = opened[opened["position"] == name]
        assert sorted(rows["strike"]) == sorted(first["strike"])
        assert set(rows["expiry"]) == set(first["expiry"])
    assert not resized_run.closed["position"].duplicated().any()  # a resize closes nothing


def test_the_books_balance_over_a_run_with_resizes(resized_run: Backtest) -> None:
    daily, trades = resized_run.daily, resized_run.trades
    np.testing.assert_allclose(
        daily["equity"], daily["cash"] + daily["marked_value"], rtol=0, atol=TOLERANCE
    )
    pnl = np.diff(np.concatenate([[CAPITAL], daily["equity"].to_numpy()]))
    by_greek = resized_run.attribution.drop(columns=["date", "pnl"]).sum(axis=1)
    by_rule = resized_run.attribution_by_rule.drop(columns="date").sum(axis=1)
    np.testing.assert_allclose(by_greek, pnl, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(by_rule, pnl, rtol=0, atol=TOLERANCE)
    expected = CAPITAL + daily["interest"].sum() + trades["cash"].sum() - trades["fees"].sum()
    assert abs(daily["cash"].iloc[-1] - expected) < TOLERANCE
    filled = trades[trades["status"] == "filled"]
    flows = filled.groupby("position")["cash"].sum() - filled.groupby("position")["fees"].sum()
    closed = resized_run.closed.set_index("position")["pnl"]
    pd.testing.assert_series_equal(  # resize fills count in the P&L of the position closed later
        closed.sort_index(), flows[closed.index].sort_index(), check_names=False, atol=1e-6
    )


def test_the_decision_acted_on_equals_evaluate(
    resized_run: Backtest, real_history: History
) -> None:
    ruleset = fixture_ruleset("resized")
    trades = resized_run.trades
    days = sorted(set(trades.loc[trades["action"] == "resize", "date"]))[:10]
    assert days
    for text in days:
        decision, portfolio, capital = resized_run.decisions[dt.date.fromisoformat(text)]
        snapshot = real_history.snapshot(
            text, portfolio=portfolio, capital=capital, risk_budget=RISK_BUDGET
        )
        expected = evaluate(ruleset, snapshot, explain=False)
        mine, theirs = decision.model_dump(), expected.model_dump()
        mine["provenance"].pop("snapshot_hash")
        theirs["provenance"].pop("snapshot_hash")
        assert mine == theirs, text


def test_a_run_with_resizes_is_deterministic(resized_run: Backtest, real_history: History) -> None:
    again = backtest(
        fixture_ruleset("resized"),
        real_history,
        FIRST,
        LAST,
        capital=CAPITAL,
        risk_budget=RISK_BUDGET,
    )
    for table in ("trades", "daily", "attribution", "attribution_by_rule", "marks", "closed"):
        pd.testing.assert_frame_equal(getattr(resized_run, table), getattr(again, table))


def test_a_resize_that_would_breach_a_limit_is_not_taken(real_history: History) -> None:
    run = backtest(
        fixture_ruleset("resize_limit"),
        real_history,
        "2020-01-02",
        "2020-02-20",
        capital=CAPITAL,
        keep_decisions=True,
    )
    trades = run.trades
    refused = trades[(trades["action"] == "resize") & (trades["status"] == "not taken")]
    assert len(refused) >= 3
    assert refused["reason"].str.startswith("limit max_short_vega would be breached").all()
    assert (trades.loc[trades["action"] == "resize", "status"] == "filled").any()
    days = sorted(run.holdings)
    for text in refused["date"]:
        day = dt.date.fromisoformat(text)
        before, after = run.holdings[day][0], run.holdings[days[days.index(day) + 1]][0]
        assert before is not None and after is not None
        # nothing traded: the next day holds the same condor with the same quantities
        assert [p.legs for p in before.positions] == [p.legs for p in after.positions]
        (action,) = [a for a in run.decisions[day][0].actions if a.kind == "resize"]
        assert action.contracts > abs(before.positions[0].legs[0].quantity)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(held=st.integers(1, 30), new=st.integers(0, 40))
def test_a_resize_costs_exactly_its_slippage_and_fees(
    real_history: History, held: int, new: int
) -> None:
    """Valued at the same mids, the book loses only the slippage (5 $ a contract traded)
    and the fees: cash paid or received plus the change of the marked value."""
    pricing = _pricing(real_history)
    holding = Holding(
        Position(name="hedge#4", legs=tuple(_spread(held))), "hedge", "layer", DAY, None
    )
    before = mark_of(holding, pricing.ctx)
    assert before is not None
    change = resize_holding(
        holding, Action(rule="r", kind="resize", target="hedge", contracts=new), pricing, ""
    )
    after = sum(h.mark.value for h in change.added)
    contracts = sum(abs(row["quantity"]) for row in change.rows)
    assert contracts == 2 * abs(new - held)
    assert change.fees == pytest.approx(contracts * PER_CONTRACT, abs=1e-9)
    if new == held:  # nothing traded: the holding stays as it is
        assert not change.rows and not change.added and change.cash == 0.0
        return
    pnl = after - before.value + change.cash - change.fees
    assert pnl == pytest.approx(-contracts * 5.0 - change.fees, abs=1e-6)


def test_a_resize_keeps_the_opening_day(real_history: History) -> None:
    pricing = _pricing(real_history)
    opened = DAY - dt.timedelta(days=20)
    holding = Holding(
        Position(name="hedge#4", legs=tuple(_spread(7)), opened=opened),
        "hedge",
        "layer",
        opened,
        700.0,
    )
    action = Action(rule="rebalance", kind="resize", target="hedge", contracts=10)
    change = resize_holding(holding, action, pricing, "out of its band")
    (copy,) = change.added
    assert copy.opened == opened and copy.position.opened == opened  # days held go on
