"""Input handling of the array API: rights to +1/-1, broadcasting, flat views, validity.

Every array entry point goes through here so that the NaN-for-invalid-rows rule is the same
for prices, Greeks and implied volatility.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
RightCodes = npt.NDArray[np.uint32]
ArrayLike = npt.ArrayLike

_CALL_NAMES = ("c", "C", "call", "Call", "CALL")
_PUT_NAMES = ("p", "P", "put", "Put", "PUT")


def right_sign(right: ArrayLike) -> FloatArray:
    """+1.0 for a call, -1.0 for a put, NaN for anything else ("c"/"p", also "call"/"put")."""
    arr = np.asarray(right)
    if arr.dtype == np.dtype("<U1"):
        codes = arr.view(np.uint32)
        return signs_of_codes(codes, np.empty(arr.shape), np.empty_like(codes))
    if arr.dtype.kind in "UO":
        sign = np.full(arr.shape, np.nan)
        sign[np.isin(arr, _CALL_NAMES)] = 1.0
        sign[np.isin(arr, _PUT_NAMES)] = -1.0
        return sign
    if arr.dtype.kind in "iuf":
        # Already signs (+1 call, -1 put): keep exactly +/-1, anything else is invalid.
        as_float = arr.astype(np.float64)
        return np.where((as_float == 1.0) | (as_float == -1.0), as_float, np.nan)
    return np.full(arr.shape, np.nan)


def signs_of_codes(codes: npt.NDArray[Any], out: FloatArray, index: RightCodes) -> FloatArray:
    """`right_sign` of one-letter rights from their code points (`index`: work array of their
    shape): a table lookup, no string compare."""
    np.minimum(codes, _SIGN_BY_CODE.size - 1, out=index)
    return np.take(_SIGN_BY_CODE, index, out=out)


def _sign_table() -> FloatArray:
    table = np.full(128, np.nan)
    table[[ord("c"), ord("C")]] = 1.0
    table[[ord("p"), ord("P")]] = -1.0
    return table


_SIGN_BY_CODE = _sign_table()


@dataclass(frozen=True, slots=True)
class FlatInputs:
    """Inputs broadcast to one shape; each is a flat float64 array or a Python float scalar."""

    shape: tuple[int, ...]
    size: int
    columns: tuple[FloatArray | float, ...]


def flatten_broadcast(*values: ArrayLike) -> FlatInputs:
    """Broadcast `values` together; size-1 inputs stay scalars so blocks need no copies."""
    return _flatten([np.asarray(v, dtype=np.float64) for v in values])


def flatten_with_rights(
    right: ArrayLike, *values: ArrayLike
) -> tuple[FloatArray | float | RightCodes, FlatInputs]:
    """The rights' signs and `flatten_broadcast(*values)`, all broadcast together.

    An array of one-letter rights (the common case) is returned as its code points instead, a
    flat uint32 view, for `signs_of_codes` to turn into signs block by block: a sign array of
    the full size would be fresh memory, slow to fault in.
    """
    rights = np.asarray(right)
    if rights.dtype == np.dtype("<U1") and rights.size > 1:
        first: npt.NDArray[Any] = rights.view(np.uint32)
    else:
        first = right_sign(rights)
    flat = _flatten([first, *(np.asarray(v, dtype=np.float64) for v in values)])
    return flat.columns[0], FlatInputs(flat.shape, flat.size, flat.columns[1:])


def _flatten(arrays: list[npt.NDArray[Any]]) -> FlatInputs:
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    size = int(np.prod(shape, dtype=np.int64))
    columns: list[FloatArray | float] = []
    for a in arrays:
        if a.size == 1:
            columns.append(float(a.reshape(-1)[0]))
        else:
            columns.append(np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1))
    return FlatInputs(shape, size, tuple(columns))


def block(column: FloatArray | float, start: int, stop: int) -> FloatArray | float:
    """Rows start:stop of a flat column (a scalar column is the same for every row)."""
    if isinstance(column, float):
        return column
    return column[start:stop]
