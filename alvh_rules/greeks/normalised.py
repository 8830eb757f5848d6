"""The normalised Black price b(x, s) and its derivatives in s, the state the IV solver works in.

x = ln(F/K) <= 0 (an out-of-the-money call after reduction), s = vol * sqrt(t), and
b = e^{x/2} N(x/s + s/2) - e^{-x/2} N(x/s - s/2), the price over discount * sqrt(F K).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
from scipy.special import erfcx, ndtr

FloatArray = npt.NDArray[np.float64]

LOG_SQRT_2PI: Final = 0.9189385332046728
_SQRT_HALF_PI: Final = 1.2533141373155003
_INV_SQRT2: Final = 0.7071067811865476


def log_vega(x: FloatArray, s: FloatArray) -> FloatArray:
    """ln of db/ds = e^{x/2} phi(d1) = exp(-(x^2/s^2 + s^2/4)/2) / sqrt(2 pi)."""
    return -0.5 * (x * x / (s * s) + 0.25 * s * s) - LOG_SQRT_2PI


def curvature_ratios(x: FloatArray, s: FloatArray) -> tuple[FloatArray, FloatArray]:
    """b''/b' and b'''/b' (derivatives in s)."""
    q2 = x * x / (s * s * s) - 0.25 * s
    q3 = q2 * q2 - 3.0 * x * x / (s * s * s * s) - 0.25
    return q2, q3


def log_price_and_vega_ratio(x: FloatArray, s: FloatArray) -> tuple[FloatArray, FloatArray]:
    """ln b and b'/b, without underflow for tiny prices.

    Where d1 < 0 both normal tails are small and b = b' (R(-d1) - R(-d2)) with R the Mills
    ratio R(u) = N(-u)/phi(u), computed from erfcx; elsewhere b comes from the plain formula.
    """
    d1 = x / s + 0.5 * s
    d2 = d1 - s
    log_b = np.empty_like(s)
    ratio = np.empty_like(s)
    tail = d1 < 0
    mills_gap = (erfcx(-d1[tail] * _INV_SQRT2) - erfcx(-d2[tail] * _INV_SQRT2)) * _SQRT_HALF_PI
    log_b[tail] = log_vega(x[tail], s[tail]) + np.log(mills_gap)
    ratio[tail] = 1.0 / mills_gap
    body = ~tail
    xb = x[body]
    price = np.exp(0.5 * xb) * ndtr(d1[body]) - np.exp(-0.5 * xb) * ndtr(d2[body])
    log_b[body] = np.log(price)
    ratio[body] = np.exp(log_vega(xb, s[body])) / price
    return log_b, ratio


def complement(x: FloatArray, s: FloatArray) -> FloatArray:
    """b_max - b = e^{x/2} N(-d1) + e^{-x/2} N(d2), a sum of positives (no cancellation)."""
    d1 = x / s + 0.5 * s
    total: FloatArray = np.exp(0.5 * x) * ndtr(-d1) + np.exp(-0.5 * x) * ndtr(d1 - s)
    return total


def price(x: FloatArray, s: FloatArray) -> FloatArray:
    """b(x, s) itself, for the branch test at the inflection point."""
    d1 = x / s + 0.5 * s
    value: FloatArray = np.exp(0.5 * x) * ndtr(d1) - np.exp(-0.5 * x) * ndtr(d1 - s)
    return value
