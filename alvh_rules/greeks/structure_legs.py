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


def share_in_points(share: Any, spx: Any) -> Any:
    """Wings written as a share of spot (`wings 5%`, 0.05) in SPX points: that share of the
    day's SPX close. The long strikes then sit that many points beyond the short ones and
    snap to the listed grid as every wing does (`spx_strikes`)."""
    return np.asarray(share, dtype=np.float64) * np.asarray(spx, dtype=np.float64)


AT_THE_MONEY_DELTA: Final = 0.5
"""The delta (fraction) at which a condor or strangle sells the money: one short strike."""

TWO_SHORTS: Final = frozenset(
    name
    for name, legs in LAYOUTS.items()
    if {"short_put", "short_call"} <= {leg.role for leg in legs}
)
"""Structures with a short put and a short call solved by one delta (condor, strangle)."""


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
    delta: Any = np.nan,
    step: float = SPX_STRIKE_INCREMENT,
) -> dict[str, Any]:
    """Every SPX strike role of `structure` from its short strikes by delta (NaN for a side
    it has not): at `delta` 0.5 (fraction) a condor's or strangle's two shorts are the one
    strike of the 50-delta call (an iron butterfly, a straddle); shorts moved `outside`
    points from spot when given (NaN: not); wings `width` points further out, snapped to the
    listed grid, or at the wing deltas' strikes when given (never inside the shorts: at
    least one listing `step` out). Scalars or arrays, one row per day."""
    if structure in TWO_SHORTS:
        with np.errstate(invalid="ignore"):
            fly = np.abs(np.asarray(delta, dtype=np.float64) - AT_THE_MONEY_DELTA) < 1e-9
        short_put = np.where(fly, short_call, short_put)
    put, call = spx_strikes_outside(short_put, short_call, spot, outside)
    with np.errstate(invalid="ignore"):
        # snapped, yet never onto the short strike: narrow wings stay a listing out
        points_put = np.fmin(
            spx_listed_strike(np.asarray(put - width, dtype=np.float64)), put - step
        )
        points_call = np.fmax(
            spx_listed_strike(np.asarray(call + width, dtype=np.float64)), call + step
        )
        long_put = np.where(np.isfinite(wing_put), np.fmin(wing_put, put - step), points_put)
        long_call = np.where(np.isfinite(wing_call), np.fmax(wing_call, call + step), points_call)
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
