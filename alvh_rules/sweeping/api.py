"""`sweep(...)` and `walk_forward(...)`: the Python front door of sweeps. Builds the search
space, keys each point, runs the points not yet in the results folder on Dask and returns
one row per point, ranked by the metric.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from alvh_rules import __version__
from alvh_rules.check.ruleset import Ruleset
from alvh_rules.eval.params import ParamError, resolve_params
from alvh_rules.market.history import History
from alvh_rules.sweeping.points import (
    END,
    ERROR,
    KEY,
    RUN_SECONDS,
    START,
    PointRunner,
    PointTask,
    Settings,
    backtest_function,
    point_key,
    run_point,
    runner_name,
)
from alvh_rules.sweeping.ranking import POINT, check_backtest_metric, ranked
from alvh_rules.sweeping.run import OnRow, dask_client, rows_for, run_tasks
from alvh_rules.sweeping.space import GridSpec, SearchSpace, SpaceError, grid_space, random_space
from alvh_rules.sweeping.store import ResultStore
from alvh_rules.sweeping.walkforward import WalkForward, walk_forward_result

if TYPE_CHECKING:
    from distributed import Client

Period = tuple[dt.date | None, dt.date | None]


@dataclass(frozen=True)
class SweepPlan:
    """What a sweep runs: the checked ruleset, its space, fixed params, settings, runner."""

    ruleset: Ruleset
    history: History
    space: SearchSpace
    fixed: dict[str, float]
    settings: Settings
    runner: PointRunner

    def tasks(self, period: Period) -> list[PointTask]:
        start, end = check_period(self.history, period)
        context = {
            "version": __version__,  # a new release may compute different figures
            "ruleset": self.ruleset.content_hash,
            "data": _data_range(self.history),
            "settings": asdict(self.settings),
            "runner": runner_name(self.runner),
            "fixed": {name: repr(value) for name, value in sorted(self.fixed.items())},
        }
        return [
            PointTask(point_key(point, start, end, context), dict(point), start, end)
            for point in self.space.points
        ]


def plan_sweep(
    ruleset: Ruleset | str | Path,
    history: History,
    grid: Mapping[str, GridSpec] | None = None,
    *,
    random: int | None = None,
    params: Sequence[str] = (),
    seed: int = 0,
    fixed: Mapping[str, float | str] | None = None,
    capital: float,
    risk_budget: float | None = None,
    options: Mapping[str, float | str | bool] | None = None,
    runner: PointRunner = run_point,
) -> SweepPlan:
    """Check everything a sweep needs before any worker starts."""
    from alvh_rules.eval.interpreter import as_ruleset

    checked = as_ruleset(ruleset)
    if (grid is None) == (random is None):
        raise SpaceError("give a grid or a random count (--grid or --random), one of the two")
    if grid is not None:
        space = grid_space(checked, grid)
    else:
        space = random_space(checked, params, random or 0, seed)
    try:
        fixed_values = resolve_params(checked, fixed)
    except ParamError as error:
        raise SpaceError(str(error)) from None
    fixed_only = {name: fixed_values[name] for name in fixed or {} if name not in space.names}
    if not isinstance(history, History):
        raise SpaceError(
            f"history must be a History (History.from_dir(DIR)), not {type(history).__name__}"
        )
    if runner is run_point:
        backtest_function()  # BacktestUnavailable now, before a cluster starts
        check_backtest_settings(capital, risk_budget, options or {})
    settings = Settings(capital, risk_budget, tuple(sorted((options or {}).items())))
    return SweepPlan(checked, history, space, fixed_only, settings, runner)


def execute(
    plan: SweepPlan,
    periods: Sequence[Period],
    *,
    out: str | Path | None = None,
    client: Client | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    on_row: OnRow | None = None,
) -> list[pd.DataFrame]:
    """Run the plan's points over each period in one pass; a frame of rows per period
    (a `point` column numbers the points of the space, the same in every period)."""
    store = ResultStore(out)
    tasks = [plan.tasks(period) for period in periods]
    every = [task for period_tasks in tasks for task in period_tasks]
    if len({task.key for task in every}) < len(every):
        every = list({task.key: task for task in every}.values())
    with dask_client(client, scheduler, workers) as running:
        run_tasks(
            running,
            plan.runner,
            plan.ruleset,
            plan.history,
            every,
            plan.fixed,
            plan.settings,
            store,
            on_row,
        )
    frames = []
    for period_tasks in tasks:
        numbers = {task.key: number for number, task in enumerate(period_tasks)}
        frame = pd.DataFrame(rows_for(store, period_tasks))
        frame.insert(0, POINT, [numbers[key] for key in frame["key"]])
        frames.append(_in_reading_order(frame, plan.space.names))
    return frames


def sweep(
    ruleset: Ruleset | str | Path,
    history: History,
    grid: Mapping[str, GridSpec] | None = None,
    *,
    metric: str = "sharpe",
    start: dt.date | None = None,
    end: dt.date | None = None,
    out: str | Path | None = None,
    client: Client | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    on_row: OnRow | None = None,
    **plan_options: Any,
) -> pd.DataFrame:
    """Run a backtest per point of the grid (or of `random=N` draws over `params=[...]`) and
    return a row per point, best first by `metric`. `out` keeps the rows as Parquet and
    makes the sweep resumable; `client` may be a `dask.distributed.Client`."""
    plan = plan_sweep(ruleset, history, grid, **plan_options)
    if plan.runner is run_point:  # the figures are known: a wrong metric stops here
        check_backtest_metric(metric)
    (frame,) = execute(
        plan,
        [(sweep_day("start", start), sweep_day("end", end))],
        out=out,
        client=client,
        scheduler=scheduler,
        workers=workers,
        on_row=on_row,
    )
    return ranked(frame, plan.space.names, metric)


def walk_forward(
    ruleset: Ruleset | str | Path,
    history: History,
    grid: Mapping[str, GridSpec] | None = None,
    *,
    train: tuple[dt.date, dt.date],
    test: tuple[dt.date, dt.date],
    metric: str = "sharpe",
    out: str | Path | None = None,
    client: Client | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    on_row: OnRow | None = None,
    **plan_options: Any,
) -> WalkForward:
    """Every point on the training and the test period; the best on training by `metric`,
    its test figures, and the rank correlation of the two periods over all points."""
    train = (period_day("train start", train[0]), period_day("train end", train[1]))
    test = (period_day("test start", test[0]), period_day("test end", test[1]))
    if train[1] >= test[0]:
        raise SpaceError(f"the test period must start after training ends ({train[1]})")
    plan = plan_sweep(ruleset, history, grid, **plan_options)
    if plan.runner is run_point:
        check_backtest_metric(metric)
    train_rows, test_rows = execute(
        plan,
        [train, test],
        out=out,
        client=client,
        scheduler=scheduler,
        workers=workers,
        on_row=on_row,
    )
    return walk_forward_result(train_rows, test_rows, plan.space.names, metric, (train, test))


BACKTEST_OPTIONS = ("slippage", "commission", "fees", "fixed_capital", "smile")


def check_backtest_settings(capital: Any, risk_budget: Any, options: Mapping[str, Any]) -> None:
    """What every point's backtest would refuse, refused once before any point runs (a
    capital of 0 or an option misspelt would otherwise fail each point on the cluster)."""
    from alvh_rules.backtesting.arguments import BacktestInputError, dollars

    unknown = sorted(set(options) - set(BACKTEST_OPTIONS))
    if unknown:
        raise SpaceError(
            f"options: no backtest option named {unknown[0]!r} "
            f"(options: {', '.join(BACKTEST_OPTIONS)})"
        )
    try:
        dollars("capital", capital, positive=True)
        if risk_budget is not None:
            dollars("risk_budget", risk_budget, positive=False)
        for name in ("slippage", "commission", "fees"):
            if name in options:
                dollars(name, options[name], positive=False)
    except BacktestInputError as error:
        raise SpaceError(str(error)) from None


def sweep_day(what: str, value: Any) -> dt.date | None:
    """A period's day as a date (text YYYY-MM-DD taken too); None stays None."""
    return None if value is None else period_day(what, value)


def period_day(what: str, value: Any) -> dt.date:
    from alvh_rules.backtesting.arguments import BacktestInputError, date

    try:
        return date(what, value)
    except BacktestInputError as error:
        raise SpaceError(str(error)) from None


def _in_reading_order(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """point, the params, the figures, then the bookkeeping (run time, error, key, period)."""
    last = [RUN_SECONDS, ERROR, KEY, START, END]
    first = [POINT, *names]
    middle = [c for c in frame.columns if c not in first and c not in last]
    return frame[[c for c in [*first, *middle, *last] if c in frame.columns]]


def check_period(history: History, period: Period) -> tuple[dt.date | None, dt.date | None]:
    """The period's days, checked against the history: inside it and in order."""
    start, end = period
    first, last = history.index[0].date(), history.index[-1].date()
    for what, day in (("start", start), ("end", end)):
        if day is not None and not first <= day <= last:
            raise SpaceError(f"the {what} {day} is outside the history ({first} to {last})")
    if start is not None and end is not None and start > end:
        raise SpaceError(f"the start {start} is after the end {end}")
    return start, end


def _data_range(history: History) -> list[str | int]:
    index = history.index
    return [index[0].date().isoformat(), index[-1].date().isoformat(), len(index)]
