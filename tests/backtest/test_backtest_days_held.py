"""`days_held` in a backtest on real days: every position it opens carries its opening day,
so "close after N days in the trade" closes on the first session N calendar days after the
opening, and a position a `roll forward` reopens starts counting again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from backtest_support import CAPITAL, RISK_BUDGET

from alvh_rules.backtesting.api import backtest
from alvh_rules.check import load
from alvh_rules.market import History

HELD_DAYS = 10

RULES = f"""
ruleset "days held"
entry condor:
    block held(condor)
    when vix > 0
    open iron_condor dte 45d delta 16delta wings 25pt
    size contracts 1
roll leave on condor:
    when position.days_held >= {HELD_DAYS}d
    ACTION
"""


def _lifetimes(trades: pd.DataFrame) -> list[tuple[dt.date, dt.date]]:
    """(opened, left) per position: its first filled open and its first filled close."""
    filled = trades[trades["status"] == "filled"]
    spans = []
    for _, rows in filled.groupby("position"):
        opens = rows[rows["effect"] == "open"]["date"]
        closes = rows[rows["effect"] == "close"]["date"]
        if len(opens) and len(closes):
            spans.append((dt.date.fromisoformat(opens.min()), dt.date.fromisoformat(closes.min())))
    return spans


@pytest.mark.parametrize("action", ["close", "roll forward 30d"])
def test_a_position_leaves_on_the_first_session_n_days_after_it_opened(
    real_history: History, tmp_path: Path, action: str
) -> None:
    path = tmp_path / "days_held.alvh"
    path.write_text(RULES.replace("ACTION", action), encoding="utf-8")
    run = backtest(
        load(path),
        real_history,
        "2019-01-02",
        "2019-06-28",
        capital=CAPITAL,
        risk_budget=RISK_BUDGET,
    )
    sessions = [d.date() for d in real_history.daily.loc["2019-01-02":"2019-06-28"].index]
    spans = _lifetimes(run.trades)
    assert len(spans) >= 5  # a position every couple of weeks for six months
    for opened, left in spans:
        first = next(day for day in sessions if (day - opened).days >= HELD_DAYS)
        assert left == first, (opened, left)
