"""How many structures an `open` is sized to (by risk, vega or as written, cut by a cost cap
or a limit), one day or many, with the words the reasons show; and the figures of n
structures and of a portfolio with a proposal stacked on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from alvh_rules.eval.logic import FloatArray
from alvh_rules.greeks.conventions import annualised_return
from alvh_rules.lang.catalog import PORTFOLIO_SUMS, POSITION_FIELDS

IntArray = np.ndarray[Any, np.dtype[np.intp]]


def as_written(count: int) -> str:
    return f"{count} contract{'s' if count != 1 else ''} as written"


def size_contracts(mode: str, amount: float, one: Mapping[str, float]) -> tuple[int, str]:
    """How many structures a sizing clause asks for, given the figures of one structure."""
    if not math.isfinite(amount):
        return 0, "the sizing amount is unknown"
    if mode == "contracts":
        return max(int(amount), 0), as_written(int(amount))
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
    conservative bound: it assumes every position can lose at once); irr follows from them,
    and expected_irr from the summed expected profits over that loss."""
    out = {name: portfolio.get(name, 0.0) + proposal.get(name, 0.0) for name in POSITION_FIELDS}
    profits = [f.get("max_profit", math.nan) for f in held.values()] + [
        proposal.get("max_profit", math.nan)
    ]
    losses = [f.get("max_loss", math.nan) for f in held.values()] + [
        proposal.get("max_loss", math.nan)
    ]
    # An unbounded or unknown loss anywhere leaves the stack's maximum loss unknown too.
    out["max_profit"], out["max_loss"] = float(np.sum(profits)), float(np.sum(losses))
    expected = [f.get("expected_profit", math.nan) for f in held.values()]
    out["expected_profit"] = float(np.sum([*expected, proposal.get("expected_profit", math.nan)]))
    dte = proposal.get("dte", math.nan)
    out["irr"] = annualised_return(out["max_profit"], out["max_loss"], dte)
    out["expected_irr"] = annualised_return(out["expected_profit"], out["max_loss"], dte)
    out["dte"] = dte
    # The stack's youngest position is the proposal, opened today: 0 days held, whatever
    # the held ones' (an unknown one is still 0 days or more). Unknown with the proposal.
    out["days_held"] = proposal.get("days_held", math.nan)
    for name in ("breakeven_low", "breakeven_high", "vol_breakeven"):
        out[name] = proposal.get(name, math.nan)
    return out


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
        return as_written(int(amount))
    if case == BY_RISK:
        return size_contracts("risk", amount, one)[1]
    if case == BY_VEGA:
        return size_contracts("vega", amount, one)[1]
    mode = {AMOUNT_UNKNOWN: "risk", LOSS_UNKNOWN: "risk", VEGA_UNKNOWN: "vega"}[case]
    return size_contracts(mode, math.nan if case == AMOUNT_UNKNOWN else amount, one)[1]


# What scales with the number of structures: the portfolio's sums and the dollar extremes.
ADDITIVE_FIGURES = frozenset(
    {*PORTFOLIO_SUMS, "max_profit", "max_loss", "roll_cost", "projected_payoff", "expected_profit"}
)


def contracts_within(margin: FloatArray, per_contract: FloatArray, op: str) -> FloatArray:
    """How many structures keep a limit held: `margin` is how far the limit is from breaching
    today (positive is safe), `per_contract` one structure's figure of the limit's portfolio
    sum, `op` the limit's comparison with that sum on its left. Infinite where adding
    structures moves the sum away from the bound; NaN where either is unknown."""
    slope = per_contract if op in (">", ">=") else -per_contract
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = margin / -slope
        room = np.floor(exact + 1e-9)
        if op in (">", "<"):  # a strict limit: landing on the bound breaches it
            room = np.where(np.abs(exact - np.round(exact)) <= 1e-9, np.round(exact) - 1, room)
    room = np.where(slope >= 0, np.inf, np.maximum(room, 0.0))
    return np.where(np.isfinite(margin) & np.isfinite(per_contract), room, np.nan)


def cap_text(sizing: str, limit: str, count: int) -> str:
    """The sizing words with the cap a limit set (or why it could not be set)."""
    if count < 0:
        return f"{sizing}; the room within {limit} is unknown"
    return f"{sizing}; within {limit}: {count}"


def cost_cut(count: FloatArray, limit: FloatArray, credit: FloatArray) -> FloatArray:
    """`size ... costing at most LIMIT`: the count cut to what LIMIT pays for at one
    structure's entry debit (-credit; a credit or a future costs nothing, so no cut); -1
    where the limit or the debit is unknown. A count of 0 or less is left as it is."""
    room = contracts_within(limit, -credit, "<=")
    cut = (count > 0) & ((room < count) | np.isnan(room))
    return np.where(cut, np.where(np.isnan(room), -1.0, room), count)


def cost_text(sizing: str, limit: float, count: int) -> str:
    """The sizing words with the cut a cost cap made (or why it could not be made)."""
    if count >= 0:
        return f"{sizing}; costing at most {limit:,.0f}$: {count}"
    if not math.isfinite(limit):
        return f"{sizing}; the cost cap (`costing at most`) is unknown"
    return f"{sizing}; one structure's cost is unknown, so `costing at most` cannot cut it"
