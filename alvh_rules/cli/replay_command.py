"""`alvh replay RULESET`: every rule's state on every trading day of a history, a summary
(days per state, regime spans, unknown days and why), the timeline as CSV, Parquet or JSON,
and a chart (PNG, or HTML with the summary). Exit 0, 1 on ruleset errors, 2 on bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alvh_rules.cli.inputs import (
    CliError,
    add_common_arguments,
    add_smile_argument,
    load_history,
    load_ruleset,
    parse_params,
    trading_date,
)

if TYPE_CHECKING:
    import pandas as pd

    from alvh_rules.check.ruleset import Ruleset
    from alvh_rules.market.history import History

TIMELINE_SUFFIXES = (".csv", ".parquet", ".json")
PLOT_SUFFIXES = (".png", ".html")
MAX_REASONS = 6  # missing values listed per sampled unknown day
SIGNALS_ONLY = (
    "signals only: each day is evaluated with no position held "
    "(alvh backtest carries positions through time)"
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="replay a ruleset over a history: states per day, summary, chart",
        description=(
            "Compute every rule's state on every trading day of the history (signals only: "
            "positions are not simulated; `alvh backtest` does that) and summarise how often "
            "each rule fired."
        ),
    )
    add_common_arguments(parser)
    add_smile_argument(parser)
    parser.add_argument(
        "--from",
        "--start",  # backtest's and sweep's name for the same day
        dest="start",
        type=trading_date,
        metavar="YYYY-MM-DD",
        help="first day of the timeline (earlier days still warm up indicators)",
    )
    parser.add_argument(
        "--to", "--end", dest="end", type=trading_date, metavar="YYYY-MM-DD", help="last day"
    )
    parser.add_argument(
        "--out", metavar="FILE", help="write the timeline: .csv, .parquet or .json by extension"
    )
    parser.add_argument(
        "--plot", metavar="FILE", help="draw the chart: .png, or .html with the summary"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except CliError as error:
        return error.report("replay")


def _run(args: argparse.Namespace) -> int:
    from rich.markup import escape

    from alvh_rules.cli.decision_view import params_line
    from alvh_rules.cli.inputs import param_units
    from alvh_rules.cli.replay_view import print_summary
    from alvh_rules.cli.terminal import make_console, progress_steps
    from alvh_rules.eval.params import resolve_params
    from alvh_rules.eval.replay_summary import sample_unknown_reasons, summarize

    out = _output_path(args.out, TIMELINE_SUFFIXES, "--out")
    plot = _output_path(args.plot, PLOT_SUFFIXES, "--plot")
    if args.start is not None and args.end is not None and args.start > args.end:
        raise CliError(f"--from {args.start} is after --to {args.end}")
    ruleset = load_ruleset(args.ruleset)
    params = parse_params(ruleset, args.sets)
    with progress_steps(total=5) as steps:
        steps.start(f"loading {args.data or 'built-in demo data'}")
        history, data_label = load_history(args.data, args.smile)
        steps.done()
        steps.start("replaying")
        timeline = _replay(ruleset, history, args, params)
        steps.done()
        steps.start("explaining unknown days")
        summary = summarize(timeline, {r.name.name: r.rule_kind for r in ruleset.rules})
        sample_unknown_reasons(summary, _reasons_on(ruleset, history, args, params))
        steps.done()
        if out is not None:
            steps.start(f"writing {out}")
            write_timeline(timeline, out)
        steps.done()
        if plot is not None:
            steps.start(f"drawing {plot}")
            _draw(plot, timeline, history, ruleset, summary, data_label)
        steps.done()
    console = make_console()
    console.print(f"[bold]{escape(ruleset.title)}[/] ([dim]{escape(data_label)}[/])")
    console.print(
        f"[dim]{escape(params_line(resolve_params(ruleset, params), param_units(ruleset)))}[/]"
    )
    if args.capital is not None or args.risk_budget is not None:
        account = [
            f"{what} {amount:,.0f} $"
            for what, amount in (("capital", args.capital), ("risk budget", args.risk_budget))
            if amount is not None
        ]
        console.print(f"[dim]account: {', '.join(account)}[/]")
    console.print(f"[dim]{SIGNALS_ONLY}[/]")
    print_summary(console, summary)
    for path, what in ((out, "timeline"), (plot, "chart")):
        if path is not None:
            console.print(f"wrote {what}: {path}")
    return 0


def _output_path(given: str | None, suffixes: tuple[str, ...], option: str) -> Path | None:
    """Check an output path before any work: a known extension and an existing folder."""
    if given is None:
        return None
    path = Path(given)
    if path.suffix.lower() not in suffixes:
        raise CliError(f"{option} {given}: the extension must be one of {', '.join(suffixes)}")
    if not path.parent.is_dir():
        raise CliError(f"{option} {given}: no such folder {path.parent}")
    from alvh_rules.backtesting.files import OutputError, check_targets

    try:  # a symlink or a folder at the path is refused, as `alvh backtest --out` does
        check_targets(path.parent, [path])
    except OutputError as error:
        raise CliError(f"{option} {error}") from None
    return path


def write_output(path: Path, data: bytes, option: str) -> None:
    """Write one output file, never through a symlink, never half-written."""
    from alvh_rules.backtesting.files import OutputError, write_files

    try:
        write_files(path.parent, {path.name: data})
    except OutputError as error:
        raise CliError(f"{option} {error}") from None


def _replay(
    ruleset: Ruleset, history: History, args: argparse.Namespace, params: dict[str, str]
) -> pd.DataFrame:
    from alvh_rules.eval.replay import replay

    first, last = history.index[0].date(), history.index[-1].date()
    for option, day in (("--from", args.start), ("--to", args.end)):
        if day is not None and not first <= day <= last:
            raise CliError(f"{option} {day} is outside the history ({first} to {last})")
    timeline = replay(
        ruleset,
        history,
        args.start,
        args.end,
        params,
        capital=args.capital,
        risk_budget=args.risk_budget,
    )
    if timeline.empty:
        raise CliError(f"no trading day between {args.start or first} and {args.end or last}")
    return timeline


def _reasons_on(
    ruleset: Ruleset, history: History, args: argparse.Namespace, params: dict[str, str]
) -> Any:
    """Why rules are unknown on a day: the `missing` reasons of that day's Decision."""
    from alvh_rules.eval.interpreter import evaluate
    from alvh_rules.eval.replay_summary import FAILED_DAY

    def reasons(day: dt.date) -> list[str]:
        try:
            snapshot = history.snapshot(day, capital=args.capital, risk_budget=args.risk_budget)
            decision = evaluate(ruleset, snapshot, params)
        except Exception as error:  # one day failing must not lose the whole replay
            return [f"{FAILED_DAY} {day}: {type(error).__name__}: {error}"]
        # Values that left some rule unknown or blocked come first; the rest only if alone.
        found = [f"{m.reason} (affects {', '.join(m.rules)})" for m in decision.missing if m.rules]
        found = list(dict.fromkeys(found or [m.reason for m in decision.missing]))
        if len(found) > MAX_REASONS:
            found = [*found[:MAX_REASONS], f"... and {len(found) - MAX_REASONS} more"]
        return found or ["no missing value named (see alvh eval --explain on this day)"]

    return reasons


def write_timeline(timeline: pd.DataFrame, path: Path) -> None:
    """The timeline in the format its extension names (dates as YYYY-MM-DD)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = timeline.to_csv(date_format="%Y-%m-%d").encode("utf-8")
    elif suffix == ".parquet":
        buffer = io.BytesIO()
        try:
            timeline.to_parquet(buffer)
        except ImportError:
            raise CliError(
                f"--out {path}: writing Parquet needs pyarrow (pip install 'alvh-rules[parquet]')"
            ) from None
        data = buffer.getvalue()
    else:
        table = timeline.reset_index()
        table["date"] = table["date"].dt.strftime("%Y-%m-%d")
        data = table.to_json(orient="records", indent=1).encode("utf-8")
    write_output(path, data, "--out")


def _draw(
    path: Path,
    timeline: pd.DataFrame,
    history: History,
    ruleset: Ruleset,
    summary: Any,
    data_label: str,
) -> None:
    from alvh_rules.cli.replay_plot import chart_png, plot_bytes
    from alvh_rules.eval.interpreter import plan_for

    prices = history.daily.loc[timeline.index, ["spx", "vix"]]
    title = f"{ruleset.title}: replay {summary.first} to {summary.last}; {data_label}"
    png = chart_png(timeline, prices, list(plan_for(ruleset).regime_names), title)
    write_output(path, plot_bytes(path, png, summary, title), "--plot")
