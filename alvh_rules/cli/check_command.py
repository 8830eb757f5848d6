"""`alvh check PATH...`: check ruleset files; exit 0 clean, 1 findings, 2 usage or I/O error.

This path imports only the language core (no pandas, scipy or matplotlib): it runs in
pre-commit hooks and CI, where start-up time matters.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alvh_rules.check.result_cache import Digests, FileResult

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
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="check every file again, ignoring and not writing .alvh_cache/",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from alvh_rules.check.result_cache import CheckCache, Digests, check_files
    from alvh_rules.lang.files import ruleset_files

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        for path in missing:
            print(f"alvh check: no such file or folder: {path}", file=sys.stderr)
        return 2
    files = ruleset_files(args.paths)
    if not files:
        print(f"alvh check: no .alvh files in {', '.join(args.paths)}", file=sys.stderr)
        return 2
    digests = Digests()
    cache = None if args.no_cache else CheckCache.from_environment(digests)
    results = check_files(files, cache, digests)
    found = {
        (d["span"]["file"], d["span"]["line"], d["span"]["column"], d["code"], d["message"]): d
        for result in results
        for d in result.diagnostics
    }
    if args.strict:
        found = {key: {**d, "severity": "error"} for key, d in found.items()}
    errors = sum(1 for d in found.values() if d["severity"] == "error")
    warnings = len(found) - errors
    if args.format == "text":
        if found:
            print(_render("text", found, results, digests))
        _print_summary(len(results), errors, warnings)
        if args.explain_needs:
            print(_needs_text(results))
    elif args.format == "json":
        payload = json.loads(_render("json", found, results, digests))
        if args.explain_needs:
            payload["needs"] = {r.path: r.needs for r in results if r.needs is not None}
        print(json.dumps(payload, indent=2))
    else:
        output = _render(args.format, found, results, digests)
        if output:
            print(output)
    return 1 if errors else 0


def _render(
    form: str,
    found: dict[tuple[Any, ...], dict[str, Any]],
    results: list[FileResult],
    digests: Digests,
) -> str:
    """The diagnostics in `form`, sorted by place; the renderers need the pydantic models,
    so they are built only here (a clean run from the cache never imports them)."""
    from alvh_rules.cli import render
    from alvh_rules.lang.diagnostics import Diagnostic

    diagnostics = [Diagnostic.model_validate(found[key]) for key in sorted(found)]
    if form == "text":
        sources = {
            name: text
            for result in results
            for name, path in result.sources.items()
            if (text := digests.text(path)) is not None
        }
        return render.render_text(diagnostics, sources)
    if form == "json":
        return render.render_json(diagnostics)
    if form == "github":
        return render.render_github(diagnostics)
    return render.render_sarif(diagnostics)


def _print_summary(files: int, errors: int, warnings: int) -> None:
    summary = f"checked {files} file{'s' if files != 1 else ''}: "
    summary += f"{errors} error{'s' if errors != 1 else ''}, "
    summary += f"{warnings} warning{'s' if warnings != 1 else ''}"
    print(summary, file=sys.stderr if errors else sys.stdout)


def _needs_text(results: list[FileResult]) -> str:
    lines = []
    for result in results:
        if result.needs is None:
            continue
        lines.append(f"{result.path}: history needed (bars of each series)")
        for rule, needs in result.needs.items():
            shown = ", ".join(f"{name} {bars}" for name, bars in sorted(needs.items())) or "none"
            lines.append(f"  {rule}: {shown}")
        total = ", ".join(f"{n} {b}" for n, b in result.history.items()) or "none"
        lines.append("  all rules: " + total)
    return "\n".join(lines)
