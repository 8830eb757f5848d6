"""A repeated evaluate of the same snapshot (the hot path: market values cached, the rest run
on the last day alone) gives exactly the decision of the first, cold one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from alvh_rules.check import Ruleset, load
from alvh_rules.eval.interpreter import evaluate, last_day_suffices, plan_for
from alvh_rules.greeks.legs import Leg, Portfolio, Position
from alvh_rules.market import History

ROOT = Path(__file__).resolve().parents[2]
RULESETS = [
    ROOT / "tests" / "eval" / "fixtures" / "layered.alvh",
    ROOT / "tests" / "eval" / "fixtures" / "proposals.alvh",
    ROOT / "rulesets" / "alvh_vega_layering_roa.alvh",
]


def _portfolio(as_of: object) -> Portfolio:
    """A held condor opened by `core_condor` / `base_condor` (so layers and rolls apply)."""
    import datetime as dt

    assert isinstance(as_of, dt.date)
    expiry = as_of + dt.timedelta(days=25)
    positions = []
    for rule in ("core_condor", "base_condor"):
        legs = tuple(
            Leg(
                instrument="SPX",
                right=right,
                strike=strike,
                expiry=expiry,
                quantity=quantity,
                entry_price=price,
                opened_by=rule,
                layer=rule,
            )
            for right, strike, quantity, price in (
                ("p", 4000.0, 2, 3.0),
                ("p", 4050.0, -2, 5.0),
                ("c", 6500.0, -2, 4.0),
                ("c", 6550.0, 2, 2.0),
            )
        )
        positions.append(Position(name="iron condor", legs=legs))
    return Portfolio(positions=tuple(positions), capital=1_000_000.0, risk_budget=100_000.0)


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.stem)
@pytest.mark.parametrize("held", [False, True], ids=["flat", "held"])
def test_hot_evaluate_equals_cold(path: Path, held: bool, demo_history: History) -> None:
    ruleset = load(path)
    for day in demo_history.index[-3:]:
        as_of = day.date()
        portfolio = _portfolio(as_of) if held else None
        snapshot = demo_history.snapshot(
            as_of, capital=1_000_000, risk_budget=100_000, portfolio=portfolio
        )
        cold = evaluate(ruleset, snapshot).model_dump()
        assert evaluate(ruleset, snapshot).model_dump() == cold
        assert evaluate(ruleset, snapshot).model_dump() == cold
        lean = evaluate(ruleset, snapshot, explain=False).model_dump()
        assert lean["states"] == cold["states"] and lean["actions"] == cold["actions"]


def test_hot_evaluate_equals_cold_on_the_last_real_day(real_history: History) -> None:
    """The shipped ruleset on the real history's last day (its whole history since 1928)."""
    ruleset = load(RULESETS[2])
    snapshot = real_history.snapshot(
        real_history.index[-1].date(), capital=1_000_000, risk_budget=100_000
    )
    cold = evaluate(ruleset, snapshot).model_dump()
    assert evaluate(ruleset, snapshot).model_dump() == cold


@pytest.mark.parametrize(
    ("condition", "suffices"),
    [
        ("position.vega < 0$/vp and abs(position.delta) < 50$/pt", True),
        ("max(position.vega, -100$/vp) < 0$/vp", True),
        ("max(position.vega, 5d) < 0$/vp", False),
        ("rsi(vix, 14) < 70 and position.vega < 0$/vp", True),
    ],
)
def test_last_day_suffices_only_without_history_of_positions(
    ruleset: Callable[[str], Ruleset], condition: str, suffices: bool
) -> None:
    checked = ruleset(
        'ruleset "t"\n'
        "entry e:\n"
        f"    when {condition}\n"
        "    open iron_condor dte 30d delta 16delta wings 50pt\n"
    )
    assert last_day_suffices(plan_for(checked)) is suffices
