"""`alvh data fetch DIR`: download the public source files (Cboe, FRED, Stooq) into a data
folder through `alvh_rules.market.fetch`, and say what was written and what failed and why.
Exit 0 when every file was written, 1 when some failed, 2 when none could be (offline).
`alvh data check DIR`: load the folder as every command does and show what the load set
aside or flagged (`History.report`) and the days a backtest can value. Exit 0, 2 when the
folder cannot be loaded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_SOME_FAILED = 1
EXIT_NONE_WRITTEN = 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "data",
        help="market data: fetch the public source files into a folder, or check one",
        description="Manage the market data folders eval, replay, backtest and sweep read.",
    )
    actions = parser.add_subparsers(dest="data_action", metavar="ACTION", required=True)
    fetch_parser = actions.add_parser(
        "fetch",
        help="download the public files (Cboe VIX family, FRED rates and GDP, Stooq SPX)",
        description=(
            "Download the public source files into DIR (created if needed). A failed download "
            "keeps any older copy. Files with no public source (fundamentals, breadth, user "
            "series) are listed in docs/data.md."
        ),
    )
    fetch_parser.add_argument("folder", metavar="DIR", help="the data folder to write into")
    fetch_parser.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="per-file timeout"
    )
    fetch_parser.set_defaults(run=run_fetch)
    check_parser = actions.add_parser(
        "check",
        help="load a data folder and show what was set aside, flagged or is missing",
        description=(
            "Load DIR as eval, replay and backtest do, and print the load report grouped by "
            "file and kind (docs/data.md, 'Bad data'), each key field's first and last "
            "value, and the days a backtest can value."
        ),
    )
    check_parser.add_argument("folder", metavar="DIR", help="the data folder to check")
    check_parser.set_defaults(run=run_check)


KEY_FIELDS = ("spx", "spx_open", "vix", "vix_open", "risk_free", "vix9d", "vix3m", "vvix")


def run_check(args: argparse.Namespace) -> int:
    from alvh_rules.backtesting.arguments import PRICED_FIELDS
    from alvh_rules.cli.inputs import CliError, load_history

    try:
        history, label = load_history(args.folder)
    except CliError as error:  # the loader names the option --data; here it is DIR
        return CliError(str(error).removeprefix("--data "), error.code).report("data check")
    print(f"{label}, {len(history.index):,} trading days")
    daily = history.daily
    for name in KEY_FIELDS:
        known = daily[name].dropna().index if name in daily else daily.index[:0]
        span = f"{known[0].date()} to {known[-1].date()}" if len(known) else "no value"
        print(f"  {name:<10} {span}")
    valued = daily.reindex(columns=list(PRICED_FIELDS)).notna().all(axis=1)
    days = daily.index[valued.to_numpy()]
    if len(days):
        print(f"a backtest can value positions from {days[0].date()} to {days[-1].date()}")
    else:
        print(f"a backtest can value no day: {', '.join(PRICED_FIELDS)} are never all known")
    print(f"load report ({len(history.report):,} lines; docs/data.md says what each means):")
    for line in history.report.summary().splitlines():
        print(f"  {line}")
    return 0


def run_fetch(args: argparse.Namespace) -> int:
    from alvh_rules.market.fetch import PUBLIC_FILES, fetch

    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        print(f"alvh data fetch: {folder} is a file, not a folder", file=sys.stderr)
        return EXIT_NONE_WRITTEN
    if not args.timeout > 0:
        print(f"alvh data fetch: --timeout must be positive, got {args.timeout}", file=sys.stderr)
        return EXIT_NONE_WRITTEN
    print(f"fetching {len(PUBLIC_FILES)} public files into {folder}")
    report = fetch(folder, timeout=args.timeout)
    for path in report.written:
        print(f"  wrote   {path.name} ({path.stat().st_size:,} bytes)")
    for name, reason in sorted(report.failed.items()):
        print(f"  failed  {name}: {reason}", file=sys.stderr)
    if not report.written:
        print(
            "alvh data fetch: nothing downloaded (offline, or every source refused); "
            "older copies in the folder are untouched",
            file=sys.stderr,
        )
        return EXIT_NONE_WRITTEN
    print(f"{len(report.written)} written, {len(report.failed)} failed")
    return EXIT_SOME_FAILED if report.failed else 0
