"""The SPX surface reprices the Cboe indexes: its own variance swap, integrated independently
(Cboe's discrete formula over a strip of out-of-the-money Black-Scholes prices, strike by
strike, not the calibration's quadrature), equals VIX9D, VIX and VIX3M on real days."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.greeks.analytic import bsm
from alvh_rules.greeks.ssvi import SPX_SHAPE, SsviSurface, SurfaceShape
from alvh_rules.market import History
from alvh_rules.market.calibration import fit_atm_variances, variance_swap_total
from alvh_rules.market.surface import TENORS_YEARS, fit_notes, vix_term_surface

DAYS_CHECKED = 200
TOLERANCE_VP = 0.05


def cboe_variance_swap(surface: SsviSurface, t: float, rate: float) -> float:
    """Cboe's VIX formula (white paper, 2019) on a fine strike strip priced off the surface:
    sigma^2 = 2/T sum dK/K^2 e^{RT} Q(K) - 1/T (F/K0 - 1)^2, Q the OTM option (both at K0)."""
    forward = float(surface.forward(t))
    strikes = forward * np.exp(np.linspace(-8.0, 3.0, 40001))
    k0 = strikes[strikes <= forward][-1]
    vol = surface.vol(strikes, t)
    put = bsm(-1.0, surface.spot, strikes, t, vol, rate, 0.0).price
    call = bsm(1.0, surface.spot, strikes, t, vol, rate, 0.0).price
    quote = np.where(strikes < k0, put, np.where(strikes > k0, call, 0.5 * (put + call)))
    widths = np.gradient(strikes)  # (K[i+1] - K[i-1]) / 2 inside, one-sided at the ends
    total = 2.0 / t * np.sum(widths / strikes**2 * math.exp(rate * t) * quote)
    return math.sqrt(total - (forward / k0 - 1.0) ** 2 / t) * 100.0


def _real_days(history: History) -> list[dict[str, float]]:
    names = ("spx", "vix", "vix9d", "vix3m", "risk_free")
    frame = {name: history.column(name) for name in names}
    usable = frame["spx"].notna() & frame["vix"].notna() & frame["risk_free"].notna()
    dates = frame["spx"].index[usable.to_numpy()]
    rng = np.random.default_rng(15)
    picked = sorted(rng.choice(len(dates), size=DAYS_CHECKED, replace=False))
    return [{name: float(frame[name].loc[dates[i]]) for name in names} for i in picked]


def test_variance_swap_reprices_the_indexes_on_200_real_days(real_history: History) -> None:
    worst = 0.0
    for day in _real_days(real_history):
        surface = vix_term_surface(
            day["spx"], day["vix"], day["vix9d"], day["vix3m"], rate=day["risk_free"]
        )
        for t, name in zip(TENORS_YEARS, ("vix9d", "vix", "vix3m"), strict=True):
            if not math.isfinite(day[name]):
                continue
            fair = cboe_variance_swap(surface, float(t), day["risk_free"])
            worst = max(worst, abs(fair - day[name]))
            assert fair == pytest.approx(day[name], abs=TOLERANCE_VP), (name, day)
    assert worst > 0.0  # the strip is a different integral: it never matches to the last bit


def test_solved_atm_sits_under_the_index_with_the_default_shape(real_history: History) -> None:
    vix = real_history.column("vix").dropna().to_numpy()
    fit = fit_atm_variances(vix[:, None], TENORS_YEARS[1:2], SPX_SHAPE)
    ratio = fit.atm_ratio(vix[:, None], TENORS_YEARS[1:2])
    assert 0.85 < float(np.median(ratio)) < 0.95
    assert np.all((ratio > 0.8) & (ratio < 0.95))


@settings(max_examples=60, deadline=None)
@given(
    level=st.floats(3.0, 150.0),
    rho=st.floats(-0.9, 0.9),
    eta=st.floats(0.05, 1.0),
    tenor=st.sampled_from(list(TENORS_YEARS)),
)
def test_fit_inverts_the_variance_swap(level: float, rho: float, eta: float, tenor: float) -> None:
    shape = SurfaceShape(rho=rho, eta=eta)
    fit = fit_atm_variances(np.array([level]), np.array([tenor]), shape, with_residual=True)
    fair = math.sqrt(float(variance_swap_total(fit.atm_variances[0], shape)) / tenor) * 100
    assert fair == pytest.approx(level, rel=1e-4)
    assert abs(fit.residual_vp[0]) < 1e-4 * level


def test_a_day_without_vix9d_or_vix3m_fits_what_it_has_and_says_so() -> None:
    surface = vix_term_surface(3000.0, 25.0, math.nan, math.nan, rate=0.01)
    assert surface.expiries_years == (30 / 365,)
    notes = fit_notes(25.0, math.nan, math.nan)
    assert any(note.startswith("VIX9D unknown: not fitted") for note in notes)
    assert any(note.startswith("VIX3M unknown: not fitted") for note in notes)
    assert any(note.startswith("VIX 25.00: ATM") for note in notes)


def test_shape_parameters_are_validated() -> None:
    with pytest.raises(ValueError, match="butterfly"):
        SurfaceShape(rho=-0.9, eta=1.5)
    with pytest.raises(ValueError):
        SurfaceShape(rho=-1.0)
    custom = vix_term_surface(3000.0, 20.0, shape=SurfaceShape(rho=-0.5, eta=0.5))
    assert custom.shape.rho == -0.5 and custom.vol(2700.0, 0.1) > custom.vol(3000.0, 0.1)
