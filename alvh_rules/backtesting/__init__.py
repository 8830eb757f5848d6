"""Backtests: a ruleset carried through time over a history, with positions held, filled,
margined, marked, settled and accounted (docs/backtest.md)."""

from __future__ import annotations

from alvh_rules.backtesting.api import Backtest, BacktestInputError, backtest, compare

__all__ = ["Backtest", "BacktestInputError", "backtest", "compare"]
