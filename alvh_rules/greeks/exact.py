"""Intrinsic values beyond plain doubles: a fast two-word form for prices, and double-double
arithmetic (about 32 digits) to decide whether a price lies above its intrinsic value.

A double-double is an unevaluated sum hi + lo of two float64 arrays with |lo| <= ulp(hi) / 2.
"""

from __future__ import annotations

from fractions import Fraction
from math import factorial
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
DoubleDouble = tuple[FloatArray, FloatArray]

_SPLITTER: Final = 134217729.0  # 2^27 + 1, Dekker's split of a double into two halves
_TERMS: Final = 27  # expm1 series terms: |x| <= 0.7 leaves an error below 1e-33


def two_sum(a: FloatArray, b: FloatArray) -> DoubleDouble:
    """a + b exactly as hi + lo (Knuth)."""
    hi = a + b
    b_part = hi - a
    return hi, (a - (hi - b_part)) + (b - b_part)


def two_product(a: FloatArray, b: FloatArray) -> DoubleDouble:
    """a * b exactly as hi + lo (Dekker), without fused multiply-add."""
    hi = a * b
    a_big = _SPLITTER * a
    a_hi = a_big - (a_big - a)
    a_lo = a - a_hi
    b_big = _SPLITTER * b
    b_hi = b_big - (b_big - b)
    b_lo = b - b_hi
    lo = ((a_hi * b_hi - hi) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return hi, lo


def add(x: DoubleDouble, y: DoubleDouble) -> DoubleDouble:
    hi, lo = two_sum(x[0], y[0])
    lo = lo + (x[1] + y[1])
    return two_sum(hi, lo)


def times_double(x: DoubleDouble, b: FloatArray) -> DoubleDouble:
    hi, lo = two_product(x[0], b)
    lo = lo + x[1] * b
    return two_sum(hi, lo)


def _coefficients() -> list[tuple[float, float]]:
    """1/(k+1)! as double-doubles, k = 0.._TERMS-1 (expm1(x) = x * sum x^k/(k+1)!)."""
    pairs = []
    for k in range(_TERMS):
        exact = Fraction(1, factorial(k + 1))
        hi = float(exact)
        pairs.append((hi, float(exact - Fraction(hi))))
    return pairs


_EXPM1_COEFFICIENTS: Final = _coefficients()


def expm1(x: FloatArray) -> DoubleDouble:
    """e^x - 1 for |x| <= 0.7 to about 32 digits (Horner on the Taylor series, with only as
    many terms as the largest |x| needs: short-dated rows need a handful)."""
    largest = float(np.max(np.abs(x))) if x.size else 0.0
    terms, size = 1, largest
    while terms < _TERMS and size > 1e-34:
        terms += 1
        size *= largest / terms
    coefficients = _EXPM1_COEFFICIENTS[:terms]
    hi_c, lo_c = coefficients[-1]
    acc: DoubleDouble = (np.full(x.shape, hi_c), np.full(x.shape, lo_c))
    for hi_c, lo_c in reversed(coefficients[:-1]):
        acc = add(times_double(acc, x), (np.full(x.shape, hi_c), np.full(x.shape, lo_c)))
    return times_double(acc, x)


def expm1_of_product(a: FloatArray, b: FloatArray) -> DoubleDouble:
    """e^{a b} - 1 with the product a*b taken exactly: e^{h + l} - 1 = em(h) + l (1 + em(h))."""
    head, tail = two_product(a, b)
    em = expm1(head)
    correction = tail + tail * em[0]
    return add(em, two_sum(correction, np.zeros_like(correction)))


def forward_less_strike_exact(
    spot: FloatArray, strike: FloatArray, t: FloatArray, rate: FloatArray, carry: FloatArray
) -> DoubleDouble:
    """S e^{-carry t} - K e^{-rate t} in double-double, for |carry t|, |rate t| <= 0.7."""
    spot_part = times_double(expm1_of_product(-carry, t), spot)
    strike_part = times_double(expm1_of_product(-rate, t), strike)
    base = two_sum(spot, -strike)
    return add(add(base, spot_part), (-strike_part[0], -strike_part[1]))


def forward_less_strike(
    spot: FloatArray | float,
    strike: FloatArray | float,
    t: FloatArray | float,
    rate: FloatArray | float,
    carry: FloatArray | float,
) -> DoubleDouble:
    """S e^{-carry t} - K e^{-rate t} as hi + lo, fast, to about 2 ulp of S - K.

    (S - K) + [S expm1(-carry t) - K expm1(-rate t)]: S - K is exact when S and K are within a
    factor 2 (Sterbenz) and otherwise off by half an ulp of itself; the small bracket carries
    only its own rounding, and the sum is split exactly (Fast2Sum: |S - K| is the larger term
    whenever the split matters), so intrinsic values keep the price's ulp, not the strike's.
    """
    difference = np.asarray(spot - strike, dtype=np.float64)
    carry_part = spot * np.expm1(-carry * t) - strike * np.expm1(-rate * t)
    hi = difference + carry_part
    lo = (difference - hi) + carry_part
    return hi, lo
