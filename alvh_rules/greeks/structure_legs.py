"""What legs each structure of `alvh_rules.lang.builtins.STRUCTURES` opens, written once: per leg
the instrument, the right, which strike it takes and the sign of its quantity; and the rules
that place the strikes the delta solve does not (wings, `outside`, the straddle's ATM).

The per-day path (`eval/positions.build_position`) and the batch path (`greeks/batch.py`)
both read these; each solves the short strikes by delta with its own solver (one day or many
at once, tested equal), then hands them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np

from alvh_rules.greeks.conventions import SPX_STRIKE_INCREMENT
from alvh_rules.greeks.strike_grid import spx_listed_strike, spx_strikes_outside

Role = Literal["long_put", "short_put", "short_call", "long_call", "atm", "strike", "high"]


@dataclass(frozen=True, slots=True)
class LegLayout:
    """One leg of a structure: `sign` multiplies the structure's signed quantity (a `side`
    of long +1 or short -1 for single legs and VIX structures, else the count held)."""

    instrument: Literal["SPX", "VIX", "VX"]
    right: Literal["c", "p"] | None
    role: Role | None  # which strike (None: a future)
    sign: int


def _spx(right: Literal["c", "p"], role: Role, sign: int) -> LegLayout:
    return LegLayout("SPX", right, role, sign)


LAYOUTS: Final[dict[str, tuple[LegLayout, ...]]] = {
    "iron_condor": (
        _spx("p", "long_put", 1),
        _spx("p", "short_put", -1),
        _spx("c", "short_call", -1),
        _spx("c", "long_call", 1),
    ),
    "short_strangle": (_spx("p", "short_put", -1), _spx("c", "short_call", -1)),
    "short_straddle": (_spx("p", "atm", -1), _spx("c", "atm", -1)),
    "put_spread": (_spx("p", "long_put", 1), _spx("p", "short_put", -1)),
    "call_spread": (_spx("c", "long_call", 1), _spx("c", "short_call", -1)),
    "put": (_spx("p", "strike", 1),),
    "call": (_spx("c", "strike", 1),),
    "vix_call_spread": (LegLayout("VIX", "c", "strike", 1), LegLayout("VIX", "c", "high", -1)),
    "vix_call": (LegLayout("VIX", "c", "strike", 1),),
    "vix_future": (LegLayout("VX", None, None, 1),),
}
"""Legs in the order positions list them (puts before calls, low strike first)."""

POSITION_NAMES: Final = {
    "iron_condor": "iron condor",
    "short_strangle": "strangle",
    "short_straddle": "straddle",
    "put_spread": "put vertical",
    "call_spread": "call vertical",
    "vix_call_spread": "VIX call spread",
    "vix_call": "VIX call",
    "vix_future": "VIX future",
    "put": "SPX put",
    "call": "SPX call",
}

SIDED: Final = frozenset({"put", "call", "vix_call_spread", "vix_call", "vix_future"})
"""Structures whose `long`/`short` side signs the quantity; the rest are sold as written."""


def short_rights(structure: str) -> tuple[Literal["p", "c"], ...]:
    """The SPX short strikes a structure solves by delta (rights, puts first)."""
    roles = {leg.role for leg in LAYOUTS[structure]}
    wanted: tuple[Literal["p", "c"], ...] = ()
    if roles & {"short_put", "long_put"}:
        wanted += ("p",)
    if roles & {"short_call", "long_call"}:
        wanted += ("c",)
    return wanted


def spx_strikes(
    structure: str,
    spot: Any,
    short_put: Any,
    short_call: Any,
    *,
    width: Any = np.nan,
    outside: Any = np.nan,
    wing_put: Any = np.nan,
    wing_call: Any = np.nan,
    step: float = SPX_STRIKE_INCREMENT,
) -> dict[str, Any]:
    """Every SPX strike role of `structure` from its short strikes by delta (NaN for a side
    it has not): shorts moved `outside` points from spot when given (NaN: not), wings
    `width` points further out, or at the wing deltas' strikes when given (never inside the
    shorts: at least one listing `step` out). Scalars or arrays, one row per day."""
    put, call = spx_strikes_outside(short_put, short_call, spot, outside)
    with np.errstate(invalid="ignore"):
        long_put = np.where(np.isfinite(wing_put), np.fmin(wing_put, put - step), put - width)
        long_call = np.where(np.isfinite(wing_call), np.fmax(wing_call, call + step), call + width)
    atm = spx_listed_strike(np.asarray(spot, dtype=np.float64))
    if structure == "short_straddle":
        put = call = atm
    return {
        "short_put": put,
        "short_call": call,
        "long_put": long_put,
        "long_call": long_call,
        "atm": atm,
    }
