"""Expiry: legs whose settlement session has come are settled at the settlement value of
alvh_rules.market.settlement (cash: an option's intrinsic value, a future's gain since
entry); a position keeps its other legs. No fees are charged on cash settlement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from alvh_rules.backtesting.actions import trade_row
from alvh_rules.backtesting.book import Holding, closing_cash
from alvh_rules.market.settlement import (
    payoff,
    row_on_or_before,
    settlement_price,
    settlement_session,
)


@dataclass
class Settled:
    kept: list[Holding] = field(default_factory=list)
    cash: float = 0.0
    flows: dict[str, float] = field(default_factory=dict)  # by rule
    rows: list[dict[str, Any]] = field(default_factory=list)
    closed: list[Holding] = field(default_factory=list)  # every leg settled
    substitutes: int = 0


def settle_due(
    holdings: list[Holding],
    dates: pd.DatetimeIndex,
    columns: dict[str, Any],
    index: int,
    today: dt.date,
) -> Settled:
    """Settle every leg whose settlement session is on or before `today` (row `index`)."""
    out = Settled()
    for holding in holdings:
        due = [leg for leg in holding.position.legs if settlement_session(leg.expiry) <= today]
        if not due:
            out.kept.append(holding)
            continue
        for leg in due:
            session = settlement_session(leg.expiry)
            row = max(row_on_or_before(dates, session), 0)
            found = settlement_price(
                leg.instrument, leg.expiry, row, columns, session, dates[row].date()
            )
            if found.substitute:
                out.substitutes += 1
            value = payoff(leg.right, leg.strike, found.price)
            if value != value:  # NaN: nothing known at all; the leg expires worthless, said so
                value = 0.0 if leg.is_option else leg.entry_price
            cash = closing_cash(leg, value)
            out.cash += cash
            holding.cash += cash
            out.flows[holding.rule] = out.flows.get(holding.rule, 0.0) + cash
            reason = f"settled at {found.price:.4f} ({found.source})"
            out.rows.append(
                trade_row(
                    today,
                    holding,
                    "settle",
                    leg,
                    -leg.quantity,
                    value,
                    value,
                    0.0,
                    cash,
                    reason,
                    "settle",
                )
            )
        rest = tuple(leg for leg in holding.position.legs if leg not in due)
        if rest:
            holding.position = holding.position.model_copy(update={"legs": rest})
            out.kept.append(holding)
        else:
            out.closed.append(holding)
    return out
