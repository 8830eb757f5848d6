"""Dollar Greeks of legs, positions, layers and the portfolio, in the units of
`alvh_rules.lang.catalog.POSITION_FIELDS`, and full revaluation under a market scenario.

SPX legs are priced with `bsm` off the SPX surface, VIX options with `black76` on the VIX future
of their expiry; VIX legs reach SPX delta and vega through the context's explicit betas.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Final

import numpy as np
import numpy.typing as npt

from alvh_rules.greeks import conventions as cv
from alvh_rules.greeks.analytic import FIGURES, Greeks, black76, bsm
from alvh_rules.greeks.context import ValuationContext
from alvh_rules.greeks.legs import Leg, Portfolio, Position, require_live
from alvh_rules.greeks.settlement_time import days_to_settlement

FloatArray = npt.NDArray[np.float64]

KINDS: Final = ("SPX", "VIX", "VX")

UNTAGGED_LAYER: Final = "untagged"
"""Layer key of legs without a `layer` tag in `layer_risk`."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """A market move for revaluation: SPX by a fraction, SPX implied vol by vol points, VIX
    futures by VIX points (None: move them by the context's betas), time by calendar days.

    SPX smiles move with spot (sticky moneyness): a leg's vol is read at K * spx / new spx.
    """

    spx_move: float = 0.0
    spx_vol_shift_vp: float = 0.0
    vix_future_shift: float | None = None
    days_forward: float = 0.0


@dataclass(frozen=True, slots=True)
class Risk:
    """Dollar figures (POSITION_FIELDS units): delta $/pt, gamma $/pt^2, vega $/vp, theta $/d,
    vanna $/pt/vp, volga $/vp^2, value $. `vix_delta` ($ per VIX-future point) and `vix_vega`
    ($ per VIX-option vol point) show VIX legs before the betas."""

    delta: float = 0.0
    gamma: float = 0.0
    vega: float = 0.0
    theta: float = 0.0
    vanna: float = 0.0
    volga: float = 0.0
    value: float = 0.0
    vix_delta: float = 0.0
    vix_vega: float = 0.0

    def __add__(self, other: Risk) -> Risk:
        return Risk(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Risk)))


RISK_FIELDS: Final = tuple(f.name for f in fields(Risk))


def total(risks: Iterable[Risk]) -> Risk:
    """The sum, field by field from zero in the order given (as `Risk() + a + b ...`)."""
    sums = [0.0] * len(RISK_FIELDS)
    for risk in risks:
        sums = [s + v for s, v in zip(sums, _values(risk), strict=True)]
    return Risk(*sums)


def _values(risk: Risk) -> tuple[float, ...]:
    return (
        risk.delta,
        risk.gamma,
        risk.vega,
        risk.theta,
        risk.vanna,
        risk.volga,
        risk.value,
        risk.vix_delta,
        risk.vix_vega,
    )


def leg_risk(legs: Sequence[Leg], ctx: ValuationContext) -> list[Risk]:
    """Dollar Greeks of each leg (vectorized over legs of each instrument)."""
    return _per_leg(leg_table(legs, ctx, Scenario()))


def _per_leg(table: dict[str, FloatArray]) -> list[Risk]:
    """A Risk per leg of a `leg_table` (`tolist`: the Python floats `float()` gives)."""
    columns = [table[name].tolist() for name in RISK_FIELDS]
    return [Risk(*row) for row in zip(*columns, strict=True)]


def position_risk(position: Position, ctx: ValuationContext) -> Risk:
    require_live(position, ctx.as_of)
    return total(leg_risk(position.legs, ctx))


def positions_risk(positions: Sequence[Position], ctx: ValuationContext) -> list[Risk]:
    """`position_risk` of each position, all their legs valued in one `leg_table` call.

    Equal to valuing each position alone, bit for bit: `leg_table` values each leg by
    elementwise array operations (nothing sums across legs), and each position's legs are
    then added in the same order as `position_risk` adds them."""
    for position in positions:
        require_live(position, ctx.as_of)
    legs = [leg for position in positions for leg in position.legs]
    return risks_of(positions, leg_table(legs, ctx, Scenario()))


def risks_of(positions: Sequence[Position], table: dict[str, FloatArray]) -> list[Risk]:
    """Each position's Risk from `table`, the `leg_table` of all their legs in order."""
    per_leg = _per_leg(table)
    risks, start = [], 0
    for position in positions:
        stop = start + len(position.legs)
        risks.append(total(per_leg[start:stop]))
        start = stop
    return risks


def layer_risk(portfolio: Portfolio, ctx: ValuationContext) -> dict[str, Risk]:
    """Risk summed per leg `layer` tag; untagged legs under UNTAGGED_LAYER."""
    for position in portfolio.positions:
        require_live(position, ctx.as_of)
    legs = portfolio.legs
    layers: dict[str, Risk] = {}
    for leg, risk in zip(legs, leg_risk(legs, ctx), strict=True):
        key = leg.layer or UNTAGGED_LAYER
        layers[key] = layers.get(key, Risk()) + risk
    return layers


def portfolio_risk(portfolio: Portfolio, ctx: ValuationContext) -> Risk:
    return total(layer_risk(portfolio, ctx).values())


def leg_values(
    legs: Sequence[Leg],
    ctx: ValuationContext,
    scenario: Scenario,
    spx: npt.ArrayLike | None = None,
    vix_shift: npt.ArrayLike | None = None,
    vol_shift_vp: npt.ArrayLike | None = None,
) -> FloatArray:
    """Dollar value of each leg under `scenario` (see `leg_table` for the array overrides)."""
    return leg_table(legs, ctx, scenario, spx, vix_shift, vol_shift_vp)["value"]


def leg_table(
    legs: Sequence[Leg],
    ctx: ValuationContext,
    scenario: Scenario,
    spx: npt.ArrayLike | None = None,
    vix_shift: npt.ArrayLike | None = None,
    vol_shift_vp: npt.ArrayLike | None = None,
) -> dict[str, FloatArray]:
    """Every Risk figure per leg as arrays, under `scenario`.

    `spx` (SPX points), `vix_shift` (VIX-future points) and `vol_shift_vp` (SPX vol points)
    override the scenario with arrays; they broadcast together as leading axes, and the last
    axis is the legs. Without `vix_shift`, VIX futures move with SPX level and vol by the betas.
    """
    level = np.asarray(ctx.spx * (1.0 + scenario.spx_move) if spx is None else spx, float)
    vol_shift = np.asarray(
        scenario.spx_vol_shift_vp if vol_shift_vp is None else vol_shift_vp, float
    )
    if vix_shift is not None:
        shift = np.asarray(vix_shift, dtype=np.float64)
    elif scenario.vix_future_shift is not None:
        shift = np.asarray(scenario.vix_future_shift, dtype=np.float64)
    else:
        shift = ctx.vix_vega_beta * vol_shift + ctx.vix_delta_beta * (level - ctx.spx)
    lead = np.broadcast_shapes(level.shape, shift.shape, vol_shift.shape)
    level_col = np.broadcast_to(level, lead)[..., np.newaxis]
    shift_col = np.broadcast_to(shift, lead)[..., np.newaxis]
    vol_col = np.broadcast_to(vol_shift, lead)[..., np.newaxis]
    table = {f.name: np.zeros((*lead, len(legs))) for f in fields(Risk)}
    rows = {kind: [i for i, leg in enumerate(legs) if leg.instrument == kind] for kind in KINDS}
    pick = {kind: [legs[i] for i in rows[kind]] for kind in KINDS}
    if rows["SPX"]:
        _fill(table, rows["SPX"], _spx_dollars(pick["SPX"], ctx, scenario, level_col, vol_col))
    if rows["VIX"]:
        _fill(table, rows["VIX"], _vix_dollars(pick["VIX"], ctx, scenario, shift_col))
    if rows["VX"]:
        _fill(table, rows["VX"], _future_dollars(pick["VX"], ctx, shift_col))
    return table


def leg_tables(
    legs: Sequence[Leg], ctx: ValuationContext, scenarios: Sequence[Scenario]
) -> list[dict[str, FloatArray]]:
    """`leg_table(legs, ctx, scenario)` for each scenario, in one call: the scenarios' SPX
    levels and vol shifts become a leading axis (each row computed by the expressions
    `leg_table` uses for a scenario, and every figure is elementwise), so each table is the
    one valued alone, bit for bit. The scenarios must share `days_forward` and move VIX
    futures by the betas (`vix_future_shift` None)."""
    first = scenarios[0]
    if any(
        s.days_forward != first.days_forward or s.vix_future_shift is not None for s in scenarios
    ):
        raise ValueError("scenarios valued together must share days_forward and the betas")
    level = np.array([ctx.spx * (1.0 + s.spx_move) for s in scenarios], dtype=np.float64)
    vol_shift = np.array([s.spx_vol_shift_vp for s in scenarios], dtype=np.float64)
    table = leg_table(legs, ctx, first, spx=level, vol_shift_vp=vol_shift)
    return [{name: column[row] for name, column in table.items()} for row in range(len(scenarios))]


def _fill(table: dict[str, FloatArray], rows: list[int], values: dict[str, FloatArray]) -> None:
    for name, column in values.items():
        table[name][..., rows] = column


def _years(legs: Sequence[Leg], ctx: ValuationContext, scenario: Scenario) -> FloatArray:
    """Years from today's close to each leg's settlement instant (`settlement_time`)."""
    days = np.array(
        [days_to_settlement(leg.instrument, leg.expiry, ctx.as_of) for leg in legs],
        dtype=np.float64,
    )
    return np.maximum(days - scenario.days_forward, 0.0) / cv.DAYS_PER_YEAR


def _at_expiry(
    g: Greeks, sign: FloatArray, under: FloatArray, strike: FloatArray, t: FloatArray
) -> Greeks:
    """Greeks with expired rows (t = 0) set to the payoff: intrinsic value, step delta, zeros."""
    expired = np.broadcast_to(t == 0, g.price.shape)
    if not expired.any():
        return g
    moneyness = sign * (under - strike)
    payoff = {"price": np.maximum(moneyness, 0.0), "delta": np.where(moneyness > 0, sign, 0.0)}
    figures = {name: np.where(expired, payoff.get(name, 0.0), getattr(g, name)) for name in FIGURES}
    return Greeks(**figures)


def _option_arrays(legs: Sequence[Leg]) -> tuple[FloatArray, FloatArray, FloatArray]:
    sign = np.array([1.0 if leg.right == "c" else -1.0 for leg in legs])
    strike = np.array([leg.strike for leg in legs], dtype=np.float64)
    units = np.array([leg.units for leg in legs], dtype=np.float64)
    return sign, strike, units


def _spx_dollars(
    legs: Sequence[Leg],
    ctx: ValuationContext,
    scenario: Scenario,
    spx: FloatArray,
    vol_shift_vp: FloatArray,
) -> dict[str, FloatArray]:
    sign, strike, units = _option_arrays(legs)
    t = _years(legs, ctx, scenario)
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero level gives NaN rows
        sticky_strike = strike * ctx.spx / spx  # same moneyness as today's strike
    vol = ctx.spx_surface.vol(sticky_strike, t) + vol_shift_vp * cv.VOL_POINT
    g = bsm(sign, spx, strike, np.where(t > 0, t, np.nan), vol, ctx.rate, ctx.div_yield)
    g = _at_expiry(g, sign, spx, strike, t)
    return cv.spx_dollar_figures(units, g)


def _vix_dollars(
    legs: Sequence[Leg], ctx: ValuationContext, scenario: Scenario, shift: FloatArray
) -> dict[str, FloatArray]:
    if ctx.vix_futures is None or ctx.vix_surface is None:
        raise ValueError(
            "valuing VIX options needs the VX futures curve and the VIX option smile "
            "(the front VX future, its expiry or VVIX is unknown)"
        )
    sign, strike, units = _option_arrays(legs)
    t = _years(legs, ctx, scenario)
    forward = np.array([ctx.vix_futures.future(leg.expiry) for leg in legs]) + shift
    vol = ctx.vix_surface.vol(strike, t)
    g = black76(sign, forward, strike, np.where(t > 0, t, np.nan), vol, ctx.rate)
    g = _at_expiry(g, sign, forward, strike, t)
    beta_s, beta_v = ctx.vix_delta_beta, ctx.vix_vega_beta
    return {
        **cv.vix_dollar_figures(units, g, beta_s, beta_v),
        "vix_delta": units * g.delta,
        "vix_vega": units * cv.per_vol_point(g.vega),
    }


def _future_dollars(
    legs: Sequence[Leg], ctx: ValuationContext, shift: FloatArray
) -> dict[str, FloatArray]:
    """A VX future's value is its open P&L, (F - entry) * units: it has no premium."""
    if ctx.vix_futures is None:
        raise ValueError("valuing VX futures needs vix_futures in the context")
    units = np.array([leg.units for leg in legs], dtype=np.float64)
    entry = np.array([leg.entry_price for leg in legs])
    forward = np.array([ctx.vix_futures.future(leg.expiry) for leg in legs]) + shift
    ones = np.ones(np.broadcast_shapes(forward.shape, units.shape))
    return {
        "delta": units * ctx.vix_delta_beta * ones,
        "vega": units * ctx.vix_vega_beta * ones,
        "value": units * (forward - entry),
        "vix_delta": units * ones,
    }
