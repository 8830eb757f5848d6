"""`alvh data fetch DIR`: download the public source files (Cboe, FRED, Stooq) into a data
folder through `alvh_rules.market.fetch`, and say what was written and what failed and why.
Exit 0 when every file was written, 1 when some failed, 2 when none could be (offline).
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
        help="market data: fetch the public source files into a folder",
        description="Manage the market data folders `alvh eval --data` and `alvh replay` read.",
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
