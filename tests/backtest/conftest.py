"""Fixtures of the backtest tests: the real history (skipped when absent), the fixture
rulesets, and one backtest of the layered ruleset shared by the accounting tests."""

from __future__ import annotations

import pytest
from backtest_support import CAPITAL, RISK_BUDGET, SHARED_DATA, fixture_ruleset

from alvh_rules.backtesting.api import Backtest, backtest
from alvh_rules.market import History


@pytest.fixture(scope="session")
def real_history() -> History:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent")
    return History.from_dir(SHARED_DATA)


@pytest.fixture(scope="session")
def layered_run(real_history: History) -> Backtest:
    """Every kind of action (open, layer, close, roll forward, settle, not taken) in the
    first half of 2020, decisions kept."""
    return backtest(
        fixture_ruleset("layered"),
        real_history,
        "2020-01-02",
        "2020-06-30",
        capital=CAPITAL,
        risk_budget=RISK_BUDGET,
        keep_decisions=True,
    )
