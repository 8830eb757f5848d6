"""An action rule's state on one row (a backtest's day) is computed on Python floats; it
equals the array computation's for every mix of true, false and unknown clauses."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alvh_rules.eval import logic
from alvh_rules.eval.plan import action_states, one_state

truth = st.sampled_from([1.0, 0.0, math.nan])


@given(st.lists(truth, max_size=5), st.lists(truth, max_size=4))
def test_one_row_state_equals_the_array_state(gates: list[float], blocks: list[float]) -> None:
    gate_rows = [np.array([g]) for g in gates]
    block_rows = [np.array([b]) for b in blocks]
    expected = action_states(gate_rows, block_rows, 1)
    assert one_state(gate_rows, block_rows) == int(expected[0])


value = st.one_of(st.sampled_from([math.nan, 0.0, -0.0, 1.0]), st.floats(allow_nan=True))


@given(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), value, value)
def test_a_one_row_comparison_equals_the_array_one(op: str, x: float, y: float) -> None:
    """`logic.compare` on one row compares Python floats; padded to two rows it takes the
    array path: the same truth value."""
    one = logic.compare(op, np.array([x]), np.array([y]))
    two = logic.compare(op, np.array([x, 0.0]), np.array([y, 0.0]))
    assert one.dtype == two.dtype and one.shape == (1,)
    assert one[0] == two[0] or (math.isnan(one[0]) and math.isnan(two[0]))
