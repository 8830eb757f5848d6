"""The session's shortcuts change no decision: the limit re-check after an action runs the
limits alone (`limits_only`), each limit's state and margin those a whole run of the plan
gives on the same changed holdings; the full decision after the quick pass reuses what the
quick pass found of every node that reads no proposal, and equals a decision made without
the quick pass."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest
from backtest_support import CAPITAL, RISK_BUDGET, fixture_ruleset

from alvh_rules.backtesting.api import Backtest, backtest
from alvh_rules.check import load
from alvh_rules.eval.decision import Decision
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
        for name in limits:
            assert alone.states[name][index] == whole.states[name][index], (day, name)
            margin = margins[name + ".margin"]
            a = float(np.asarray(margin(alone.run))[index])
            b = float(np.asarray(margin(whole.run))[index])
            assert a == b or (np.isnan(a) and np.isnan(b)), (day, name)


def _dump(decision: Decision | None) -> object:
    assert decision is not None
    return decision.model_dump()


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
        assert _dump(quick.decision) == _dump(full.decision), day
        compared += 1
    assert compared >= 5
