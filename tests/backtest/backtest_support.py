"""Paths and figures the backtest tests share (a plain module: importing from `conftest`
would depend on collection order)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from alvh_rules.check import Ruleset, load

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CAPITAL, RISK_BUDGET = 1_000_000.0, 100_000.0


def fixture_ruleset(name: str) -> Ruleset:
    return load(FIXTURES / f"{name}.alvh")


def summary_of_days(equity: list[float], capital: float, **columns: Any) -> dict[str, Any]:
    """`summarize` of a made-up run: business days from 2024-01-02 with these equities (and
    any other daily `columns`, such as `spx`), one position held, no trade, no cost."""
    from alvh_rules.backtesting.api import TRADE_COLUMNS
    from alvh_rules.backtesting.summary import summarize

    days = pd.bdate_range("2024-01-02", periods=len(equity))
    daily = pd.DataFrame(
        {
            "date": [d.date().isoformat() for d in days],
            "equity": equity,
            "tbill_return": 0.0,
            "positions": 1,
            "fees": 0.0,
            "interest": 0.0,
            "carried": 0,
            "settlement_substitutes": 0,
            **columns,
        }
    )
    closed = pd.DataFrame(columns=["date", "position", "rule", "opened", "credit", "pnl"])
    return summarize(daily, pd.DataFrame(columns=TRADE_COLUMNS), closed, capital)
