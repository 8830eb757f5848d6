"""Independent references for the Greeks tests: QuantLib's analytic engine, mpmath at 50 digits."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import numpy.typing as npt
import QuantLib as ql

FloatArray = npt.NDArray[np.float64]


def quantlib_bsm(
    call: bool, spot: float, strike: float, days: int, vol: float, rate: float, div: float
) -> dict[str, float]:
    """QuantLib AnalyticEuropeanEngine figures for one option (t = days / 365)."""
    today = ql.Date(2, 1, 2025)
    ql.Settings.instance().evaluationDate = today
    day_count = ql.Actual365Fixed()
    rates = ql.YieldTermStructureHandle(ql.FlatForward(today, rate, day_count))
    yields = ql.YieldTermStructureHandle(ql.FlatForward(today, div, day_count))
    vols = ql.BlackVolTermStructureHandle(
        ql.BlackConstantVol(today, ql.NullCalendar(), vol, day_count)
    )
    process = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(ql.SimpleQuote(spot)), yields, rates, vols
    )
    kind = ql.Option.Call if call else ql.Option.Put
    option = ql.EuropeanOption(
        ql.PlainVanillaPayoff(kind, strike), ql.EuropeanExercise(today + days)
    )
    option.setPricingEngine(ql.AnalyticEuropeanEngine(process))
    return {
        "price": option.NPV(),
        "delta": option.delta(),
        "gamma": option.gamma(),
        "vega": option.vega(),
        "theta": option.theta(),
        "rho": option.rho(),
        "dividend_rho": option.dividendRho(),
    }


def mp_black(
    call: bool, forward: float, strike: float, t: float, vol: float, discount: float
) -> tuple[float, float, float]:
    """Price, vanna and volga (to the forward, per 1.00 vol) at 50 digits: discount * Black."""
    with mp.workdps(50):
        f, k, tt, v, df = (mp.mpf(x) for x in (forward, strike, t, vol, discount))
        s = v * mp.sqrt(tt)
        d1 = mp.log(f / k) / s + s / 2
        d2 = d1 - s
        sign = 1 if call else -1
        price = df * sign * (f * mp.ncdf(sign * d1) - k * mp.ncdf(sign * d2))
        pdf1 = mp.npdf(d1)
        vega = df * f * pdf1 * mp.sqrt(tt)
        vanna = -df * pdf1 * d2 / v
        volga = vega * d1 * d2 / v
        return float(price), float(vanna), float(volga)


def random_cases(n: int, seed: int) -> dict[str, FloatArray]:
    """The issue's benchmark ranges: S 3000-7000, K 0.7-1.3 S, 1-365 days (integer), vol .08-1."""
    rng = np.random.default_rng(seed)
    spot = rng.uniform(3000.0, 7000.0, n)
    return {
        "call": rng.random(n) < 0.5,
        "spot": spot,
        "strike": spot * rng.uniform(0.7, 1.3, n),
        "days": rng.integers(1, 366, n).astype(np.float64),
        "vol": rng.uniform(0.08, 1.0, n),
        "rate": rng.uniform(0.0, 0.06, n),
        "div": rng.uniform(0.0, 0.02, n),
    }


def relative_gap(actual: FloatArray, expected: FloatArray, scale: FloatArray) -> FloatArray:
    """|actual - expected| over max(|expected|, scale): relative, floored by a term magnitude."""
    return np.abs(actual - expected) / np.maximum(np.abs(expected), scale)


def is_close(a: float, b: float, rel: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=0.0)
