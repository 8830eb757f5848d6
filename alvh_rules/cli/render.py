"""Diagnostics for people and machines: text with carets, JSON, GitHub annotations, SARIF 2.1.0.

Text output is `file:line:col: severity[CODE]: message`, then the source line and a
caret line under the span, then the hint; the format cel-go and rustc users know.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from alvh_rules import __version__
from alvh_rules.lang.codes import CODES
from alvh_rules.lang.diagnostics import Diagnostic

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DOCS_URL = "docs/errors.md"


def render_text(diagnostics: Sequence[Diagnostic], sources: Mapping[str, str]) -> str:
    # Each file is split into lines once, not once per diagnostic: a big file with thousands
    # of findings would otherwise take time quadratic in its size.
    lines_of: dict[str, list[str]] = {}
    blocks = []
    for diagnostic in diagnostics:
        file = diagnostic.span.file
        if file not in lines_of and file in sources:
            lines_of[file] = sources[file].splitlines()
        blocks.append(_text_block(diagnostic, lines_of.get(file)))
    return "\n".join(blocks)


def _text_block(diagnostic: Diagnostic, source_lines: list[str] | None) -> str:
    span = diagnostic.span
    # Messages may come from a cache file or quote the source: no escape code reaches the
    # terminal raw.
    header = f"{span}: {diagnostic.severity}[{diagnostic.code}]: {diagnostic.message}"
    lines = [_printable(header, keep="\n")]
    if source_lines is not None and 1 <= span.line <= len(source_lines):
        start = max(span.column, 1)
        full = source_lines[span.line - 1]
        end = span.end_column if span.end_line == span.line else len(full) + 1
        text, start, end = _window(full, start, end)
        text = text.replace("\t", " ")
        width = max(1, min(end, len(text) + 1) - start)
        gutter = f"{span.line:>4} | "
        lines.append(gutter + _printable(text))
        lines.append(" " * (len(gutter) + start - 1) + "^" * width)
    if diagnostic.hint:
        lines.append(_printable(f"     = hint: {diagnostic.hint}", keep="\n"))
    return "\n".join(lines) + "\n"


def _window(text: str, start: int, end: int, width: int = 100) -> tuple[str, int, int]:
    """A long source line cut to about `width` characters around the span (1-based columns)."""
    if len(text) <= width:
        return text, start, end
    left = max(0, start - 1 - width // 3)
    excerpt = text[left : left + width]
    prefix = "..." if left else ""
    suffix = "..." if left + width < len(text) else ""
    shift = left - len(prefix)
    return (
        prefix + excerpt + suffix,
        start - shift,
        min(end - shift, len(prefix) + len(excerpt) + 1),
    )


def _printable(text: str, keep: str = "") -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else "\N{REPLACEMENT CHARACTER}" for c in text)


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    payload = {
        "version": __version__,
        "diagnostics": [d.model_dump(mode="json") for d in diagnostics],
        "errors": sum(1 for d in diagnostics if d.is_error),
        "warnings": sum(1 for d in diagnostics if not d.is_error),
    }
    return json.dumps(payload, indent=2)


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic."""
    out = []
    for d in diagnostics:
        s = d.span
        message = _escape_github_data(d.message + (f" (hint: {d.hint})" if d.hint else ""))
        props = (
            f"file={_escape_github_property(s.file)},line={s.line},col={s.column},"
            f"endLine={s.end_line},endColumn={s.end_column},title={d.code}"
        )
        out.append(_printable(f"::{d.severity} {props}::{message}"))
    return "\n".join(out)


def _escape_github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(text: str) -> str:
    return _escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def render_sarif(diagnostics: Sequence[Diagnostic]) -> str:
    used = sorted({d.code for d in diagnostics})
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": CODES.get(code, code)},
            "helpUri": f"{DOCS_URL}#{code.lower()}",
        }
        for code in used
    ]
    results = [_sarif_result(d, used.index(d.code)) for d in diagnostics]
    log: dict[str, Any] = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "alvh",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/alvh-rules/",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2)


def _sarif_result(d: Diagnostic, rule_index: int) -> dict[str, Any]:
    s = d.span
    message = d.message + (f" (hint: {d.hint})" if d.hint else "")
    return {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": "error" if d.is_error else "warning",
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": s.file.replace("\\", "/")},
                    "region": {
                        "startLine": max(s.line, 1),
                        "startColumn": max(s.column, 1),
                        "endLine": max(s.end_line, s.line, 1),
                        "endColumn": max(s.end_column, 1),
                    },
                }
            }
        ],
    }
