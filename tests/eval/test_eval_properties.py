"""Properties: replay equals per-day evaluate; removing a field never flips a rule to another
known state and is named among the missing values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alvh_rules.check import Ruleset, load
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.replay import replay
from alvh_rules.market import History

FIXTURE = Path(__file__).parent / "fixtures" / "layered.alvh"
CAPITAL = {"capital": 1_000_000.0, "risk_budget": 100_000.0}


@pytest.fixture(scope="module")
def layered() -> Ruleset:
    return load(FIXTURE)


def _agree(ruleset: Ruleset, history: History, timeline: pd.DataFrame, day: pd.Timestamp) -> None:
    decision = evaluate(ruleset, history.snapshot(day.date(), **CAPITAL))
    row = timeline.loc[day]
    assert {name: row[name] for name in decision.states} == dict(decision.states), day
    assert (decision.regime or "unknown") == row["regime"]


SIGNALS = Path(__file__).parent / "fixtures" / "signals.alvh"


@pytest.fixture(scope="module")
def signals() -> Ruleset:
    """Rules on market data only (no proposed positions): replay runs over decades fast."""
    return load(SIGNALS)


def test_replay_equals_evaluate_on_demo_days(layered: Ruleset, demo_history: History) -> None:
    start = demo_history.index[-25]
    timeline = replay(layered, demo_history, start=start.date(), **CAPITAL)
    assert len(timeline) == 25 and timeline.index[0] == start
    for day in timeline.index:
        _agree(layered, demo_history, timeline, day)


@pytest.fixture(scope="module")
def real_timeline(signals: Ruleset, real_history: History) -> pd.DataFrame:
    return replay(signals, real_history, start="1990-01-02", **CAPITAL)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=0, max_value=10**9))
def test_replay_equals_evaluate_on_real_days(
    signals: Ruleset, real_history: History, real_timeline: pd.DataFrame, seed: int
) -> None:
    day = real_timeline.index[seed % len(real_timeline)]
    _agree(signals, real_history, real_timeline, day)


@pytest.mark.parametrize("day", ["2008-10-10", "2017-11-03", "2020-03-16", "2024-08-05"])
def test_replay_equals_evaluate_on_named_days(
    signals: Ruleset, layered: Ruleset, real_history: History, real_timeline: pd.DataFrame, day: str
) -> None:
    _agree(signals, real_history, real_timeline, pd.Timestamp(day))
    around = replay(layered, real_history, start=day, end=day, **CAPITAL)
    _agree(layered, real_history, around, pd.Timestamp(day))


def test_removing_a_field_only_ever_makes_rules_unknown(
    layered: Ruleset, demo_history: History
) -> None:
    snapshot = demo_history.snapshot(demo_history.index[-1].date(), **CAPITAL)
    base = evaluate(layered, snapshot)
    read = sorted(layered.history_needed())
    assert {"vix", "roe", "vix_basis", "spx"} <= set(read)
    for field in read:
        series = dict(snapshot.series_values)
        series[field] = np.full(len(series[field]), np.nan)
        removed = evaluate(layered, snapshot.model_copy(update={"series_values": series}))
        changed = [r for r in base.states if removed.states[r] != base.states[r]]
        for rule in changed:
            assert removed.states[rule] in ("unknown", "blocked"), (
                field,
                rule,
                removed.states[rule],
            )
        if changed:
            named = " ".join(m.name + " " + m.reason for m in removed.missing)
            assert field in named, (field, removed.missing)
