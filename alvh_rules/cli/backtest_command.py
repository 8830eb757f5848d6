"""`alvh backtest RULESET...`: carry positions through time (fills, costs, margin, settlement,
interest) and show the summary; several rulesets run side by side on the same data, dates,
costs and capital. Exit 0, 1 on ruleset errors, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alvh_rules.cli.backtest_options import add_cost_arguments, add_period_arguments
from alvh_rules.cli.inputs import (
    CliError,
    add_smile_argument,
    dollars,
    load_history,
    load_ruleset,
    parse_params,
    positive_dollars,
)

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from alvh_rules.backtesting.api import Backtest
    from alvh_rules.check.ruleset import Ruleset

BAR_AFTER_SECONDS = 1.0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "backtest",
        help="simulate rulesets through time: trades, equity, drawdowns, costs, report",
        description=(
            "Decide every trading day at the close with the positions held, fill at the "
            "model's mid plus slippage and costs, settle at expiry, earn T-bill interest on "
            "cash; prices are modelled, not traded quotes (docs/backtest.md)."
        ),
    )
    parser.add_argument("rulesets", nargs="+", metavar="RULESET", help="the .alvh rulesets")
    parser.add_argument("--data", metavar="DIR", help="market data folder (default: built-in demo)")
    add_period_arguments(parser)
    add_smile_argument(parser)
    parser.add_argument(
        "--capital", type=positive_dollars, required=True, metavar="USD", help="starting capital"
    )
    parser.add_argument("--risk-budget", type=dollars, metavar="USD", help="risk allowed at once")
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a param within its bounds (repeatable; applies to every ruleset)",
    )
    add_cost_arguments(parser, show_defaults=True)
    parser.add_argument("--out", metavar="DIR", help="write the trade log, tables and report here")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except CliError as error:
        return error.report("backtest")


def _run(args: argparse.Namespace) -> int:
    from alvh_rules.backtesting.api import BacktestInputError, backtest

    if args.start is not None and args.end is not None and args.start > args.end:
        raise CliError(f"--start {args.start} is after --end {args.end}")
    out = Path(args.out) if args.out else None
    rulesets = [load_ruleset(path) for path in args.rulesets]
    if out is not None:
        _check_out(out, [ruleset.title for ruleset in rulesets])
    params = [
        _params_of(ruleset, path, args.sets, len(rulesets))
        for ruleset, path in zip(rulesets, args.rulesets, strict=True)
    ]
    history, data_label = load_history(args.data, args.smile)
    runs: list[Backtest] = []
    for ruleset, own in zip(rulesets, params, strict=True):
        with _DelayedBar(ruleset.title) as bar:
            try:
                runs.append(
                    backtest(
                        ruleset,
                        history,
                        args.start,
                        args.end,
                        own,
                        capital=args.capital,
                        risk_budget=args.risk_budget,
                        slippage=args.slippage,
                        commission=args.commission,
                        fees=args.fees,
                        fixed_capital=args.fixed_capital,
                        progress=bar.update,
                    )
                )
            except BacktestInputError as error:
                raise CliError(_option_words(str(error))) from None
    written = _write(runs, out) if out is not None else []
    if args.format == "json":
        from alvh_rules.backtesting.arguments import gap_words

        for gap in runs[0].data_gaps:  # stdout stays the JSON alone
            print(f"alvh backtest: warning: data: {gap_words(gap)}", file=sys.stderr)
        _print_json(runs)
    else:
        from alvh_rules.cli.backtest_view import print_runs

        print_runs(runs, data_label, written)
    return 0


def _write(runs: list[Backtest], out: Path) -> list[Path]:
    from alvh_rules.backtesting.files import OutputError, write_files
    from alvh_rules.backtesting.report import report_html

    try:
        if len(runs) == 1:
            return runs[0].write(out)
        written = []
        for number, one in enumerate(runs, start=1):
            written += one.write(out / f"{number}-{_slug(one.title)}", report=False)
        return [*written, *write_files(out, {"report.html": report_html(runs).encode("utf-8")})]
    except OutputError as error:
        raise CliError(f"--out: {error}") from None


def _params_of(ruleset: Ruleset, path: str, sets: list[str], count: int) -> dict[str, str]:
    """`--set` applies to every ruleset compared: an error names the one that refuses it."""
    try:
        return parse_params(ruleset, sets)
    except CliError as error:
        if count == 1:
            raise
        raise CliError(f"{path}: {error}", error.code) from None


def _check_out(out: Path, titles: list[str]) -> None:
    """Refuse, before any run, an --out that is a file or holds a symlink or a folder where
    an output goes (files.check_targets; the write checks again)."""
    from alvh_rules.backtesting.files import OUTPUT_NAMES, OutputError, check_targets

    folders = (
        [out] if len(titles) == 1 else [out / f"{n}-{_slug(t)}" for n, t in enumerate(titles, 1)]
    )
    try:
        for folder in folders:
            check_targets(folder, [folder / name for name in OUTPUT_NAMES])
        check_targets(out, [out / "report.html"])
    except OutputError as error:
        raise CliError(f"--out: {error}") from None


def _print_json(runs: list[Backtest]) -> None:
    from alvh_rules.backtesting.summary import json_ready

    body: Any = (
        json_ready(runs[0].summary)
        if len(runs) == 1
        else [{"ruleset": one.title, "summary": json_ready(one.summary)} for one in runs]
    )
    print(json.dumps(body, indent=2, allow_nan=False))


def _slug(title: str) -> str:
    """A folder name for a run: the title's letters and digits, at most 60 of them (a
    title may be longer than a file name may be)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in title)[:60] or "ruleset"


def _option_words(message: str) -> str:
    for word, option in (("start ", "--start "), ("end ", "--end "), ("capital ", "--capital ")):
        if message.startswith(word):
            return option + message[len(word) :]
    return message


class _DelayedBar:
    """A progress bar on stderr that appears only once a run has taken a second (terminal)."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.started = time.perf_counter()
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> _DelayedBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, done: int, total: int) -> None:
        if self.progress is None:
            if time.perf_counter() - self.started < BAR_AFTER_SECONDS or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(
                TextColumn(f"backtest {self.title}"),
                BarColumn(),
                TextColumn("{task.completed:.0f}/{task.total:.0f} days"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("days", total=total)
        if self.task is not None:
            self.progress.update(self.task, completed=done)
