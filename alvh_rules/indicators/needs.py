"""How much history each indicator needs: pure Python, so the checker reads it cheaply.

An output "needs N" when its first value is at bar N of a clean input (index N - 1);
the checker composes these statically, and tests assert each against the computation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HistoryNeed:
    """Bars of input an output needs before its first value (the first value is at bar N)."""

    formula: str
    bars: Callable[..., int]


# The checker computes warm-up statically from these; tests assert each against the code.
HISTORY_NEEDS: dict[str, HistoryNeed] = {
    "sma": HistoryNeed("n", lambda n: n),
    "ema": HistoryNeed("n", lambda n: n),
    "rsi": HistoryNeed("n + 1", lambda n=14: n + 1),
    "macd.macd": HistoryNeed("slow", lambda fast=12, slow=26, signal=9: slow),
    "macd.signal": HistoryNeed(
        "slow + signal - 1", lambda fast=12, slow=26, signal=9: slow + signal - 1
    ),
    "macd.hist": HistoryNeed(
        "slow + signal - 1", lambda fast=12, slow=26, signal=9: slow + signal - 1
    ),
    "realized_vol": HistoryNeed("n + 1", lambda n=20: n + 1),
    "rolling_max": HistoryNeed("w", lambda w: w),
    "rolling_min": HistoryNeed("w", lambda w: w),
    "rolling_median": HistoryNeed("w", lambda w: w),
    "percentile": HistoryNeed("w", lambda w, p=50.0: w),
    "zscore": HistoryNeed("w", lambda w: w),
    "crosses_above": HistoryNeed("2", lambda: 2),
    "crosses_below": HistoryNeed("2", lambda: 2),
    "rising": HistoryNeed("n + 1", lambda n=1: n + 1),
    "falling": HistoryNeed("n + 1", lambda n=1: n + 1),
    "distance_from_ma": HistoryNeed("n", lambda n: n),
    "slope": HistoryNeed("n", lambda n: n),
}


def history_needed(name: str, input_need: int = 1, **params: int | float) -> int:
    """Bars needed by `name` applied to an input that itself needs `input_need` bars.

    Composition: an indicator needing N bars of an input needing K has its first value
    at bar K + N - 1 (e.g. `rsi(ema(x, 10), 14)` needs 10 + 15 - 1 = 24).
    """
    return input_need + HISTORY_NEEDS[name].bars(**params) - 1
