"""The margin call: at the close, after the ruleset's actions, a book whose margin used
exceeds its equity (the market moved against an undefined-risk position: a naked put, a
strangle) is cut as a broker would cut it. Whole positions are closed at the close's fills
(the model's mid less slippage, plus commission and fees), the largest requirement first,
until the margin used is within the equity or nothing that can be priced is left. The
trade log names the rule `margin call` with the figures that made the call; the P&L stays
with the rule that opened each position.
"""

from __future__ import annotations

from alvh_rules.backtesting.actions import Change, Pricing, close_holdings
from alvh_rules.backtesting.book import Holding
from alvh_rules.backtesting.margin import margin_used, requirement

MARGIN_CALL = "margin call"


def margin_call(holdings: list[Holding], cash: float, pricing: Pricing) -> list[Change]:
    """The closes that bring the margin of `holdings` within the equity (cash plus their
    marks), in the order they are taken; none when it fits or nothing can be priced."""
    ctx = pricing.ctx
    if isinstance(ctx, str):  # nothing can be priced today: the book stays as it is
        return []
    book = list(holdings)
    unpriced: set[int] = set()
    changes: list[Change] = []
    while True:
        used = margin_used(book, ctx)
        equity = cash + sum(h.mark.value for h in book)
        closable = [h for h in book if id(h) not in unpriced]
        if used <= equity or not closable:
            return changes
        largest = max(closable, key=lambda h: requirement(h, ctx))
        reason = (
            f"margin call: margin used {used:,.2f} $ exceeds the equity {equity:,.2f} $; "
            f"{largest.name} reserves the most ({requirement(largest, ctx):,.2f} $)"
        )
        change = close_holdings([largest], pricing, "close", reason, MARGIN_CALL)
        if change.refused:  # it cannot be priced today: the next largest is closed instead
            unpriced.add(id(largest))
            continue
        changes.append(change)
        cash += change.cash - change.fees  # as the simulation's commit takes it
        book.remove(largest)
