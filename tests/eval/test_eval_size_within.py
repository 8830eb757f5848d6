"""`size ... within LIMIT`: as many structures as the amount allows, cut to what keeps the
limit held once they are added; the same count in `evaluate` and in a replay."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alvh_rules.check import Ruleset, check_text
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.replay import replay
from alvh_rules.eval.sizing import contracts_within
from alvh_rules.greeks.legs import Leg, Portfolio, Position
from alvh_rules.market import History

Make = Callable[[str], Ruleset]

RULES = """
param vega_floor = -180$/vp
limit max_short_vega: portfolio.vega >= vega_floor
entry capped:
    open iron_condor dte 45d delta 16delta wings 25pt
    size risk 2% of capital within max_short_vega
entry uncapped:
    open iron_condor dte 45d delta 16delta wings 25pt
    size risk 2% of capital
entry checked:
    require stack.vega >= max_short_vega.bound
    open iron_condor dte 45d delta 16delta wings 25pt
    size risk 2% of capital within max_short_vega
"""


def _opened(decision: object, rule: str) -> tuple[int, dict[str, float | None]]:
    for action in decision.actions:  # type: ignore[attr-defined]
        if action.rule == rule:
            return action.contracts, action.figures
    raise AssertionError(f"{rule} opened nothing")


@pytest.mark.parametrize("day", ["2017-11-03", "2020-02-24", "2022-06-13"])
def test_the_count_is_the_largest_that_keeps_the_limit_held(
    ruleset: Make, real_history: History, day: str
) -> None:
    snapshot = real_history.snapshot(pd.Timestamp(day).date(), capital=1_000_000)
    decision = evaluate(ruleset(RULES), snapshot)
    free, free_figures = _opened(decision, "uncapped")
    count, _ = _opened(decision, "capped")
    one_vega = float(free_figures["vega"] or math.nan) / free
    assert one_vega < 0
    # independent of the code under test: the floor over one structure's vega
    assert count == min(free, math.floor(-180.0 / one_vega))
    assert count * one_vega >= -180.0 > (count + 1) * one_vega or count == free
    assert decision.states["checked"] == "fires"


def test_a_held_position_uses_up_the_room(ruleset: Make, real_history: History) -> None:
    day = pd.Timestamp("2017-11-03").date()
    rules = ruleset(RULES)
    empty = evaluate(rules, real_history.snapshot(day, capital=1_000_000))
    free, figures = _opened(empty, "uncapped")
    one_vega = float(figures["vega"] or math.nan) / free
    held = Position(
        name="hedge",
        legs=[
            Leg(
                instrument="SPX",
                right="p",
                strike=2400,
                expiry=pd.Timestamp("2017-12-15").date(),
                quantity=-3,
                entry_price=10.0,
                opened_by="capped",
            )
        ],
    )
    snapshot = real_history.snapshot(
        day,
        capital=1_000_000,
        portfolio=Portfolio(capital=1_000_000, risk_budget=100_000, positions=[held]),
    )
    decision = evaluate(rules, snapshot)
    limit = next(r for r in decision.rules if r.name == "max_short_vega").limit
    assert limit is not None and limit.margin is not None
    count, _ = _opened(decision, "capped")
    assert count == min(free, max(0, math.floor(limit.margin / -one_vega)))
    assert count < min(free, math.floor(-180.0 / one_vega))


def test_the_sizing_words_name_the_limit(ruleset: Make, real_history: History) -> None:
    snapshot = real_history.snapshot(pd.Timestamp("2017-11-03").date(), capital=1_000_000)
    action = next(a for a in evaluate(ruleset(RULES), snapshot).actions if a.rule == "capped")
    assert "; within max_short_vega: " in action.sizing


def test_replay_agrees_with_evaluate(ruleset: Make, real_history: History) -> None:
    rules = ruleset(RULES)
    timeline = replay(rules, real_history, start="2020-01-02", end="2020-06-30", capital=1e6)
    assert set(timeline["checked"]) <= {"fires", "blocked", "unknown", "holds"}
    for day in random.Random(5).sample(list(timeline.index), 6):
        decision = evaluate(rules, real_history.snapshot(day.date(), capital=1e6))
        row = timeline.loc[day]
        assert {name: row[name] for name in decision.states} == dict(decision.states), day


@given(
    margin=st.floats(-1e4, 1e4, allow_nan=False),
    per=st.floats(-1e3, 1e3, allow_nan=False).filter(lambda v: abs(v) > 1e-3),
    op=st.sampled_from([">=", ">", "<=", "<"]),
)
def test_contracts_within_is_the_largest_count_that_holds(
    margin: float, per: float, op: str
) -> None:
    [room] = contracts_within(np.array([margin]), np.array([per]), op)
    slope = per if op in (">", ">=") else -per

    def holds(k: float) -> bool:
        after = margin + k * slope
        return after > 1e-9 if op in (">", "<") else after >= -1e-9

    if slope >= 0:
        assert room == math.inf
    elif not holds(0):
        assert room == 0
    else:
        assert holds(room) and not holds(room + 1)


def test_checker_refuses_what_cannot_cap() -> None:
    cases = {
        "within nothing_here": "unknown",
        "within e": "not a limit",
        "within by_stack": "portfolio.FIELD",
        "within by_let": "portfolio.FIELD",
        "within max_short_vega, max_short_vega": "listed twice",
    }
    for clause, words in cases.items():
        text = f"""
let held_vega = e.vega
limit max_short_vega: portfolio.vega >= -180$/vp
limit by_stack: portfolio.vega >= portfolio.theta * 1d / 1pt * 1$/vp / 1$
limit by_let: portfolio.vega >= held_vega
entry e:
    open iron_condor dte 45d delta 16delta wings 25pt
    size risk 1% of capital {clause}
"""
        report = check_text(text, "w.alvh")
        messages = [d.message for d in report.errors]
        assert any(words in m for m in messages), (clause, messages)
