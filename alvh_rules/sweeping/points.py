"""One point of a sweep: the seam that runs one backtest, and the row it becomes.

`run_point` is the only place a sweep calls the backtest; any function with its signature
(a `PointRunner`) can stand in for it. `evaluate_point` runs one on a worker and turns the
outcome, figures or error, into a result row; `point_key` names a point for resumption.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import numbers
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alvh_rules.check.ruleset import Ruleset
    from alvh_rules.market.history import History

# (ruleset, history, params, start, end, settings) -> the run's summary figures by name.
PointRunner = Callable[
    ["Ruleset", "History", Mapping[str, float], "dt.date | None", "dt.date | None", "Settings"],
    Mapping[str, Any],
]

BACKTEST_EXPORT = "backtest"  # the name on `alvh_rules` the seam calls

# Columns every result row has besides the swept params and the figures.
KEY = "key"
START = "start"
END = "end"
RUN_SECONDS = "run_seconds"
ERROR = "error"
FIXED_COLUMNS: tuple[str, ...] = (KEY, START, END, RUN_SECONDS, ERROR)


class BacktestUnavailable(NotImplementedError):
    """This build has no backtest (alvh_rules.backtest, issue 16), so a sweep cannot run one."""


@dataclass(frozen=True)
class Settings:
    """What every point of a sweep shares besides the ruleset and the data: the account and
    the backtest's other keyword options. Part of every point's key."""

    capital: float
    risk_budget: float | None = None
    options: tuple[tuple[str, float | str | bool], ...] = field(default=())

    def keywords(self) -> dict[str, Any]:
        return {"capital": self.capital, "risk_budget": self.risk_budget, **dict(self.options)}


def backtest_function() -> Callable[..., Any]:
    """`alvh_rules.backtest` (the package's public export, resolved on first use), or
    BacktestUnavailable if this build has none."""
    import alvh_rules

    try:
        function: Callable[..., Any] = getattr(alvh_rules, BACKTEST_EXPORT)
    except AttributeError:
        raise BacktestUnavailable(
            "backtests are not available in this build (alvh_rules.backtest is missing), "
            "so there is nothing to sweep yet"
        ) from None
    return function


def run_point(
    ruleset: Ruleset,
    history: History,
    params: Mapping[str, float],
    start: dt.date | None,
    end: dt.date | None,
    settings: Settings,
) -> Mapping[str, Any]:
    """The backtest of one point: its summary figures (CAGR, Sharpe, maximum drawdown, ...)."""
    backtest = backtest_function()
    result = backtest(ruleset, history, start, end, dict(params), **settings.keywords())
    summary: Mapping[str, Any] = result.summary
    return summary


def runner_name(runner: PointRunner) -> str:
    """The runner's import path: part of the key, so figures of one runner never pass for
    another's (a stand-in's rows are not a backtest's)."""
    module = getattr(runner, "__module__", "?")
    return f"{module}.{getattr(runner, '__qualname__', repr(runner))}"


@dataclass(frozen=True)
class PointTask:
    """A point to run: its key, the params it sets and the period it covers."""

    key: str
    params: dict[str, float]
    start: dt.date | None
    end: dt.date | None


def point_key(
    params: Mapping[str, float],
    start: dt.date | None,
    end: dt.date | None,
    context: Mapping[str, Any],
) -> str:
    """A stable name for a point: SHA-256 of its params, its period and the sweep context
    (ruleset content hash, data range, settings, runner); the same in every process."""
    payload = {
        "params": {name: repr(float(value)) for name, value in sorted(params.items())},
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "context": context,
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def evaluate_point(
    runner: PointRunner,
    ruleset: Ruleset,
    history: History,
    task: PointTask,
    fixed: Mapping[str, float],
    settings: Settings,
) -> dict[str, Any]:
    """Run one point and return its row; an exception in the run is recorded, not raised,
    so one bad point never stops the others."""
    began = time.perf_counter()
    row: dict[str, Any] = {
        KEY: task.key,
        START: task.start.isoformat() if task.start else None,
        END: task.end.isoformat() if task.end else None,
        **task.params,
    }
    try:
        summary = runner(ruleset, history, {**fixed, **task.params}, task.start, task.end, settings)
        for name, value in figures(summary).items():
            row[f"figure_{name}" if name in task.params else name] = value
        row[ERROR] = None
    except BacktestUnavailable:
        raise  # not a fault of this point: the whole sweep cannot run
    except Exception as error:
        row[ERROR] = f"{type(error).__name__}: {error}"
    row[RUN_SECONDS] = time.perf_counter() - began
    return row


def figures(summary: Mapping[str, Any]) -> dict[str, float]:
    """The summary's numeric figures (a row holds numbers; dates and tables stay in the
    backtest's own report). Non-finite values become NaN, booleans 0 or 1."""
    found: dict[str, float] = {}
    for name, value in summary.items():
        if isinstance(value, numbers.Real) and name not in FIXED_COLUMNS:
            number = float(value)
            found[str(name)] = number if math.isfinite(number) else math.nan
    return found
