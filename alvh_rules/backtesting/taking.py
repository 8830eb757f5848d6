"""Taking one action: build its change (close, roll forward, roll out, resize, open), then
refuse it when it would breach a limit that the book did not already breach, or when it
raises the margin used above the equity (the free cash would be negative). A refused action
leaves a 'not taken' row in the trade log with the reason.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from alvh_rules.backtesting.actions import (
    Change,
    Pricing,
    close_holdings,
    legs_of,
    note_row,
    open_legs,
    rolled_forward,
)
from alvh_rules.backtesting.book import Holding, mid_prices
from alvh_rules.backtesting.margin import margin_used
from alvh_rules.backtesting.resizing import resize_holding
from alvh_rules.eval.decision import Action
from alvh_rules.eval.session import DayRun

if TYPE_CHECKING:
    from alvh_rules.backtesting.records import SimulationState


class ActionTaker:
    """Builds and checks the changes of one day's actions, in the order they are taken."""

    def __init__(self, sim: SimulationState, run: DayRun, pricing: Pricing, capital: float) -> None:
        self.sim, self.run, self.pricing, self.capital = sim, run, pricing, capital
        self.limits = _limit_margins(run)

    def take(self, action: Action, reason: str) -> Change:
        change = self.build(action, reason)
        if not change.refused and _trades(change):  # a resize to the held count trades nothing
            change.refused = self.check(change)
        if change.refused:
            rows = [
                note_row(
                    self.pricing.today, action.rule, _name(action), "not taken", change.refused
                )
            ]
            return Change(rows=rows, refused=change.refused)
        return change

    def build(self, action: Action, reason: str) -> Change:
        kind = action.kind
        if kind == "open":
            if not action.legs:
                return Change(refused=f"nothing to open: {action.note or 'no legs'}")
            legs, mids = legs_of(action)
            kind_of = self.sim.kinds.get(action.rule, "entry")
            name = self.sim.next_name(action.rule)
            return open_legs(legs, mids, action.rule, kind_of, name, self.pricing, "open", reason)
        targets = [h for h in self.sim.holdings if h.rule == action.target]
        if not targets:
            return Change(refused=f"no {action.target} position is held")
        if kind == "resize":
            return _resize(targets, action, self.pricing, reason)
        change = close_holdings(targets, self.pricing, _name(action), reason, action.rule)
        if change.refused or kind == "close":
            return change
        if kind == "roll_forward":
            days = self.sim.session.roll_days(self.run, action.rule)
            for holding in targets:
                rolled = rolled_forward(holding, days)
                rolled_mids = mid_prices(rolled, self.pricing.ctx) if rolled else None
                if rolled is None or rolled_mids is None:
                    return Change(refused=f"the rolled legs of {holding.name} cannot be priced")
                name = self.sim.next_name(holding.rule)
                change.merge(
                    open_legs(
                        rolled,
                        rolled_mids,
                        holding.rule,
                        holding.kind,
                        name,
                        self.pricing,
                        "roll_forward",
                        reason,
                        action.rule,
                    )
                )
            return change
        proposal = self.sim.session.proposal(self.run, action.target)  # roll out
        if proposal.position is None:
            return Change(refused=f"{action.target} opens nothing today: {proposal.reason}")
        legs = list(proposal.position.legs)
        name = self.sim.next_name(action.target)
        kind_of = self.sim.kinds.get(action.target, "entry")
        opened = open_legs(
            legs,
            [leg.entry_price for leg in legs],
            action.target,
            kind_of,
            name,
            self.pricing,
            "roll_out",
            reason,
            action.rule,
        )
        change.merge(opened)
        return change

    def check(self, change: Change) -> str:
        sim = self.sim
        after = _apply(sim.holdings, change)
        ctx = self.pricing.ctx
        before_margin = margin_used(sim.holdings, ctx)
        after_margin = margin_used(after, ctx)
        equity = sim.cash + change.cash - change.fees + sum(h.mark.value for h in after)
        if after_margin > before_margin and after_margin > equity:
            return (
                f"margin {after_margin:,.2f} $ would exceed the equity {equity:,.2f} $ "
                f"(free cash {equity - before_margin:,.2f} $ before the action)"
            )
        if not sim.has_limits:
            return ""
        margins = sim.session.limit_states(
            self.run, sim.portfolio(after, self.capital), self.capital, sim.risk_budget
        )
        for name, (state, margin) in margins.items():
            old_state, old_margin = self.limits.get(name, ("held", math.inf))
            worse = old_state != "breached" or margin < old_margin
            if state == "breached" and worse:
                return f"limit {name} would be breached (margin {margin:g})"
        self.limits = margins
        return ""


def _trades(change: Change) -> bool:
    return bool(change.rows or change.added or change.removed or change.replaced)


def _resize(targets: list[Holding], action: Action, pricing: Pricing, reason: str) -> Change:
    if len(targets) > 1:
        return Change(
            refused=f"{len(targets)} {action.target} positions are held: resize acts on one"
        )
    return resize_holding(targets[0], action, pricing, reason)


def _apply(holdings: list[Holding], change: Change) -> list[Holding]:
    gone = {id(h) for h in (*change.removed, *change.replaced)}
    return [h for h in holdings if id(h) not in gone] + change.added


def _limit_margins(run: DayRun) -> dict[str, tuple[str, float]]:
    out: dict[str, tuple[str, float]] = {}
    for outcome in run.decision.rules if run.decision is not None else []:
        if outcome.limit is not None:
            margin = outcome.limit.margin
            out[outcome.name] = (outcome.state, math.nan if margin is None else margin)
    return out


def _name(action: Action) -> str:
    return action.kind
