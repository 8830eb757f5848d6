"""A roll's `resize`: the held position brought to the count its rule's `size` clause asks
today, on the held structure. Independent check: a held position with the very legs the
rule would open today (same strikes, expiries) is resized to exactly the count the rule
opens, whatever it holds now; an unknown amount leaves the roll unknown with its reason."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.check import Ruleset
from alvh_rules.eval.decision import Action
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.greeks.legs import Leg, Portfolio, Position
from alvh_rules.market import History

Make = Callable[[str], Ruleset]
DAY = "2020-02-24"  # a real day: VIX 25, the VX curve and VVIX known
RULES = """
param share = 30%
param hedge_beta = 0.8
entry condor:
    open iron_condor dte 45d delta 16delta wings 50pt
    size contracts 5
layer hedge on condor:
    when vix < 99
    open vix_call_spread dte 30d strike atm width 5vp
    size vega share of -condor.vega beta hedge_beta
roll rebalance on hedge:
    when hedge.contracts > 0
    resize
"""


def _position(action: Action, name: str, contracts: int) -> Position:
    """The legs of an `open` action at `contracts` structures, tagged as that rule's."""
    per = abs(action.legs[0].quantity)
    legs = tuple(
        Leg(
            instrument=leg.instrument,  # type: ignore[arg-type]
            right=leg.right,  # type: ignore[arg-type]
            strike=leg.strike,
            expiry=dt.date.fromisoformat(leg.expiry),
            quantity=leg.quantity // per * contracts,
            entry_price=max(leg.price, 0.0),
            opened_by=action.rule,
            layer=action.rule,
        )
        for leg in action.legs
    )
    return Position(name=name, legs=legs)


def _opened(rules: Ruleset, history: History, portfolio: Portfolio | None, rule: str) -> Action:
    decision = evaluate(rules, history.snapshot(DAY, portfolio=portfolio, capital=1e6))
    (action,) = [a for a in decision.actions if a.rule == rule and a.kind == "open"]
    return action


@pytest.fixture(scope="module")
def book(real_history: History, ruleset_module: Ruleset) -> tuple[Position, Action]:
    condor = _opened(ruleset_module, real_history, None, "condor")
    held_condor = _position(condor, "condor#1", 5)
    portfolio = Portfolio(capital=1e6, risk_budget=1e5, positions=(held_condor,))
    return held_condor, _opened(ruleset_module, real_history, portfolio, "hedge")


@pytest.fixture(scope="module")
def ruleset_module(tmp_path_factory: pytest.TempPathFactory) -> Ruleset:
    from alvh_rules.check import check_text

    path = tmp_path_factory.mktemp("resize") / "rules.alvh"
    path.write_text(RULES, encoding="utf-8")
    report = check_text(RULES, str(path))
    assert report.ruleset is not None
    return report.ruleset


def _resize(
    rules: Ruleset, history: History, condor: Position, hedge: Action, held: int
) -> tuple[str, str, list[Action]]:
    positions = (condor, _position(hedge, "hedge#2", held))
    portfolio = Portfolio(capital=1e6, risk_budget=1e5, positions=positions)
    decision = evaluate(rules, history.snapshot(DAY, portfolio=portfolio, capital=1e6))
    (outcome,) = [o for o in decision.rules if o.name == "rebalance"]
    assert decision.states["rebalance"] == outcome.state
    return outcome.state, outcome.summary, [a for a in outcome.actions if a.kind == "resize"]


@settings(max_examples=6, deadline=None)
@given(held=st.integers(1, 40))
def test_held_legs_equal_to_todays_are_resized_to_todays_count(
    real_history: History, ruleset_module: Ruleset, book: tuple[Position, Action], held: int
) -> None:
    condor, hedge = book
    assert hedge.contracts > 0
    state, _, (action,) = _resize(ruleset_module, real_history, condor, hedge, held)
    assert state == "fires" and action.target == "hedge"
    assert action.contracts == hedge.contracts  # the count `open` gives on the same legs
    change = hedge.contracts - held
    trade = (
        "nothing to trade" if change == 0 else f"buy {change}" if change > 0 else f"sell {-change}"
    )
    assert f"({trade})" in action.note and action.note.startswith("resize hedge ")
    assert action.sizing == hedge.sizing  # the same words: vega ... / ... per structure


def test_the_beta_scales_the_held_vega_per_structure(
    real_history: History, ruleset: Make, book: tuple[Position, Action]
) -> None:
    """A lower beta gives each VIX spread less SPX vega, so more spreads: as `open` does."""
    condor, _ = book
    low = ruleset(RULES.replace("param hedge_beta = 0.8", "param hedge_beta = 0.7"))
    portfolio = Portfolio(capital=1e6, risk_budget=1e5, positions=(condor,))
    hedge = _opened(low, real_history, portfolio, "hedge")
    _, _, (action,) = _resize(low, real_history, condor, hedge, 3)
    assert action.contracts == hedge.contracts


def test_an_unknown_amount_leaves_the_resize_unknown(
    real_history: History, ruleset: Make, book: tuple[Position, Action]
) -> None:
    condor, hedge = book
    rules = ruleset(RULES.replace("share of -condor.vega", "share * roa / 10% of -condor.vega"))
    state, summary, actions = _resize(rules, real_history, condor, hedge, 7)
    assert state == "unknown" and actions == []
    assert summary == "unknown: hedge's size: the sizing amount is unknown"
    positions = (condor, _position(hedge, "hedge#2", 7))
    portfolio = Portfolio(capital=1e6, risk_budget=1e5, positions=positions)
    decision = evaluate(rules, real_history.snapshot(DAY, portfolio=portfolio, capital=1e6))
    assert any(m.name == "roa" and "rebalance" in m.rules for m in decision.missing)


CAPS = """
limit max_short_vega:
    portfolio.vega >= -2000$/vp
entry condor:
    open iron_condor dte 45d delta 16delta wings 50pt
    size contracts 200 within max_short_vega
entry long_put:
    open long put dte 45d delta 25delta
    size contracts 200 costing at most 30000$
roll grow_condor on condor:
    resize
roll grow_put on long_put:
    resize
entry risky:
    open iron_condor dte 30d delta 20delta wings 25pt
    size risk 2% of capital
roll grow_risky on risky:
    resize
entry future:
    open vix_future dte 30d
    size contracts 10 costing at most 1$
roll grow_future on future:
    resize
"""


def _caps_decision(rules: Ruleset, history: History, held: dict[str, int]) -> dict[str, Action]:
    """The open actions of CAPS with nothing held, then the resize actions with `held`
    contracts of each (the very legs the opens propose)."""
    opens = {
        a.rule: a
        for a in evaluate(rules, history.snapshot(DAY, capital=1e6)).actions
        if a.kind == "open"
    }
    positions = tuple(_position(opens[name], f"{name}#1", count) for name, count in held.items())
    portfolio = Portfolio(capital=1e6, risk_budget=1e5, positions=positions)
    decision = evaluate(rules, history.snapshot(DAY, portfolio=portfolio, capital=1e6))
    resizes = {a.target: a for a in decision.actions if a.kind == "resize"}
    return {**{f"open {k}": v for k, v in opens.items()}, **resizes}


def test_a_resize_that_adds_is_capped_by_the_limits_room(
    real_history: History, ruleset: Make
) -> None:
    rules = ruleset(CAPS)
    actions = _caps_decision(rules, real_history, {"condor": 3})
    one_vega = actions["open condor"].figures["vega"]
    assert one_vega is not None and actions["open condor"].contracts > 0
    per_contract = one_vega / actions["open condor"].contracts
    # the room: the limit's margin with 3 held, over one condor's (negative) vega
    margin = 3 * per_contract + 2000.0
    expected = 3 + math.floor(margin / -per_contract + 1e-9)
    resize = actions["condor"]
    assert 3 < resize.contracts == expected < 200
    assert "within max_short_vega" in resize.sizing


def test_a_resize_is_cut_to_what_its_cost_cap_pays_at_todays_mark(
    real_history: History, ruleset: Make
) -> None:
    rules = ruleset(CAPS)
    actions = _caps_decision(rules, real_history, {"long_put": 2})
    put = actions["open long_put"]
    debit = -(put.figures["credit"] or math.nan) / put.contracts  # one put's premium, $
    resize = actions["long_put"]
    assert resize.contracts == math.floor(30000.0 / debit) == put.contracts
    assert "costing at most 30,000$" in resize.sizing


def test_a_future_costs_nothing_to_resize(real_history: History, ruleset: Make) -> None:
    """As at opening, a future is not cut by `costing at most`: its mark is its open P&L
    (here 5 points in its favour, 10,000 $ for two), not a price paid."""
    rules = ruleset(CAPS)
    (opened,) = [
        a
        for a in evaluate(rules, real_history.snapshot(DAY, capital=1e6)).actions
        if a.rule == "future"
    ]
    assert opened.contracts == 10
    held = _position(opened, "future#1", 2)
    gained = held.model_copy(
        update={
            "legs": tuple(
                leg.model_copy(update={"entry_price": leg.entry_price - 5}) for leg in held.legs
            )
        }
    )
    portfolio = Portfolio(capital=1e6, risk_budget=1e5, positions=(gained,))
    decision = evaluate(rules, real_history.snapshot(DAY, portfolio=portfolio, capital=1e6))
    (action,) = [a for a in decision.actions if a.kind == "resize"]
    assert action.contracts == 10 and "costing" not in action.sizing


def test_a_risk_sized_resize_divides_by_one_held_structures_maximum_loss(
    real_history: History, ruleset: Make
) -> None:
    actions = _caps_decision(ruleset(CAPS), real_history, {"risky": 1})
    opened, resize = actions["open risky"], actions["risky"]
    one_loss = (opened.figures["max_loss"] or math.nan) / opened.contracts
    assert resize.contracts == math.floor(20_000 / one_loss) == opened.contracts > 1
    assert resize.sizing.startswith("risk 20,000$ / max loss")
