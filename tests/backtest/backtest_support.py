"""Paths and figures the backtest tests share (a plain module: importing from `conftest`
would depend on collection order)."""

from __future__ import annotations

from pathlib import Path

from alvh_rules.check import Ruleset, load

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CAPITAL, RISK_BUDGET = 1_000_000.0, 100_000.0


def fixture_ruleset(name: str) -> Ruleset:
    return load(FIXTURES / f"{name}.alvh")
