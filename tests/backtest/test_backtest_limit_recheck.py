"""The limit re-check after an action runs the limits alone (`limits_only`): each limit's
state and margin are those a whole run of the plan gives on the same changed holdings."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
from backtest_support import RISK_BUDGET, fixture_ruleset

from alvh_rules.backtesting.api import Backtest
from alvh_rules.eval.interpreter import held_positions
from alvh_rules.eval.session import EvaluationSession, Holdings
from alvh_rules.greeks.legs import Portfolio
from alvh_rules.market import History


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
