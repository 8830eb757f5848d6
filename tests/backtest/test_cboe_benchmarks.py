"""The CNDR and BFLY rulesets (rulesets/examples/cboe_cndr_index.alvh, cboe_bfly_index.alvh)
backtested over 2007-2015 from 1,000,000 $: the yearly returns, the period's return and the
figures docs/backtest.md states are recomputed here and read back from the page, so the
page cannot drift from what the code gives. No published yearly returns of either index
were at hand to compare with (docs/backtest.md says so)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from alvh_rules.backtesting.api import Backtest, backtest
from alvh_rules.check import load
from alvh_rules.market import History

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "rulesets" / "examples"
DOCS = (REPO / "docs" / "backtest.md").read_text(encoding="utf-8")
ROWS = {"cboe_cndr_index": "CNDR rules", "cboe_bfly_index": "BFLY rules"}


@pytest.fixture(scope="module", params=sorted(ROWS))
def run(request: Any, real_history: History) -> tuple[str, Backtest]:
    ruleset = load(EXAMPLES / f"{request.param}.alvh")
    return request.param, backtest(
        ruleset, real_history, "2007-01-01", "2015-12-31", capital=1_000_000.0
    )


def _documented_row(label: str) -> list[str]:
    (line,) = [row for row in DOCS.splitlines() if row.startswith(f"| {label} (this backtest")]
    return [cell.strip() for cell in line.strip("|").split("|")][1:]


def test_the_yearly_returns_are_the_ones_documented(run: tuple[str, Backtest]) -> None:
    name, result = run
    per_year = {row["year"]: row["return"] for row in result.summary["per_year"]}
    assert sorted(per_year) == list(range(2007, 2016))
    ours = [f"{per_year[year] * 100:.1f}%" for year in range(2007, 2016)]
    ours.append(f"{result.summary['total_return'] * 100:+.1f}%")
    assert _documented_row(ROWS[name]) == ours


def test_each_month_sells_one_structure_held_to_expiry(run: tuple[str, Backtest]) -> None:
    """The index's roll: one structure a month on the next standard monthly, never two
    held at once, and every one settled at expiry (no rule closes it)."""
    _, result = run
    trades = result.trades
    opened = trades[(trades["action"] == "open") & (trades["status"] == "filled")]
    per_open = opened.groupby(["date", "position"])
    assert len(per_open) == 108  # nine years of twelve months
    assert set(trades["action"]) <= {"open", "settle"}
    expiries = pd.to_datetime(opened["expiry"]).dt.date
    for (day, _), legs in per_open:
        (expiry,) = set(pd.to_datetime(legs["expiry"]).dt.date)
        assert expiry.weekday() in (3, 4) and 15 <= expiry.day <= 21  # a third Friday (or Thu)
        assert 0 < (expiry - pd.Timestamp(day).date()).days <= 50
    assert expiries.nunique() == 108


def test_the_figures_in_the_prose_are_the_runs(run: tuple[str, Backtest]) -> None:
    name, result = run
    summary = result.summary
    drawdown = f"{summary['max_drawdown'] * 100:.1f}%"
    assert drawdown in DOCS
    if name == "cboe_cndr_index":
        assert f"({summary['cagr'] * 100:.1f}% a year; maximum drawdown {drawdown}," in DOCS
        peak, trough = summary["max_drawdown_peak"], summary["max_drawdown_trough"]
        assert f"{peak} to {trough})" in DOCS
    else:
        equity = result.daily.set_index(pd.to_datetime(result.daily["date"]))["equity"]
        monthly = equity.resample("ME").last().pct_change().dropna()
        worst = monthly.idxmin()
        assert f"worst\ncalendar month is {monthly.min() * 100:.1f}% ({worst:%Y-%m})" in DOCS
        assert re.search(rf"maximum drawdown {re.escape(drawdown)}", DOCS)
