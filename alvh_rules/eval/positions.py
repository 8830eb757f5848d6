"""Positions for the interpreter: valuing held positions, building what a rule would open
(strikes by delta, sizing by risk, vega or contracts) and the figures of both.

Assumptions, written once: the T-bill quote and the S&P 500 dividend yield converted to
continuous rates by `alvh_rules.market.rates` (q = 0 on a day whose dividend yield is
unknown, said in the reasons); legs expire on listed expiries (`alvh_rules.market.expiries`)
at listed strikes (`alvh_rules.greeks.strike_grid`); SPX on the SSVI surface solved to
VIX9D/VIX/VIX3M (market/surface.py); VIX options Black-76 on the VX curve
(greeks/vx_curve.py) with the VVIX-anchored smile (greeks/vix_options.py); a VIX leg's
SPX-equivalent vega uses the rule's `beta`, else DEFAULT_VIX_BETA, and its SPX-equivalent
delta that beta times the move of 30-day ATM vol along the skew (market/surface.py).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

import numpy as np

from alvh_rules.eval.logic import FloatArray
from alvh_rules.greeks.conventions import annualised_return
from alvh_rules.greeks.strike_grid import (
    spx_listed_strike,
    spx_strikes_outside,
    vix_listed_strike,
)
from alvh_rules.lang.builtins import SINGLE_LEGS
from alvh_rules.lang.catalog import MARKET_FIELDS, PORTFOLIO_FIELDS, PORTFOLIO_SUMS, POSITION_FIELDS
from alvh_rules.market.expiries import ExpiryKind, Underlying, pick_expiries, pick_expiry
from alvh_rules.market.rates import continuous_dividend_yield, continuous_rate_from_discount
from alvh_rules.syntax import ast

IntArray = np.ndarray[Any, np.dtype[np.intp]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]

DEFAULT_VIX_BETA = 0.775  # midpoint of the 0.7-0.85 range of seed rule L5
UNKNOWN_DIV_YIELD = 0.0  # q on a day whose dividend yield is unknown (named in the reasons)


class Tags(TypedDict):
    """Which rule opened a position and which layer it belongs to (the Greeks core's tags)."""

    opened_by: str
    layer: str


def day_values(columns: Mapping[str, FloatArray], index: int) -> dict[str, float]:
    return {
        name: float(columns[name][index]) if name in columns else math.nan for name in MARKET_FIELDS
    }


def vx_curve_of(values: Mapping[str, float], today: dt.date) -> Any:
    """The day's VX curve (alvh_rules.greeks.vx_curve), or None without a positive front
    future and its expiry."""
    from alvh_rules.greeks.vx_curve import VxCurve

    f1, dte1 = values.get("vix_f1", math.nan), values.get("vix_f1_dte", math.nan)
    if not (math.isfinite(f1) and f1 > 0 and math.isfinite(dte1)):
        return None
    f2 = values.get("vix_f2", math.nan)
    return VxCurve(
        today,
        f1,
        f2 if math.isfinite(f2) and f2 > 0 else math.nan,
        float(max(int(dte1), 0)),
        values.get("vix_f2_dte", math.nan),
    )


def vix_future_at(values: Mapping[str, float], days: float) -> float:
    """The VX curve at `days` from today (alvh_rules.greeks.vx_curve); NaN without F1."""
    curve = vx_curve_of(values, dt.date.min)
    return math.nan if curve is None else float(curve.at_days(days))


def valuation_context(
    values: Mapping[str, float], today: dt.date, chain: Any = None, beta: float = DEFAULT_VIX_BETA
) -> Any:
    """A Greeks-core context for the day, or a string saying which input is missing."""
    from alvh_rules.greeks.context import ValuationContext
    from alvh_rules.greeks.vix_options import VixOptionSurface
    from alvh_rules.market import surface as spx

    values_of = {name: values.get(name, math.nan) for name in ("spx", "vix", "risk_free")}
    for name, value in values_of.items():
        if not math.isfinite(value):
            return f"{name} is unknown on {today}, so positions cannot be valued"
    spot, vix, rate = values_of["spx"], values_of["vix"], values_of["risk_free"]
    levels = (values.get("vix9d", math.nan), values.get("vix3m", math.nan))
    div_yield = pricing_div_yield(values.get("dividend_yield", math.nan))
    surface = spx.vix_term_surface(spot, vix, *levels, rate=pricing_rate(rate), div_yield=div_yield)
    curve = vx_curve_of(values, today)
    theta = float(spx.vvix_atm_variance(values.get("vvix", math.nan)))
    usable = curve is not None and math.isfinite(theta)
    vix_surface = VixOptionSurface(curve, theta) if usable else None
    theta_30d = float(surface.atm_variance(spx.TENORS_YEARS[spx.INDEX_NAMES.index("vix")]))
    return ValuationContext(
        as_of=today,
        spx=spot,
        rate=pricing_rate(rate),
        div_yield=div_yield,
        spx_surface=chain if chain is not None else surface,
        vix_futures=curve,
        vix_surface=vix_surface,
        vix_vega_beta=beta,
        vix_delta_beta=float(spx.vix_delta_beta(beta, spot, theta_30d, surface.shape)),
    )


def pricing_rate(risk_free: float) -> float:
    """The continuous rate options are priced at, from the data's T-bill discount quote."""
    return float(continuous_rate_from_discount(risk_free))


def pricing_div_yield(dividend_yield: float) -> float:
    """The continuous S&P 500 dividend yield, UNKNOWN_DIV_YIELD where the data has none."""
    q = float(continuous_dividend_yield(dividend_yield))
    return q if math.isfinite(q) else UNKNOWN_DIV_YIELD


def pricing_note(risk_free: float, dividend_yield: float) -> str:
    """How the day's positions are priced, for the reasons (`--explain`): model prices at
    the rate and dividend yield `valuation_context` uses, and where they come from."""
    rate, q = pricing_rate(risk_free), float(continuous_dividend_yield(dividend_yield))
    rate_text = (
        f"rate {rate:.3%} continuous (3-month T-bill {risk_free:.2%} discount basis)"
        if math.isfinite(rate)
        else "rate unknown"
    )
    div_text = (
        f"dividend yield {q:.3%} continuous (S&P 500 trailing {dividend_yield:.2%})"
        if math.isfinite(q)
        else f"dividend yield unknown, {UNKNOWN_DIV_YIELD:.0%} assumed"
    )
    return f"modelled prices: {rate_text}, {div_text}"


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


def size_contracts(mode: str, amount: float, one: Mapping[str, float]) -> tuple[int, str]:
    """How many structures a sizing clause asks for, given the figures of one structure."""
    if not math.isfinite(amount):
        return 0, "the sizing amount is unknown"
    if mode == "contracts":
        return max(int(amount), 0), f"{int(amount)} contracts as written"
    if mode == "risk":
        loss = one.get("max_loss", math.nan)
        if not math.isfinite(loss) or loss <= 0:
            return 0, "one structure's maximum loss is unknown, so risk cannot size it"
        count = int(amount // loss)
        return count, f"risk {amount:,.0f}$ / max loss {loss:,.0f}$ per structure = {count}"
    vega = one.get("vega", math.nan)
    if not math.isfinite(vega) or vega == 0:
        return 0, "one structure's vega is unknown, so vega cannot size it"
    count = max(round(amount / vega), 0)
    return count, f"vega {amount:,.1f}$/vp / {vega:,.1f}$/vp per structure = {count}"


def scale(figures: Mapping[str, float], count: int) -> dict[str, float]:
    """Figures of `count` structures from those of one (per-structure figures are unchanged)."""
    return {
        name: (value * count if name in ADDITIVE_FIGURES else value)
        for name, value in figures.items()
    }


def stack_figures(
    portfolio: Mapping[str, float],
    held: Mapping[str, Mapping[str, float]],
    proposal: Mapping[str, float],
) -> dict[str, float]:
    """The portfolio with the proposed position added. Max profit and loss are summed (a
    conservative bound: it assumes every position can lose at once); irr follows from them."""
    out = {name: portfolio.get(name, 0.0) + proposal.get(name, 0.0) for name in POSITION_FIELDS}
    profits = [f.get("max_profit", math.nan) for f in held.values()] + [
        proposal.get("max_profit", math.nan)
    ]
    losses = [f.get("max_loss", math.nan) for f in held.values()] + [
        proposal.get("max_loss", math.nan)
    ]
    # An unbounded or unknown loss anywhere leaves the stack's maximum loss unknown too.
    out["max_profit"], out["max_loss"] = float(np.sum(profits)), float(np.sum(losses))
    dte = proposal.get("dte", math.nan)
    out["irr"] = annualised_return(out["max_profit"], out["max_loss"], dte)
    out["dte"] = dte
    for name in ("breakeven_low", "breakeven_high", "vol_breakeven"):
        out[name] = proposal.get(name, math.nan)
    return out


# ---- many days at once (the batch path of `Proposals`) --------------------------------------

CONTEXT_FIELDS = ("spx", "vix", "risk_free")  # valuation_context's required fields, in order
SPX_STRUCTURES = (
    "iron_condor",
    "short_strangle",
    "short_straddle",
    "put_spread",
    "call_spread",
    *SINGLE_LEGS,
)


def days_values(columns: Mapping[str, FloatArray], days: IntArray) -> dict[str, FloatArray]:
    """`day_values` for many days: each market field at `days` (NaN where absent)."""
    missing = np.full(days.shape, math.nan)
    return {
        name: np.asarray(columns[name], dtype=np.float64)[days] if name in columns else missing
        for name in MARKET_FIELDS
    }


def unvalued_field(values: Mapping[str, FloatArray]) -> IntArray:
    """Per day, 1 + the index in CONTEXT_FIELDS of the first unknown one (0: all known)."""
    code = np.zeros(values["spx"].shape, dtype=np.intp)
    for position, name in reversed(list(enumerate(CONTEXT_FIELDS, start=1))):
        code = np.where(np.isfinite(values[name]), code, position)
    return code


def context_refused(values: Mapping[str, FloatArray], beta: FloatArray) -> BoolArray:
    """Days whose valuation_context would raise (a non-positive SPX or VIX, a percentage
    rate, a non-positive future, an unknown beta): the per-day path reports those."""
    with np.errstate(invalid="ignore"):
        refused = (values["spx"] <= 0) | (values["vix"] <= 0) | (np.abs(values["risk_free"]) > 1)
        front = np.isfinite(values["vix_f1"]) & np.isfinite(values["vix_f1_dte"])
        refused |= front & ((values["vix_f1"] <= 0) | (values["vix_f2"] <= 0))
    refused |= ~np.isfinite(beta)
    return np.asarray(refused)


def markets_for_days(values: Mapping[str, FloatArray], beta: FloatArray) -> Any:
    """The `DayMarkets` of `valuation_context` on each day (no chain)."""
    from alvh_rules.greeks.batch_market import DayMarkets
    from alvh_rules.greeks.ssvi import SPX_SHAPE
    from alvh_rules.market import surface as spx
    from alvh_rules.market.calibration import fit_atm_variances

    levels = np.stack([values[name] for name in spx.INDEX_NAMES], axis=1)
    theta = fit_atm_variances(levels, spx.TENORS_YEARS, SPX_SHAPE).atm_variances
    with np.errstate(invalid="ignore"):
        f1, f2, dte1 = values["vix_f1"], values["vix_f2"], values["vix_f1_dte"]
        front = np.isfinite(f1) & (f1 > 0) & np.isfinite(dte1)
        second = np.isfinite(f2) & (f2 > 0)
    front_days = np.where(front, np.maximum(np.trunc(np.where(front, dte1, 0.0)), 0.0), np.nan)
    theta_30d = theta[:, spx.INDEX_NAMES.index("vix")]
    return DayMarkets(
        spot=values["spx"],
        rate=continuous_rate_from_discount(values["risk_free"]),
        div_yield=np.nan_to_num(
            continuous_dividend_yield(values["dividend_yield"]), nan=UNKNOWN_DIV_YIELD
        ),
        tenors_years=spx.TENORS_YEARS,
        atm_variances=theta,
        shape=SPX_SHAPE,
        vx_f1=np.where(front, f1, np.nan),
        vx_f2=np.where(second, f2, np.nan),
        vx_dte1=front_days,
        vx_dte2=values["vix_f2_dte"],
        vix_theta_30d=spx.vvix_atm_variance(values["vvix"]),
        vix_vega_beta=beta,
        vix_delta_beta=spx.vix_delta_beta(beta, values["spx"], theta_30d, SPX_SHAPE),
    )


def vix_future_at_days(values: Mapping[str, FloatArray], days: FloatArray) -> FloatArray:
    """`vix_future_at` for many days at once."""
    from alvh_rules.greeks.vx_curve import vx_future

    f1, dte1 = values["vix_f1"], values["vix_f1_dte"]
    with np.errstate(invalid="ignore"):
        front = np.isfinite(f1) & (f1 > 0) & np.isfinite(dte1)
        f2 = np.where(values["vix_f2"] > 0, values["vix_f2"], np.nan)
    front_days = np.maximum(np.trunc(np.where(front, dte1, 0.0)), 0.0)
    found = vx_future(np.where(front, f1, np.nan), f2, front_days, values["vix_f2_dte"], days)
    return np.where(front, found, np.nan)


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
    days = pick_expiries(request.underlying, request.expiry, dates, dte).days
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
    )


# How a day was sized (size_contracts' cases), for the sizing text and the reasons.
NO_CLAUSE, AMOUNT_UNKNOWN, AS_WRITTEN, LOSS_UNKNOWN, BY_RISK, VEGA_UNKNOWN, BY_VEGA = range(7)
UNKNOWN_SIZING = (AMOUNT_UNKNOWN, LOSS_UNKNOWN, VEGA_UNKNOWN)


def size_days(
    mode: str | None, amount: FloatArray, one: Mapping[str, FloatArray]
) -> tuple[FloatArray, IntArray]:
    """`size_contracts` for many days: (contracts, case). `mode` None: no size clause, and
    `amount` holds the `contracts` argument (1 when not given)."""
    if mode is None:
        return np.trunc(amount), np.full(amount.shape, NO_CLAUSE)
    known = np.isfinite(amount)
    with np.errstate(invalid="ignore", divide="ignore"):
        if mode == "contracts":
            count, case = np.maximum(np.trunc(amount), 0.0), np.full(amount.shape, AS_WRITTEN)
        elif mode == "risk":
            loss = one["max_loss"]
            usable = np.isfinite(loss) & (loss > 0)
            count = np.where(usable, np.trunc(amount // loss), 0.0)
            case = np.where(usable, BY_RISK, LOSS_UNKNOWN)
        else:
            vega = one["vega"]
            usable = np.isfinite(vega) & (vega != 0)
            count = np.where(usable, np.maximum(np.round(amount / vega), 0.0), 0.0)
            case = np.where(usable, BY_VEGA, VEGA_UNKNOWN)
    count = np.where(known, count, 0.0)
    return count, np.where(known, case, AMOUNT_UNKNOWN).astype(np.intp)


def sizing_text(case: int, count: int, amount: float, one: Mapping[str, float]) -> str:
    """The words `size_contracts` (or the no-size-clause default) gives for one day."""
    if case == NO_CLAUSE:
        return f"{count} contract{'s' if count != 1 else ''} (no size clause)"
    if case == AS_WRITTEN:
        return f"{int(amount)} contracts as written"
    if case == BY_RISK:
        return size_contracts("risk", amount, one)[1]
    if case == BY_VEGA:
        return size_contracts("vega", amount, one)[1]
    mode = {AMOUNT_UNKNOWN: "risk", LOSS_UNKNOWN: "risk", VEGA_UNKNOWN: "vega"}[case]
    return size_contracts(mode, math.nan if case == AMOUNT_UNKNOWN else amount, one)[1]


# What scales with the number of structures: the portfolio's sums and the dollar extremes.
ADDITIVE_FIGURES = frozenset(
    {*PORTFOLIO_SUMS, "max_profit", "max_loss", "roll_cost", "projected_payoff"}
)
