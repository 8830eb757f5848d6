"""A `resize`: the held position brought to a new contract count by trading only the
difference on its own legs (same strikes, expiries and rights): the shortfall bought (effect
"open") or the excess sold back (effect "close", a partial close), each leg at its model mid
plus or minus slippage, with commission and fees per contract traded.

The holding keeps its name, its opening day and its P&L so far: it is replaced by a copy
with the new quantities (`Change.replaced`), not closed, so the closed-trade table does not
count a resize as a trade. Added contracts average into the legs' entry prices (a future's
gain and an option's credit are then measured from the average); sold ones leave them as
they are. The reserve of a defined-risk position is its maximum loss again at the new size.
"""

from __future__ import annotations

from dataclasses import replace

from alvh_rules.backtesting.actions import Change, Pricing, close_holdings, trade_row
from alvh_rules.backtesting.book import Holding, closing_cash, leg_cash, mark_of, mid_prices
from alvh_rules.backtesting.margin import reserve_at_open
from alvh_rules.eval.decision import Action
from alvh_rules.greeks.legs import Leg, Position


def resize_holding(holding: Holding, action: Action, pricing: Pricing, reason: str) -> Change:
    """The change that brings `holding` to `action.contracts` (nothing when it is there)."""
    held = abs(holding.position.legs[0].quantity)
    new = action.contracts
    if new == held:
        return Change()  # nothing to trade: no fill, no row
    if new <= 0:
        return close_holdings([holding], pricing, "resize", reason, action.rule)
    legs = holding.position.legs
    if any(leg.quantity % held for leg in legs):
        return Change(refused=f"the legs of {holding.name} are not whole multiples of {held}")
    mids = mid_prices(legs, pricing.ctx)
    if mids is None:
        return Change(refused=f"{holding.name} cannot be priced on {pricing.today}")
    change = Change()
    resized: list[Leg] = []
    traded_cash = 0.0
    for leg, mid in zip(legs, mids, strict=True):
        traded = leg.quantity // held * (new - held)  # signed: + buys, - sells
        price = pricing.costs.fill_price(mid, traded, leg.multiplier, option=leg.is_option)
        adding = abs(leg.quantity + traded) > abs(leg.quantity)
        part = leg.model_copy(update={"quantity": traded if adding else -traded})
        cash = leg_cash(part, price) if adding else closing_cash(part, price)
        fees = pricing.costs.charges(traded)
        change.add(holding.rule, cash, fees)
        traded_cash += cash - fees
        resized.append(_resized_leg(leg, traded, price, adding))
        change.rows.append(
            trade_row(
                pricing.today,
                holding,
                "resize",
                leg,
                traded,
                price,
                mid,
                fees,
                cash,
                reason,
                "open" if adding else "close",
                action.rule,
            )
        )
    return _replaced(holding, resized, change, traded_cash, new / held, pricing)


def _resized_leg(leg: Leg, traded: int, price: float, adding: bool) -> Leg:
    quantity = leg.quantity + traded
    if not adding:
        return leg.model_copy(update={"quantity": quantity})
    average = (leg.entry_price * abs(leg.quantity) + price * abs(traded)) / abs(quantity)
    return leg.model_copy(update={"quantity": quantity, "entry_price": max(average, 0.0)})


def _replaced(
    holding: Holding,
    legs: list[Leg],
    change: Change,
    traded_cash: float,
    ratio: float,
    pricing: Pricing,
) -> Change:
    """`change` with `holding` swapped for its copy on `legs` (marked today)."""
    # The same position, more or fewer contracts: it keeps its opening day (days held).
    position = Position(name=holding.name, legs=tuple(legs), opened=holding.opened)
    credit = holding.credit * ratio if ratio < 1 else holding.credit + max(change.cash, 0.0)
    copy = replace(
        holding,
        position=position,
        reserve=reserve_at_open(position, pricing.ctx),
        cash=holding.cash + traded_cash,
        credit=credit,
        carried=False,
    )
    mark = mark_of(copy, pricing.ctx)
    if mark is None:
        return Change(refused=f"{holding.name} cannot be valued on {pricing.today}")
    copy.mark = mark
    change.replaced.append(holding)
    change.added.append(copy)
    return change
