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
    A converged row stops moving, so each row's root is the one it would have alone (a
    position's figure does not depend on which other days are solved in the same call).
    """
    lo, hi = np.asarray(lo, dtype=np.float64).copy(), np.asarray(hi, dtype=np.float64).copy()
    f_lo, f_hi = f(lo), f(hi)
    true_lo, true_hi = np.abs(f_lo), np.abs(f_hi)  # |f| at the ends, before Illinois halving
    kept = np.zeros(lo.shape)  # +1: lo kept last step, -1: hi kept last step
    done = np.zeros(lo.shape, dtype=bool)
    zero_at = np.full(lo.shape, np.nan)  # where f was exactly zero: the root itself
    for _ in range(MAX_STEPS):
        done |= np.abs(hi - lo) <= x_tolerance * (np.abs(lo) + np.abs(hi))
        if np.all(done):
            break
        with np.errstate(all="ignore"):
            x = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        usable = np.isfinite(x) & (x > np.minimum(lo, hi)) & (x < np.maximum(lo, hi))
        x = np.where(usable, x, 0.5 * (lo + hi))
        f_x = f(x)
        hit = (f_x == 0) & ~done
        zero_at = np.where(hit, x, zero_at)
        done |= hit
        moving = ~done
        same_as_lo = np.signbit(f_x) == np.signbit(f_lo)
        to_lo, to_hi = moving & same_as_lo, moving & ~same_as_lo
        lo, f_lo = np.where(to_lo, x, lo), np.where(to_lo, f_x, f_lo)
        hi, f_hi = np.where(to_hi, x, hi), np.where(to_hi, f_x, f_hi)
        true_lo = np.where(to_lo, np.abs(f_x), true_lo)
        true_hi = np.where(to_hi, np.abs(f_x), true_hi)
        # Illinois: an end kept twice in a row has its value halved, so steps do not stall.
        f_hi = np.where(to_lo & (kept == -1), 0.5 * f_hi, f_hi)
        f_lo = np.where(to_hi & (kept == 1), 0.5 * f_lo, f_lo)
        kept = np.where(to_lo, -1.0, np.where(to_hi, 1.0, kept))
    root: FloatArray = np.where(true_lo <= true_hi, lo, hi)
    return np.where(np.isnan(zero_at), root, zero_at)
