"""The expected figures (`greeks.expected`): each leg's expected payoff and a condor's expected
P&L against scipy.integrate.quad of the payoff over the lognormal density, and the unknowns."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from alvh_rules.greeks import FlatSurface, ValuationContext, iron_condor, position_fields
from alvh_rules.greeks.conventions import DAYS_PER_YEAR
from alvh_rules.greeks.expected import lognormal_expected_payoff
from alvh_rules.greeks.vx_curve import VxCurve

AS_OF = date(2025, 1, 2)
EXPIRY = AS_OF + timedelta(days=45)


def _density(forward: float, vol: float, t: float) -> stats.rv_continuous:
    """S_T lognormal with mean `forward`: log S_T ~ N(log F - vol^2 t / 2, vol^2 t)."""
    spread = vol * math.sqrt(t)
    return stats.lognorm(s=spread, scale=forward * math.exp(-0.5 * spread * spread))


def _quad(
    payoff: Callable[[float], float], forward: float, vol: float, t: float, kinks: list[float]
) -> float:
    """E[payoff(S_T)] by quadrature over the density's support to 1e-15 either tail (the
    payoffs grow linearly, so what is left out is far below the tolerance), split at the
    payoff's kinks and at the mean so that a narrow density is not stepped over."""
    law = _density(forward, vol, t)
    low, high = float(law.ppf(1e-15)), float(law.isf(1e-15))
    edges = sorted({low, high, forward, *(k for k in kinks if low < k < high)})
    total = 0.0
    for a, b in itertools.pairwise(edges):
        part, _ = integrate.quad(lambda s: payoff(s) * law.pdf(s), a, b, limit=200)
        total += part
    return total


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([1.0, -1.0]),
    st.floats(500.0, 7000.0),
    st.floats(0.6, 1.4),
    st.integers(1, 365),
    st.floats(0.03, 1.2),
)
def test_leg_payoff_matches_quadrature(
    sign: float, forward: float, moneyness: float, days: int, vol: float
) -> None:
    strike, t = forward * moneyness, days / DAYS_PER_YEAR
    got = float(lognormal_expected_payoff(sign, forward, strike, t, vol))
    want = _quad(lambda s: max(sign * (s - strike), 0.0), forward, vol, t, [strike])
    assert got == pytest.approx(want, rel=1e-6, abs=1e-6 * forward)


@given(st.floats(500.0, 7000.0), st.floats(0.5, 1.5), st.integers(0, 400), st.floats(0.01, 2.0))
def test_call_less_put_is_forward_less_strike(
    forward: float, moneyness: float, days: int, vol: float
) -> None:
    """Parity holds whatever the vol: E[S_T] is the forward under the lognormal."""
    strike, t = forward * moneyness, days / DAYS_PER_YEAR
    call = float(lognormal_expected_payoff(1.0, forward, strike, t, vol))
    put = float(lognormal_expected_payoff(-1.0, forward, strike, t, vol))
    assert call - put == pytest.approx(forward - strike, abs=1e-9 * forward)


def test_no_vol_no_expectation() -> None:
    got = lognormal_expected_payoff(np.ones(3), 5000.0, 5000.0, 0.1, np.array([np.nan, 0.0, -0.1]))
    assert np.isnan(got).all()


def _ctx(realized: float | None) -> ValuationContext:
    return ValuationContext(
        as_of=AS_OF,
        spx=5000.0,
        rate=0.04,
        div_yield=0.013,
        spx_surface=FlatSurface(0.18),
        vix_vega_beta=0.8,
        realized_vol=realized,
    )


@pytest.mark.parametrize("realized", [0.08, 0.12, 0.18, 0.30])
def test_condor_expected_profit_matches_quadrature(realized: float) -> None:
    """The whole condor's P&L at expiry integrated over the lognormal at the realized vol."""
    ctx = _ctx(realized)
    condor = iron_condor(ctx, EXPIRY, short_delta=0.16, wing_width=50.0, quantity=2)
    figures = position_fields(condor, ctx)
    t = 45 / DAYS_PER_YEAR
    forward = 5000.0 * math.exp((0.04 - 0.013) * t)
    entry = sum(leg.units * leg.entry_price for leg in condor.legs)

    def pnl(s: float) -> float:
        value = 0.0
        for leg in condor.legs:
            sign = 1.0 if leg.right == "c" else -1.0
            value += leg.units * max(sign * (s - (leg.strike or 0.0)), 0.0)
        return value - entry

    kinks = [leg.strike or 0.0 for leg in condor.legs]
    want = _quad(pnl, forward, realized, t, kinks)
    assert figures["expected_profit"] == pytest.approx(want, rel=1e-6, abs=1e-4)
    annual = want / figures["max_loss"] * DAYS_PER_YEAR / 45
    assert figures["expected_irr"] == pytest.approx(annual, rel=1e-6, abs=1e-7)
    assert figures["expected_irr"] < figures["irr"]  # the expectation is below the best case


def test_edge_sign_follows_implied_against_realized() -> None:
    """Sold at 18 % implied: positive expected profit at 10 % realized, negative at 30 %."""
    calm, wild = _ctx(0.10), _ctx(0.30)
    condor = iron_condor(calm, EXPIRY, short_delta=0.16, wing_width=50.0)
    assert position_fields(condor, calm)["expected_irr"] > 0
    assert position_fields(condor, wild)["expected_irr"] < 0


def test_unknown_without_realized_vol() -> None:
    ctx = _ctx(None)
    figures = position_fields(iron_condor(ctx, EXPIRY), ctx)
    assert math.isnan(figures["expected_profit"]) and math.isnan(figures["expected_irr"])
    assert math.isfinite(figures["irr"])


def test_vix_position_is_taken_at_its_mark() -> None:
    """No edge is assumed on VIX legs: their expected P&L is their modelled profit."""
    from alvh_rules.greeks import vix_call_spread
    from alvh_rules.greeks.vix_options import VixOptionSurface

    curve = VxCurve(AS_OF, 18.0, 19.0, 20.0, 48.0)
    ctx = _ctx(None).model_copy(
        update={"vix_futures": curve, "vix_surface": VixOptionSurface(curve, 0.02)}
    )
    spread = vix_call_spread(ctx, 20.0, 25.0, AS_OF + timedelta(days=20))
    figures = position_fields(spread, ctx)
    assert figures["expected_profit"] == figures["profit"]
