"""What one action of a decision does to the book: the holdings it removes and adds, its cash
and fees, and the trade-log rows of its fills. Nothing is changed here: the engine checks
margin and limits on the result before it takes the change.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from alvh_rules.backtesting.book import (
    Holding,
    closing_cash,
    leg_cash,
    mark_of,
    mid_prices,
)
from alvh_rules.backtesting.costs import Costs
from alvh_rules.backtesting.margin import reserve_at_open
from alvh_rules.eval.decision import Action
from alvh_rules.greeks.legs import Leg, Position


@dataclass
class Change:
    """The effect of an action, or why it cannot be taken (`refused`)."""

    removed: list[Holding] = field(default_factory=list)
    added: list[Holding] = field(default_factory=list)
    # holdings swapped for a resized copy in `added`: gone from the book, but not closed
    replaced: list[Holding] = field(default_factory=list)
    cash: float = 0.0  # premiums and futures gains, fees excluded
    fees: float = 0.0
    rows: list[dict[str, Any]] = field(default_factory=list)
    refused: str = ""
    flows: dict[str, float] = field(default_factory=dict)  # cash by rule, fees excluded
    fees_by_rule: dict[str, float] = field(default_factory=dict)
    closing: dict[str, float] = field(default_factory=dict)  # cash less fees by holding closed

    def flows_of(self, holding: Holding) -> float:
        return self.closing.get(holding.name, 0.0)

    def add(self, rule: str, cash: float, fees: float) -> None:
        self.cash += cash
        self.fees += fees
        self.flows[rule] = self.flows.get(rule, 0.0) + cash
        self.fees_by_rule[rule] = self.fees_by_rule.get(rule, 0.0) + fees

    def merge(self, other: Change) -> None:
        """Both changes as one (a roll: the close, then the reopening)."""
        self.removed += other.removed
        self.added += other.added
        self.replaced += other.replaced
        self.rows += other.rows
        self.refused = self.refused or other.refused
        self.closing.update(other.closing)
        for rule, cash in other.flows.items():
            self.add(rule, cash, other.fees_by_rule.get(rule, 0.0))
        for rule, fees in other.fees_by_rule.items():
            if rule not in other.flows:
                self.add(rule, 0.0, fees)


@dataclass
class Pricing:
    """The day's prices for trading: the Greeks core's context and the costs."""

    today: dt.date
    ctx: Any
    costs: Costs


def close_holdings(
    holdings: list[Holding], pricing: Pricing, action: str, reason: str, acted_by: str = ""
) -> Change:
    """Sell back every leg of `holdings` at its model mid less slippage (`acted_by`: the
    rule the trade log names, the holding's own rule when empty)."""
    change = Change()
    for holding in holdings:
        mids = mid_prices(holding.position.legs, pricing.ctx)
        if mids is None:
            return Change(refused=f"{holding.name} cannot be priced on {pricing.today}")
        for leg, mid in zip(holding.position.legs, mids, strict=True):
            price = pricing.costs.fill_price(
                mid, -leg.quantity, leg.multiplier, option=leg.is_option
            )
            cash = closing_cash(leg, price)
            fees = pricing.costs.charges(leg.quantity)
            change.add(holding.rule, cash, fees)
            change.closing[holding.name] = change.closing.get(holding.name, 0.0) + cash - fees
            change.rows.append(
                trade_row(
                    pricing.today,
                    holding,
                    action,
                    leg,
                    -leg.quantity,
                    price,
                    mid,
                    fees,
                    cash,
                    reason,
                    "close",
                    acted_by,
                )
            )
        change.removed.append(holding)
    return change


def open_legs(
    legs: list[Leg],
    mids: list[float],
    rule: str,
    kind: str,
    name: str,
    pricing: Pricing,
    action: str,
    reason: str,
    acted_by: str = "",
) -> Change:
    """Buy and sell `legs` (quantities signed) at mids plus slippage, as holding `name` of
    `rule` (`acted_by`: the rule the trade log names when another one acted, a roll)."""
    change = Change()
    filled = []
    for leg, mid in zip(legs, mids, strict=True):
        price = pricing.costs.fill_price(mid, leg.quantity, leg.multiplier, option=leg.is_option)
        filled.append(
            leg.model_copy(update={"entry_price": price, "opened_by": rule, "layer": rule})
        )
    # A new position opens today, a roll's too (closed and reopened: its days held restart).
    position = Position(name=name, legs=tuple(filled), opened=pricing.today)
    holding = Holding(position, rule, kind, pricing.today, reserve_at_open(position, pricing.ctx))
    mark = mark_of(holding, pricing.ctx)
    if mark is None:
        return Change(refused=f"{name} cannot be valued on {pricing.today}")
    holding.mark = mark
    for leg, mid in zip(filled, mids, strict=True):
        cash = leg_cash(leg, leg.entry_price)
        fees = pricing.costs.charges(leg.quantity)
        change.add(rule, cash, fees)
        holding.cash += cash - fees
        change.rows.append(
            trade_row(
                pricing.today,
                holding,
                action,
                leg,
                leg.quantity,
                leg.entry_price,
                mid,
                fees,
                cash,
                reason,
                acted_by=acted_by,
            )
        )
    holding.credit = max(change.cash, 0.0)
    change.added.append(holding)
    return change


def legs_of(action: Action) -> tuple[list[Leg], list[float]]:
    """The Greeks core's legs of an `open` action and the mids it was priced at."""
    legs = [
        Leg(
            instrument=leg.instrument,
            right=leg.right,
            strike=leg.strike,
            expiry=dt.date.fromisoformat(leg.expiry),
            quantity=leg.quantity,
            entry_price=max(leg.price, 0.0) if leg.instrument != "VX" else leg.price,
        )
        for leg in action.legs
    ]
    return legs, [float(leg.price) for leg in action.legs]


def rolled_forward(holding: Holding, days: float) -> list[Leg] | None:
    """The holding's legs with every expiry moved `days` later (same strikes), unsized."""
    if not math.isfinite(days) or days <= 0:
        return None
    shift = dt.timedelta(days=round(days))
    return [
        leg.model_copy(update={"expiry": leg.expiry + shift, "entry_price": leg.entry_price})
        for leg in holding.position.legs
    ]


def trade_row(
    day: dt.date,
    holding: Holding,
    action: str,
    leg: Leg,
    quantity: int,
    price: float,
    mid: float,
    fees: float,
    cash: float,
    reason: str,
    effect: str = "open",
    acted_by: str = "",
) -> dict[str, Any]:
    """A fill of one leg; `effect` is open, close or settle. `rule`: the rule that acted
    (`acted_by`: a roll rule closing or rolling a position), else the position's own."""
    return {
        "date": day.isoformat(),
        "position": holding.name,
        "rule": acted_by or holding.rule,
        "action": action,
        "status": "filled",
        "effect": effect,
        "instrument": leg.instrument,
        "expiry": leg.expiry.isoformat(),
        "strike": leg.strike if leg.strike is not None else math.nan,
        "right": leg.right or "",
        "quantity": quantity,
        "price": price,
        "mid": mid,
        "fees": fees,
        "cash": cash,
        "reason": reason,
    }


def note_row(day: dt.date, rule: str, action: str, status: str, reason: str) -> dict[str, Any]:
    """A trade-log row without a fill: an action not taken, and why."""
    return {
        "date": day.isoformat(),
        "position": "",
        "rule": rule,
        "action": action,
        "status": status,
        "effect": "",
        "instrument": "",
        "expiry": "",
        "strike": math.nan,
        "right": "",
        "quantity": 0,
        "price": math.nan,
        "mid": math.nan,
        "fees": 0.0,
        "cash": 0.0,
        "reason": reason,
    }
