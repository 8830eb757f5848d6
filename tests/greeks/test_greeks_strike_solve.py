"""Strikes by delta on the calibrated SSVI surface: the Newton solve lands on the delta asked
for (checked with QuantLib's Black-Scholes delta) and on the bracketing solver's root."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.greeks.analytic import bsm
from alvh_rules.greeks.roots import find_roots
from alvh_rules.greeks.strikes import solve_strike_for_delta
from alvh_rules.market.surface import vix_term_surface

ql = pytest.importorskip("QuantLib")


@settings(max_examples=60, deadline=None)
@given(
    vix=st.floats(9.0, 85.0),
    delta=st.floats(0.02, 0.6),
    days=st.integers(1, 400),
    right=st.sampled_from(["c", "p"]),
    rate=st.floats(0.0, 0.06),
)
def test_newton_strike_has_the_delta_and_is_the_bracketed_root(
    vix: float, delta: float, days: int, right: str, rate: float
) -> None:
    spot, t = 4000.0, days / 365.0
    surface = vix_term_surface(spot, vix, rate=rate)
    strike = float(solve_strike_for_delta(delta, right, spot, t, surface, rate))  # type: ignore[arg-type]
    vol = float(surface.vol(strike, t))
    kind = ql.Option.Call if right == "c" else ql.Option.Put
    forward = spot * math.exp(rate * t)
    payoff = ql.PlainVanillaPayoff(kind, strike)
    calc = ql.BlackCalculator(payoff, forward, vol * math.sqrt(t), math.exp(-rate * t))
    assert abs(calc.delta(spot)) == pytest.approx(delta, abs=1e-9)

    width = 12.0 * float(surface.vol(spot, t)) * math.sqrt(t) + 0.5

    def gap(x: np.ndarray) -> np.ndarray:
        k = np.exp(x)
        return np.abs(bsm(right, spot, k, t, surface.vol(k, t), rate, 0.0).delta) - delta

    low, high = np.array([math.log(spot) - width]), np.array([math.log(spot) + width])
    bracketed = float(np.exp(find_roots(gap, low, high, x_tolerance=1e-14))[0])
    assert strike == pytest.approx(bracketed, rel=1e-10)
