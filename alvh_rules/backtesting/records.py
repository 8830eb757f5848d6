"""The run's settings, what it records, and the view of the running simulation that the day's
book (`day`) and the action taker (`taking`) work on: named here so that the engine can
drive both without the three modules importing each other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from alvh_rules.backtesting.costs import Costs
from alvh_rules.eval.decision import Decision
from alvh_rules.greeks.legs import Portfolio

if TYPE_CHECKING:
    from alvh_rules.backtesting.book import Holding
    from alvh_rules.eval.logic import FloatArray
    from alvh_rules.eval.session import EvaluationSession
    from alvh_rules.syntax.ast import RuleKind


@dataclass(frozen=True)
class Settings:
    capital: float
    risk_budget: float | None
    costs: Costs
    fixed_capital: bool = False
    keep_decisions: bool = False


@dataclass
class Records:
    """What the run writes: rows of the trade log, the daily table, the attribution tables
    and the marks of each position; closed positions' P&L; decisions when asked."""

    trades: list[dict[str, Any]] = field(default_factory=list)
    daily: list[dict[str, Any]] = field(default_factory=list)
    by_rule: list[dict[str, float]] = field(default_factory=list)
    by_greek: list[dict[str, float]] = field(default_factory=list)
    marks: list[dict[str, Any]] = field(default_factory=list)
    closed: list[dict[str, Any]] = field(default_factory=list)
    decisions: dict[dt.date, tuple[Decision, Portfolio | None, float]] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)
    # what each day's decision saw: the positions held and the capital (references, cheap)
    holdings: dict[dt.date, tuple[Portfolio | None, float]] = field(default_factory=dict)


class SimulationState(Protocol):
    """What `day.DayBook` and `taking.ActionTaker` read and change of `engine.Simulation`."""

    session: EvaluationSession
    settings: Settings
    columns: dict[str, FloatArray]
    kinds: dict[str, RuleKind]
    has_limits: bool
    cash: float
    holdings: list[Holding]
    records: Records

    @property
    def risk_budget(self) -> float: ...

    def portfolio(self, holdings: list[Holding], capital: float) -> Portfolio | None: ...

    def next_name(self, rule: str) -> str: ...
