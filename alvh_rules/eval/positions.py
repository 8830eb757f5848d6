"""Positions for the interpreter: what a rule would open on a day (the listed expiry, strikes
by delta on the listed grid, the Greeks-core position) and the figures of held positions
(roll cost, projected stress payoff) under the catalogue's names.

The day's market and valuation context live in `day_market`, many days' in `market_days`,
sizing in `sizing`; the names other packages read from here are imported below so their
callers keep one import.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

import numpy as np

from alvh_rules.builtins import SINGLE_LEGS
from alvh_rules.catalog import PORTFOLIO_FIELDS, POSITION_FIELDS
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
from alvh_rules.greeks.strike_grid import (
    spx_listed_strike,
    spx_strikes_outside,
    vix_listed_strike,
)
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


def held_figures(position: Any, ctx: Any) -> dict[str, float]:
    """Figures of an open position, with its roll cost and projected stress payoff."""
    from alvh_rules.greeks.figures import position_fields
    from alvh_rules.greeks.valuation import Scenario

    nearest = min(leg.expiry for leg in position.legs)
    underlying: Underlying = "SPX" if position.legs[0].instrument == "SPX" else "VIX"
    roll_to = pick_expiry(underlying, "monthly", nearest, ROLL_FORWARD_DAYS)
    scenario = Scenario(spx_move=STRESS_SPX_MOVE, spx_vol_shift_vp=STRESS_VOL_SHIFT_VP)
    figures = position_fields(
        position,
        ctx,
        scenario=scenario,
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
    """The Greeks-core position an open clause describes, `quantity` structures of it."""
    from alvh_rules.greeks import builders

    args = request.args
    expiry = listed_expiry(request, today)
    days = (expiry - today).days
    tag = Tags(opened_by=request.rule, layer=request.rule)
    structure = request.structure
    if structure == "iron_condor":
        wing_delta = args.get("wing_delta")
        return builders.iron_condor(
            ctx,
            expiry,
            short_delta=args["delta"] / 100.0,
            wing_width=args.get("wings", math.nan),
            wing_delta=None if wing_delta is None else wing_delta / 100.0,
            outside=args.get("outside"),
            quantity=quantity,
            **tag,
        )
    if structure in SINGLE_LEGS:
        return _spx_single_leg(ctx, expiry, structure, request.side, args, quantity, tag)
    if structure in ("short_strangle", "short_straddle"):
        return _strangle(ctx, expiry, structure, args, quantity, tag)
    if structure in ("put_spread", "call_spread"):
        return _credit_spread(ctx, expiry, structure, args, quantity, tag)
    sign = -1 if request.side == "short" else 1
    forward = vix_future_at(values, float(days))
    if structure == "vix_call_spread":
        low, high = (
            vix_listed_strike(args["strike"]),
            vix_listed_strike(args["strike"] + args["width"]),
        )
        return builders.vix_call_spread(ctx, low, high, expiry, quantity=sign * quantity, **tag)
    if structure == "vix_call":
        strike = vix_listed_strike(args["strike"])
        return _single_leg(ctx, "VIX", "c", strike, expiry, sign * quantity, tag)
    if structure == "vix_future":
        return _single_leg(ctx, "VX", None, None, expiry, sign * quantity, tag, price=forward)
    raise ValueError(f"unknown structure {structure}")


def _strangle(
    ctx: Any,
    expiry: dt.date,
    structure: str,
    args: Mapping[str, float],
    quantity: int,
    tag: Tags,
) -> Any:
    from alvh_rules.greeks import builders
    from alvh_rules.greeks.strikes import strike_in

    if structure == "short_straddle":
        strike = spx_listed_strike(ctx.spx)
        return builders.straddle(ctx, strike, expiry, quantity=-quantity, **tag)
    delta = args["delta"] / 100.0
    put, call = strike_in(ctx, delta, "p", expiry), strike_in(ctx, delta, "c", expiry)
    if "outside" in args:
        put, call = spx_strikes_outside(put, call, ctx.spx, args["outside"])
    return builders.strangle(ctx, put, call, expiry, quantity=-quantity, **tag)


def _spx_single_leg(
    ctx: Any,
    expiry: dt.date,
    structure: str,
    side: str | None,
    args: Mapping[str, float],
    quantity: int,
    tag: Tags,
) -> Any:
    """One SPX put or call, long unless `short`, at a delta or at a written strike (both on
    the listed grid)."""
    from alvh_rules.greeks.strikes import strike_in

    right: Literal["c", "p"] = "p" if structure == "put" else "c"
    if "strike" in args:
        strike = spx_listed_strike(args["strike"])
    else:
        strike = strike_in(ctx, args["delta"] / 100.0, right, expiry)
    sign = -1 if side == "short" else 1
    return _single_leg(ctx, "SPX", right, strike, expiry, sign * quantity, tag)


def _credit_spread(
    ctx: Any,
    expiry: dt.date,
    structure: str,
    args: Mapping[str, float],
    quantity: int,
    tag: Tags,
) -> Any:
    from alvh_rules.greeks import builders
    from alvh_rules.greeks.strikes import strike_in

    right: Literal["c", "p"] = "p" if structure == "put_spread" else "c"
    short = strike_in(ctx, args["delta"] / 100.0, right, expiry)
    long = short - args["width"] if right == "p" else short + args["width"]
    return builders.vertical_spread(ctx, right, long, short, expiry, quantity=quantity, **tag)


def _single_leg(
    ctx: Any,
    instrument: str,
    right: str | None,
    strike: float | None,
    expiry: dt.date,
    quantity: int,
    tag: Tags,
    price: float | None = None,
) -> Any:
    from alvh_rules.greeks.builders import LegSpec, price_legs
    from alvh_rules.greeks.legs import Leg, Position

    if instrument == "VX":
        if price is None or not math.isfinite(price):
            raise ValueError("the VIX future for that expiry is unknown")
        leg = Leg(instrument="VX", expiry=expiry, quantity=quantity, entry_price=price, **tag)
        return Position(name="VIX future", legs=(leg,))
    spec = LegSpec(instrument, right, strike, expiry, quantity)  # type: ignore[arg-type]
    return price_legs(f"{instrument} {'call' if right == 'c' else 'put'}", [spec], ctx, **tag)


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
