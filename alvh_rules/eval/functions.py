"""Array implementations of the built-in functions of `alvh_rules.lang.builtins`.

Series functions run over a series' observed values only: the NaN days (no print that
day) are taken out, the indicator is computed, and its values are put back in place,
so one missing VIX print makes that day unknown without restarting every warm-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from alvh_rules import indicators
from alvh_rules.eval.logic import FloatArray

Impl = Callable[[list[Any], Mapping[str, float]], Any]


def observed(
    function: Callable[[pd.Series], pd.Series | pd.DataFrame],
) -> Callable[[FloatArray], Any]:
    """Apply `function` to the non-NaN values of an array and scatter the result back."""

    def run(values: FloatArray) -> Any:
        mask = ~np.isnan(values)
        if not mask.any():  # nothing observed: every output is unknown
            mask[:] = False
            probe = function(pd.Series([0.0]))
            empty = np.full(values.shape, np.nan)
            return (
                {name: empty.copy() for name in probe.columns}
                if isinstance(probe, pd.DataFrame)
                else empty
            )
        result = function(pd.Series(values[mask]))
        if isinstance(result, pd.DataFrame):
            return {name: _scatter(mask, _floats(result[name])) for name in result.columns}
        return _scatter(mask, _floats(result))

    return run


def _floats(series: pd.Series) -> FloatArray:
    if str(series.dtype) == "boolean":
        series = series.astype("Float64")
    return np.asarray(series.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def _scatter(mask: npt.NDArray[np.bool_], values: FloatArray) -> FloatArray:
    out = np.full(mask.shape, np.nan)
    out[mask] = values
    return out


def _n(counts: Mapping[str, float], name: str) -> int:
    return int(counts[name])


def _one(function: Callable[[pd.Series, int], pd.Series], count: str) -> Impl:
    return lambda args, counts: observed(lambda s: function(s, _n(counts, count)))(args[0])


def _pair(function: Callable[[pd.Series, pd.Series], pd.Series]) -> Impl:
    def run(args: list[Any], counts: Mapping[str, float]) -> FloatArray:
        a, b = (np.broadcast_to(x, np.shape(args[0]) or np.shape(args[1])) for x in args)
        mask = ~(np.isnan(a) | np.isnan(b))
        result = function(pd.Series(a[mask]), pd.Series(b[mask]))
        return _scatter(mask, _floats(result))

    return run


def _count(args: list[Any], counts: Mapping[str, float]) -> FloatArray:
    condition = args[0]
    window = _n(counts, "window")
    mask = ~np.isnan(condition)
    total = pd.Series(condition[mask]).rolling(window, min_periods=window).sum()
    return _scatter(mask, _floats(total))


def _change(args: list[Any], counts: Mapping[str, float]) -> FloatArray:
    n = _n(counts, "n")
    return observed(lambda s: s - s.shift(n))(args[0])  # type: ignore[no-any-return]


def _pct_change(args: list[Any], counts: Mapping[str, float]) -> FloatArray:
    n = _n(counts, "n")
    return observed(lambda s: s / s.shift(n) - 1.0)(args[0])  # type: ignore[no-any-return]


def _expected_move(
    args: list[Any], counts: Mapping[str, float], spx: FloatArray, vix: FloatArray
) -> FloatArray:
    from alvh_rules.greeks.conventions import VOL_POINT
    from alvh_rules.greeks.strikes import expected_move

    days = np.asarray(args[0], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return expected_move(spx, vix * VOL_POINT, np.where(days >= 0, days, np.nan))


def pairwise(name: str, a: FloatArray, b: FloatArray) -> FloatArray:
    """max(a, b) or min(a, b) elementwise; unknown where either is unknown."""
    return np.maximum(a, b) if name == "max" else np.minimum(a, b)


SERIES_FUNCTIONS: dict[str, Impl] = {
    "sma": _one(indicators.sma, "n"),
    "ema": _one(indicators.ema, "n"),
    "rsi": _one(indicators.rsi, "n"),
    "realized_vol": _one(indicators.realized_vol, "n"),
    "max": _one(indicators.rolling_max, "window"),
    "min": _one(indicators.rolling_min, "window"),
    "median": _one(indicators.rolling_median, "window"),
    "zscore": _one(indicators.zscore, "window"),
    "distance_from_ma": _one(indicators.distance_from_ma, "n"),
    "slope": _one(indicators.slope, "n"),
    "rising": _one(indicators.rising, "n"),
    "falling": _one(indicators.falling, "n"),
    "percentile": lambda args, counts: observed(
        lambda s: indicators.percentile(s, _n(counts, "window"), float(counts["p"]))
    )(args[0]),
    "macd": lambda args, counts: observed(
        lambda s: indicators.macd(s, _n(counts, "fast"), _n(counts, "slow"), _n(counts, "signal"))
    )(args[0]),
    "crosses_above": _pair(indicators.crosses_above),
    "crosses_below": _pair(indicators.crosses_below),
    "count": _count,
    "change": _change,
    "pct_change": _pct_change,
    "abs": lambda args, counts: np.abs(args[0]),
}

NEEDS_MARKET = {"expected_move": _expected_move}

__all__ = ["NEEDS_MARKET", "SERIES_FUNCTIONS", "observed", "pairwise"]
