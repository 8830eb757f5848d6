"""`alvh sweep RULESET`: a backtest per point of a grid or of random draws over the params'
declared bounds, run on Dask (a local cluster, or one given by address), saved as Parquet
under --out (resumable), ranked by a metric; walk-forward with --train/--test; an HTML report.
Exit 0, 1 on ruleset errors, 2 on bad input or when backtests or Dask are not available.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alvh_rules.cli.backtest_options import add_cost_arguments, add_period_arguments
from alvh_rules.cli.inputs import (
    CliError,
    add_common_arguments,
    load_history,
    load_ruleset,
    parse_params,
    trading_date,
)

if TYPE_CHECKING:
    from alvh_rules.market.history import History
    from alvh_rules.sweeping.api import Period, SweepPlan
    from alvh_rules.sweeping.points import PointRunner

DEFAULT_TOP = 10


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sweep",
        help="backtest a grid or random draws of params on Dask; rank, walk-forward, report",
        description=(
            "Run a backtest per point of a parameter grid (--grid) or of random draws inside "
            "the params' declared bounds (--random N --params a,b), on a local Dask cluster or "
            "on --scheduler ADDRESS; rank the points by --metric."
        ),
    )
    add_common_arguments(parser)
    space = parser.add_argument_group("search space")
    space.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="NAME=LOW..HIGH:COUNT",
        help="sweep a param over evenly spaced values (or NAME=V1,V2,...); repeatable",
    )
    space.add_argument("--random", type=int, metavar="N", help="N random points instead")
    space.add_argument("--seed", type=int, default=0, metavar="S", help="seed of --random")
    space.add_argument("--params", default="", metavar="A,B,C", help="the params --random draws")
    period = parser.add_argument_group("periods")
    add_period_arguments(period)
    period.add_argument("--train", type=date_range, metavar="D1..D2", help="walk-forward: train")
    period.add_argument("--test", type=date_range, metavar="D1..D2", help="walk-forward: test")
    costs = parser.add_argument_group("backtest costs (default: the backtest's own)")
    add_cost_arguments(costs, show_defaults=False)
    run = parser.add_argument_group("running")
    run.add_argument(
        "--metric", default="sharpe", help="figure that ranks the points (default: sharpe)"
    )
    run.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, tcp://HOST:8786")
    run.add_argument("--workers", type=int, metavar="N", help="local worker processes (cores)")
    run.add_argument("--out", metavar="DIR", help="keep results as Parquet here (resumable)")
    run.add_argument("--report", metavar="FILE.html", help="write an offline HTML report")
    run.add_argument("--top", type=int, default=DEFAULT_TOP, metavar="K", help="points shown")
    parser.set_defaults(run=run_command)


def date_range(text: str) -> tuple[dt.date, dt.date]:
    """argparse type: `YYYY-MM-DD..YYYY-MM-DD`, in order."""
    first, dots, last = text.partition("..")
    if not dots:
        raise argparse.ArgumentTypeError(f"write FIRST..LAST (YYYY-MM-DD..YYYY-MM-DD): {text!r}")
    start, end = trading_date(first), trading_date(last)
    if start > end:
        raise argparse.ArgumentTypeError(f"{start} is after {end}")
    return start, end


def default_runner() -> PointRunner:
    """What a point runs: the backtest (a seam the tests replace with a stand-in)."""
    from alvh_rules.sweeping.points import run_point

    return run_point


def run_command(args: argparse.Namespace) -> int:
    from alvh_rules.backtesting.files import OutputError
    from alvh_rules.sweeping.points import BacktestUnavailable
    from alvh_rules.sweeping.ranking import MetricError
    from alvh_rules.sweeping.run import SweepError
    from alvh_rules.sweeping.space import SpaceError
    from alvh_rules.sweeping.store import StoreError

    try:
        return _run(args)
    except CliError as error:
        return error.report("sweep")
    except BacktestUnavailable as error:
        return CliError(f"{error}; sweeps need the backtest (issue 16)").report("sweep")
    except (SpaceError, SweepError, MetricError, StoreError, OutputError) as error:
        return CliError(str(error)).report("sweep")


def _run(args: argparse.Namespace) -> int:
    from alvh_rules.cli.sweep_view import print_results, print_walk_forward
    from alvh_rules.cli.terminal import make_console
    from alvh_rules.sweeping.api import plan_sweep
    from alvh_rules.sweeping.points import run_point
    from alvh_rules.sweeping.ranking import check_backtest_metric

    walk = _check_options(args)
    report = _report_path(args.report)
    ruleset = load_ruleset(args.ruleset)
    fixed = parse_params(ruleset, args.sets)
    history, data_label = load_history(args.data)
    runner = default_runner()
    if runner is run_point:  # the figures are the backtest's: a wrong metric stops here,
        check_backtest_metric(args.metric)  # not after every point has run
    grid = dict(_grid_items(args.grid)) if args.grid else None
    plan = plan_sweep(
        ruleset,
        history,
        grid,
        random=args.random,
        params=[name.strip() for name in args.params.split(",") if name.strip()],
        seed=args.seed,
        fixed=fixed,
        capital=args.capital,
        risk_budget=args.risk_budget,
        options=backtest_options(args),
        runner=runner,
    )
    periods = [args.train, args.test] if walk else [(args.start, args.end)]
    frames = _execute(plan, periods, args)
    console = make_console()
    console.print(f"[bold]{ruleset.title}[/] ([dim]{data_label}[/])")
    for line in gap_lines(history, periods):
        console.print(f"[yellow]{line}[/]", soft_wrap=True)
    if walk:
        from alvh_rules.sweeping.walkforward import walk_forward_result

        result = walk_forward_result(
            frames[0], frames[1], plan.space.names, args.metric, (args.train, args.test)
        )
        ranked = result.train
        print_walk_forward(console, ruleset, result)
    else:
        from alvh_rules.sweeping.ranking import ranked as rank_rows

        ranked = rank_rows(frames[0], plan.space.names, args.metric)
        result = None
    print_results(console, ruleset, ranked, plan.space.names, args.metric, args.top)
    if report is not None:
        from alvh_rules.cli.sweep_view import write_report

        write_report(report, ruleset, ranked, plan, args.metric, result, data_label)
        console.print(f"wrote report: {report}")
    if args.out:
        console.print(f"results: {args.out} (Parquet; a rerun with the same --out resumes)")
    return 0


def gap_lines(history: History, periods: list[Period]) -> list[str]:
    """What `alvh backtest` says of days without the data a valuation needs, per period."""
    from alvh_rules.backtesting.arguments import PRICED_FIELDS, BacktestInputError, gap_words, span
    from alvh_rules.market.coverage import field_gaps

    lines = []
    for start, end in periods:
        try:
            first, last = span(history, start, end)
        except BacktestInputError:
            continue  # each point has recorded why
        label = f" ({start}..{end})" if len(periods) > 1 else ""
        for gap in field_gaps(history, PRICED_FIELDS, first, last):
            lines.append(f"data{label}: {gap_words(gap)}")
    return lines


def _execute(plan: SweepPlan, periods: list[Period], args: argparse.Namespace) -> list[Any]:
    """Run the plan with a progress bar over every point of every period (points a resumed
    sweep skips count as done at the first finished point)."""
    from alvh_rules.cli.terminal import progress_steps
    from alvh_rules.sweeping.api import execute

    with progress_steps(total=len(plan.space.points) * len(periods)) as steps:
        steps.start("running points")
        shown = [0]

        def advance(row: Any, finished: int, total: int) -> None:
            steps.start(f"points finished {finished}/{total}")
            steps.done(finished - shown[0])
            shown[0] = finished

        return execute(
            plan,
            periods,
            out=args.out,
            scheduler=args.scheduler,
            workers=args.workers,
            on_row=advance,
        )


def backtest_options(args: argparse.Namespace) -> dict[str, float | str | bool]:
    """The cost options given, passed to every backtest (the others keep its defaults)."""
    given: dict[str, float | str | bool] = {
        name: getattr(args, name)
        for name in ("slippage", "commission", "fees")
        if getattr(args, name) is not None
    }
    if args.fixed_capital:
        given["fixed_capital"] = True
    return given


def _check_options(args: argparse.Namespace) -> bool:
    """Option combinations argparse cannot see; True for a walk-forward."""
    if args.capital is None:
        raise CliError("--capital USD is required: the backtest sizes positions from it")
    if bool(args.grid) == (args.random is not None):
        raise CliError("give --grid NAME=LOW..HIGH:COUNT (repeatable) or --random N, one of them")
    if args.random is not None and not args.params.strip():
        raise CliError("--random N needs --params a,b,c: the params to draw")
    if args.grid and args.params.strip():
        raise CliError("--params goes with --random; a grid names its params itself")
    if (args.train is None) != (args.test is None):
        raise CliError("a walk-forward needs both --train D1..D2 and --test D1..D2")
    walk = args.train is not None
    if walk and (args.start is not None or args.end is not None):
        raise CliError("--start/--end do not go with --train/--test (each names its period)")
    if walk and args.train[1] >= args.test[0]:
        raise CliError(
            f"--test {args.test[0]}..{args.test[1]} must start after --train ends "
            f"({args.train[1]}): a test on days the training saw checks nothing"
        )
    if args.start is not None and args.end is not None and args.start > args.end:
        raise CliError(f"--start {args.start} is after --end {args.end}")
    if args.workers is not None and args.workers < 1:
        raise CliError(f"--workers {args.workers}: give at least 1")
    if args.workers is not None and args.scheduler is not None:
        raise CliError("--workers sizes a local cluster; a --scheduler has its own workers")
    if args.top < 1:
        raise CliError(f"--top {args.top}: give at least 1")
    return walk


def _grid_items(items: list[str]) -> list[tuple[str, str]]:
    from alvh_rules.sweeping.space import split_grid_option

    pairs = [split_grid_option(item) for item in items]
    names = [name for name, _ in pairs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise CliError(f"--grid names {', '.join(repeated)} more than once")
    return pairs


def _report_path(given: str | None) -> Path | None:
    if given is None:
        return None
    path = Path(given)
    if path.suffix.lower() != ".html":
        raise CliError(f"--report {given}: the report is HTML; name it FILE.html")
    if not path.parent.is_dir():
        raise CliError(f"--report {given}: no such folder {path.parent}")
    from alvh_rules.backtesting.files import OutputError, check_targets

    try:  # before any point runs: a symlink or a folder at the path is refused
        check_targets(path.parent, [path])
    except OutputError as error:
        raise CliError(f"--report {error}") from None
    return path
