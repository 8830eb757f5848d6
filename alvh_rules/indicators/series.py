"""The indicator computations: pandas Series in, Series (or DataFrame) out, same index.

Vectorized (numpy, pandas rolling windows, a blocked linear recursion for the EMAs). Each
run of non-NaN input is computed on its own, so the warm-up starts again after a hole.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
TRADING_DAYS_PER_YEAR = 252


def _check_window(n: int, name: str, minimum: int = 1) -> None:
    if not isinstance(n, int | np.integer) or n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n!r}")


def _values(x: pd.Series) -> FloatArray:
    return x.to_numpy(dtype=np.float64, na_value=np.nan)


def sma(x: pd.Series, n: int) -> pd.Series:
    """Simple moving average of the last n bars; needs n."""
    _check_window(n, "n")
    return x.astype(np.float64).rolling(n, min_periods=n).mean()


def _runs(values: FloatArray) -> list[tuple[int, int]]:
    """Start and stop of each maximal run of non-NaN values."""
    valid = ~np.isnan(values)
    edges = np.diff(np.concatenate([[False], valid, [False]]).astype(np.int8))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


_BLOCK = 64


def _smooth(x: FloatArray, alpha: float, start: float) -> FloatArray:
    """y[t] = alpha*x[t] + (1-alpha)*y[t-1] from y[-1] = start, without a loop over days.

    Blocks of 64 bars are solved at once by a matrix product; the states carried from block
    to block follow the same recursion with factor (1-alpha)^64, solved the same way.
    """
    decay = 1.0 - alpha
    blocks = -(-len(x) // _BLOCK)
    padded = np.zeros(blocks * _BLOCK)
    padded[: len(x)] = x
    lag = np.subtract.outer(np.arange(_BLOCK), np.arange(_BLOCK))
    response = np.where(lag >= 0, alpha * decay ** np.maximum(lag, 0), 0.0)
    local = padded.reshape(blocks, _BLOCK) @ response.T  # each block from a zero state
    if blocks == 1:
        carried_in = np.array([start])
    else:
        # The state entering block b is the state leaving block b-1.
        block_decay = decay**_BLOCK
        ends = _smooth_states(local[:-1, -1], block_decay, start)
        carried_in = np.concatenate([[start], ends])
    growth = decay ** np.arange(1, _BLOCK + 1)
    result: FloatArray = (local + carried_in[:, None] * growth[None, :]).ravel()[: len(x)]
    return result


def _smooth_states(inputs: FloatArray, factor: float, start: float) -> FloatArray:
    """s[b] = inputs[b] + factor*s[b-1] from s[-1] = start (the block-level recursion)."""
    if factor == 0.0 or len(inputs) == 0:
        return inputs.copy()
    # Same form as _smooth with alpha' = 1 - factor on inputs / alpha'.
    return _smooth(inputs / (1.0 - factor), 1.0 - factor, start)


def _ema_values(values: FloatArray, n: int, alpha: float) -> FloatArray:
    """EMA seeded with the SMA of each run's first n values; NaN before, and in holes."""
    out = np.full(len(values), np.nan)
    for start, stop in _runs(values):
        if stop - start < n:
            continue
        seed = values[start : start + n].mean()
        rest = values[start + n : stop]
        out[start + n - 1] = seed
        if len(rest):
            out[start + n : stop] = _smooth(rest, alpha, seed)
    return out


def ema(x: pd.Series, n: int) -> pd.Series:
    """Exponential moving average, alpha = 2/(n+1), seeded with the SMA of the first n; needs n."""
    _check_window(n, "n")
    return pd.Series(_ema_values(_values(x), n, 2.0 / (n + 1)), index=x.index, name=x.name)


def _wilder_average(values: FloatArray, n: int) -> FloatArray:
    """Wilder's smoothing (alpha = 1/n) seeded with the mean of the first n values."""
    return _ema_values(values, n, 1.0 / n)


def rsi(x: pd.Series, n: int = 14) -> pd.Series:
    """Wilder's RSI on close-to-close changes, in 0..100; needs n + 1 bars (TA-Lib's values)."""
    _check_window(n, "n")
    values = _values(x)
    change = np.concatenate([[np.nan], np.diff(values)])[: len(values)]
    gain = _wilder_average(np.where(change > 0, change, np.where(np.isnan(change), np.nan, 0.0)), n)
    loss = _wilder_average(
        np.where(change < 0, -change, np.where(np.isnan(change), np.nan, 0.0)), n
    )
    total = gain + loss
    with np.errstate(invalid="ignore", divide="ignore"):
        # A flat window (no gains, no losses) is 0 in TA-Lib; kept for equality with it.
        out = np.where(total > 0, 100.0 * gain / total, np.where(np.isnan(total), np.nan, 0.0))
    return pd.Series(out, index=x.index, name=x.name)


def macd(x: pd.Series, fast: int = 12, slow: int = 26, signal: int = 9) -> pd.DataFrame:
    """MACD, Pine's convention: each EMA seeded with its own SMA.

    `macd` = ema(fast) - ema(slow), needs `slow`; `signal` = ema(macd, signal) and
    `hist` = macd - signal need `slow + signal - 1`.
    """
    _check_window(fast, "fast")
    _check_window(slow, "slow")
    _check_window(signal, "signal")
    if fast >= slow:
        raise ValueError(f"fast ({fast}) must be shorter than slow ({slow})")
    values = _values(x)
    line = _ema_values(values, fast, 2.0 / (fast + 1)) - _ema_values(values, slow, 2.0 / (slow + 1))
    trigger = _ema_values(line, signal, 2.0 / (signal + 1))
    return pd.DataFrame({"macd": line, "signal": trigger, "hist": line - trigger}, index=x.index)


def realized_vol(x: pd.Series, n: int = 20) -> pd.Series:
    """Close-to-close realized vol in vol points: sample std of n log returns * sqrt(252) * 100.

    Needs n + 1 bars (n returns).
    """
    _check_window(n, "n", minimum=2)
    values = _values(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        log_returns = np.log(values[1:] / values[:-1])
    returns = pd.Series(np.concatenate([[np.nan], log_returns])[: len(values)], index=x.index)
    std = returns.rolling(n, min_periods=n).std(ddof=1)
    result: pd.Series = (std * np.sqrt(TRADING_DAYS_PER_YEAR) * 100.0).rename(x.name)
    return result


def rolling_max(x: pd.Series, w: int) -> pd.Series:
    _check_window(w, "w")
    return x.astype(np.float64).rolling(w, min_periods=w).max()


def rolling_min(x: pd.Series, w: int) -> pd.Series:
    _check_window(w, "w")
    return x.astype(np.float64).rolling(w, min_periods=w).min()


def rolling_median(x: pd.Series, w: int) -> pd.Series:
    _check_window(w, "w")
    return x.astype(np.float64).rolling(w, min_periods=w).median()


def percentile(x: pd.Series, w: int, p: float) -> pd.Series:
    """The p-th percentile (p in 0..100, linear interpolation as numpy) of the last w bars."""
    _check_window(w, "w")
    if not 0.0 <= p <= 100.0:
        raise ValueError(f"p is a percentile in 0..100, got {p!r}")
    return x.astype(np.float64).rolling(w, min_periods=w).quantile(p / 100.0)


def zscore(x: pd.Series, w: int) -> pd.Series:
    """(x - mean) / sample std (ddof=1) over the last w bars; needs w (w >= 2)."""
    _check_window(w, "w", minimum=2)
    rolling = x.astype(np.float64).rolling(w, min_periods=w)
    return (x - rolling.mean()) / rolling.std(ddof=1)


def _as_boolean(
    condition: npt.NDArray[np.bool_], unknown: npt.NDArray[np.bool_], index: pd.Index
) -> pd.Series:
    result = pd.Series(condition.astype(bool), index=index, dtype="boolean")
    result[unknown] = pd.NA
    return result


def _align(a: pd.Series | float, b: pd.Series | float) -> tuple[FloatArray, FloatArray, pd.Index]:
    if isinstance(a, pd.Series):
        index = a.index
    elif isinstance(b, pd.Series):
        index = b.index
    else:
        raise TypeError("at least one argument must be a pandas Series")
    left = _values(a) if isinstance(a, pd.Series) else np.full(len(index), float(a))
    right = _values(b) if isinstance(b, pd.Series) else np.full(len(index), float(b))
    return left, right, index


def crosses_above(a: pd.Series | float, b: pd.Series | float) -> pd.Series:
    """a[t] > b[t] and a[t-1] <= b[t-1] (nullable boolean, NA when any input is NaN); needs 2."""
    left, right, index = _align(a, b)
    prev_left, prev_right = np.roll(left, 1), np.roll(right, 1)
    prev_left[:1], prev_right[:1] = np.nan, np.nan
    unknown = np.isnan(left) | np.isnan(right) | np.isnan(prev_left) | np.isnan(prev_right)
    with np.errstate(invalid="ignore"):
        hit = (left > right) & (prev_left <= prev_right)
    return _as_boolean(hit, unknown, index)


def crosses_below(a: pd.Series | float, b: pd.Series | float) -> pd.Series:
    """a[t] < b[t] and a[t-1] >= b[t-1]; needs 2."""
    left, right, index = _align(a, b)
    return crosses_above(pd.Series(-left, index=index), pd.Series(-right, index=index))


def _previous_extreme(x: pd.Series, n: int, how: str) -> pd.Series:
    shifted = x.astype(np.float64).shift(1).rolling(n, min_periods=n)
    return shifted.max() if how == "max" else shifted.min()


def rising(x: pd.Series, n: int = 1) -> pd.Series:
    """x[t] greater than each of the previous n values (nullable boolean); needs n + 1."""
    _check_window(n, "n")
    previous = _previous_extreme(x, n, "max")
    unknown = (x.isna() | previous.isna()).to_numpy()
    return _as_boolean((x > previous).to_numpy(), unknown, x.index)


def falling(x: pd.Series, n: int = 1) -> pd.Series:
    """x[t] less than each of the previous n values (nullable boolean); needs n + 1."""
    _check_window(n, "n")
    previous = _previous_extreme(x, n, "min")
    unknown = (x.isna() | previous.isna()).to_numpy()
    return _as_boolean((x < previous).to_numpy(), unknown, x.index)


def distance_from_ma(x: pd.Series, n: int) -> pd.Series:
    """(x - sma(x, n)) / sma(x, n), a fraction (0.05 is 5% above the average); needs n."""
    average = sma(x, n)
    return (x - average) / average


def slope(x: pd.Series, n: int) -> pd.Series:
    """Least-squares slope per bar of the last n values (x's units per bar); needs n (n >= 2)."""
    _check_window(n, "n", minimum=2)
    values = _values(x)
    out = np.full(len(values), np.nan)
    if len(values) >= n:
        steps = np.arange(n, dtype=np.float64) - (n - 1) / 2.0
        weights = steps / np.sum(steps * steps)
        windows = np.lib.stride_tricks.sliding_window_view(values, n)
        out[n - 1 :] = windows @ weights
    return pd.Series(out, index=x.index, name=x.name)
