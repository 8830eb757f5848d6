"""`alvh test PATH...`: run the `test` blocks of rulesets; exit 0 when every test passes,
1 on a failed test or a check error, 2 on usage or I/O errors. Heavy imports (the
interpreter, pandas) happen inside `run`, so `alvh --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "test",
        help="run ruleset tests (test blocks and *.test.alvh files)",
        description=(
            "Run the `test` blocks of .alvh files (folders are searched recursively). "
            "`on builtin` or no `on` runs on the built-in demo history's last day; "
            "`on DATE` on that day of --data DIR (skipped without --data)."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="ruleset files or folders")
    parser.add_argument("--data", metavar="DIR", help="market data folder for `on DATE` tests")
    parser.add_argument("--junit-xml", metavar="FILE", help="write JUnit XML results to FILE")
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="report rules never seen firing / not firing and condition outcomes never reached",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list passing tests too")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from alvh_rules.cli import render
    from alvh_rules.testing.coverage import coverage_lines, measure
    from alvh_rules.testing.junit import write_junit
    from alvh_rules.testing.report import result_lines, summary_line
    from alvh_rules.testing.runner import run_paths

    missing = [p for p in args.paths if not Path(p).exists()]
    if args.data is not None and not Path(args.data).is_dir():
        missing.append(args.data)
    if missing:
        for path in missing:
            print(f"alvh test: no such file or folder: {path}", file=sys.stderr)
        return 2
    report = run_paths(args.paths, data_dir=args.data)
    if report.diagnostics:
        print(render.render_text(report.diagnostics, report.sources))
    for result in report.results:
        for line in result_lines(result, verbose=args.verbose):
            print(line)
    if not report.results and not report.diagnostics:
        print(f"alvh test: no tests in {', '.join(args.paths)}", file=sys.stderr)
    print(summary_line(report))
    if args.coverage:
        print("\n".join(coverage_lines(measure(report))))
    if args.junit_xml:
        write_junit(report, args.junit_xml)
    return 0 if report.ok else 1
