"""Walk-forward and ranking: the best training point and its test figures, Spearman's rho
against scipy on the same pairs, drawdowns ranked by magnitude, failed points last; and a
walk-forward run end to end on Dask."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import spearmanr

from alvh_rules.check.ruleset import Ruleset
from alvh_rules.market.history import History
from alvh_rules.sweeping.api import walk_forward
from alvh_rules.sweeping.ranking import MetricError, ranked
from alvh_rules.sweeping.signals import signal_shares
from alvh_rules.sweeping.walkforward import walk_forward_result

PERIODS = (
    (dt.date(2010, 1, 4), dt.date(2015, 12, 31)),
    (dt.date(2016, 1, 4), dt.date(2020, 12, 31)),
)


def _rows(values: list[float], drawdowns: list[float] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "point": range(len(values)),
            "key": [f"k{i}" for i in range(len(values))],
            "x": [float(i) for i in range(len(values))],
            "sharpe": values,
            "error": [None if not math.isnan(v) else "E" for v in values],
            "run_seconds": 0.1,
        }
    )
    if drawdowns is not None:
        frame["max_drawdown"] = drawdowns
    return frame


def test_best_training_point_with_its_test_figures() -> None:
    train = _rows([0.5, 1.5, 1.0, float("nan")])
    test = _rows([0.7, 0.2, 0.9, 0.1])
    result = walk_forward_result(train, test, ("x",), "sharpe", PERIODS)
    assert result.best == {"x": 1.0}
    assert result.table.loc["sharpe"].tolist() == [1.5, 0.2]
    assert list(result.train["point"]) == [1, 2, 0, 3] and pd.isna(result.train["rank"].iloc[-1])
    expected = spearmanr([0.5, 1.5, 1.0], [0.7, 0.2, 0.9]).statistic
    assert result.spearman == pytest.approx(expected) and result.compared == 3


def test_too_few_points_leave_the_correlation_unknown() -> None:
    result = walk_forward_result(_rows([1.0, 2.0]), _rows([2.0, 1.0]), ("x",), "sharpe", PERIODS)
    assert math.isnan(result.spearman) and result.compared == 2


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_drawdowns_rank_by_smallest_magnitude_whatever_their_sign(sign: float) -> None:
    frame = _rows([1.0, 2.0, 3.0], [sign * 0.3, sign * 0.1, sign * 0.2])
    assert list(ranked(frame, ("x",), "max_drawdown")["point"]) == [1, 2, 0]


def test_an_unknown_metric_names_the_figures() -> None:
    with pytest.raises(
        MetricError, match="no figure named 'sharp' in the results; did you mean 'sharpe'"
    ):
        ranked(_rows([1.0]), ("x",), "sharp")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False), min_size=3, max_size=30), st.randoms())
def test_spearman_agrees_with_scipy(train_values: list[float], random: Any) -> None:
    test_values = list(train_values)
    random.shuffle(test_values)
    result = walk_forward_result(_rows(train_values), _rows(test_values), ("x",), "sharpe", PERIODS)
    if len(set(train_values)) < 2 or len(set(test_values)) < 2:
        assert math.isnan(result.spearman)
    else:
        expected = spearmanr(train_values, test_values).statistic
        assert result.spearman == pytest.approx(expected, nan_ok=True)
    assert result.table.loc["sharpe", "train"] == max(train_values)
    best = int(np.argmax(train_values))
    assert result.table.loc["sharpe", "test"] == test_values[best]


def test_walk_forward_end_to_end(quickstart: Ruleset, demo_history: History, client: Any) -> None:
    train = (dt.date(2023, 4, 6), dt.date(2023, 12, 29))
    test = (dt.date(2024, 1, 2), dt.date(2024, 8, 9))
    result = walk_forward(
        quickstart,
        demo_history,
        {"rsi_cap": "50..70:3", "profit_take": "30%..70%:2"},
        train=train,
        test=test,
        metric="fires_base_condor",
        client=client,
        runner=signal_shares,
        capital=1e6,
        risk_budget=1e5,
    )
    assert len(result.train) == len(result.test) == 6
    assert set(result.train["start"]) == {"2023-04-06"} and set(result.test["end"]) == {
        "2024-08-09"
    }
    best_point = result.train.iloc[0]
    assert result.best == {
        "rsi_cap": best_point["rsi_cap"],
        "profit_take": best_point["profit_take"],
    }
    assert result.table.loc["days", "train"] == len(
        demo_history.daily.loc["2023-04-06":"2023-12-29"]
    )
    with pytest.raises(ValueError, match="must start after training ends"):
        walk_forward(
            quickstart, demo_history, {"rsi_cap": "50"}, train=test, test=train, capital=1e6
        )
