"""`if test then a else b` on the built-in demo day: the branch taken, Kleene's unknown test,
unknowns of the branch not taken, sizing through it, and its reason; and `held(rule)`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pytest

from alvh_rules.check import Ruleset
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.greeks.legs import Leg, Portfolio, Position
from alvh_rules.market import History

Make = Callable[[str], Ruleset]

RULES = """
let line = if vvix > 100 then 20vp else 30vp
let same = if roe > 12% then 25vp else 25vp
regime calm: when vix < line
regime other: otherwise
entry agree: when vix < same
entry lazy: when (if vix > 10 then vix9d else vvix) > 0
"""


@pytest.fixture(scope="module")
def today(demo_history: History):  # type: ignore[no-untyped-def]
    return demo_history.snapshot(demo_history.index[-1].date(), capital=1_000_000)


@pytest.mark.parametrize(
    ("vvix", "vix", "state"),
    [
        (120.0, 19.0, "fires"),  # test true: the line is 20, 19 < 20
        (120.0, 21.0, "holds"),  # test true: 21 is not under 20
        (90.0, 21.0, "fires"),  # test false: the line is 30
        (90.0, 31.0, "holds"),
        (math.nan, 21.0, "unknown"),  # test unknown, branches differ: the line is unknown
    ],
)
def test_the_branch_taken_decides(
    ruleset: Make, today: object, vvix: float, vix: float, state: str
) -> None:
    decision = evaluate(ruleset(RULES), today, overrides={"vvix": vvix, "vix": vix})
    assert decision.states["calm"] == state


def test_an_unknown_test_names_its_missing_value(ruleset: Make, today: object) -> None:
    decision = evaluate(ruleset(RULES), today, overrides={"vvix": math.nan, "vix": 21.0})
    [missing] = [m for m in decision.missing if m.name == "vvix"]
    assert "calm" in missing.rules


def test_an_unknown_test_with_agreeing_branches_is_known(ruleset: Make, today: object) -> None:
    decision = evaluate(ruleset(RULES), today, overrides={"roe": math.nan, "vix": 20.0})
    assert decision.states["agree"] == "fires"
    assert all("agree" not in m.rules for m in decision.missing)


def test_the_branch_not_taken_may_be_unknown(ruleset: Make, today: object) -> None:
    decision = evaluate(ruleset(RULES), today, overrides={"vvix": math.nan, "vix": 20.0})
    assert decision.states["lazy"] == "fires"  # vix > 10 takes vix9d; vvix is not read
    assert all("lazy" not in m.rules for m in decision.missing)
    decision = evaluate(ruleset(RULES), today, overrides={"vvix": math.nan, "vix": 5.0})
    assert decision.states["lazy"] == "unknown"  # now the unknown branch is taken


SIZED = """
entry condor:
    when vix > 0
    open iron_condor dte 45d delta 16delta wings 25pt
    size risk (if roe > 15% then 2% else 1%) of capital
"""


def test_sizing_through_a_conditional(ruleset: Make, today: object) -> None:
    rules = ruleset(SIZED)

    def contracts(roe: float) -> int:
        [action] = evaluate(rules, today, overrides={"roe": roe}).actions
        return action.contracts

    low, high = contracts(0.10), contracts(0.20)
    assert low > 0 and high in (2 * low, 2 * low + 1)  # twice the risk, whole contracts
    [action] = evaluate(rules, today, overrides={"roe": math.nan}).actions
    assert action.contracts == 0 and action.note == "the sizing amount is unknown"


def test_the_reason_says_which_branch(ruleset: Make, today: object) -> None:
    decision = evaluate(ruleset(RULES), today, overrides={"vvix": 120.0, "vix": 19.0})
    [calm] = [r for r in decision.rules if r.name == "calm"]
    when = calm.clauses[0].reason
    assert when is not None
    assert when.text == "vix < line"
    line = when.children[1]  # the let's value
    chosen = line.children[0]  # the let's body, the `if`
    assert chosen.text == "if vvix > 100 then 20vp else 30vp"
    assert chosen.value == 20.0 and chosen.why == "the test is true: the value after `then`"


HELD = """
entry base: when vix > 0
layer hedge on base: when spx > 0
entry base_is_held: when held(base)
entry hedge_is_held: when held(hedge)
let hedge_value = if held(hedge) then hedge.value else 0$
entry no_hedge_cost: when hedge_value == 0$
"""


def _with_condor(snapshot: object, as_of: dt.date) -> object:
    legs = tuple(
        Leg(
            instrument="SPX",
            right=right,
            strike=strike,
            expiry=as_of + dt.timedelta(days=25),
            quantity=quantity,
            entry_price=price,
            opened_by="base",
        )
        for right, strike, quantity, price in (("p", 4000.0, 1, 3.0), ("p", 4050.0, -1, 5.0))
    )
    portfolio = Portfolio(
        positions=(Position(name="put spread", legs=legs),), capital=1e6, risk_budget=1e5
    )
    return snapshot.model_copy(update={"portfolio": portfolio})  # type: ignore[attr-defined]


def test_held_is_true_or_false_never_unknown(ruleset: Make, demo_history: History) -> None:
    as_of = demo_history.index[-1].date()
    flat = demo_history.snapshot(as_of)
    states = evaluate(ruleset(HELD), flat).states
    assert states["base_is_held"] == "holds" and states["hedge_is_held"] == "holds"
    assert states["no_hedge_cost"] == "fires"  # no hedge: its cost is 0, not unknown
    states = evaluate(ruleset(HELD), _with_condor(flat, as_of)).states
    assert states["base_is_held"] == "fires" and states["hedge_is_held"] == "holds"


def test_a_position_that_cannot_be_valued_is_still_held(
    ruleset: Make, demo_history: History
) -> None:
    """With VIX missing on the day no position can be valued, but the condor is still open:
    held(base) is true and the layer on it is decided, not 'no base position is open'."""
    as_of = demo_history.index[-1].date()
    snapshot = _with_condor(demo_history.snapshot(as_of), as_of)
    values = dict(snapshot.series_values)  # type: ignore[attr-defined]
    values["vix"] = [*values["vix"][:-1], math.nan]
    snapshot = snapshot.model_copy(update={"series_values": values})  # type: ignore[attr-defined]
    decision = evaluate(ruleset(HELD), snapshot)
    assert decision.states["base_is_held"] == "fires"
    assert decision.states["hedge"] == "fires"
    assert decision.states["base"] == "unknown"  # vix > 0 is unknown


SHORTEST = """
entry a: when vix > 0
entry b: when vix > 0
roll r on shortest(a, b):
    when position.dte < 20d
    close
"""


def _spreads(snapshot: object, as_of: dt.date, days: dict[str, int]) -> object:
    positions = tuple(
        Position(
            name=f"put spread {rule}",
            legs=tuple(
                Leg(
                    instrument="SPX",
                    right="p",
                    strike=strike,
                    expiry=as_of + dt.timedelta(days=left),
                    quantity=quantity,
                    entry_price=price,
                    opened_by=rule,
                )
                for strike, quantity, price in ((4000.0, 1, 3.0), (4050.0, -1, 5.0))
            ),
        )
        for rule, left in days.items()
    )
    portfolio = Portfolio(positions=positions, capital=1e6, risk_budget=1e5)
    return snapshot.model_copy(update={"portfolio": portfolio})  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("days", "acts_on", "state"),
    [
        ({"a": 30, "b": 10}, "b", "fires"),  # b expires first: 10 days < 20
        ({"a": 10, "b": 30}, "a", "fires"),
        ({"a": 25, "b": 30}, "a", "holds"),  # the shortest, a, has 25 days: not < 20
        ({"b": 12}, "b", "fires"),  # only b is held
        ({"a": 15, "b": 15}, "a", "fires"),  # a tie: the first listed
    ],
)
def test_a_roll_on_the_shortest_dated_of_several(
    ruleset: Make, demo_history: History, days: dict[str, int], acts_on: str, state: str
) -> None:
    as_of = demo_history.index[-1].date()
    snapshot = _spreads(demo_history.snapshot(as_of), as_of, days)
    decision = evaluate(ruleset(SHORTEST), snapshot)
    assert decision.states["r"] == state
    if state == "fires":
        [action] = [a for a in decision.actions if a.rule == "r"]
        assert action.target == acts_on and action.kind == "close"


def test_a_roll_on_shortest_with_none_held_holds(ruleset: Make, demo_history: History) -> None:
    decision = evaluate(ruleset(SHORTEST), demo_history.snapshot(demo_history.index[-1].date()))
    [roll] = [r for r in decision.rules if r.name == "r"]
    assert roll.state == "holds" and roll.summary == "holds: no a or b position is open"
