"""Bad data: a held position that cannot be marked is carried at its last mark (flagged and
counted, never valued at zero); a missing settlement print is replaced by a documented
substitute, logged."""

from __future__ import annotations

import copy
import math

from backtest_support import CAPITAL, fixture_ruleset

from alvh_rules.backtesting.api import backtest
from alvh_rules.market import History


def _without(history: History, day: str, field: str) -> History:
    holey = copy.copy(history)
    holey.daily = history.daily.copy()
    holey.daily.loc[day, field] = math.nan
    return holey


def test_a_position_that_cannot_be_marked_is_carried_at_its_last_mark(
    real_history: History,
) -> None:
    holey = _without(real_history, "2019-01-15", "vix")  # no VIX: no surface, no mark
    run = backtest(
        fixture_ruleset("held_condor"), holey, "2019-01-02", "2019-01-31", capital=CAPITAL
    )
    daily = run.daily.set_index("date")
    assert daily.loc["2019-01-15", "carried"] == 1
    assert daily.loc["2019-01-15", "marked_value"] == daily.loc["2019-01-14", "marked_value"]
    assert daily.loc["2019-01-15", "marked_value"] != 0
    assert daily.loc["2019-01-16", "carried"] == 0
    marks = run.marks.set_index("date")
    assert bool(marks.loc["2019-01-15", "carried"]) is True
    assert run.summary["carried_marks"] == 1


def test_a_missing_settlement_print_settles_at_the_documented_substitute(
    real_history: History,
) -> None:
    holey = _without(real_history, "2019-02-15", "spx_open")
    run = backtest(
        fixture_ruleset("held_condor"), holey, "2019-01-02", "2019-02-15", capital=CAPITAL
    )
    trades = run.trades
    settled = trades[trades["effect"] == "settle"]
    assert len(settled) == 4
    assert settled["reason"].str.contains(r"spx close on 2019-02-15 \(spx_open missing\)").all()
    close = float(real_history.daily.loc["2019-02-15", "spx"])
    assert settled["reason"].str.contains(f"{close:.4f}").all()
    assert run.summary["settlement_substitutes"] == 4
