"""`EvaluationSession`: one ruleset decided day after day over one history, each day with its
own portfolio (the backtest). The market-only values are computed once over the whole history
(column-wise, as replay does); each day then runs only what reads positions.

A day's decision equals `evaluate(ruleset, history.snapshot(day, portfolio=...), params)`
(tests/backtest check it) except `provenance.snapshot_hash`, which here hashes the day and
the portfolio instead of a snapshot that is never built.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alvh_rules.check.ruleset import Ruleset
from alvh_rules.eval.day_market import day_values, valuation_context
from alvh_rules.eval.decision import Decision
from alvh_rules.eval.explain import MarketFacts
from alvh_rules.eval.frame import Frame, PositionFigures, frame_from_history
from alvh_rules.eval.interpreter import decide, held_positions, plan_for
from alvh_rules.eval.last_day import (
    last_day_suffices,
    last_values,
    one_row,
    run_on_last_day,
    run_one_row,
)
from alvh_rules.eval.params import resolve_params
from alvh_rules.eval.plan import PlanRun, Rerun, proposal_free_nodes
from alvh_rules.eval.positions import Proposal
from alvh_rules.eval.proposals import Proposals
from alvh_rules.eval.session_prices import SessionPrices
from alvh_rules.greeks.figures import SKIPPABLE, figures_unread
from alvh_rules.greeks.legs import Portfolio

if TYPE_CHECKING:
    from alvh_rules.market.history import History


ACTION_KINDS = ("entry", "layer", "roll")


@dataclasses.dataclass(frozen=True)
class Holdings:
    """What `held_positions` reads of a snapshot: the portfolio and the account."""

    portfolio: Portfolio | None
    capital: float | None
    risk_budget: float | None
    chain: None = None


@dataclasses.dataclass
class DayRun:
    """One day's plan run, kept to read more of it (a roll's amount, a rule's proposal)."""

    index: int
    result: PlanRun
    decision: Decision | None  # None: no action rule can fire (see decide's `always`)
    rerun: Rerun  # the plan again on the day's frame, positions changed


class EvaluationSession:
    """Decisions of one ruleset over one history; `decide(index, portfolio, ...)` per day."""

    def __init__(
        self,
        ruleset: Ruleset,
        history: History,
        params: Mapping[str, float | str] | None = None,
        end: dt.date | None = None,
    ) -> None:
        self.ruleset = ruleset
        self.plan = plan_for(ruleset)
        self.frame = frame_from_history(history, resolve_params(ruleset, params), end=end)
        self.dates = self.frame.dates
        self.one_day = last_day_suffices(self.plan)
        market = dataclasses.replace(self.frame, positions=_no_positions())
        market.context = Proposals(self.plan, days=[])
        market_run = self.plan.run(market).run
        self.market_values = {
            k: v for k, v in market_run.memo.items() if k in self.plan.market_only
        }
        self.prices = SessionPrices(self.plan, market_run)
        # The market-only values one row a day (cut to each day's history) and the rest.
        n = self.frame.length
        self._market_rows = [
            (key, value)
            for key, value in self.market_values.items()
            if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == n
        ]
        rows = {key for key, _ in self._market_rows}
        self._market_rest = {k: v for k, v in self.market_values.items() if k not in rows}
        self.unread = SKIPPABLE - members_named(ruleset)
        # The limit re-check after an action states the limits alone: what they read is
        # all its held figures need (a new position's stress payoff, say, is not).
        self.unread_by_limits = self.unread | (SKIPPABLE - figures_read_by_limits(ruleset))
        self._context: tuple[int, Any] = (-1, None)
        # Which nodes each clause's reason walks depends on the plan alone (not on the day):
        # shared by every day's MarketFacts, whose notes are the day's own.
        self._walks: dict[tuple[int, int], list[Any]] = {}
        self.proposal_free = proposal_free_nodes(ruleset)
        self._last_day: tuple[dict[int, Any], Frame] = ({}, self.frame)  # set by _runners

    def day_context(self, index: int) -> Any:
        """The Greeks core's context on row `index`'s close, or why there is none (a string).
        Built once a day: the marks, the held figures, each limit re-check after an action
        and the fills all value on this one object, so a position valued for one of them is
        not valued again for the next (`greeks.figures` keeps its risk by context)."""
        if self._context[0] != index:
            today = self.dates[index].date()
            values = day_values(self.frame.columns, index)
            try:
                ctx = valuation_context(values, today, shape=self.frame.smile)
            except ValueError as error:  # an implausible input the context refuses
                ctx = f"positions cannot be valued on {today}: {error}"
            self._context = (index, ctx)
        return self._context[1]

    def index_of(self, day: dt.date | str | pd.Timestamp) -> int:
        """The row of a trading day of the history (KeyError when it is not one)."""
        stamp = pd.Timestamp(day)
        index = int(self.dates.searchsorted(stamp))
        if index >= len(self.dates) or self.dates[index] != stamp:
            raise KeyError(f"{stamp.date()} is not a trading day of the history")
        return index

    def decide(
        self,
        index: int,
        portfolio: Portfolio | None,
        capital: float | None,
        risk_budget: float | None,
        *,
        always: bool = True,
    ) -> DayRun:
        """The decision on row `index` with `portfolio` held (reasons built when read).

        `always=False` first runs the plan without building what entries and layers would
        open: when no action rule then fires and no clause reading those figures could
        change a state (Kleene logic, as in replay), the day has no action and `decision` is
        None; otherwise the decision is made with the outcomes of the acting rules and the
        limits alone (`interpreter.decide`'s `acting_only`: what the backtest reads)."""
        frame, known = self._frame_until(index)
        holdings = Holdings(portfolio, capital, risk_budget)
        frame.positions = self._held(holdings, frame, index)
        rerun, one_row_run = self._runners(frame, known, index)
        seed: dict[int, Any] = {}
        if not always:
            frame.context = Proposals(self.plan, days=[])
            quick, row = (one_row_run(frame), 0) if one_row_run else (rerun(frame), index)
            if not self._may_act(quick, row):
                return DayRun(index, quick, None, rerun)
            if one_row_run is not None:  # what reads no proposal is what the quick pass found
                seed = {k: v for k, v in quick.run.memo.items() if k in self.proposal_free}
        frame.context = Proposals(self.plan, days=[index], priced=self.prices)
        if seed:
            last, day_row = self._last_day
            result = run_on_last_day(self.plan, frame, known, {**last, **seed}, day_row)
        else:
            result = rerun(frame)
        decision = decide(
            self.ruleset,
            result,
            index,
            _digest(self.dates[index], portfolio, capital, risk_budget),
            explain=False,
            rerun=rerun,
            market_facts=MarketFacts(walks=self._walks),
            acting_only=not always,
        )
        return DayRun(index, result, decision, rerun)

    def _held(
        self, holdings: Holdings, frame: Frame, index: int, *, limits_only: bool = False
    ) -> PositionFigures:
        """`held_positions` on the day's one context, without the figures no rule reads (a
        decision carries none of the held positions' figures, only what the rules made of
        them); `limits_only`: without those no limit reads."""
        with figures_unread(self.unread_by_limits if limits_only else self.unread):
            return held_positions(holdings, frame, self.day_context(index))

    def _runners(
        self, frame: Frame, known: dict[int, Any], index: int
    ) -> tuple[Rerun, Callable[[Frame], PlanRun] | None]:
        """The plan run on (a changed copy of) the day's frame: on its last row alone when
        that suffices (read at full length), else over the history with the market-only
        values seeded; and the one-row run itself (None off the one-row path)."""
        if not self.one_day:

            def on_history(changed: Frame, *, limits_only: bool = False) -> PlanRun:
                return self.plan.run(changed, known, limits_only=limits_only)

            return on_history, None
        last = last_values(self._market_rest, frame.length)  # as last_values(known, ...)
        last.update((key, value[index : index + 1]) for key, value in self._market_rows)
        day_row = one_row(frame, index)
        self._last_day = (last, day_row)

        def on_last_day(changed: Frame, *, limits_only: bool = False) -> PlanRun:
            return run_on_last_day(
                self.plan, changed, known, last, day_row, limits_only=limits_only
            )

        def on_one_row(changed: Frame) -> PlanRun:
            return run_one_row(self.plan, changed, last, day_row)

        return on_last_day, on_one_row

    def _may_act(self, result: PlanRun, index: int) -> bool:
        """Whether an action rule fires, or could once the proposals are known (replay's
        test: a clause reading them, set true or false, changes some rule's state)."""
        from alvh_rules.eval.replay import proposal_days

        states = result.state_names(index)
        if any(states[r.name] == "fires" for r in self.plan.rules if r.kind in ACTION_KINDS):
            return True
        return bool(proposal_days(self.plan, result, index))

    def limit_states(
        self,
        day: DayRun,
        portfolio: Portfolio | None,
        capital: float | None,
        risk_budget: float | None,
    ) -> dict[str, tuple[str, float]]:
        """Each limit's state and margin on that day were `portfolio` held instead (the
        plan run again on the changed position figures, as `limits_after_actions` does)."""
        frame = day.result.run.frame
        holdings = Holdings(portfolio, capital, risk_budget)
        positions = self._held(holdings, frame, day.index, limits_only=True)
        after = day.rerun(dataclasses.replace(frame, positions=positions), limits_only=True)
        states = after.state_names(day.index)
        margins = self.plan.compiler.limit_bounds
        return {
            rule.name: (
                states[rule.name],
                float(np.asarray(margins[rule.name + ".margin"](after.run))[day.index]),
            )
            for rule in self.plan.rules
            if rule.kind == "limit"
        }

    def roll_days(self, day: DayRun, rule: str) -> float:
        """Days a `roll forward` of `rule` moves the expiry on that day (NaN: unknown)."""
        plan = next(p for p in self.plan.rules if p.name == rule)
        if plan.roll_amount is None:
            return float("nan")
        return float(np.asarray(plan.roll_amount(day.result.run), dtype=np.float64)[day.index])

    def proposal(self, day: DayRun, rule: str) -> Proposal:
        """What entry `rule` would open on that day, fired or not (for a `roll out`)."""
        context: Proposals = day.result.run.frame.context
        return context.proposal(day.result.run, rule, day.index)

    def _frame_until(self, index: int) -> tuple[Frame, dict[int, Any]]:
        """The history through row `index` (views, no copies) and its market-only values."""
        stop = index + 1
        full = self.frame
        frame = Frame(
            dates=full.dates[:stop],
            columns={name: values[:stop] for name, values in full.columns.items()},
            event_gaps={k: (g[0][:stop], g[1][:stop]) for k, g in full.event_gaps.items()},
            params=full.params,
            smile=full.smile,
            synthetic=full.synthetic,
        )
        known = dict(self._market_rest)
        known.update((key, value[:stop]) for key, value in self._market_rows)
        return frame, known


def _no_positions() -> PositionFigures:
    from alvh_rules.lang.catalog import PORTFOLIO_SUMS

    figures = PositionFigures()
    figures.portfolio = dict.fromkeys(PORTFOLIO_SUMS, 0.0)
    figures.portfolio.update(capital=float("nan"), risk_budget=float("nan"))
    return figures


def members_named(ruleset: Ruleset) -> set[str]:
    """Every `x.name` member the ruleset's modules read (a figure of a position, say)."""
    from alvh_rules.syntax import ast
    from alvh_rules.syntax.walk import walk

    items = [item for module in ruleset.modules for item in module.items]
    return {
        node.member.name for item in items for node in walk(item) if isinstance(node, ast.Member)
    }


def figures_read_by_limits(ruleset: Ruleset) -> set[str]:
    """Every figure the limits read: `x.name` members and bare figure names, in the limit
    rules and the lets they read (the limit re-check after an action needs no other)."""
    from alvh_rules.syntax import ast
    from alvh_rules.syntax.walk import walk

    references = ruleset.program.references
    names: set[str] = set()
    pending: list[Any] = list(ruleset.program.rules("limit"))
    seen: set[int] = set()  # lets already walked (a let read twice is walked once)
    while pending:
        for node in walk(pending.pop()):
            if isinstance(node, ast.Member):
                names.add(node.member.name)
            symbol = references.get(id(node)) if isinstance(node, ast.Name) else None
            if symbol is not None and symbol.kind == "figure":
                names.add(symbol.name)
            elif symbol is not None and symbol.kind == "let" and id(symbol.node) not in seen:
                seen.add(id(symbol.node))
                pending.append(symbol.node.value)
    return names


def _digest(
    day: pd.Timestamp, portfolio: Portfolio | None, capital: float | None, budget: float | None
) -> str:
    digest = hashlib.sha256(str(day.date()).encode())
    digest.update(repr((capital, budget)).encode())
    if portfolio is not None:
        digest.update(portfolio.model_dump_json().encode())
    return digest.hexdigest()
