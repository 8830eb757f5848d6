"""A vectorized bracketing root finder (Illinois regula falsi) for the trader-level solves:
break-evens, the volatility break-even and strikes by delta.

Each row keeps a bracket with a sign change; a false-position step that falls outside it, or
fails, becomes a bisection, so every row converges.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

MAX_STEPS: Final = 100


def find_roots(
    f: Callable[[FloatArray], FloatArray],
    lo: FloatArray,
    hi: FloatArray,
    *,
    x_tolerance: float = 1e-12,
) -> FloatArray:
    """Roots of f, one per row, in brackets [lo, hi] where f(lo) and f(hi) differ in sign.

    Converged when the bracket is narrower than x_tolerance * (|lo| + |hi|) or f is zero.
    """
    lo, hi = np.asarray(lo, dtype=np.float64).copy(), np.asarray(hi, dtype=np.float64).copy()
    f_lo, f_hi = f(lo), f(hi)
    true_lo, true_hi = np.abs(f_lo), np.abs(f_hi)  # |f| at the ends, before Illinois halving
    kept = np.zeros(lo.shape)  # +1: lo kept last step, -1: hi kept last step
    for _ in range(MAX_STEPS):
        width = np.abs(hi - lo)
        if np.all(width <= x_tolerance * (np.abs(lo) + np.abs(hi))):
            break
        with np.errstate(all="ignore"):
            x = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        usable = np.isfinite(x) & (x > np.minimum(lo, hi)) & (x < np.maximum(lo, hi))
        x = np.where(usable, x, 0.5 * (lo + hi))
        f_x = f(x)
        if np.all(f_x == 0):
            return x
        same_as_lo = np.signbit(f_x) == np.signbit(f_lo)
        lo, f_lo = np.where(same_as_lo, x, lo), np.where(same_as_lo, f_x, f_lo)
        hi, f_hi = np.where(same_as_lo, hi, x), np.where(same_as_lo, f_hi, f_x)
        true_lo = np.where(same_as_lo, np.abs(f_x), true_lo)
        true_hi = np.where(same_as_lo, true_hi, np.abs(f_x))
        # Illinois: an end kept twice in a row has its value halved, so steps do not stall.
        f_hi = np.where(same_as_lo & (kept == -1), 0.5 * f_hi, f_hi)
        f_lo = np.where(~same_as_lo & (kept == 1), 0.5 * f_lo, f_lo)
        kept = np.where(same_as_lo, -1.0, 1.0)
    root: FloatArray = np.where(true_lo <= true_hi, lo, hi)
    return root
