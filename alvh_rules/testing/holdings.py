"""Positions a test holds: `holding NAME: <open spec>` built with the interpreter's
position builder on the test's day, or `holding NAME: leg ...` from explicit legs, each
tagged `opened_by=NAME` so layers and rolls on NAME see it, and opened on the test's day or
`held N` days before it (its legs' expiries still count from the test's day).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from alvh_rules.check.open_ranges import percent_args
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.lang.diagnostics import error_in_one_line
from alvh_rules.syntax import ast
from alvh_rules.testing.values import TestInputError, constant

INSTRUMENTS = {"spx": "SPX", "vix": "VIX", "vx": "VX"}
RIGHTS = {"call": "c", "put": "p"}


def build_holding(
    holding: ast.TestHolding, snapshot: Any, params: dict[str, float], types: Any = None
) -> Any:
    """The holding's position on the snapshot's day; `types` (the checker's node types) tells
    which `open` arguments are written as a share of SPX (`wings 5%`)."""
    from alvh_rules.eval import positions as pos

    today = snapshot.today
    values = {name: snapshot.value(name) for name in MARKET_FIELDS}
    ctx = pos.valuation_context(
        values, today, getattr(snapshot, "chain", None), shape=getattr(snapshot, "smile", None)
    )
    if isinstance(ctx, str):
        raise TestInputError(holding.span, f"cannot value the holding: {ctx}")
    opened = today - dt.timedelta(days=held_days(holding, {**values, **params}))
    try:
        if holding.spec is not None:
            shares = percent_args(holding.spec, types or {})
            position = _from_spec(
                holding.name.name, holding.spec, ctx, today, values, params, shares
            )
        else:
            position = _from_legs(holding, ctx, today, values, params)
        return position.model_copy(update={"opened": opened})
    except (ValueError, ArithmeticError) as error:
        raise TestInputError(
            holding.span, f"cannot build the holding: {error_in_one_line(error)}"
        ) from error


def held_days(holding: ast.TestHolding, names: dict[str, float]) -> int:
    """How many calendar days before the test's day the holding was opened (`held N`; 0
    without): a whole number, 0 or more, else an error at the clause (the checker refuses
    such constants already, ALVH509; this catches values computed from params)."""
    if holding.held is None:
        return 0
    days = constant(holding.held, names)
    if not math.isfinite(days) or days < 0 or days != round(days):
        raise TestInputError(
            holding.held.span,
            f"a position is held a whole number of days, 0d or more; not {days:g}d",
        )
    return round(days)


def _from_spec(
    name: str,
    spec: ast.OpenSpec,
    ctx: Any,
    today: dt.date,
    values: dict[str, float],
    params: dict[str, float],
    shares: frozenset[str] = frozenset(),
) -> Any:
    from alvh_rules.eval import positions as pos
    from alvh_rules.greeks.structure_legs import share_in_points
    from alvh_rules.lang.builtins import STRUCTURES

    structure = STRUCTURES[spec.structure.name]
    names = {**values, **params}
    dte_arg = next((a.value for a in spec.args if a.name == "dte"), None)
    dte = constant(dte_arg, names) if dte_arg is not None else 30.0

    def atm() -> float:
        if structure.underlying == "SPX":
            return values["spx"]
        return pos.vix_future_at(values, dte)

    args = {str(a.name): constant(a.value, names, atm) for a in spec.args}
    for arg_name, value in args.items():
        if not math.isfinite(value):
            where = next(a.value.span for a in spec.args if a.name == arg_name)
            raise TestInputError(where, f"`{arg_name}` is unknown on {today}")
    for arg_name in shares & set(args):
        args[arg_name] = float(share_in_points(args[arg_name], values["spx"]))
    quantity = int(args.pop("contracts", 1))
    request = pos.OpenRequest(name, spec.structure.name, spec.side, args, pos.listing_of(spec))
    return pos.build_position(request, ctx, today, values, quantity)


def _from_legs(
    holding: ast.TestHolding,
    ctx: Any,
    today: dt.date,
    values: dict[str, float],
    params: dict[str, float],
) -> Any:
    from alvh_rules.eval import positions as pos
    from alvh_rules.greeks.builders import LegSpec, price_legs
    from alvh_rules.greeks.legs import Leg, Position

    name = holding.name.name
    names = {**values, **params}
    legs = []
    for spec in holding.legs:
        expiry = spec.expiry_date or today + dt.timedelta(
            days=round(spec.expiry_days.value if spec.expiry_days is not None else 30)
        )
        instrument = INSTRUMENTS[spec.instrument.name]
        price = constant(spec.price, names) if spec.price is not None else None
        if instrument == "VX":
            forward = pos.vix_future_at(values, float((expiry - today).days))
            leg = Leg(
                instrument="VX",
                expiry=expiry,
                quantity=spec.quantity,
                entry_price=price if price is not None else forward,
                opened_by=name,
                layer=name,
            )
        else:
            strike = constant(spec.strike, names) if spec.strike is not None else math.nan
            right = RIGHTS[spec.right or "call"]
            priced = price_legs(
                name,
                [LegSpec(instrument, right, strike, expiry, spec.quantity)],  # type: ignore[arg-type]
                ctx,
                opened_by=name,
                layer=name,
            ).legs[0]
            leg = priced if price is None else priced.model_copy(update={"entry_price": price})
        legs.append(leg)
    return Position(name=name, legs=tuple(legs))
