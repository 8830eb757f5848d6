"""The session's shortcuts change no decision: the limit re-check after an action runs the
limits alone (`limits_only`), each limit's state and margin those a whole run of the plan
gives on the same changed holdings; the full decision after the quick pass reuses what the
quick pass found of every node that reads no proposal, and keeps the outcomes a decision
made without the quick pass has for its acting rules and limits."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest
from backtest_support import CAPITAL, RISK_BUDGET, fixture_ruleset

from alvh_rules.backtesting.api import Backtest, backtest
from alvh_rules.backtesting.reasons import acting_reason
from alvh_rules.check import load
from alvh_rules.eval.decision import Decision, RuleOutcome
from alvh_rules.eval.interpreter import held_positions
from alvh_rules.eval.session import EvaluationSession, Holdings
from alvh_rules.greeks.legs import Portfolio
from alvh_rules.market import History

FLAGSHIP = load(Path(__file__).resolve().parents[2] / "rulesets" / "alvh_vega_layering_roa.alvh")


def test_limits_alone_equal_the_whole_run(layered_run: Backtest, real_history: History) -> None:
    ruleset = fixture_ruleset("layered")
    session = EvaluationSession(ruleset, real_history, end=max(layered_run.decisions))
    limits = [r.name for r in session.plan.rules if r.kind == "limit"]
    assert limits
    held = [
        (day, portfolio, capital)
        for day, (_, portfolio, capital) in layered_run.decisions.items()
        if portfolio is not None
    ]
    assert held
    margins = session.plan.compiler.limit_bounds
    for day, portfolio, capital in random.Random(3).sample(held, min(10, len(held))):
        index = session.index_of(day)
        run = session.decide(index, portfolio, capital, RISK_BUDGET)
        # the book with its first position doubled: the limits move
        assert isinstance(portfolio, Portfolio)
        doubled = portfolio.model_copy(update={"positions": (*portfolio.positions,) * 2})
        frame = run.result.run.frame
        holdings = Holdings(doubled, capital, RISK_BUDGET)
        positions = held_positions(holdings, frame, session.day_context(index))
        changed = dataclasses.replace(frame, positions=positions)
        whole = run.rerun(changed)
        alone = run.rerun(changed, limits_only=True)
        assert set(alone.states) == set(limits)
        # the session's re-check values the held figures only as far as the limits read them
        checked = session.limit_states(run, doubled, capital, RISK_BUDGET)
        for name in limits:
            assert alone.states[name][index] == whole.states[name][index], (day, name)
            margin = margins[name + ".margin"]
            a = float(np.asarray(margin(alone.run))[index])
            b = float(np.asarray(margin(whole.run))[index])
            assert a == b or (np.isnan(a) and np.isnan(b)), (day, name)
            assert checked[name][0] == whole.state_names(index)[name], (day, name)
            c = checked[name][1]
            assert c == b or (np.isnan(c) and np.isnan(b)), (day, name)


@pytest.mark.parametrize("name", ["layered", "flagship"])
def test_the_decision_after_the_quick_pass_equals_the_full_one(
    real_history: History, name: str
) -> None:
    """The flagship's entries and layers read their proposals in their conditions
    (`position.contracts`, `stack.expected_irr`): what the quick pass found of those must
    not be reused."""
    ruleset = FLAGSHIP if name == "flagship" else fixture_ruleset(name)
    kept = backtest(
        ruleset,
        real_history,
        "2020-01-02",
        "2020-04-30",
        capital=CAPITAL,
        risk_budget=RISK_BUDGET,
        keep_decisions=True,
    )
    session = EvaluationSession(ruleset, real_history, end=max(kept.decisions))
    compared = 0
    for day, (_, portfolio, capital) in sorted(kept.decisions.items()):
        index = session.index_of(day)
        quick = session.decide(index, portfolio, capital, RISK_BUDGET, always=False)
        if quick.decision is None:  # no action rule can fire: nothing decided to compare
            continue
        full = session.decide(index, portfolio, capital, RISK_BUDGET, always=True)
        _assert_acting_part_equal(quick.decision, full.decision, day)
        compared += 1
    assert compared >= 5


def _assert_acting_part_equal(quick: Decision | None, full: Decision | None, day: object) -> None:
    """The decision after the quick pass keeps the outcomes of the rules that fire and of
    the limits (`acting_only`): each is the full decision's, and so are the actions, the
    states and the regime; the acting rules' one-line reasons (the trade log's) too."""
    assert quick is not None and full is not None
    kept = {o.name for o in quick.rules}
    wanted = {o.name for o in full.rules if o.kind == "limit" or o.state == "fires"}
    assert kept == wanted, day
    by_name = {o.name: o for o in full.rules}
    for outcome in quick.rules:
        assert _without_after(outcome) == _without_after(by_name[outcome.name]), day
        assert acting_reason(outcome) == acting_reason(by_name[outcome.name]), day
    assert [a.model_dump() for a in quick.actions] == [a.model_dump() for a in full.actions]
    assert quick.states == full.states and quick.regime == full.regime, day
    assert quick.missing == []


def _without_after(outcome: RuleOutcome) -> dict[str, object]:
    """An outcome without its limit's state after the actions (a decision that keeps no
    more than the acting rules does not re-run the limits for it: the backtest re-checks
    each action itself)."""
    dump = outcome.model_dump()
    if dump["limit"] is not None:
        dump["limit"] = {k: v for k, v in dump["limit"].items() if k not in AFTER_FIELDS}
    return dump


AFTER_FIELDS = ("after_actions", "margin_after_actions")
