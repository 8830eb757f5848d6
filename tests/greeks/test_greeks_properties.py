"""Hypothesis properties of the closed forms: put-call parity and finite-difference Greeks."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.greeks import black76, bsm

spots = st.floats(50.0, 7000.0)
log_moneyness = st.floats(-0.5, 0.5)
days = st.floats(1.0, 3 * 365.0)
vols = st.floats(0.03, 3.0)
rates = st.floats(0.0, 0.08)
divs = st.floats(0.0, 0.03)
rights = st.sampled_from(["c", "p"])


@settings(max_examples=200, deadline=None)
@given(spots, log_moneyness, days, vols, rates, divs)
def test_put_call_parity(spot: float, x: float, d: float, vol: float, r: float, q: float) -> None:
    strike, t = spot * math.exp(x), d / 365.0
    call, put = bsm(["c", "p"], spot, strike, t, vol, r, q).price
    parity = spot * math.exp(-q * t) - strike * math.exp(-r * t)
    assert abs((call - put) - parity) <= 1e-12 * (spot + strike)
    fcall, fput = black76(["c", "p"], spot, strike, t, vol, r).price
    assert abs((fcall - fput) - math.exp(-r * t) * (spot - strike)) <= 1e-12 * (spot + strike)


def _fd(f: object, x: float, h: float) -> float:
    assert callable(f)
    return float((f(x + h) - f(x - h)) / (2 * h))


@settings(max_examples=200, deadline=None)
@given(rights, spots, log_moneyness, days, vols, rates, divs)
def test_greeks_equal_central_differences(
    right: str, spot: float, x: float, d: float, vol: float, r: float, q: float
) -> None:
    strike, t = spot * math.exp(x), d / 365.0
    g = bsm(right, spot, strike, t, vol, r, q)

    def at(s: float = spot, v: float = vol, tt: float = t, rr: float = r) -> object:
        return bsm(right, s, strike, tt, v, rr, q)

    # Bump spot on the scale the price curves over (one standard deviation), not the spot.
    # Likewise bump the rate so that the forward moves by a small part of a standard deviation.
    hs, hv, ht = 1e-4 * spot * min(1.0, vol * math.sqrt(t)), 1e-4 * vol, 1e-4 * t
    hr = 1e-4 * min(1.0, vol / math.sqrt(t))
    pairs = {
        "delta": _fd(lambda s: at(s=s).price, spot, hs),  # type: ignore[attr-defined]
        "gamma": _fd(lambda s: at(s=s).delta, spot, hs),  # type: ignore[attr-defined]
        "vega": _fd(lambda v: at(v=v).price, vol, hv),  # type: ignore[attr-defined]
        "theta": -_fd(lambda tt: at(tt=tt).price, t, ht),  # type: ignore[attr-defined]
        "rho": _fd(lambda rr: at(rr=rr).price, r, hr),  # type: ignore[attr-defined]
        "vanna": _fd(lambda s: at(s=s).vega, spot, hs),  # type: ignore[attr-defined]
        "volga": _fd(lambda v: at(v=v).vega, vol, hv),  # type: ignore[attr-defined]
    }
    # Error of a central difference: h^2 terms plus rounding of the price over h. The floor is
    # a small fraction of the figure's natural size (price per unit of the bumped input).
    natural = {
        "delta": 1.0,
        "gamma": 1.0 / spot,
        "vega": spot * math.sqrt(t),
        "theta": spot / t,
        "rho": spot * t,
        "vanna": math.sqrt(t),
        "volga": spot * math.sqrt(t),
    }
    for name, fd in pairs.items():
        exact = float(getattr(g, name))
        assert abs(exact - fd) <= 1e-5 * abs(exact) + 1e-7 * natural[name], (name, exact, fd)
