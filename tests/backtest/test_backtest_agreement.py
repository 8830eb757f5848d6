"""The decision a backtest acts on is `evaluate` on that day's snapshot with the backtest's
holdings; cutting the history after any day leaves everything up to that day unchanged."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest
from backtest_support import CAPITAL, RISK_BUDGET, fixture_ruleset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alvh_rules.backtesting.api import Backtest, backtest
from alvh_rules.eval.decision import Decision
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History


def _comparable(decision: Decision) -> dict[str, object]:
    dump = decision.model_dump()
    dump["provenance"].pop("snapshot_hash")  # the session hashes the day and the portfolio
    return dump


def test_the_decision_acted_on_equals_evaluate(
    layered_run: Backtest, real_history: History
) -> None:
    ruleset = fixture_ruleset("layered")
    decisions = layered_run.decisions
    trading = sorted({dt.date.fromisoformat(d) for d in layered_run.trades["date"]})
    held = [day for day, (_, portfolio, _) in decisions.items() if portfolio is not None]
    days = sorted({*trading[:12], *random.Random(7).sample(held, 8)})
    for day in days:
        decision, portfolio, capital = decisions[day]
        snapshot = real_history.snapshot(
            day, portfolio=portfolio, capital=capital, risk_budget=RISK_BUDGET
        )
        expected = evaluate(ruleset, snapshot, explain=False)
        assert _comparable(decision) == _comparable(expected), day


def test_every_fill_comes_from_an_action_of_that_days_decision(layered_run: Backtest) -> None:
    trades = layered_run.trades
    opens = trades[(trades["status"] == "filled") & (trades["action"] == "open")]
    for (day, rule), rows in opens.groupby(["date", "rule"]):
        decision, _, _ = layered_run.decisions[dt.date.fromisoformat(str(day))]
        (action,) = [a for a in decision.actions if a.rule == rule and a.kind == "open"]
        assert sorted(rows["quantity"]) == sorted(leg.quantity for leg in action.legs)
        assert sorted(rows["mid"].round(4)) == sorted(leg.price for leg in action.legs)


FIRST, LAST = "2020-01-02", "2020-04-30"


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fraction=st.floats(min_value=0.05, max_value=0.95))
def test_no_lookahead(real_history: History, fraction: float) -> None:
    ruleset = fixture_ruleset("layered")
    days = real_history.daily.loc[FIRST:LAST].index
    cut = days[int(fraction * (len(days) - 1))].date().isoformat()
    options = {"capital": CAPITAL, "risk_budget": RISK_BUDGET}
    whole = backtest(ruleset, real_history, FIRST, LAST, **options)
    cut_run = backtest(ruleset, real_history, FIRST, cut, **options)
    for table in ("trades", "daily", "attribution", "attribution_by_rule", "marks"):
        full = getattr(whole, table)
        part = getattr(cut_run, table)
        pd.testing.assert_frame_equal(
            full[full["date"] <= cut].reset_index(drop=True),
            part.reset_index(drop=True),
            check_like=False,
            obj=f"{table} through {cut}",
        )


def test_skipping_days_where_no_action_can_fire_changes_nothing(
    layered_run: Backtest, real_history: History
) -> None:
    """The default run decides in full only on days where an action rule fires or is unknown
    without the proposals; `keep_decisions` decides in full every day: the same run."""
    fast = backtest(
        fixture_ruleset("layered"),
        real_history,
        "2020-01-02",
        "2020-06-30",
        capital=CAPITAL,
        risk_budget=RISK_BUDGET,
    )
    for table in ("trades", "daily", "attribution", "attribution_by_rule", "marks", "closed"):
        pd.testing.assert_frame_equal(getattr(fast, table), getattr(layered_run, table))
    assert fast.summary == layered_run.summary or str(fast.summary) == str(layered_run.summary)
    assert len(layered_run.decisions) == len(layered_run.daily)


def test_without_a_risk_budget_it_is_unknown_also_with_positions_held(
    real_history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No risk budget given: every decision sees it unknown (NaN), not the 0 a Portfolio
    would otherwise carry on the days positions are held."""
    from alvh_rules.eval.session import EvaluationSession

    seen: list[tuple[bool, float]] = []
    decide = EvaluationSession.decide

    def spy(self: EvaluationSession, index: int, portfolio: object, *args: object, **kw: object):  # type: ignore[no-untyped-def]
        seen.append((portfolio is not None, float(args[1])))  # type: ignore[arg-type]
        return decide(self, index, portfolio, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(EvaluationSession, "decide", spy)
    held = fixture_ruleset("held_condor")
    backtest(held, real_history, "2019-01-02", "2019-01-10", capital=CAPITAL)
    assert any(with_positions for with_positions, _ in seen)
    assert all(np.isnan(budget) for _, budget in seen)
