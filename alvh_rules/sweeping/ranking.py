"""Ranking a sweep's points by one figure: higher is better, except for drawdowns and
volatility (`max_drawdown`, `longest_drawdown_days`, `ann_vol`), where the smaller magnitude
is better, whatever sign the backtest gives them (its `max_drawdown` is negative).
Points with an error or no value for the figure rank last.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alvh_rules.check.symbols import did_you_mean
from alvh_rules.sweeping.points import FIXED_COLUMNS

LOWER_IS_BETTER_WORDS: tuple[str, ...] = ("drawdown", "volatility", "ann_vol")
RANK = "rank"
POINT = "point"


class MetricError(ValueError):
    """A metric that is not one of the figures the sweep's runs gave."""


def lower_is_better(metric: str) -> bool:
    return any(word in metric for word in LOWER_IS_BETTER_WORDS)


def figure_columns(frame: pd.DataFrame, params: tuple[str, ...]) -> list[str]:
    """The numeric figures of the runs: every column but the params and the bookkeeping."""
    skip = {*params, *FIXED_COLUMNS, RANK, POINT}
    return [c for c in frame.columns if c not in skip and pd.api.types.is_numeric_dtype(frame[c])]


def check_metric(frame: pd.DataFrame, params: tuple[str, ...], metric: str) -> None:
    figures = figure_columns(frame, params)
    if metric not in figures:
        hint = did_you_mean(metric, figures)
        listed = ", ".join(figures[:12]) + (" ..." if len(figures) > 12 else "")
        raise MetricError(
            f"no figure named '{metric}' in the results"
            + (f"; {hint}" if hint else "")
            + (f" (figures: {listed})" if figures else " (every point failed: see the errors)")
        )


def check_backtest_metric(metric: str) -> None:
    """Before any point runs: `metric` must be a numeric figure of the backtest's summary."""
    from alvh_rules.backtesting.summary import SUMMARY_KEYS

    dates_and_tables = {
        "start",
        "end",
        "max_drawdown_peak",
        "max_drawdown_trough",
        "max_drawdown_recovery",
        "per_year",
    }
    figures = [key for key in SUMMARY_KEYS if key not in dates_and_tables]
    if metric not in figures:
        hint = did_you_mean(metric, figures)
        raise MetricError(
            f"no figure named '{metric}' in a backtest's summary"
            + (f"; {hint}" if hint else "")
            + f" (figures: {', '.join(figures)})"
        )


def score(values: pd.Series, metric: str) -> pd.Series:
    """The metric oriented so that higher is better (NaN stays NaN)."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    return -numbers.abs() if lower_is_better(metric) else numbers


def ranked(frame: pd.DataFrame, params: tuple[str, ...], metric: str) -> pd.DataFrame:
    """The rows best first by `metric`, with a 1-based `rank` column (NaN rows last, unranked)."""
    check_metric(frame, params, metric)
    scores = score(frame[metric], metric)
    order = np.argsort(-scores.fillna(-np.inf).to_numpy(), kind="stable")
    result = frame.iloc[order].reset_index(drop=True)
    ranks = pd.Series(range(1, len(result) + 1), dtype="Int64")
    result.insert(0, RANK, ranks.where(scores.iloc[order].notna().to_numpy()))
    return result
