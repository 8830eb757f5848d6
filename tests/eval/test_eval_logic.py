"""Kleene three-valued logic: the truth tables, and comparisons with unknown sides."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alvh_rules.eval import logic

T, F, U = 1.0, 0.0, math.nan
NAMES = {T: "true", F: "false"}


def name(value: float) -> str:
    return "unknown" if math.isnan(value) else NAMES[value]


AND = {
    ("true", "true"): "true",
    ("true", "false"): "false",
    ("true", "unknown"): "unknown",
    ("false", "true"): "false",
    ("false", "false"): "false",
    ("false", "unknown"): "false",
    ("unknown", "true"): "unknown",
    ("unknown", "false"): "false",
    ("unknown", "unknown"): "unknown",
}
OR = {
    ("true", "true"): "true",
    ("true", "false"): "true",
    ("true", "unknown"): "true",
    ("false", "true"): "true",
    ("false", "false"): "false",
    ("false", "unknown"): "unknown",
    ("unknown", "true"): "true",
    ("unknown", "false"): "unknown",
    ("unknown", "unknown"): "unknown",
}


def test_and_or_truth_tables() -> None:
    pairs = list(itertools.product([T, F, U], repeat=2))
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    conj, disj = logic.and_(a, b), logic.or_(a, b)
    for i, (x, y) in enumerate(pairs):
        assert name(conj[i]) == AND[(name(x), name(y))]
        assert name(disj[i]) == OR[(name(x), name(y))]


def test_not() -> None:
    assert [name(v) for v in logic.not_(np.array([T, F, U]))] == ["false", "true", "unknown"]


def test_comparisons_with_an_unknown_side_are_unknown() -> None:
    a = np.array([1.0, 2.0, math.nan, 3.0])
    b = np.array([2.0, 2.0, 1.0, math.nan])
    for op, expected in {
        "<": ["true", "false", "unknown", "unknown"],
        "<=": ["true", "true", "unknown", "unknown"],
        ">": ["false", "false", "unknown", "unknown"],
        ">=": ["false", "true", "unknown", "unknown"],
        "==": ["false", "true", "unknown", "unknown"],
        "!=": ["true", "false", "unknown", "unknown"],
    }.items():
        assert [name(v) for v in logic.compare(op, a, b)] == expected, op


truth = st.one_of(st.sampled_from([T, F, U, -0.0, 0.5, 2.0]), st.floats())


@given(truth, truth)
def test_one_row_kleene_operators_are_the_array_ones(a: float, b: float) -> None:
    """A backtest's day runs `and`/`or` on one row through Python floats: the same value,
    bit for bit, as the array path gives that row."""
    for operator in (logic.and_, logic.or_):
        one = operator(np.array([a]), np.array([b]))
        many = operator(np.array([a, a]), np.array([b, b]))
        assert one.shape == (1,) and one.dtype == np.float64
        assert one.tobytes() == many[:1].tobytes()
