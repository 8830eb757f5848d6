"""The SPX smile shape as an input: parsed with clear errors, it moves the solved ATM level,
reaches evaluate, replay (its batch path) and backtest alike, and is named in provenance."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.backtesting.api import backtest
from alvh_rules.check import Ruleset
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.replay import replay
from alvh_rules.greeks.ssvi import SPX_SHAPE, SurfaceShape, parse_shape
from alvh_rules.market import History
from alvh_rules.market.surface import fit_day

STEEP = SurfaceShape(rho=-0.5, eta=1.2, gamma=0.5)
CONDOR = """ruleset "smile"
entry condor:
    when vix > 0
    require position.credit >= {floor}$
    open iron_condor dte 45d delta 16delta wings 25pt
    size contracts 1
"""


def test_the_shape_is_read_from_its_text() -> None:
    assert parse_shape("rho=-0.5,eta=1.2,gamma=0.5") == STEEP
    assert parse_shape(" eta = 1.1 ") == SurfaceShape(rho=SPX_SHAPE.rho, eta=1.1, gamma=0.5)
    assert parse_shape("gamma=0.3", base=STEEP) == SurfaceShape(rho=-0.5, eta=1.2, gamma=0.3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rho=2", "rho = 2: Input should be less than 1"),
        ("gamma=0.7", "gamma = 0.7: Input should be less than or equal to 0.5"),
        ("eta=0", "eta = 0: Input should be greater than 0"),
        ("rho=-0.7,eta=1.2", "eta * (1 + |rho|) = 2.04 exceeds 2"),
        ("rho=abc", "rho = 'abc' is not a number"),
        ("rho=inf", "rho = 'inf' is not a finite number"),
        ("skew=1", "'skew=1' is not NAME=VALUE with NAME one of rho, eta, gamma"),
        ("rho", "'rho' is not NAME=VALUE"),
    ],
)
def test_a_bad_shape_names_the_field_and_the_value(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^smile: ") as caught:
        parse_shape(text)
    assert message in str(caught.value)


@settings(max_examples=60, deadline=None)
@given(
    vix=st.floats(9.0, 80.0),
    rho=st.floats(-0.9, -0.1),
    eta=st.floats(0.2, 1.0),
)
def test_a_steeper_smile_lowers_the_solved_atm_level(vix: float, rho: float, eta: float) -> None:
    """The variance swap integrates the wings: more curvature (eta) prices more of VIX in
    them, so the ATM level solved to the same VIX falls."""
    flat = SurfaceShape(rho=rho, eta=eta, gamma=0.5)
    steep = SurfaceShape(rho=rho, eta=eta * 1.05, gamma=0.5)
    low, high = fit_day(vix, shape=steep), fit_day(vix, shape=flat)
    assert low.atm_variances[1] < high.atm_variances[1]
    assert abs(low.residual_vp[1]) < 0.05 and abs(high.residual_vp[1]) < 0.05


def _credit(decision: object) -> float:
    (proposal,) = [a for a in decision.actions if a.rule == "condor"]  # type: ignore[attr-defined]
    return float(proposal.figures["credit"])


def test_evaluate_prices_with_the_smile_and_says_so(
    demo_history: History, ruleset: Callable[[str], Ruleset]
) -> None:
    day = demo_history.index[-1].date()
    rules = ruleset(CONDOR.format(floor=0))
    default = evaluate(rules, demo_history.snapshot(day))
    given_here = evaluate(rules, demo_history.snapshot(day), smile=STEEP)
    built = evaluate(rules, demo_history.with_smile(STEEP).snapshot(day))
    assert _credit(given_here) == pytest.approx(_credit(built), rel=1e-12)
    assert not math.isclose(_credit(given_here), _credit(default), rel_tol=1e-3)
    notes = " ".join(given_here.provenance.market_model)
    assert "SSVI smile rho -0.5, eta 1.2, gamma 0.5 (given, not the default)" in notes
    assert "(given" not in " ".join(default.provenance.market_model)


def test_replay_reads_the_smile_on_its_batch_path(
    demo_history: History, ruleset: Callable[[str], Ruleset]
) -> None:
    """A credit floor between the two smiles' credits: replay's last day agrees with evaluate
    under each smile, and the two smiles disagree."""
    day = demo_history.index[-1].date()
    probe = ruleset(CONDOR.format(floor=0))
    credits = [
        _credit(evaluate(probe, demo_history.snapshot(day), smile=shape))
        for shape in (SPX_SHAPE, STEEP)
    ]
    floor = round(float(np.mean(credits)))
    rules = ruleset(CONDOR.format(floor=floor))
    states = []
    for shape in (SPX_SHAPE, STEEP):
        timeline = replay(rules, demo_history, start=day, smile=shape)
        one = evaluate(rules, demo_history.snapshot(day), smile=shape)
        assert timeline["condor"].iloc[-1] == one.states["condor"]
        states.append(one.states["condor"])
    assert states[0] != states[1]


def test_backtest_trades_at_the_smile(
    demo_history: History, ruleset: Callable[[str], Ruleset]
) -> None:
    start = demo_history.index[-3].date()
    rules = ruleset(CONDOR.format(floor=0))
    runs = [
        backtest(rules, demo_history, start=start, capital=1_000_000, smile=shape)
        for shape in (None, STEEP)
    ]
    credits = [run.trades["price"].abs().sum() for run in runs]
    assert credits[0] > 0 and not math.isclose(credits[0], credits[1], rel_tol=1e-4)
