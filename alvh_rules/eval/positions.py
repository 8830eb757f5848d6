"""Positions for the interpreter: what a rule would open on a day (the listed expiry, strikes
by delta on the listed grid, the Greeks-core position) and the figures of held positions
(roll cost, projected stress payoff) under the catalogue's names.

The day's market and valuation context live in `day_market`, many days' in `market_days`,
sizing in `sizing`; the names other packages read from here are imported below so their
callers keep one import.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

import numpy as np

from alvh_rules.check.open_ranges import unbuildable
from alvh_rules.eval.day_market import (
    DEFAULT_VIX_BETA,
    UNKNOWN_DIV_YIELD,
    day_values,
    pricing_note,
    valuation_context,
    vix_future_at,
    vx_curve_of,
)
from alvh_rules.eval.logic import FloatArray
from alvh_rules.eval.market_days import vix_future_at_days
from alvh_rules.eval.sizing import scale
from alvh_rules.greeks.settlement_time import settlement_offsets
from alvh_rules.greeks.strike_grid import spx_listed_strike, vix_listed_strike
from alvh_rules.greeks.structure_legs import (
    LAYOUTS,
    POSITION_NAMES,
    SIDED,
    short_rights,
    spx_strikes,
)
from alvh_rules.lang.builtins import SINGLE_LEGS
from alvh_rules.lang.catalog import PORTFOLIO_FIELDS, POSITION_FIELDS
from alvh_rules.market.expiries import ExpiryKind, Underlying, pick_expiries, pick_expiry
from alvh_rules.syntax import ast


class Tags(TypedDict):
    """Which rule opened a position and which layer it belongs to (the Greeks core's tags)."""

    opened_by: str
    layer: str


def catalogue_figures(figures: Mapping[str, float]) -> dict[str, float]:
    """The Greeks core's figures under the catalogue's names (POSITION_FIELDS, and the
    account's PORTFOLIO_FIELDS when given): the one mapping from the core's vocabulary to
    the language's. A catalogue name the core does not compute reads as NaN."""
    names = [*POSITION_FIELDS, *(n for n in PORTFOLIO_FIELDS if n in figures)]
    return {name: float(figures.get(name, math.nan)) for name in names}


def figures_of(position: Any, ctx: Any) -> dict[str, float]:
    from alvh_rules.greeks.figures import position_fields

    return catalogue_figures(position_fields(position, ctx))


# How a held position's roll cost and a hedge's projected payoff are read (assumptions,
# documented in docs/language.md): a roll buys the position back at today's mark and
# reopens it on the listed expiry nearest a month after its nearest one, paying
# ROLL_SLIPPAGE dollars per contract traded (a debit is positive); the projected payoff is
# the change of value when SPX falls 10% and its implied vol rises 15 points at once.
ROLL_FORWARD_DAYS = 30
ROLL_SLIPPAGE = 5.0
STRESS_SPX_MOVE = -0.10
STRESS_VOL_SHIFT_VP = 15.0


def stress_scenario() -> Any:
    """The market move of a held position's `projected_payoff` (a greeks Scenario)."""
    from alvh_rules.greeks.valuation import Scenario

    return Scenario(spx_move=STRESS_SPX_MOVE, spx_vol_shift_vp=STRESS_VOL_SHIFT_VP)


def prepare_held_figures(positions: Sequence[Any], ctx: Any) -> None:
    """Value the stress scenario of every position `held_figures` will be asked for on
    `ctx` in one call (the same figures as one by one: `greeks.scenario_values`)."""
    from alvh_rules.greeks.figures import value_stressed_together

    value_stressed_together(positions, ctx, stress_scenario())


@functools.lru_cache(maxsize=1024)
def _roll_to(underlying: Underlying, nearest: dt.date) -> dt.date | None:
    """Where a roll reopens a position whose nearest expiry is `nearest` (a fixed listing:
    kept, as a held position asks for it every day)."""
    return pick_expiry(underlying, "monthly", nearest, ROLL_FORWARD_DAYS)


def held_figures(position: Any, ctx: Any) -> dict[str, float]:
    """Figures of an open position, with its roll cost and projected stress payoff."""
    from alvh_rules.greeks.figures import position_fields

    nearest = min(leg.expiry for leg in position.legs)
    underlying: Underlying = "SPX" if position.legs[0].instrument == "SPX" else "VIX"
    roll_to = _roll_to(underlying, nearest)
    figures = position_fields(
        position,
        ctx,
        scenario=stress_scenario(),
        roll_to=roll_to,
        slippage_per_contract=ROLL_SLIPPAGE,
    )
    return catalogue_figures(figures)


@dataclass
class Proposal:
    """What a rule would open on one day, sized; or why it cannot be known."""

    position: Any = None
    contracts: int = 0
    sizing: str = ""
    figures: dict[str, float] = field(default_factory=dict)
    reason: str = ""


@dataclass
class OpenRequest:
    """An `open` clause's arguments evaluated on one day, in base units; `expiry` the
    listing it picks from (`expiry monthly|weekly`)."""

    rule: str
    structure: str
    side: str | None
    args: dict[str, float]
    expiry: ExpiryKind = "monthly"
    # the source text of arguments not written as a number (`delta short_delta`): the note
    # of a day the value cannot build names it
    written: dict[str, str] = field(default_factory=dict)

    @property
    def underlying(self) -> Underlying:
        return "VIX" if self.structure.startswith("vix") else "SPX"


def listing_of(spec: ast.OpenSpec) -> ExpiryKind:
    """The listing an `open` clause picks its expiry from: monthly unless it says."""
    return "monthly" if spec.expiry is None else spec.expiry.listing


def listed_expiry(request: OpenRequest, today: dt.date) -> dt.date:
    """The listed expiry nearest the request's dte (30 days when not given)."""
    dte = request.args.get("dte", 30.0)
    expiry = pick_expiry(request.underlying, request.expiry, today, dte)
    if expiry is None:
        raise ValueError(
            f"no {request.underlying} {request.expiry} expiry is listed near {dte:g} days "
            f"on {today}"
        )
    return expiry


def build_position(
    request: OpenRequest, ctx: Any, today: dt.date, values: Mapping[str, float], quantity: int = 1
) -> Any:
    """The Greeks-core position an open clause describes, `quantity` structures of it: the
    structure's legs as `greeks.structure_legs.LAYOUTS` lays them out, at the strikes
    `_strikes` places, priced on the day's context."""
    from alvh_rules.greeks.builders import LegSpec, price_legs
    from alvh_rules.greeks.legs import Leg, Position

    structure = request.structure
    layout = LAYOUTS.get(structure)
    if layout is None:
        raise ValueError(f"unknown structure {structure}")
    check_open_args(request.args, structure, request.written)
    expiry = listed_expiry(request, today)
    tag = Tags(opened_by=request.rule, layer=request.rule)
    signed = quantity * (-1 if request.side == "short" else 1) if structure in SIDED else quantity
    if structure == "vix_future":
        price = vix_future_at(values, float((expiry - today).days))
        if not math.isfinite(price):
            raise ValueError("the VIX future for that expiry is unknown")
        leg = Leg(instrument="VX", expiry=expiry, quantity=signed, entry_price=price, **tag)
        return Position(name=POSITION_NAMES[structure], legs=(leg,), opened=today)
    strikes = _strikes(request, ctx, expiry)
    specs = [
        LegSpec(leg.instrument, leg.right, strikes[leg.role or ""], expiry, leg.sign * signed)  # type: ignore[arg-type]
        for leg in layout
    ]
    position = price_legs(POSITION_NAMES[structure], specs, ctx, **tag)
    return position.model_copy(update={"opened": today})  # what it opens is 0 days held


def check_open_args(
    args: Mapping[str, float], structure: str, written: Mapping[str, str] | None = None
) -> None:
    """ValueError, in the checker's words, when the day's argument values build no position
    (`check.open_ranges.unbuildable`: the ranges that refuse such constants, ALVH213): wings
    or a width of 0 or less, a negative `outside`, a delta not strictly between 0 and 100
    (above 50 for a condor or strangle, whose short put would sit above its short call), a
    `wing_delta` not below the `delta`, a `dte` below 1 day, `contracts` not a whole number
    of 1 or more. Every proposal and holding is built through here or `terms_for_days`."""
    problem = unbuildable(structure, args, written)
    if problem is not None:
        raise ValueError(problem)


def _strikes(request: OpenRequest, ctx: Any, expiry: dt.date) -> dict[str, float]:
    """Every strike role the structure's legs read: VIX strikes on the listed grid, an SPX
    single leg's written strike (on the grid) or its strike by delta, else the short strikes
    by delta placed by `structure_legs.spx_strikes` (wings, `outside`, ATM)."""
    from alvh_rules.greeks.strikes import strike_in

    args, structure = request.args, request.structure
    if request.underlying == "VIX":
        high = args["strike"] + args.get("width", math.nan)
        return {"strike": vix_listed_strike(args["strike"]), "high": vix_listed_strike(high)}
    if structure in SINGLE_LEGS:
        if "strike" in args:
            return {"strike": spx_listed_strike(args["strike"])}
        right: Literal["c", "p"] = "p" if structure == "put" else "c"
        return {"strike": strike_in(ctx, args["delta"] / 100.0, right, expiry)}
    rights = short_rights(structure)
    short = {right: strike_in(ctx, args["delta"] / 100.0, right, expiry) for right in rights}
    wings: dict[str, float] = {}
    if structure == "iron_condor" and args.get("wing_delta") is not None:
        wings = {
            right: strike_in(ctx, args["wing_delta"] / 100.0, right, expiry) for right in rights
        }
    roles = spx_strikes(
        structure,
        ctx.spx,
        short.get("p", math.nan),
        short.get("c", math.nan),
        width=args.get("wings", args.get("width", math.nan)),
        outside=args.get("outside", math.nan),
        wing_put=wings.get("p", math.nan),
        wing_call=wings.get("c", math.nan),
        delta=args.get("delta", math.nan) / 100.0,
    )
    return {role: float(value) for role, value in roles.items()}


def unbuildable_days(structure: str, args: Mapping[str, FloatArray], n: int) -> Any:
    """Per day, whether `check_open_args` refuses the day's arguments (each distinct row of
    values asked once: an argument is most often the same on every day)."""
    if not args:
        return np.zeros(n, dtype=bool)
    names = list(args)
    rows = np.stack([np.broadcast_to(np.asarray(args[k], dtype=np.float64), (n,)) for k in names])
    known = np.isfinite(rows).all(axis=0)
    refused = np.zeros(n, dtype=bool)
    if not known.any():
        return refused
    distinct, where = np.unique(rows[:, known].T, axis=0, return_inverse=True)
    verdicts = np.array(
        [unbuildable(structure, dict(zip(names, map(float, row), strict=True))) is not None
         for row in distinct]
    )  # fmt: skip
    refused[known] = verdicts[np.ravel(where)]
    return refused


SPX_STRUCTURES = (
    "iron_condor",
    "short_strangle",
    "short_straddle",
    "put_spread",
    "call_spread",
    *SINGLE_LEGS,
)


def terms_for_days(
    request: OpenRequest,
    args: Mapping[str, FloatArray],
    values: Mapping[str, FloatArray],
    dates: np.ndarray[Any, Any],
) -> Any:
    """`build_position`'s reading of an open clause, for many days, as `StructureTerms`:
    the listed expiry per day (NaN days where none is listed near the dte)."""
    from alvh_rules.greeks.batch import StructureTerms

    n = values["spx"].shape[0]
    missing = np.full(n, math.nan)
    dte = np.asarray(args.get("dte", np.full(n, 30.0)), dtype=np.float64)
    picked = pick_expiries(request.underlying, request.expiry, dates, dte)
    days = picked.days
    expiries = np.where(picked.expiry >= 0, picked.expiry, np.iinfo(np.int64).min)
    width = args.get("wings", args.get("width", missing))
    # what check_open_args refuses: NaN days, so that the per-day path says why
    days = np.where(unbuildable_days(request.structure, args, n), np.nan, days)
    strike = args.get("strike", missing)
    if request.underlying == "VIX":  # both strikes of a VIX spread land on the grid
        strike, width = vix_listed_strike(strike), vix_listed_strike(strike + width)
        width = width - strike
    return StructureTerms(
        wing_delta=args.get("wing_delta", missing) / 100.0,
        outside=args.get("outside", missing),
        days=days,
        delta=args.get("delta", missing) / 100.0,
        width=width,
        strike=strike,
        quantity=np.ones(n),
        side=np.full(n, -1.0 if request.side == "short" else 1.0),
        future_entry=vix_future_at_days(values, days),
        settle_offset=settlement_offsets(request.underlying, expiries.astype("datetime64[D]")),
    )


__all__ = [
    "DEFAULT_VIX_BETA",
    "SPX_STRUCTURES",
    "UNKNOWN_DIV_YIELD",
    "OpenRequest",
    "Proposal",
    "Tags",
    "build_position",
    "catalogue_figures",
    "check_open_args",
    "day_values",
    "figures_of",
    "held_figures",
    "listed_expiry",
    "listing_of",
    "pricing_note",
    "scale",
    "terms_for_days",
    "valuation_context",
    "vix_future_at",
    "vx_curve_of",
]
