"""`alvh check PATH...`: check ruleset files; exit 0 clean, 1 findings, 2 usage or I/O error.

This path imports only the language core (no pandas, scipy or matplotlib): it runs in
pre-commit hooks and CI, where start-up time matters.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

FORMATS = ("text", "json", "github", "sarif")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check rulesets: syntax, names, types, units, imports",
        description="Check .alvh files (folders are searched recursively).",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="ruleset files or folders")
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--explain-needs",
        action="store_true",
        help="print how many bars of each market series every rule needs",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from alvh_rules.check.ruleset import check_paths, ruleset_files
    from alvh_rules.cli import render

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        for path in missing:
            print(f"alvh check: no such file or folder: {path}", file=sys.stderr)
        return 2
    if not ruleset_files(args.paths):
        print(f"alvh check: no .alvh files in {', '.join(args.paths)}", file=sys.stderr)
        return 2
    reports = check_paths(args.paths)
    sources: dict[str, str] = {}
    unique: dict[tuple[Any, ...], Any] = {}
    for report in reports:
        sources.update(report.sources)
        for d in report.diagnostics:
            unique[(d.sort_key(), d.message)] = d
    diagnostics = [unique[k] for k in sorted(unique)]
    if args.strict:
        diagnostics = [d.model_copy(update={"severity": "error"}) for d in diagnostics]
    errors = sum(1 for d in diagnostics if d.is_error)
    if args.format == "text":
        _print_text(
            render.render_text(diagnostics, sources), reports, errors, len(diagnostics) - errors
        )
        if args.explain_needs:
            print(_needs_text(reports))
    elif args.format == "json":
        payload = json.loads(render.render_json(diagnostics))
        if args.explain_needs:
            payload["needs"] = {r.path: r.ruleset.needs for r in reports if r.ruleset is not None}
        print(json.dumps(payload, indent=2))
    elif args.format == "github":
        output = render.render_github(diagnostics)
        if output:
            print(output)
    else:
        print(render.render_sarif(diagnostics))
    return 1 if errors else 0


def _print_text(text: str, reports: list[Any], errors: int, warnings: int) -> None:
    if text:
        print(text)
    files = len(reports)
    summary = f"checked {files} file{'s' if files != 1 else ''}: "
    summary += f"{errors} error{'s' if errors != 1 else ''}, "
    summary += f"{warnings} warning{'s' if warnings != 1 else ''}"
    print(summary, file=sys.stderr if errors else sys.stdout)


def _needs_text(reports: list[Any]) -> str:
    lines = []
    for report in reports:
        if report.ruleset is None:
            continue
        lines.append(f"{report.path}: history needed (bars of each series)")
        for rule, needs in report.ruleset.needs.items():
            shown = ", ".join(f"{name} {bars}" for name, bars in sorted(needs.items())) or "none"
            lines.append(f"  {rule}: {shown}")
        total = report.ruleset.history_needed()
        lines.append("  all rules: " + (", ".join(f"{n} {b}" for n, b in total.items()) or "none"))
    return "\n".join(lines)
