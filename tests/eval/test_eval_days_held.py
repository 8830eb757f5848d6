"""`days_held` on the built-in demo day: calendar days since a held position opened, the
youngest of a group, 0 for what a rule would open and for the stack, unknown (with the
position named) when an opening date is missing, and refused when it lies after the day."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from alvh_rules.check import Ruleset
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.greeks.figures import youngest
from alvh_rules.greeks.legs import Leg, Portfolio, Position
from alvh_rules.market import History

Make = Callable[[str], Ruleset]

RULES = """
param delay = 17d
entry base: when vix > 0
layer second on base:
    when base.days_held >= delay
    open iron_condor dte 30d delta 16delta wings 25pt
    size contracts 1
entry young_book: when portfolio.days_held < 5d
entry fresh: when position.days_held == 0d and stack.days_held == 0d
    open iron_condor dte 45d delta 16delta wings 25pt
    size contracts 1
"""


@pytest.fixture(scope="module")
def as_of(demo_history: History) -> dt.date:
    return demo_history.index[-1].date()


def _spread(as_of: dt.date, name: str, opened: dt.date | None, owner: str = "base") -> Position:
    legs = tuple(
        Leg(
            instrument="SPX",
            right="p",
            strike=strike,
            expiry=as_of + dt.timedelta(days=25),
            quantity=quantity,
            entry_price=price,
            opened_by=owner,
        )
        for strike, quantity, price in ((4000.0, 1, 3.0), (4050.0, -1, 5.0))
    )
    return Position(name=name, legs=legs, opened=opened)


def _holding(demo_history: History, as_of: dt.date, *positions: Position) -> object:
    portfolio = Portfolio(positions=positions, capital=1e6, risk_budget=1e5)
    return demo_history.snapshot(as_of, portfolio, capital=1e6)


def _figure(decision: object, rule: str, text: str) -> float:
    """The value the decision's reason tree shows for `text` under `rule`."""
    [outcome] = [r for r in decision.rules if r.name == rule]  # type: ignore[attr-defined]
    stack = [c.reason for c in outcome.clauses if c.reason is not None]
    while stack:
        node = stack.pop()
        if node.text == text:
            return float("nan") if node.value is None else float(node.value)
        stack.extend(node.children)
    raise AssertionError(f"{text} is not in {rule}'s reasons")


@pytest.mark.parametrize(("days", "state"), [(10, "holds"), (16, "holds"), (17, "fires")])
def test_the_layer_waits_for_the_days_held_whatever_the_expiry(
    ruleset: Make, demo_history: History, as_of: dt.date, days: int, state: str
) -> None:
    snapshot = _holding(demo_history, as_of, _spread(as_of, "b1", as_of - dt.timedelta(days)))
    decision = evaluate(ruleset(RULES), snapshot)
    assert decision.states["second"] == state
    assert _figure(decision, "second", "base.days_held") == days


def test_a_group_reads_its_youngest_position(
    ruleset: Make, demo_history: History, as_of: dt.date
) -> None:
    old = _spread(as_of, "b1", as_of - dt.timedelta(days=30))
    young = _spread(as_of, "b2", as_of - dt.timedelta(days=3))
    decision = evaluate(ruleset(RULES), _holding(demo_history, as_of, old, young))
    assert _figure(decision, "second", "base.days_held") == 3
    assert decision.states["second"] == "holds"
    assert decision.states["young_book"] == "fires"  # the portfolio's youngest: 3 days


def test_no_opened_date_is_unknown_and_the_position_is_named(
    ruleset: Make, demo_history: History, as_of: dt.date
) -> None:
    dated = _spread(as_of, "b1", as_of - dt.timedelta(days=30))
    undated = _spread(as_of, "b2", None)
    decision = evaluate(ruleset(RULES), _holding(demo_history, as_of, dated, undated))
    assert decision.states["second"] == "unknown"
    assert decision.states["young_book"] == "unknown"
    reasons = {m.name: m.reason for m in decision.missing}
    assert reasons["base.days_held"] == "position b2 has no opened date"
    assert reasons["portfolio.days_held"] == "position b2 has no opened date"


def test_what_a_rule_would_open_and_the_stack_are_0_days_held(
    ruleset: Make, demo_history: History, as_of: dt.date
) -> None:
    undated = _spread(as_of, "b2", None)  # even beside a position of unknown age
    decision = evaluate(ruleset(RULES), _holding(demo_history, as_of, undated))
    assert decision.states["fresh"] == "fires"
    assert _figure(decision, "fresh", "position.days_held") == 0
    assert _figure(decision, "fresh", "stack.days_held") == 0


def test_an_opening_after_the_day_is_refused_naming_the_field(as_of: dt.date) -> None:
    payload = _spread(as_of, "b1", as_of + dt.timedelta(days=1)).model_dump()
    with pytest.raises(ValidationError) as raised:
        Portfolio.model_validate(
            {"positions": [payload], "capital": 1e6, "risk_budget": 1e5},
            context={"as_of": as_of},
        )
    [error] = raised.value.errors()
    assert error["loc"] == ("positions", 0, "opened")
    later = as_of + dt.timedelta(days=1)
    assert error["msg"] == f"Value error, opened {later} is after the day it is valued on ({as_of})"


def test_valuing_before_the_opening_day_is_refused(as_of: dt.date) -> None:
    from alvh_rules.greeks.legs import require_live

    later = _spread(as_of, "b1", as_of + dt.timedelta(days=2))
    with pytest.raises(ValidationError) as raised:
        require_live(later, as_of)
    assert [e["loc"] for e in raised.value.errors()] == [("opened",)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 400).map(float), st.just(math.nan)), max_size=6))
def test_youngest_is_the_minimum_unless_one_is_unknown(days: list[float]) -> None:
    result = youngest(days)
    if not days or any(math.isnan(d) for d in days):
        assert math.isnan(result)
    else:
        assert result == min(days) and all(result <= d for d in days)
