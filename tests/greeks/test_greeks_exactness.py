"""The precision paths: far out-of-the-money prices, double-double intrinsic values, and IV
on prices within rounding of their intrinsic value."""

from __future__ import annotations

import mpmath as mp
import numpy as np

from alvh_rules.greeks import bsm, implied_vol
from alvh_rules.greeks.exact import forward_less_strike, forward_less_strike_exact


def _mp_intrinsic(s: float, k: float, t: float, r: float, q: float) -> mp.mpf:
    tt = mp.mpf(t)
    return mp.mpf(s) * mp.exp(-mp.mpf(q) * tt) - mp.mpf(k) * mp.exp(-mp.mpf(r) * tt)


def _mp_price(call: bool, s: float, k: float, t: float, v: float, r: float, q: float) -> float:
    with mp.workdps(50):
        tt, vt = mp.mpf(t), mp.mpf(v) * mp.sqrt(mp.mpf(t))
        d1 = (mp.log(mp.mpf(s) / mp.mpf(k)) + (mp.mpf(r) - mp.mpf(q)) * tt) / vt + vt / 2
        sign = 1 if call else -1
        fwd, strike = mp.mpf(s) * mp.exp(-mp.mpf(q) * tt), mp.mpf(k) * mp.exp(-mp.mpf(r) * tt)
        return float(sign * (fwd * mp.ncdf(sign * d1) - strike * mp.ncdf(sign * (d1 - vt))))


def test_short_dated_far_out_of_the_money_prices_to_1e_12() -> None:
    # Where F N(d1) - K N(d2) cancels: |ln K/F| of 2-12% over 1-3 days at 8-30% vol.
    rng = np.random.default_rng(21)
    n = 400
    call = rng.random(n) < 0.5
    spot = rng.uniform(3000.0, 7000.0, n)
    strike = spot * np.exp(np.where(call, 1.0, -1.0) * rng.uniform(0.02, 0.12, n))
    t, vol = rng.uniform(1.0, 3.0, n) / 365.0, rng.uniform(0.08, 0.3, n)
    rate, div = rng.uniform(0.0, 0.06, n), rng.uniform(0.0, 0.02, n)
    ours = bsm(np.where(call, "c", "p"), spot, strike, t, vol, rate, div).price
    exact = np.array(
        [
            _mp_price(bool(call[i]), spot[i], strike[i], t[i], vol[i], rate[i], div[i])
            for i in range(n)
        ]
    )
    priced = exact > 1e-6
    assert priced.sum() > 50
    assert np.max(np.abs(ours[priced] - exact[priced]) / exact[priced]) < 1e-12
    representable = exact > 1e-300
    assert (ours[representable] > 0).all()


def test_intrinsic_values_in_two_words_and_in_double_double() -> None:
    rng = np.random.default_rng(22)
    n = 300
    spot = rng.uniform(3000.0, 7000.0, n)
    strike = spot * rng.uniform(0.7, 1.3, n)
    t, rate, div = rng.uniform(1, 1095, n) / 365, rng.uniform(0, 0.08, n), rng.uniform(0, 0.03, n)
    fast = forward_less_strike(spot, strike, t, rate, div)
    slow = forward_less_strike_exact(spot, strike, t, rate, div)
    with mp.workdps(50):
        for i in range(n):
            truth = _mp_intrinsic(spot[i], strike[i], t[i], rate[i], div[i])
            fast_error = abs(mp.mpf(float(fast[0][i])) + mp.mpf(float(fast[1][i])) - truth)
            slow_error = abs(mp.mpf(float(slow[0][i])) + mp.mpf(float(slow[1][i])) - truth)
            assert fast_error < 4e-16 * (spot[i] + strike[i])
            assert slow_error < 1e-28 * (spot[i] + strike[i])


def test_prices_a_hair_either_side_of_intrinsic_are_told_apart() -> None:
    # Deep in-the-money puts whose time value is far below one ulp of the price.
    spot, strike, t, rate, div = 4000.0, 5000.0, 1 / 365, 0.05, 0.01
    with mp.workdps(50):
        intrinsic = -_mp_intrinsic(spot, strike, t, rate, div)
        nearest = float(intrinsic)
    above = nearest if mp.mpf(nearest) > intrinsic else float(np.nextafter(nearest, np.inf))
    below = float(np.nextafter(above, -np.inf))
    vol, why = implied_vol([above, below], "p", spot, strike, t, rate, div, return_reason=True)
    assert np.isfinite(vol[0]) and why[0] == "ok"
    assert np.isnan(vol[1]) and why[1] == "price at or below intrinsic value"
