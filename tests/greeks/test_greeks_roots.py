"""The bracketing root finder behind break-evens and strikes by delta."""

from __future__ import annotations

import numpy as np

from alvh_rules.greeks.roots import find_roots


def test_rows_converge_whatever_the_orientation_of_the_bracket() -> None:
    targets = np.array([0.1, 0.5, 2.0, 7.0])
    lo, hi = np.zeros(4), np.full(4, 10.0)
    rising = find_roots(lambda x: x**3 - targets, lo, hi)
    falling = find_roots(lambda x: targets - x**3, hi, lo)
    assert np.allclose(rising, np.cbrt(targets), rtol=1e-12, atol=0)
    assert np.allclose(falling, np.cbrt(targets), rtol=1e-12, atol=0)


def test_a_step_function_falls_back_to_bisection() -> None:
    root = find_roots(lambda x: np.where(x < 1.25, -1.0, 1.0), np.array([0.0]), np.array([4.0]))
    assert abs(root[0] - 1.25) < 1e-11
