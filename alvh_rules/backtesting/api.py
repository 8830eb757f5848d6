"""`alvh_rules.backtest(ruleset, history, ...) -> Backtest` and `alvh_rules.compare(...)`:
the simulation's front door, its inputs checked, its outputs as DataFrames and files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from alvh_rules.backtesting import arguments

# BacktestInputError is re-exported: the docs name alvh_rules.backtesting.api.BacktestInputError.
from alvh_rules.backtesting.arguments import BacktestInputError as BacktestInputError
from alvh_rules.backtesting.arguments import DateLike
from alvh_rules.backtesting.costs import DEFAULT_COMMISSION, DEFAULT_FEES, DEFAULT_SLIPPAGE
from alvh_rules.backtesting.engine import Simulation
from alvh_rules.backtesting.records import Records, Settings
from alvh_rules.backtesting.summary import json_ready, summarize
from alvh_rules.check.ruleset import Ruleset
from alvh_rules.eval.decision import Decision
from alvh_rules.eval.interpreter import as_ruleset
from alvh_rules.eval.session import EvaluationSession
from alvh_rules.greeks.legs import Portfolio
from alvh_rules.greeks.ssvi import SurfaceShape
from alvh_rules.market.coverage import FieldGap, field_gaps
from alvh_rules.market.history import History


@dataclass
class Backtest:
    """A finished run. DataFrames: `trades` (one row per fill, and per action not taken),
    `daily` (one row per trading day), `attribution` (P&L by Greek), `attribution_by_rule`,
    `marks` (each open position's marked value per day), `closed` (each position's P&L);
    `summary` (dict with the keys of summary.SUMMARY_KEYS); `holdings`: the portfolio and
    capital each day's decision saw; `decisions` (with `keep_decisions`): those decisions."""

    title: str
    trades: pd.DataFrame
    daily: pd.DataFrame
    attribution: pd.DataFrame
    attribution_by_rule: pd.DataFrame
    marks: pd.DataFrame
    closed: pd.DataFrame
    summary: dict[str, Any]
    settings: Settings
    decisions: dict[dt.date, tuple[Decision, Portfolio | None, float]] = field(repr=False)
    holdings: dict[dt.date, tuple[Portfolio | None, float]] = field(repr=False)
    data_gaps: list[FieldGap] = field(default_factory=list)
    """The days of the run on which a field every valuation needs (spx, vix, risk_free) has
    no value: nothing opens then, and held positions keep their last marks."""

    def summary_json(self) -> str:
        return json.dumps(json_ready(self.summary), indent=2, allow_nan=False)

    def write(self, folder: str | Path, *, report: bool = True) -> list[Path]:
        """Write every output into `folder` (created); returns the paths written."""
        from alvh_rules.backtesting.files import write_outputs

        return write_outputs(self, Path(folder), report=report)


def backtest(
    ruleset: Ruleset | str | Path,
    history: History | str | Path,
    start: DateLike | None = None,
    end: DateLike | None = None,
    params: Mapping[str, float | str] | None = None,
    *,
    capital: float,
    risk_budget: float | None = None,
    slippage: float = DEFAULT_SLIPPAGE,
    commission: float = DEFAULT_COMMISSION,
    fees: float = DEFAULT_FEES,
    fixed_capital: bool = False,
    keep_decisions: bool = False,
    progress: Callable[[int, int], None] | None = None,
    smile: SurfaceShape | None = None,
) -> Backtest:
    """Simulate `ruleset` over the trading days [start, end] of `history` (default: the
    first to the last day with SPX, VIX and the T-bill rate all known). `progress(done,
    total)` is called after each day. `smile` prices with another SPX smile shape
    (docs/greeks.md). Bad arguments raise `BacktestInputError` before any work."""
    arguments.check_sources(ruleset, history, params, smile)
    if progress is not None and not callable(progress):
        raise BacktestInputError(f"progress must be a function (done, total), not {progress!r}")
    settings = Settings(
        capital=arguments.dollars("capital", capital, positive=True),
        risk_budget=(
            None
            if risk_budget is None
            else arguments.dollars("risk_budget", risk_budget, positive=False)
        ),
        costs=arguments.costs(slippage, commission, fees),
        fixed_capital=bool(fixed_capital),
        keep_decisions=bool(keep_decisions),
    )
    checked = as_ruleset(ruleset)
    data = history if isinstance(history, History) else History.from_dir(history)
    if smile is not None:
        data = data.with_smile(smile)
    first_day, last_day = arguments.span(data, start, end)
    session = EvaluationSession(checked, data, params, end=last_day)
    first = int(session.dates.searchsorted(pd.Timestamp(first_day)))
    last = len(session.dates) - 1
    if first > last:
        raise BacktestInputError(f"no trading day between {first_day} and {last_day}")
    total = last - first + 1
    tick = None if progress is None else (lambda done: progress(done, total))
    records = Simulation(session, settings).run(first, last, tick)
    run = assemble(checked.title, records, settings)
    run.data_gaps = field_gaps(data, arguments.PRICED_FIELDS, first_day, last_day)
    return run


def assemble(title: str, records: Records, settings: Settings) -> Backtest:
    trades = pd.DataFrame(records.trades, columns=TRADE_COLUMNS)
    daily = pd.DataFrame(records.daily)
    closed = pd.DataFrame(
        records.closed, columns=["date", "position", "rule", "opened", "credit", "pnl"]
    )
    by_rule = pd.DataFrame(records.by_rule).fillna(0.0)
    rule_columns = ["date", *sorted(c for c in by_rule.columns if c != "date")]
    return Backtest(
        title=title,
        trades=trades,
        daily=daily,
        attribution=pd.DataFrame(records.by_greek),
        attribution_by_rule=by_rule[rule_columns],
        marks=pd.DataFrame(records.marks, columns=["date", "position", "rule", "value", "carried"]),
        closed=closed,
        summary=summarize(daily, trades, closed, settings.capital),
        settings=settings,
        decisions=records.decisions,
        holdings=records.holdings,
    )


TRADE_COLUMNS = [
    "date",
    "position",
    "rule",
    "action",
    "status",
    "effect",
    "instrument",
    "expiry",
    "strike",
    "right",
    "quantity",
    "price",
    "mid",
    "fees",
    "cash",
    "reason",
]


def compare(
    rulesets: Sequence[Ruleset | str | Path],
    history: History | str | Path,
    start: DateLike | None = None,
    end: DateLike | None = None,
    params: Mapping[str, float | str] | None = None,
    **options: Any,
) -> list[Backtest]:
    """Each ruleset backtested on the same data, dates, costs and capital."""
    if isinstance(rulesets, str | Path | Ruleset):  # a str is a sequence too: of letters
        raise BacktestInputError(
            "compare takes a list of rulesets (compare([a, b], ...)); for one, call backtest"
        )
    if not rulesets:
        raise BacktestInputError("compare needs at least one ruleset")
    data = history if isinstance(history, History) else History.from_dir(history)
    return [backtest(r, data, start, end, params, **options) for r in rulesets]
