"""The trade log names the rule that acted and gives its one-line reason: a roll rule's
closes and reopenings are its own rows (the position column says which position), with the
clauses that let it fire, as the day's decision has them."""

from __future__ import annotations

import datetime as dt

from backtest_support import fixture_ruleset

from alvh_rules.backtesting.api import Backtest
from alvh_rules.backtesting.reasons import acting_reason
from alvh_rules.eval.decision import ClauseOutcome, Reason, RuleOutcome

ROLLS = ("close", "roll_forward", "roll_out")


def test_a_roll_names_the_roll_rule_and_its_trigger_on_a_real_day(layered_run: Backtest) -> None:
    trades = layered_run.trades
    day = trades[trades["action"] == "roll_forward"]
    rows = day[day["date"] == "2020-02-11"]  # the condor is 9 days from expiry at a loss
    assert set(rows["rule"]) == {"extend"}
    assert set(rows["effect"]) == {"close", "open"}
    assert set(rows["position"]) == {"condor#2", "condor#4"}  # rolled and reopened
    assert set(rows["reason"]) == {
        "fires: when position.dte <= 10d and position.profit < 0$ is true"
    }


def test_every_roll_row_gives_the_reason_of_the_decision_that_acted(
    layered_run: Backtest,
) -> None:
    trades = layered_run.trades
    kinds = {rule.name.name: rule.rule_kind for rule in fixture_ruleset("layered").rules}
    rolled = trades[(trades["status"] == "filled") & trades["action"].isin(ROLLS)]
    assert len(rolled) > 0
    for (day, rule), rows in rolled.groupby(["date", "rule"]):
        assert kinds[str(rule)] == "roll"
        decision = layered_run.decisions[dt.date.fromisoformat(str(day))][0]
        (outcome,) = [r for r in decision.rules if r.name == rule]
        assert outcome.state == "fires"
        assert set(rows["reason"]) == {acting_reason(outcome)}
    opened = trades[(trades["status"] == "filled") & (trades["action"] == "open")]
    assert {kinds[str(rule)] for rule in opened["rule"]} <= {"entry", "layer"}


def _clause(keyword: str, outcome: str, text: str) -> ClauseOutcome:
    return ClauseOutcome(keyword=keyword, outcome=outcome, effect="", reason=Reason(text=text))


def test_the_reason_is_the_summary_when_it_says_why_else_the_deciding_clauses() -> None:
    clauses = [
        _clause("when", "true", "vix < 30"),
        _clause("block", "false", "held(hedge)"),
        _clause("unless", "false", "spx < 100"),
        _clause("require", "true", "capital > 0$"),
    ]
    fires = RuleOutcome(name="r", kind="roll", state="fires", summary="fires", clauses=clauses)
    assert acting_reason(fires) == (
        "fires: when vix < 30 is true; unless spx < 100 is false; require capital > 0$ is true"
    )
    bare = RuleOutcome(name="r", kind="entry", state="fires", summary="fires", clauses=[])
    assert acting_reason(bare) == "fires"
    said = fires.model_copy(update={"summary": "holds: no condor position is open"})
    assert acting_reason(said) == "holds: no condor position is open"
