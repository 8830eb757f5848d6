"""Snapshot and portfolio files for `alvh eval --snapshot/--portfolio`: read, validated, and
checked for what the models allow but a decision must not use (infinite or negative prices,
positions already expired on the snapshot's day, capital that is not a positive amount).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from alvh_rules.cli.inputs import CliError, read_json, validation_message

if TYPE_CHECKING:
    from alvh_rules.greeks.legs import Portfolio
    from alvh_rules.market.snapshot import MarketSnapshot


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
    from alvh_rules.market.snapshot_checks import refusal

    problem = refusal(snapshot)
    if problem is not None:
        raise CliError(f"--snapshot {path}: {problem}")
    return snapshot


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
