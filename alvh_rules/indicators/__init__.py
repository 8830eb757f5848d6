"""Indicators over a whole series (`alvh_rules.indicators`): pandas Series in, Series out.

The computations in `alvh_rules.indicators.series` load on first use (pandas); the history
each needs is recorded once, with the built-ins' signatures, in `alvh_rules.lang.builtins`.
Conventions: docs/data.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alvh_rules.indicators.series import (
        TRADING_DAYS_PER_YEAR,
        crosses_above,
        crosses_below,
        distance_from_ma,
        ema,
        falling,
        macd,
        percentile,
        realized_vol,
        rising,
        rolling_max,
        rolling_median,
        rolling_min,
        rsi,
        slope,
        sma,
        zscore,
    )

__all__ = [
    "TRADING_DAYS_PER_YEAR",
    "crosses_above",
    "crosses_below",
    "distance_from_ma",
    "ema",
    "falling",
    "macd",
    "percentile",
    "realized_vol",
    "rising",
    "rolling_max",
    "rolling_median",
    "rolling_min",
    "rsi",
    "slope",
    "sma",
    "zscore",
]
# Names computed in alvh_rules.indicators.series, which imports pandas: loaded on first use.
_COMPUTED = frozenset(__all__)


def __getattr__(name: str) -> Any:
    if name not in _COMPUTED:
        raise AttributeError(f"module 'alvh_rules.indicators' has no attribute {name!r}")
    value = getattr(importlib.import_module("alvh_rules.indicators.series"), name)
    globals()[name] = value
    return value
