"""Position builders: iron condor (short strikes by delta), vertical spreads, strangles,
straddles, VIX call spreads and diagonals, entered at chain mids or model prices.

Quantities count spreads: positive buys the structure's long side, negative sells it.
"""

from __future__ import annotations

import math
from datetime import date

from alvh_rules.greeks.chain import OptionChain
from alvh_rules.greeks.context import ValuationContext
from alvh_rules.greeks.conventions import SPX_STRIKE_INCREMENT
from alvh_rules.greeks.legs import Instrument, Leg, Position, Right
from alvh_rules.greeks.strikes import strike_in
from alvh_rules.greeks.structure_legs import spx_strikes
from alvh_rules.greeks.valuation import Scenario, leg_values


class LegSpec:
    """What a builder wants before pricing: instrument, right, strike, expiry, quantity."""

    __slots__ = ("expiry", "instrument", "quantity", "right", "strike")

    def __init__(
        self, instrument: Instrument, right: Right, strike: float, expiry: date, quantity: int
    ) -> None:
        self.instrument, self.right, self.strike = instrument, right, strike
        self.expiry, self.quantity = expiry, quantity


def price_legs(
    name: str,
    specs: list[LegSpec],
    ctx: ValuationContext,
    *,
    chain: OptionChain | None = None,
    layer: str | None = None,
    opened_by: str | None = None,
) -> Position:
    """A position entered at each leg's chain mid when listed, else at the model price."""
    context = {"as_of": ctx.as_of}
    unpriced = [
        Leg.model_validate(
            {
                "instrument": s.instrument,
                "right": s.right,
                "strike": s.strike,
                "expiry": s.expiry,
                "quantity": s.quantity,
                "layer": layer,
                "opened_by": opened_by,
            },
            context=context,
        )
        for s in specs
    ]
    values = leg_values(unpriced, ctx, Scenario())
    legs = []
    for leg, value in zip(unpriced, values, strict=True):
        quote = (
            chain.quote(leg.expiry, leg.right, leg.strike)
            if chain and leg.right and leg.strike
            else None
        )
        price = (
            quote.mid if quote is not None and leg.instrument == "SPX" else float(value) / leg.units
        )
        legs.append(leg.model_copy(update={"entry_price": max(price, 0.0)}))
    return Position(name=name, legs=tuple(legs))


def iron_condor(
    ctx: ValuationContext,
    expiry: date,
    *,
    short_delta: float = 0.16,
    wing_width: float = 50.0,
    quantity: int = 1,
    chain: OptionChain | None = None,
    increment: float = SPX_STRIKE_INCREMENT,
    layer: str | None = None,
    opened_by: str | None = None,
    wing_delta: float | None = None,
    outside: float | None = None,
) -> Position:
    """Short `quantity` SPX iron condors: short puts and calls at `short_delta` (on the chain,
    else on the context's surface), moved out to at least `outside` points from spot when
    given, long wings `wing_width` points further out, or at `wing_delta` when given (a
    20/5-delta condor: short_delta 0.20, wing_delta 0.05), never inside the short strikes."""

    def solved(delta: float, right: Right) -> float:
        return strike_in(ctx, delta, right, expiry, chain=chain, increment=increment)

    wings = {} if wing_delta is None else {r: solved(wing_delta, r) for r in ("p", "c")}
    roles = spx_strikes(  # the placement rule of every structure (greeks.structure_legs)
        "iron_condor",
        ctx.spx,
        solved(short_delta, "p"),
        solved(short_delta, "c"),
        width=wing_width,
        outside=math.nan if outside is None else outside,
        wing_put=wings.get("p", math.nan),
        wing_call=wings.get("c", math.nan),
        delta=abs(short_delta),
        step=increment,
    )
    long_put, short_put = float(roles["long_put"]), float(roles["short_put"])
    short_call, long_call = float(roles["short_call"]), float(roles["long_call"])
    specs = [
        LegSpec("SPX", "p", long_put, expiry, quantity),
        LegSpec("SPX", "p", short_put, expiry, -quantity),
        LegSpec("SPX", "c", short_call, expiry, -quantity),
        LegSpec("SPX", "c", long_call, expiry, quantity),
    ]
    return price_legs("iron condor", specs, ctx, chain=chain, layer=layer, opened_by=opened_by)


def vertical_spread(
    ctx: ValuationContext,
    right: Right,
    long_strike: float,
    short_strike: float,
    expiry: date,
    *,
    quantity: int = 1,
    instrument: Instrument = "SPX",
    chain: OptionChain | None = None,
    layer: str | None = None,
    opened_by: str | None = None,
) -> Position:
    """Long `quantity` of `long_strike`, short as many of `short_strike`, same right and expiry."""
    specs = [
        LegSpec(instrument, right, long_strike, expiry, quantity),
        LegSpec(instrument, right, short_strike, expiry, -quantity),
    ]
    kind = "call" if right == "c" else "put"
    return price_legs(f"{kind} vertical", specs, ctx, chain=chain, layer=layer, opened_by=opened_by)


def strangle(
    ctx: ValuationContext,
    put_strike: float,
    call_strike: float,
    expiry: date,
    *,
    quantity: int = -1,
    chain: OptionChain | None = None,
    layer: str | None = None,
    opened_by: str | None = None,
) -> Position:
    """A put and a call of the same expiry; the default quantity -1 is a short strangle."""
    specs = [
        LegSpec("SPX", "p", put_strike, expiry, quantity),
        LegSpec("SPX", "c", call_strike, expiry, quantity),
    ]
    return price_legs("strangle", specs, ctx, chain=chain, layer=layer, opened_by=opened_by)


def straddle(
    ctx: ValuationContext,
    strike: float,
    expiry: date,
    *,
    quantity: int = -1,
    chain: OptionChain | None = None,
    layer: str | None = None,
    opened_by: str | None = None,
) -> Position:
    """A put and a call at one strike; the default quantity -1 is a short straddle."""
    position = strangle(
        ctx,
        strike,
        strike,
        expiry,
        quantity=quantity,
        chain=chain,
        layer=layer,
        opened_by=opened_by,
    )
    return position.model_copy(update={"name": "straddle"})


def vix_call_spread(
    ctx: ValuationContext,
    long_strike: float,
    short_strike: float,
    expiry: date,
    *,
    quantity: int = 1,
    layer: str | None = None,
    opened_by: str | None = None,
) -> Position:
    """Long VIX calls at `long_strike`, short at `short_strike` (the usual hedge: long < short)."""
    position = vertical_spread(
        ctx,
        "c",
        long_strike,
        short_strike,
        expiry,
        quantity=quantity,
        instrument="VIX",
        layer=layer,
        opened_by=opened_by,
    )
    return position.model_copy(update={"name": "VIX call spread"})


def diagonal(
    ctx: ValuationContext,
    right: Right,
    near_strike: float,
    near_expiry: date,
    far_strike: float,
    far_expiry: date,
    *,
    quantity: int = 1,
    instrument: Instrument = "SPX",
    chain: OptionChain | None = None,
    layer: str | None = None,
    opened_by: str | None = None,
) -> Position:
    """Short the near-expiry option, long the far one (quantity > 0), same right."""
    if far_expiry <= near_expiry:
        raise ValueError(f"far_expiry {far_expiry} must be after near_expiry {near_expiry}")
    specs = [
        LegSpec(instrument, right, near_strike, near_expiry, -quantity),
        LegSpec(instrument, right, far_strike, far_expiry, quantity),
    ]
    return price_legs("diagonal", specs, ctx, chain=chain, layer=layer, opened_by=opened_by)
