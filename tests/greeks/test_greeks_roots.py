"""The bracketing root finder behind break-evens and strikes by delta."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.01, 50.0), st.floats(0.5, 3.0), st.floats(-0.2, 0.2)),
        min_size=1,
        max_size=8,
    )
)
def test_each_row_is_solved_as_it_would_be_alone(rows: list[tuple[float, float, float]]) -> None:
    """A converged row stops moving: solving days together gives each day's root bit for bit
    (the backtest solves the whole history in one call, evaluate one day)."""
    targets = np.array([r[0] for r in rows])
    powers = np.array([r[1] for r in rows])
    tilts = np.array([r[2] for r in rows])

    def curve(x: np.ndarray, keep: np.ndarray) -> np.ndarray:
        result: np.ndarray = x ** powers[keep] + tilts[keep] * np.sin(x) - targets[keep]
        return result

    every = np.arange(len(rows))
    together = find_roots(lambda x: curve(x, every), np.zeros(len(rows)), np.full(len(rows), 60.0))
    for row in every:
        keep = np.array([row])
        alone = find_roots(lambda x, k=keep: curve(x, k), np.zeros(1), np.full(1, 60.0))
        assert together[row] == alone[0]
