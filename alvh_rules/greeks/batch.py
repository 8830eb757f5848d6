"""The batch path: what each `alvh_rules.lang.builtins.STRUCTURES` structure would open on many days
at once (strikes by delta, leg prices) and every `figures.FIGURES` figure, in numpy passes.

It agrees with the per-day path (`builders` + `figures.position_fields`) to rounding; closed
forms stand in for the payoff grid where the payoff at expiry is piecewise linear.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

import numpy as np
import numpy.typing as npt

from alvh_rules.greeks import conventions as cv
from alvh_rules.greeks.analytic import black76, bsm
from alvh_rules.greeks.batch_market import DayMarkets, days_to_years, solve_strikes
from alvh_rules.greeks.batch_payoff import expiry_payoff_figures, vol_breakevens
from alvh_rules.greeks.expected import expected_profit_days
from alvh_rules.greeks.figures import FIGURES
from alvh_rules.greeks.legs import Leg, Position
from alvh_rules.greeks.strike_grid import spx_listed_strike
from alvh_rules.greeks.structure_legs import (
    LAYOUTS,
    POSITION_NAMES,
    SIDED,
    short_rights,
    spx_strikes,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MULTIPLIERS: Final = {
    "SPX": float(cv.SPX_MULTIPLIER),
    "VIX": float(cv.VIX_OPTION_MULTIPLIER),
    "VX": float(cv.VX_FUTURE_MULTIPLIER),
}


@dataclass(frozen=True, slots=True)
class StructureTerms:
    """An open clause's terms per day (n,): calendar `days` to expiry (at least 1), `delta`
    (fraction) of the short strikes, `width` (condor wings, spread width, VIX spread width),
    `strike` (VIX; an SPX single leg's written strike, else NaN: by delta), `quantity`
    (structures, > 0), `side` (+1 long, -1 short: VIX structures and single legs),
    `future_entry` (a VX future's entry price), `wing_delta` (condor wings by delta)."""

    days: FloatArray
    delta: FloatArray
    width: FloatArray
    strike: FloatArray
    quantity: FloatArray
    side: FloatArray
    future_entry: FloatArray
    wing_delta: FloatArray | None = None  # condor wings by delta (fraction); NaN: by points
    outside: FloatArray | None = None  # short strikes at least this far from spot; NaN: no floor
    settle_offset: FloatArray | None = None  # days an AM settlement comes early (None: PM)


@dataclass
class BatchPositions:
    """One structure on n days: legs as (n, legs) arrays and the figures per day.

    `instruments` and `signs` (+1 call, -1 put, 0 future) are per leg; `strikes`,
    `quantities` (signed) and `entry_prices` per day and leg. `buildable` is False where the
    per-day path would refuse the position (a strike that is not positive and finite, a
    delta with no root in the solver's bracket): those days must go through it instead.
    """

    structure: str
    markets: DayMarkets
    days: FloatArray
    instruments: tuple[str, ...]
    signs: FloatArray
    strikes: FloatArray
    quantities: FloatArray
    entry_prices: FloatArray
    buildable: BoolArray
    figures: dict[str, FloatArray] = field(default_factory=dict)
    _vol_breakeven: FloatArray | None = None
    settle_offset: FloatArray | None = None  # as StructureTerms'

    @property
    def units(self) -> FloatArray:
        multipliers = np.array([MULTIPLIERS[kind] for kind in self.instruments])
        units: FloatArray = self.quantities * multipliers
        return units

    @property
    def on_spx(self) -> bool:
        return self.instruments[0] == "SPX"

    @property
    def reference(self) -> FloatArray:
        """Today's level of the underlying: SPX, or the VIX future of the expiry."""
        return self.markets.spot if self.on_spx else self.markets.future(self.days)

    def take(self, rows: npt.NDArray[np.intp]) -> BatchPositions:
        """The same positions on the days `rows` (figures left out)."""
        return BatchPositions(
            self.structure,
            self.markets.take(rows),
            self.days[rows],
            self.instruments,
            self.signs,
            self.strikes[rows],
            self.quantities[rows],
            self.entry_prices[rows],
            self.buildable[rows],
            settle_offset=None if self.settle_offset is None else self.settle_offset[rows],
        )

    def position(self, row: int, count: int, as_of: date, rule: str) -> Position:
        """The per-day `Position` of `count` structures on the day `row`, as the builders
        make it (legs tagged with the opening rule as their layer)."""
        expiry = as_of + timedelta(days=int(self.days[row]))
        legs = []
        for leg, kind in enumerate(self.instruments):
            sign = float(self.signs[leg])
            option = sign != 0.0
            legs.append(
                Leg.model_validate(
                    {
                        "instrument": kind,
                        "right": ("c" if sign > 0 else "p") if option else None,
                        "strike": float(self.strikes[row, leg]) if option else None,
                        "expiry": expiry,
                        "quantity": int(self.quantities[row, leg]) * count,
                        "entry_price": float(self.entry_prices[row, leg]),
                        "layer": rule,
                        "opened_by": rule,
                    }
                )
            )
        return Position(name=POSITION_NAMES[self.structure], legs=tuple(legs), opened=as_of)

    def vol_breakeven(self) -> FloatArray:
        """`payoff.vol_breakeven` per day, solved on first use (it is the costly figure)."""
        if self._vol_breakeven is None:
            self._vol_breakeven = vol_breakevens(self.figures["credit"], self._value_after)
        return self._vol_breakeven

    def _value_after(self, rows: npt.NDArray[np.intp], shifts: FloatArray) -> FloatArray:
        """Value of the positions on `rows` after parallel SPX vol shifts (rows, k) in vp."""
        some = self.take(rows)
        table = leg_table(some, days_to_years(some.days, some.settle_offset), shifts)
        total: FloatArray = table["value"].sum(axis=-1)
        return total

    def all_figures(self) -> dict[str, FloatArray]:
        """Every FIGURES figure per day, the vol break-even included (a field the
        batch does not know yet reads as NaN, as in `position_fields`)."""
        known = {**self.figures, "vol_breakeven": self.vol_breakeven()}
        unknown = np.full(self.days.shape, np.nan)
        return {name: known.get(name, unknown) for name in FIGURES}


def build_structures(structure: str, markets: DayMarkets, terms: StructureTerms) -> BatchPositions:
    """`structure` (a name of `alvh_rules.lang.builtins.STRUCTURES`) on every day of `markets`."""
    instruments, signs, strikes, quantities, solvable = _legs(structure, markets, terms)
    t_years = days_to_years(terms.days, terms.settle_offset)
    buildable = solvable & np.all(np.isnan(strikes) == (signs == 0.0)[np.newaxis, :], axis=1)
    with np.errstate(invalid="ignore"):
        buildable &= np.all((strikes > 0) | (signs == 0.0)[np.newaxis, :], axis=1)
    futures = (signs == 0.0)[np.newaxis, :]
    entry = np.where(futures, terms.future_entry[:, np.newaxis], 0.0)
    batch = BatchPositions(
        structure, markets, terms.days, instruments, signs, strikes, quantities, entry, buildable
    )
    batch.settle_offset = terms.settle_offset
    table = leg_table(batch, t_years)
    with np.errstate(invalid="ignore", divide="ignore"):
        priced = np.maximum(table["value"] / batch.units, 0.0)  # the model price per unit
    batch.entry_prices = np.where(futures, entry, priced)
    batch.figures = _figures(batch, table)
    return batch


def _legs(
    structure: str, markets: DayMarkets, terms: StructureTerms
) -> tuple[tuple[str, ...], FloatArray, FloatArray, FloatArray, BoolArray]:
    """Instruments, signs, strikes (n, legs), signed quantities (n, legs), solvable (n,):
    the structure's `structure_legs.LAYOUTS` with its strikes solved for every day."""
    layout = LAYOUTS.get(structure)
    if layout is None:
        raise ValueError(f"unknown structure {structure}")
    base = terms.side * terms.quantity if structure in SIDED else terms.quantity
    if layout[0].instrument != "SPX":
        roles = {"strike": terms.strike, "high": terms.strike + terms.width}
        solvable = np.ones(markets.size, dtype=bool)
    elif structure in ("put", "call"):
        roles, solvable = _single_leg(structure, markets, terms)
    else:
        roles, solvable = _spx_roles(structure, markets, terms)
    missing = np.full(markets.size, np.nan)
    strikes = np.stack([roles.get(leg.role or "", missing) for leg in layout], axis=1)
    signs = np.array([0.0 if leg.right is None else RIGHT_SIGN[leg.right] for leg in layout])
    quantities = np.stack([leg.sign * base for leg in layout], axis=1)
    return tuple(leg.instrument for leg in layout), signs, strikes, quantities, solvable


RIGHT_SIGN: Final = {"c": 1.0, "p": -1.0}


def _spx_roles(
    structure: str, markets: DayMarkets, terms: StructureTerms
) -> tuple[dict[str, FloatArray], BoolArray]:
    """Every strike role of an SPX structure (`structure_legs.spx_strikes`) from the short
    strikes by delta, and whether every day's solves had a root."""
    n = markets.size
    missing = np.full(n, np.nan)
    put, call, solvable = missing, missing, np.ones(n, dtype=bool)
    if short_rights(structure):
        put, call, solvable = _short_strikes(structure, markets, terms)
    wing_put, wing_call = missing, missing
    if structure == "iron_condor" and terms.wing_delta is not None:
        by_delta = np.isfinite(terms.wing_delta)
        if by_delta.any():
            wings = dataclasses.replace(terms, delta=terms.wing_delta)
            found_put, found_call, wing_solvable = _short_strikes(structure, markets, wings)
            wing_put = np.where(by_delta, found_put, np.nan)
            wing_call = np.where(by_delta, found_call, np.nan)
            solvable = solvable & (wing_solvable | ~by_delta)
    roles = spx_strikes(
        structure,
        markets.spot,
        put,
        call,
        width=terms.width,
        outside=missing if terms.outside is None else terms.outside,
        wing_put=wing_put,
        wing_call=wing_call,
        delta=np.abs(terms.delta),
    )
    return roles, solvable


def _single_leg(
    structure: str, markets: DayMarkets, terms: StructureTerms
) -> tuple[dict[str, FloatArray], BoolArray]:
    """An SPX put or call at its written strike (on the grid) or, where none, by delta."""
    sign = -1.0 if structure == "put" else 1.0
    put, call, solvable = _short_strikes(
        "put_spread" if sign < 0 else "call_spread", markets, terms
    )
    written = np.isfinite(terms.strike)
    strike = np.where(written, spx_listed_strike(terms.strike), put if sign < 0 else call)
    return {"strike": strike}, solvable | written


def _short_strikes(
    structure: str, markets: DayMarkets, terms: StructureTerms
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Short put and call strikes by delta, rounded to the SPX listing increment (NaN where
    the structure has no such leg)."""
    n = markets.size
    t_years = days_to_years(terms.days, terms.settle_offset)
    wanted = tuple(RIGHT_SIGN[right] for right in short_rights(structure))
    doubled = len(wanted)
    solved = solve_strikes(
        markets.take(np.tile(np.arange(n), doubled)),
        np.tile(np.abs(terms.delta), doubled),
        np.repeat(np.array(wanted), n),
        np.tile(t_years, doubled),
    )
    rounded = spx_listed_strike(solved.strike)
    by_sign = {sign: rounded[i * n : (i + 1) * n] for i, sign in enumerate(wanted)}
    solvable = solved.bracketed.reshape(doubled, n).all(axis=0)
    solvable &= (np.abs(terms.delta) > 0) & (np.abs(terms.delta) < 1)
    missing = np.full(n, np.nan)
    return by_sign.get(-1.0, missing), by_sign.get(1.0, missing), solvable


def leg_table(
    batch: BatchPositions, t_years: FloatArray, vol_shift_vp: FloatArray | None = None
) -> dict[str, FloatArray]:
    """Dollar figures per day and leg (`valuation.leg_table` for a day's position, with no
    scenario). With `vol_shift_vp` (n, g) the value alone, per day, shift and leg."""
    markets = batch.markets
    shift = np.zeros((markets.size, 1)) if vol_shift_vp is None else vol_shift_vp
    lead = shift.shape
    columns = {name: np.zeros((*lead, len(batch.instruments))) for name in _TABLE}
    for leg, kind in enumerate(batch.instruments):
        if kind == "SPX":
            values = _spx_dollars(batch, leg, t_years, shift)
        elif kind == "VIX":
            values = _vix_dollars(batch, leg, t_years, shift)
        else:
            values = _future_dollars(batch, leg, shift)
        for name, column in values.items():
            columns[name][..., leg] = column
    if vol_shift_vp is None:
        return {name: column[:, 0, :] for name, column in columns.items()}
    return columns


_TABLE: Final = ("delta", "gamma", "vega", "theta", "vanna", "volga", "value")


def _spx_dollars(
    batch: BatchPositions, leg: int, t_years: FloatArray, shift: FloatArray
) -> dict[str, FloatArray]:
    markets = batch.markets
    spot = markets.spot[:, None]
    strike = batch.strikes[:, leg : leg + 1]
    units = batch.units[:, leg : leg + 1]
    sticky = strike * spot / spot  # valuation's sticky-moneyness strike at today's spot
    vol = markets.spx_vol(sticky, t_years) + shift * cv.VOL_POINT
    g = bsm(
        batch.signs[leg],
        spot,
        strike,
        t_years[:, None],
        vol,
        markets.rate[:, None],
        markets.div_yield[:, None],
    )
    return cv.spx_dollar_figures(units, g)


def _future_shift(markets: DayMarkets, shift: FloatArray) -> FloatArray:
    """The VIX futures move of a vol shift, through the betas (SPX level unchanged)."""
    spot = markets.spot[:, None]
    moved: FloatArray = markets.vix_vega_beta[:, None] * shift + markets.vix_delta_beta[:, None] * (
        spot - spot
    )
    return moved


def _vix_dollars(
    batch: BatchPositions, leg: int, t_years: FloatArray, shift: FloatArray
) -> dict[str, FloatArray]:
    markets = batch.markets
    strike = batch.strikes[:, leg : leg + 1]
    units = batch.units[:, leg : leg + 1]
    forward = markets.future(batch.days)[:, None] + _future_shift(markets, shift)
    vol = markets.vix_vol(strike, t_years)
    g = black76(batch.signs[leg], forward, strike, t_years[:, None], vol, markets.rate[:, None])
    beta_s = markets.vix_delta_beta[:, None]
    beta_v = markets.vix_vega_beta[:, None]
    return cv.vix_dollar_figures(units, g, beta_s, beta_v)


def _future_dollars(batch: BatchPositions, leg: int, shift: FloatArray) -> dict[str, FloatArray]:
    markets = batch.markets
    units = batch.units[:, leg : leg + 1]
    entry = batch.entry_prices[:, leg : leg + 1]
    forward = markets.future(batch.days)[:, None] + _future_shift(markets, shift)
    ones = np.ones(np.broadcast_shapes(forward.shape, units.shape))
    return {
        "delta": units * markets.vix_delta_beta[:, None] * ones,
        "vega": units * markets.vix_vega_beta[:, None] * ones,
        "value": units * (forward - entry),
    }


def _sum_legs(column: FloatArray) -> FloatArray:
    """Legs summed in order from 0.0, as `valuation.total` adds a position's leg risks."""
    result = np.zeros(column.shape[0])
    for leg in range(column.shape[1]):
        result = result + column[:, leg]
    return result


def _figures(batch: BatchPositions, table: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """Every FIGURES figure but the vol break-even (see `BatchPositions`); days_held 0."""
    figures = {name: _sum_legs(table[name]) for name in _TABLE}
    options = batch.signs != 0.0
    entry_value = _sum_legs(np.where(options, batch.units * batch.entry_prices, 0.0))
    figures["credit"] = 0.0 - entry_value
    figures["profit"] = figures["value"] - entry_value
    n = batch.markets.size
    figures["projected_payoff"] = np.full(n, np.nan)
    figures["roll_cost"] = np.full(n, np.nan)
    figures["contracts"] = np.abs(batch.quantities[:, 0])
    figures["dte"], figures["days_held"] = batch.days.astype(np.float64), np.zeros(n)
    figures.update(expiry_payoff_figures(batch, entry_value))
    figures["irr"] = cv.annualised_return(
        figures["max_profit"], figures["max_loss"], figures["dte"]
    )
    figures["expected_profit"] = (  # VIX at the mark, as `expected.expected_profit`
        expected_profit_days(batch, entry_value) if batch.on_spx else figures["profit"]
    )
    figures["expected_irr"] = cv.annualised_return(
        figures["expected_profit"], figures["max_loss"], figures["dte"]
    )
    return figures


__all__ = [
    "POSITION_NAMES",
    "BatchPositions",
    "StructureTerms",
    "build_structures",
    "leg_table",
]
