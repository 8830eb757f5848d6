"""Every proposal of a replay over 2007-2024 on the real data expires on an expiry that was
listed that day (never a weekend or a holiday) at a listed strike: the replay's own batch
path, asked for every day, walked leg by leg."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from alvh_rules.check import load
from alvh_rules.eval.frame import PositionFigures, frame_from_history
from alvh_rules.eval.interpreter import plan_for
from alvh_rules.eval.params import resolve_params
from alvh_rules.eval.proposals import Proposals
from alvh_rules.eval.rule_days import BUILT, PER_DAY
from alvh_rules.greeks.strike_grid import spx_listed_strike, vix_listed_strike
from alvh_rules.lang.catalog import PORTFOLIO_SUMS
from alvh_rules.market import History
from alvh_rules.market.calendar import is_trading_day
from alvh_rules.market.expiries import listed_on

FIXTURE = Path(__file__).parent / "fixtures" / "proposals.alvh"


@pytest.fixture(scope="module")
def walked(real_history: History) -> dict[str, list[tuple[dt.date, object]]]:
    checked = load(FIXTURE)
    plan = plan_for(checked)
    frame = frame_from_history(
        real_history, resolve_params(checked, None), end=dt.date(2024, 12, 31)
    )
    figures = PositionFigures()
    figures.portfolio = dict.fromkeys(PORTFOLIO_SUMS, 0.0)
    figures.portfolio.update(capital=1_000_000.0, risk_budget=100_000.0)
    frame.positions = figures
    first = int(frame.dates.searchsorted(np.datetime64("2007-01-03")))
    proposals = Proposals(plan, days=list(range(first, frame.length)))
    frame.context = proposals
    plan.run(frame)
    out: dict[str, list[tuple[dt.date, object]]] = {}
    for rule, chunk in proposals.cache.items():
        rows = np.flatnonzero((chunk.kind == BUILT) | (chunk.kind == PER_DAY))
        out[rule] = []
        for row in rows:
            proposal = chunk.proposal(int(row))
            if proposal.position is not None:
                out[rule].append(
                    (chunk.dates[row].astype("datetime64[D]").item(), proposal.position)
                )
    return out


def test_every_leg_expires_on_a_listed_expiry_at_a_listed_strike(
    walked: dict[str, list[tuple[dt.date, object]]],
) -> None:
    assert set(walked) >= {"condor", "strangle", "hedge", "future", "straddle"}
    checked = 0
    listed_cache: dict[tuple[str, dt.date], set[dt.date]] = {}
    for rule, days in walked.items():
        assert len(days) > 3000, (rule, len(days))  # 2007-2024 is ~4,500 sessions
        for today, position in days:
            for leg in position.legs:  # type: ignore[attr-defined]
                underlying = "SPX" if leg.instrument == "SPX" else "VIX"
                key = (underlying, today)
                if key not in listed_cache:
                    listed_cache[key] = set(listed_on(underlying, "monthly", today))
                assert leg.expiry in listed_cache[key], (rule, today, leg)
                assert is_trading_day(leg.expiry) and leg.expiry.weekday() < 5
                if leg.strike is not None:
                    snap = spx_listed_strike if underlying == "SPX" else vix_listed_strike
                    assert snap(leg.strike) == leg.strike, (rule, today, leg)
                checked += 1
    assert checked > 40_000
