"""Replay of a ruleset whose every entry reads what it would open (`position`, `stack`), over
two years of real history: it equals per-day evaluate, and the figures decide the states."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from alvh_rules.check import Ruleset, load
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.replay import replay
from alvh_rules.market import History

FIXTURE = Path(__file__).parent / "fixtures" / "proposals.alvh"
CAPITAL, RISK_BUDGET = 1_000_000.0, 100_000.0
ENTRIES = (
    "condor",
    "strangle",
    "put_spread",
    "call_spread",
    "straddle",
    "hedge",
    "hedge_spread",
    "future",
)


@pytest.fixture(scope="module")
def proposals_ruleset() -> Ruleset:
    return load(FIXTURE)


@pytest.fixture(scope="module")
def timeline(proposals_ruleset: Ruleset, real_history: History) -> pd.DataFrame:
    return replay(
        proposals_ruleset,
        real_history,
        start="2019-01-02",
        end="2020-12-31",
        capital=CAPITAL,
        risk_budget=RISK_BUDGET,
    )


def test_every_structure_both_fires_and_holds(timeline: pd.DataFrame) -> None:
    assert len(timeline) > 500
    for rule in ENTRIES:
        assert {"fires", "holds"} <= set(timeline[rule]), (rule, timeline[rule].value_counts())


def test_replay_equals_evaluate_on_sampled_real_days(
    proposals_ruleset: Ruleset, real_history: History, timeline: pd.DataFrame
) -> None:
    days = [*random.Random(11).sample(list(timeline.index), 10), pd.Timestamp("2020-03-16")]
    for day in days:
        snapshot = real_history.snapshot(day.date(), capital=CAPITAL, risk_budget=RISK_BUDGET)
        decision = evaluate(proposals_ruleset, snapshot)
        row = timeline.loc[day]
        assert {name: row[name] for name in decision.states} == dict(decision.states), day
        opened = {a.rule for a in decision.actions if a.kind == "open" and a.legs}
        assert opened == {r for r in ENTRIES if row[r] == "fires"}, day
