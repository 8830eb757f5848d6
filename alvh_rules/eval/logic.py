"""Three-valued (Kleene) logic over float arrays: 1.0 true, 0.0 false, NaN unknown.

`false and unknown` is false, `true or unknown` is true, otherwise unknown stays unknown.
Numbers use NaN for unknown too, so a comparison with an unknown side is unknown.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

TRUE = 1.0
FALSE = 0.0
UNKNOWN = float("nan")


def from_bool(values: npt.NDArray[np.bool_], known: npt.NDArray[np.bool_]) -> FloatArray:
    """Truth values from a boolean array and a mask of where they are known."""
    return np.where(known, values.astype(np.float64), np.nan)


def and_(a: FloatArray, b: FloatArray) -> FloatArray:
    if _one_row(a, b):  # a backtest's day: the same rules on Python floats
        x, y = float(a[0]), float(b[0])
        value = 1.0 if x == 1.0 and y == 1.0 else UNKNOWN
        return np.array([FALSE if x == 0.0 or y == 0.0 else value])
    out = np.where((a == 1.0) & (b == 1.0), 1.0, np.nan)
    out[(a == 0.0) | (b == 0.0)] = 0.0
    return out


def or_(a: FloatArray, b: FloatArray) -> FloatArray:
    if _one_row(a, b):
        x, y = float(a[0]), float(b[0])
        value = 0.0 if x == 0.0 and y == 0.0 else UNKNOWN
        return np.array([TRUE if x == 1.0 or y == 1.0 else value])
    out = np.where((a == 0.0) & (b == 0.0), 0.0, np.nan)
    out[(a == 1.0) | (b == 1.0)] = 1.0
    return out


def _one_row(a: object, b: object) -> bool:
    return (
        isinstance(a, np.ndarray)
        and isinstance(b, np.ndarray)
        and a.shape == (1,)
        and b.shape == (1,)
        and a.dtype == np.float64
        and b.dtype == np.float64
    )


def not_(a: FloatArray) -> FloatArray:
    return 1.0 - a  # NaN stays NaN


def _holds(op: str, x: float, y: float) -> bool:
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    if op == ">=":
        return x >= y
    return x == y if op == "==" else x != y


def compare(op: str, a: FloatArray, b: FloatArray) -> FloatArray:
    if (
        isinstance(a, np.ndarray)
        and isinstance(b, np.ndarray)
        and a.shape == (1,)
        and b.shape == (1,)
    ):  # one row (a backtest's day): the same IEEE comparison on Python floats
        x, y = float(a[0]), float(b[0])
        if x != x or y != y:
            return np.array([np.nan])
        return np.array([1.0 if _holds(op, x, y) else 0.0])
    known = ~(np.isnan(a) | np.isnan(b))
    with np.errstate(invalid="ignore"):
        if op == "<":
            values = a < b
        elif op == "<=":
            values = a <= b
        elif op == ">":
            values = a > b
        elif op == ">=":
            values = a >= b
        elif op == "==":
            values = a == b
        else:
            values = a != b
    return from_bool(values, known)


def state_name(value: float) -> Literal["true", "false", "unknown"]:
    """'true', 'false' or 'unknown' for one truth value."""
    if value != value:  # NaN
        return "unknown"
    return "true" if value == 1.0 else "false"
