"""What a `MarketSnapshot`'s model accepts but no decision may read: a missing or unknown
series, dates out of order (the last one is the day evaluated), infinite or implausible
values, capital that is not a positive amount, a position that expired before the day.

`alvh eval --snapshot` (cli/snapshot_files.py) and `evaluate` from Python refuse the same
snapshots through these functions; each returns the first problem, naming the field, the
place and the value, or None.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import numpy as np

from alvh_rules.lang.catalog import MARKET_FIELDS, PLAUSIBLE_RANGES

if TYPE_CHECKING:
    from alvh_rules.greeks.legs import Portfolio
    from alvh_rules.market.snapshot import MarketSnapshot

# Prices that are never zero or negative (the loaders set such prints aside the same way).
PRICE_FIELDS: tuple[str, ...] = (
    "spx",
    "spx_open",
    "spx_high",
    "spx_low",
    "vix",
    "vix_open",
    "vix_high",
    "vix_low",
    "vix9d",
    "vix3m",
    "vvix",
    "vix_f1",
    "vix_f2",
)


def snapshot_problem(snapshot: MarketSnapshot) -> str | None:
    """The first thing in the snapshot a decision must not read, or None."""
    if len(snapshot.dates) == 0:
        return "dates is empty: a snapshot needs at least one day"
    problem = _dates_problem(snapshot)
    missing = [name for name in MARKET_FIELDS if name not in snapshot.series_values]
    if problem is None and missing:
        problem = (
            f"series_values.{missing[0]} is missing: every market field needs a series "
            "(all null when unknown)"
        )
    unknown = [name for name in snapshot.series_values if name not in MARKET_FIELDS]
    if problem is None and unknown:
        problem = f"series_values.{unknown[0]} is not a market field"
    for name in snapshot.series_values:
        problem = problem or _series_problem(snapshot, name)
    return problem or account_problem(snapshot.capital, snapshot.risk_budget)


def _dates_problem(snapshot: MarketSnapshot) -> str | None:
    """Dates strictly increasing: the last one is the day evaluated, so a reversed or repeated
    list would silently evaluate another day."""
    dates = np.asarray(snapshot.dates, dtype="datetime64[D]")
    steps = np.flatnonzero(dates[1:] <= dates[:-1])
    if not len(steps):
        return None
    at = int(steps[0]) + 1
    what = "repeats" if dates[at] == dates[at - 1] else "comes before"
    return (
        f"dates[{at}] = {dates[at]} {what} dates[{at - 1}] = {dates[at - 1]}: "
        "dates must be strictly increasing (the last one is today)"
    )


def _series_problem(snapshot: MarketSnapshot, name: str) -> str | None:
    try:  # model_copy(update=...) skips validation: a plain list may stand here
        values = np.asarray(snapshot.series_values[name], dtype=np.float64)
    except (TypeError, ValueError):
        return f"series_values.{name} is not a list of numbers (null when missing)"
    if values.ndim != 1 or len(values) != len(snapshot.dates):
        return f"series_values.{name} has {len(values)} values for {len(snapshot.dates)} dates"
    infinite = np.flatnonzero(np.isinf(values))
    with np.errstate(invalid="ignore"):
        not_positive = np.flatnonzero(values <= 0) if name in PRICE_FIELDS else infinite[:0]
    rules = ((infinite, "a value must be finite"), (not_positive, "a price must be positive"))
    for bad, rule in rules:
        if len(bad):
            at = int(bad[0])
            where = f"series_values.{name}[{at}] ({snapshot.dates[at]})"
            return f"{where} = {values[at]:g}: {rule} (null when missing)"
    # A finite value outside the field's documented range is a bad print, refused with its
    # place as the loaders set it aside.
    low, high = PLAUSIBLE_RANGES[name]
    with np.errstate(invalid="ignore"):
        outside = np.flatnonzero(np.isfinite(values) & ((values < low) | (values > high)))
    if len(outside):
        at = int(outside[0])
        return (
            f"series_values.{name}[{at}] ({snapshot.dates[at]}) = {values[at]:g}: outside the "
            f"plausible range {low:g}..{high:g} of {name} (null when missing)"
        )
    return None


def account_problem(capital: float | None, risk_budget: float | None) -> str | None:
    if capital is not None and not (math.isfinite(capital) and capital > 0):
        return f"capital = {capital}: must be a positive number of dollars"
    if risk_budget is not None and not (math.isfinite(risk_budget) and risk_budget >= 0):
        return f"risk_budget = {risk_budget}: must be dollars >= 0"
    return None


def expired_leg(portfolio: Portfolio, as_of: dt.date) -> str | None:
    """The first leg of the portfolio that expired before `as_of`, named by its place."""
    for position_index, position in enumerate(portfolio.positions):
        for leg_index, leg in enumerate(position.legs):
            if leg.expiry < as_of:
                return (
                    f"positions.{position_index}.legs.{leg_index}.expiry = {leg.expiry}: "
                    f"position {position.name!r} expired before {as_of}"
                )
    return None


def refusal(snapshot: MarketSnapshot) -> str | None:
    """The first thing in a snapshot no decision may read (its series and dates, then its
    portfolio's legs), or None: what `alvh eval --snapshot` and `evaluate` both refuse."""
    problem = snapshot_problem(snapshot)
    if problem is None and snapshot.portfolio is not None:
        leg = expired_leg(snapshot.portfolio, snapshot.today)
        problem = leg and f"portfolio: {leg}"
    return problem
