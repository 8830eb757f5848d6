"""`size ... costing at most AMOUNT`: as many structures as the sizing asks for, cut to what
the amount pays for at one structure's entry debit; the same count and words on the batch
path, the per-day path and a replay."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alvh_rules.check import Ruleset, check_text
from alvh_rules.eval import proposals
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.replay import replay
from alvh_rules.eval.sizing import cost_cut
from alvh_rules.market import History

Make = Callable[[str], Ruleset]

RULES = """
param budget = 20000$
entry capped:
    open long put dte 45d delta 25delta
    size contracts 100 costing at most budget
entry uncapped:
    open long put dte 45d delta 25delta
    size contracts 100
entry credit_side:
    open iron_condor dte 45d delta 16delta wings 25pt
    size contracts 10 costing at most 1$
entry unfunded:
    open long put dte 45d delta 25delta
    size contracts 100 costing at most roa * 1000000$
entry reads_capped:
    require stack.credit >= -budget
    open long put dte 45d delta 25delta
    size contracts 100 costing at most budget
"""
DAYS = ["2017-11-03", "2020-02-24", "2022-06-13"]


def _action(decision: Any, rule: str) -> Any:
    return next(a for a in decision.actions if a.rule == rule)


@pytest.mark.parametrize("day", DAYS)
def test_the_count_is_what_the_amount_pays_for(
    ruleset: Make, real_history: History, day: str
) -> None:
    decision = evaluate(ruleset(RULES), real_history.snapshot(pd.Timestamp(day).date()))
    free = _action(decision, "uncapped")
    debit = -float(free.figures["credit"]) / free.contracts  # independent: one put's debit
    assert free.contracts == 100 and debit > 0
    capped = _action(decision, "capped")
    assert capped.contracts == min(100, math.floor(20_000 / debit))
    assert capped.contracts * debit <= 20_000 < (capped.contracts + 1) * debit
    assert capped.sizing == f"100 contracts as written; costing at most 20,000$: {capped.contracts}"
    # the cut position is what `stack` and `position` read: its debit fits the budget
    assert decision.states["reads_capped"] == "fires"


def test_a_credit_is_not_cut(ruleset: Make, real_history: History) -> None:
    decision = evaluate(ruleset(RULES), real_history.snapshot(pd.Timestamp(DAYS[0]).date()))
    condor = _action(decision, "credit_side")
    assert condor.contracts == 10 and float(condor.figures["credit"]) > 0
    assert "costing" not in condor.sizing


def test_an_unknown_amount_makes_the_size_unknown(ruleset: Make, real_history: History) -> None:
    decision = evaluate(ruleset(RULES), real_history.snapshot(pd.Timestamp(DAYS[0]).date()))
    unfunded = next(r for r in decision.rules if r.name == "unfunded")
    assert not any(a.rule == "unfunded" and a.contracts for a in decision.actions)
    text = " ".join(a.sizing for a in decision.actions if a.rule == "unfunded")
    assert "the cost cap (`costing at most`) is unknown" in text + unfunded.summary


@pytest.mark.parametrize("day", DAYS)
def test_the_per_day_path_agrees_with_the_batch(
    ruleset: Make, real_history: History, day: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = ruleset(RULES)
    snapshot = real_history.snapshot(pd.Timestamp(day).date())
    batch = evaluate(rules, snapshot)

    def refuse_all(chunk: Any, *_: Any) -> Any:  # every day left to the per-day path
        return np.ones(chunk.days.size, dtype=bool)

    monkeypatch.setattr(proposals, "price_days", refuse_all)
    # a fresh snapshot: proposals are kept per snapshot, and these must be built anew
    per_day = evaluate(rules, real_history.snapshot(pd.Timestamp(day).date()))
    assert _action(per_day, "capped").contracts == _action(batch, "capped").contracts < 100
    for rule in ("capped", "credit_side", "unfunded"):
        got = [(a.contracts, a.sizing) for a in per_day.actions if a.rule == rule]
        assert got == [(a.contracts, a.sizing) for a in batch.actions if a.rule == rule], rule
    assert per_day.states == batch.states


def test_replay_agrees_with_evaluate(ruleset: Make, real_history: History) -> None:
    rules = ruleset(RULES)
    timeline = replay(rules, real_history, start="2020-02-03", end="2020-04-30")
    assert set(timeline["reads_capped"]) <= {"fires", "holds", "unknown", "blocked"}
    for day in list(timeline.index)[::9]:
        decision = evaluate(rules, real_history.snapshot(day.date()))
        row = timeline.loc[day]
        assert {name: row[name] for name in decision.states} == dict(decision.states), day


@given(
    count=st.integers(-2, 500),
    limit=st.floats(-1e5, 1e6, allow_nan=False),
    debit=st.floats(-1e4, 1e4, allow_nan=False).filter(lambda v: abs(v) > 1e-3),
)
def test_cost_cut_is_the_largest_affordable_count(count: int, limit: float, debit: float) -> None:
    [cut] = cost_cut(np.array([float(count)]), np.array([limit]), np.array([-debit]))
    if count <= 0 or debit < 0:  # nothing to cut, or a credit: it pays for itself
        assert cut == count
    else:
        assert 0 <= cut <= count
        affordable = max(0, math.floor(limit / debit + 1e-9))
        assert cut == min(count, affordable)


def test_cost_cut_is_unknown_when_the_amount_or_the_debit_is() -> None:
    counts = np.array([5.0, 5.0, 0.0])
    cut = cost_cut(counts, np.array([math.nan, 100.0, math.nan]), np.array([-10.0, math.nan, -1]))
    assert list(cut) == [-1.0, -1.0, 0.0]


def test_checker_wants_dollars() -> None:
    for amount, words in {"5%": "a percent", "20vp": "vol points"}.items():
        text = (
            "entry e:\n    open long put dte 45d delta 25delta\n"
            f"    size contracts 3 costing at most {amount}\n"
        )
        messages = [d.message for d in check_text(text, "c.alvh").errors]
        assert any("`costing at most` takes a number in $" in m and words in m for m in messages)
