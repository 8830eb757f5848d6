"""`expected_irr` through the interpreter: the hurdle passes or fails by the realized vol
alone, a day without one is unknown with `spx_rv20` named, and `stack` adds held positions'
expected profits and maximum losses as `sizing.stack_figures` says."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from alvh_rules.check import Ruleset
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.sizing import stack_figures
from alvh_rules.market import History

Make = Callable[[str], Ruleset]

RULES = """
entry condor:
    require stack.expected_irr > 20%
    open iron_condor dte 45d delta 16delta wings 25pt
"""


@pytest.fixture(scope="module")
def today(demo_history: History):  # type: ignore[no-untyped-def]
    return demo_history.snapshot(demo_history.index[-1].date(), capital=1_000_000)


@pytest.mark.parametrize(("realized", "state"), [(10.0, "fires"), (30.0, "holds")])
def test_the_hurdle_follows_realized_vol(
    ruleset: Make, today: object, realized: float, state: str
) -> None:
    decision = evaluate(ruleset(RULES), today, overrides={"spx_rv20": realized})
    assert decision.states["condor"] == state


def test_without_realized_vol_the_rule_is_unknown_and_says_why(
    ruleset: Make, today: object
) -> None:
    decision = evaluate(ruleset(RULES), today, overrides={"spx_rv20": math.nan})
    assert decision.states["condor"] == "unknown"
    [missing] = [m for m in decision.missing if m.name == "spx_rv20"]
    assert missing.rules == ["condor"]
    assert "expected return at realized vol is unknown" in missing.reason


def test_stack_sums_expected_profits_over_summed_losses() -> None:
    held = {"a": {"expected_profit": 100.0, "max_profit": 500.0, "max_loss": 1500.0}}
    proposal = {"expected_profit": -40.0, "max_profit": 700.0, "max_loss": 1300.0, "dte": 36.5}
    stack = stack_figures({}, held, proposal)
    assert stack["expected_profit"] == pytest.approx(60.0)
    assert stack["expected_irr"] == pytest.approx(60.0 / 2800.0 * 10.0)
    unknown = stack_figures({}, {"a": {**held["a"], "expected_profit": math.nan}}, proposal)
    assert math.isnan(unknown["expected_irr"])
