"""Monthly returns (the report's grid): each month's last equity over the last before it,
compounding to the per-year table's return; in report.html as percents."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from backtest_support import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.backtesting.api import backtest
from alvh_rules.backtesting.summary import monthly_returns, per_year
from alvh_rules.market import History


def _daily(start: str, equity: list[float]) -> pd.DataFrame:
    days = pd.bdate_range(start, periods=len(equity))
    return pd.DataFrame(
        {"date": [d.date().isoformat() for d in days], "equity": equity, "fees": 0.0}
    )


@settings(max_examples=80, deadline=None)
@given(
    st.dates(
        min_value=pd.Timestamp("2000-01-01").date(), max_value=pd.Timestamp("2030-01-01").date()
    ),
    st.lists(st.floats(0.9, 1.1), min_size=1, max_size=600),
    st.floats(1e3, 1e7),
)
def test_months_compound_to_the_year(start: object, factors: list[float], capital: float) -> None:
    equity = list(capital * np.cumprod(factors))
    daily = _daily(str(start), equity)
    grid = monthly_returns(daily, capital)
    years = per_year(daily, pd.DataFrame(columns=["date", "position"]), capital)
    for year_row in years:
        months = grid.loc[year_row["year"]].dropna()
        compounded = math.prod(1.0 + months) - 1.0
        assert compounded == pytest.approx(year_row["return"], rel=1e-9, abs=1e-12)
    # a month with no trading day in the run has no return
    dates = pd.to_datetime(daily["date"])
    traded = set(zip(dates.dt.year, dates.dt.month, strict=True))
    values = grid.to_numpy(dtype=np.float64)
    for row, year in enumerate(grid.index):
        for column, month in enumerate(grid.columns):
            known = not math.isnan(float(values[row, column]))
            assert known == ((int(year), int(month)) in traded)


def test_a_month_that_starts_ruined_has_no_return() -> None:
    daily = _daily("2021-01-28", [500.0, -100.0, -50.0, -40.0])  # Jan 28, 29; Feb 1, 2
    grid = monthly_returns(daily, 1_000.0)
    assert grid.loc[2021, 1] == pytest.approx(-1.1)
    assert math.isnan(float(grid.to_numpy(dtype=np.float64)[0, 1]))


def test_the_report_shows_the_monthly_grid(real_history: History, tmp_path: Path) -> None:
    run = backtest(
        FIXTURES / "held_condor.alvh", real_history, "2019-01-02", "2019-06-28", capital=1e6
    )
    run.write(tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<h3>Monthly returns</h3>" in page
    grid = monthly_returns(run.daily, 1e6)
    march = f"{float(grid.to_numpy(dtype=np.float64)[0, 2]):.2%}"
    assert f"<td>{march}</td>" in page and "<th>Mar</th>" in page
