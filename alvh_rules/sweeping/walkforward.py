"""Walk-forward: the best point on the training period by the metric, its figures on the
test period beside the training ones, and the Spearman rank correlation of training against
test over all points (near zero or below: the ranking on the past did not carry over).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from alvh_rules.sweeping.ranking import POINT, MetricError, figure_columns, ranked, score

MIN_POINTS_FOR_CORRELATION = 3


@dataclass(frozen=True)
class WalkForward:
    """A walk-forward's outcome; `train` and `test` hold a row per point (same `point` ids)."""

    metric: str
    train_period: tuple[dt.date, dt.date]
    test_period: tuple[dt.date, dt.date]
    params: tuple[str, ...]
    train: pd.DataFrame
    test: pd.DataFrame
    best: dict[str, float]  # the best training point's params
    table: pd.DataFrame  # figure -> train, test for the best point
    spearman: float  # NaN when fewer than 3 points have the metric in both periods
    p_value: float
    compared: int  # points with the metric in both periods


def walk_forward_result(
    train: pd.DataFrame,
    test: pd.DataFrame,
    params: tuple[str, ...],
    metric: str,
    periods: tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]],
) -> WalkForward:
    """Compare the two periods' rows (each with a `point` column naming the same points)."""
    train_ranked = ranked(train, params, metric)
    best_row = train_ranked.iloc[0]
    if pd.isna(best_row["rank"]):
        raise MetricError(f"no point has a value of {metric} on the training period")
    best_point = best_row[POINT]
    test_row = test.loc[test[POINT] == best_point]
    figures = figure_columns(train, params)
    table = pd.DataFrame(
        {
            "train": [best_row[f] for f in figures],
            "test": [
                test_row[f].iloc[0] if f in test_row and len(test_row) else math.nan
                for f in figures
            ],
        },
        index=pd.Index(figures, name="figure"),
    )
    correlation, p_value, compared = rank_correlation(train, test, metric)
    return WalkForward(
        metric=metric,
        train_period=periods[0],
        test_period=periods[1],
        params=params,
        train=train_ranked,
        test=ranked(test, params, metric) if metric in test else test,
        best={name: float(best_row[name]) for name in params},
        table=table,
        spearman=correlation,
        p_value=p_value,
        compared=compared,
    )


def rank_correlation(
    train: pd.DataFrame, test: pd.DataFrame, metric: str
) -> tuple[float, float, int]:
    """Spearman's rho of the metric (oriented: higher is better) over the points that have
    it in both periods, its p-value, and how many points that is."""
    from scipy.stats import spearmanr

    pairs = pd.DataFrame(
        {
            "train": score(train.set_index(POINT)[metric], metric),
            "test": score(test.set_index(POINT)[metric], metric) if metric in test else math.nan,
        }
    ).dropna()
    compared = len(pairs)
    if compared < MIN_POINTS_FOR_CORRELATION or pairs.nunique().min() < 2:
        return math.nan, math.nan, compared
    result: Any = spearmanr(pairs["train"], pairs["test"])
    return float(result.statistic), float(result.pvalue), compared
