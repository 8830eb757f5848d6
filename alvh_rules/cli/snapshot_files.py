"""Snapshot and portfolio files for `alvh eval --snapshot/--portfolio`: read, validated, and
checked for what the models allow but a decision must not use (infinite or negative prices,
positions already expired on the snapshot's day, capital that is not a positive amount).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from alvh_rules.cli.inputs import CliError, read_json, validation_message

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


def read_snapshot(path: str) -> MarketSnapshot:
    """A MarketSnapshot JSON file (as `MarketSnapshot.model_dump_json()` writes it)."""
    from pydantic import ValidationError

    from alvh_rules.market.snapshot import MarketSnapshot

    payload = read_json(path, "--snapshot")
    if not isinstance(payload, dict):
        raise CliError(f"--snapshot {path}: expected a JSON object, got {type(payload).__name__}")
    try:
        snapshot = MarketSnapshot.model_validate(payload)
    except ValidationError as error:
        raise CliError(validation_message(error, "--snapshot", path)) from None
    _check_series(snapshot, path)
    _check_amounts(snapshot.capital, snapshot.risk_budget, f"--snapshot {path}")
    if snapshot.portfolio is not None:
        require_live_portfolio(snapshot.portfolio, snapshot.today, f"--snapshot {path}: portfolio")
    return snapshot


def _check_series(snapshot: MarketSnapshot, path: str) -> None:
    import numpy as np

    from alvh_rules.lang.catalog import MARKET_FIELDS

    if len(snapshot.dates) == 0:
        raise CliError(f"--snapshot {path}: dates is empty: a snapshot needs at least one day")
    _check_dates(snapshot, path)
    missing = [name for name in MARKET_FIELDS if name not in snapshot.series_values]
    if missing:
        raise CliError(
            f"--snapshot {path}: series_values.{missing[0]} is missing: every market field "
            "needs a series (all null when unknown)"
        )
    unknown = [name for name in snapshot.series_values if name not in MARKET_FIELDS]
    if unknown:
        raise CliError(f"--snapshot {path}: series_values.{unknown[0]} is not a market field")
    for name, values in snapshot.series_values.items():
        if len(values) != len(snapshot.dates):
            raise CliError(
                f"--snapshot {path}: series_values.{name} has {len(values)} values "
                f"for {len(snapshot.dates)} dates"
            )
        infinite = np.flatnonzero(np.isinf(values))
        with np.errstate(invalid="ignore"):
            not_positive = np.flatnonzero(values <= 0) if name in PRICE_FIELDS else infinite[:0]
        for bad, rule in ((infinite, "must be finite"), (not_positive, "must be positive")):
            if len(bad):
                position = int(bad[0])
                where = f"series_values.{name}[{position}] ({snapshot.dates[position]})"
                kind = "a value" if rule == "must be finite" else "a price"
                raise CliError(
                    f"--snapshot {path}: {where} = {values[position]:g}: "
                    f"{kind} {rule} (null when missing)"
                )
        _check_plausible(snapshot, name, path)


def _check_dates(snapshot: MarketSnapshot, path: str) -> None:
    """Dates strictly increasing: the last one is the day evaluated, so a reversed or repeated
    list would silently evaluate another day."""
    import numpy as np

    dates = snapshot.dates
    steps = np.flatnonzero(dates[1:] <= dates[:-1])
    if len(steps):
        at = int(steps[0]) + 1
        what = "repeats" if dates[at] == dates[at - 1] else "comes before"
        raise CliError(
            f"--snapshot {path}: dates[{at}] = {dates[at]} {what} dates[{at - 1}] = "
            f"{dates[at - 1]}: dates must be strictly increasing (the last one is today)"
        )


def _check_plausible(snapshot: MarketSnapshot, name: str, path: str) -> None:
    """A finite value outside the field's documented range (catalog.PLAUSIBLE_RANGES) is a bad
    print: refused with its place, as the loaders set it aside."""
    import numpy as np

    from alvh_rules.lang.catalog import PLAUSIBLE_RANGES

    values = snapshot.series_values[name]
    low, high = PLAUSIBLE_RANGES[name]
    with np.errstate(invalid="ignore"):
        outside = np.flatnonzero(np.isfinite(values) & ((values < low) | (values > high)))
    if len(outside):
        position = int(outside[0])
        raise CliError(
            f"--snapshot {path}: series_values.{name}[{position}] ({snapshot.dates[position]}) "
            f"= {values[position]:g}: outside the plausible range {low:g}..{high:g} of {name} "
            "(null when missing)"
        )


def _check_amounts(capital: float | None, risk_budget: float | None, where: str) -> None:
    if capital is not None and not (math.isfinite(capital) and capital > 0):
        raise CliError(f"{where}: capital = {capital}: must be a positive number of dollars")
    if risk_budget is not None and not (math.isfinite(risk_budget) and risk_budget >= 0):
        raise CliError(f"{where}: risk_budget = {risk_budget}: must be dollars >= 0")


def read_portfolio(path: str, as_of: dt.date) -> Portfolio:
    """A Portfolio JSON file (layout in README, `alvh eval --portfolio`), live on `as_of`."""
    from pydantic import ValidationError

    from alvh_rules.cli.portfolio_file import with_right_letters
    from alvh_rules.greeks.legs import Portfolio

    payload: Any = with_right_letters(read_json(path, "--portfolio"))
    try:
        portfolio = Portfolio.model_validate(payload, context={"as_of": as_of})
    except ValidationError as error:
        raise CliError(validation_message(error, "--portfolio", path)) from None
    return portfolio


def require_live_portfolio(portfolio: Portfolio, as_of: dt.date, where: str) -> None:
    """Refuse a position with a leg that expired before the day evaluated."""
    for position_index, position in enumerate(portfolio.positions):
        for leg_index, leg in enumerate(position.legs):
            if leg.expiry < as_of:
                raise CliError(
                    f"{where}: positions.{position_index}.legs.{leg_index}.expiry = "
                    f"{leg.expiry}: position {position.name!r} expired before {as_of}"
                )
