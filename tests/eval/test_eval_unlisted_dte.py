"""A dte that no listed expiry comes near is unknown on that day, with the reason, in both
evaluate and replay (the checker refuses it only when it is a constant)."""

from __future__ import annotations

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
