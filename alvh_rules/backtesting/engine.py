"""The simulation: one decision per trading day at the close, evaluated with the portfolio
held that day, and its actions taken in order (rolls and closes, then entries, then layers).

A day, in order: cash earns the T-bill rate since the last close; legs due settle; held
positions are marked at the close; the ruleset decides with them; each action is taken
unless it would breach a limit or need more margin than the free cash (the trade log says
why); a margin call cuts a book whose margin exceeds its equity (margin_call.py); the day's
row is written.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from alvh_rules.backtesting import book
from alvh_rules.backtesting.actions import Change, Pricing, note_row
from alvh_rules.backtesting.book import Holding
from alvh_rules.backtesting.day import DayBook
from alvh_rules.backtesting.interest import growth
from alvh_rules.backtesting.margin_call import margin_call
from alvh_rules.backtesting.reasons import acting_reason
from alvh_rules.backtesting.records import Records, Settings
from alvh_rules.backtesting.settle import settle_due
from alvh_rules.backtesting.taking import ActionTaker
from alvh_rules.eval.positions import stress_scenario
from alvh_rules.eval.session import EvaluationSession
from alvh_rules.greeks.legs import Portfolio

ORDER = {"roll": 0, "entry": 1, "layer": 2}


class Simulation:
    """Runs the session's ruleset over rows [first, last] of its history."""

    def __init__(self, session: EvaluationSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.columns = session.frame.columns
        self.dates = session.frame.dates
        self.kinds = {r.name.name: r.rule_kind for r in session.ruleset.rules}
        self.has_limits = any(kind == "limit" for kind in self.kinds.values())
        self.cash = settings.capital
        self.holdings: list[Holding] = []
        self.records = Records(rules=[n for n, k in self.kinds.items() if k in ("entry", "layer")])
        self.counter = 0

    def run(self, first: int, last: int, tick: Callable[[int], None] | None = None) -> Records:
        previous: DayBook | None = None
        for index in range(first, last + 1):
            previous = self.day(index, previous)
            if tick is not None:
                tick(index - first + 1)
        return self.records

    def day(self, index: int, previous: DayBook | None) -> DayBook:
        today = self.dates[index].date()
        day = DayBook.start(index, today, previous, self.holdings)
        if previous is not None:
            rate = float(self.columns["risk_free"][previous.index])
            rate = rate if np.isfinite(rate) else previous.rate
            day.rate = rate
            day.tbill_return = growth(rate, (today - previous.today).days) - 1.0
            day.interest = self.cash * day.tbill_return
            self.cash += day.interest
        else:
            day.rate = float(self.columns["risk_free"][index])
        settled = settle_due(self.holdings, self.dates, self.columns, index, today)
        self.cash += settled.cash
        day.absorb_settlement(settled)
        self.records.trades.extend(settled.rows)
        self.holdings = settled.kept
        for holding in settled.closed:
            self.close_record(today, holding)
        ctx = self.session.day_context(index)
        self.mark_all(ctx)
        equity = self.cash + sum(h.mark.value for h in self.holdings)
        if equity > 0:
            self.decide_and_act(index, today, ctx, equity, day)
        else:
            self.records.trades.append(
                note_row(
                    today, "", "decide", "not taken", f"equity {equity:,.2f} $ <= 0: no decision"
                )
            )
        for change in margin_call(
            self.holdings, self.cash, Pricing(today, ctx, self.settings.costs)
        ):
            self.commit(change, day)
        # No second marking: the held positions were marked on this close above, and each
        # position opened today was marked when it was filled.
        day.finish(self, ctx)
        return day

    def mark_all(self, ctx: Any) -> None:
        # The held positions' stress payoff is valued with their marks when a rule reads it.
        stress = None if "projected_payoff" in self.session.unread else stress_scenario()
        marks = book.marks_of(self.holdings, ctx, stress)
        for holding, mark in zip(self.holdings, marks, strict=True):
            holding.carried = mark is None
            if mark is not None:
                holding.mark = mark

    @property
    def risk_budget(self) -> float:
        """The risk budget the decisions see: NaN (unknown) when none was given, also on days
        with positions held (a Portfolio's own risk_budget field cannot say unknown)."""
        budget = self.settings.risk_budget
        return math.nan if budget is None else budget

    def portfolio(self, holdings: list[Holding], capital: float) -> Portfolio | None:
        if not holdings:
            return None
        return Portfolio(
            positions=tuple(h.position for h in holdings),
            capital=capital,
            risk_budget=self.settings.risk_budget or 0.0,
        )

    def decide_and_act(
        self, index: int, today: dt.date, ctx: Any, equity: float, day: DayBook
    ) -> None:
        capital = self.settings.capital if self.settings.fixed_capital else equity
        portfolio = self.portfolio(self.holdings, capital)
        self.records.holdings[today] = (portfolio, capital)
        keep = self.settings.keep_decisions
        run = self.session.decide(index, portfolio, capital, self.risk_budget, always=keep)
        if run.decision is None:
            return  # no action rule can fire today
        if keep:
            self.records.decisions[today] = (run.decision, portfolio, capital)
        acting = {a.rule for a in run.decision.actions}
        reasons = {r.name: acting_reason(r) for r in run.decision.rules if r.name in acting}
        actions = sorted(
            run.decision.actions, key=lambda a: ORDER.get(self.kinds.get(a.rule, ""), 3)
        )
        taker = ActionTaker(self, run, Pricing(today, ctx, self.settings.costs), capital)
        for action in actions:
            change = taker.take(action, reasons.get(action.rule, ""))
            self.commit(change, day)

    def commit(self, change: Change, day: DayBook) -> None:
        self.records.trades.extend(change.rows)
        if change.refused:
            return
        self.cash += change.cash - change.fees
        day.absorb_change(change)
        for holding in change.removed:
            holding.cash += change.flows_of(holding)
            self.close_record(day.today, holding)
        gone = {id(h) for h in (*change.removed, *change.replaced)}
        self.holdings = [h for h in self.holdings if id(h) not in gone] + change.added

    def close_record(self, today: dt.date, holding: Holding) -> None:
        """A position gone (closed, rolled or settled): its P&L, fees included."""
        self.records.closed.append(
            {
                "date": today.isoformat(),
                "position": holding.name,
                "rule": holding.rule,
                "opened": holding.opened.isoformat(),
                "credit": holding.credit,
                "pnl": holding.cash,
            }
        )

    def next_name(self, rule: str) -> str:
        self.counter += 1
        return f"{rule}#{self.counter}"
