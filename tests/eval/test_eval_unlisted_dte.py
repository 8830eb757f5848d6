"""A dte that no listed expiry comes near is unknown on that day, with the reason, in both
evaluate and replay (the checker refuses it only when it is a constant)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from alvh_rules.check import Ruleset
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.replay import replay
from alvh_rules.market import History

RULESET = """\
ruleset "far hedge"
param hedge_dte = 250d in 30d .. 270d
entry hedge:
    require position.value < 100000$
    open long vix_call dte hedge_dte strike atm + 5
"""


def test_a_far_vix_dte_is_unknown_with_the_reason(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    checked = ruleset(RULESET)  # a param: the checker cannot know the day's listing
    snapshot = demo_history.snapshot("2024-08-09", capital=1e6)
    decision = evaluate(checked, snapshot)
    assert decision.states["hedge"] == "unknown"
    reasons = " ".join(m.reason for m in decision.missing)
    assert "no VIX monthly expiry is listed near 250 days on 2024-08-09" in reasons
    timeline = replay(checked, demo_history, start="2024-08-01", capital=1e6)
    assert set(timeline["hedge"]) == {"unknown"}
    near = evaluate(checked, snapshot, params={"hedge_dte": 60.0})
    assert near.states["hedge"] == "fires"


ROLLING = """\
ruleset "roll forward"
entry condor:
    open iron_condor dte 30d delta 16delta wings 25pt
roll later on condor:
    roll forward 30d
"""


def test_roll_forward_names_the_listed_expiry_it_moves_to(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    from alvh_rules.eval import positions as pos
    from alvh_rules.greeks.legs import Portfolio

    checked = ruleset(ROLLING)
    from alvh_rules.lang.catalog import MARKET_FIELDS

    day = dt.date(2024, 8, 9)
    row = demo_history.daily.loc[str(day)]
    values = {n: float(row[n]) if n in demo_history.daily else math.nan for n in MARKET_FIELDS}
    ctx = pos.valuation_context(values, day)
    request = pos.OpenRequest(
        "condor", "iron_condor", None, {"dte": 30.0, "delta": 16.0, "wings": 25.0}
    )
    held = pos.build_position(request, ctx, day, values)
    portfolio = Portfolio(positions=(held,), capital=1e6, risk_budget=1e5)
    decision = evaluate(checked, demo_history.snapshot("2024-08-09", portfolio, capital=1e6))
    (action,) = [a for a in decision.actions if a.kind == "roll_forward"]
    # Held to 2024-09-20; 30 days later is 2024-10-20, nearest the listed 2024-10-18.
    assert "from 2024-09-20 to 2024-10-18" in action.note
