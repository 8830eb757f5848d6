"""Diagnostics and formatting for the editor: checker findings as LSP diagnostics, and the
canonical layout as one whole-document edit (none when the text does not parse).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types

from alvh_rules.lang.diagnostics import Diagnostic, RulesetError
from alvh_rules.lsp.documents import DocumentState, resolve_file
from alvh_rules.lsp.lookup import import_at, span_range

SOURCE = "alvh"
MAX_RELATED = 20  # errors of one imported file listed beside its summary

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
}


def lsp_diagnostic(diagnostic: Diagnostic) -> types.Diagnostic:
    message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
    return types.Diagnostic(
        range=span_range(diagnostic.span),
        severity=_SEVERITY.get(diagnostic.severity, types.DiagnosticSeverity.Error),
        code=diagnostic.code,
        source=SOURCE,
        message=message,
    )


def document_diagnostics(state: DocumentState, text: str) -> list[types.Diagnostic]:
    """Check the text and keep the findings that point into this document; errors of
    imported files are summed up on the `import` line that brings them in."""
    report = state.check(text)
    owned: dict[str, bool] = {}
    found = []
    elsewhere: dict[str, list[Diagnostic]] = {}
    for diagnostic in report.diagnostics:
        name = diagnostic.span.file
        if name not in owned:
            owned[name] = state.owns(diagnostic.span)
        if owned[name]:
            found.append(lsp_diagnostic(diagnostic))
        elif diagnostic.is_error:
            elsewhere.setdefault(name, []).append(diagnostic)
    lines = text.splitlines()
    for name, errors in elsewhere.items():
        found.append(imported_errors(name, errors, _import_line(lines, state.path, name)))
    return found


def imported_errors(name: str, errors: list[Diagnostic], line: int) -> types.Diagnostic:
    """One diagnostic on an import line for the errors of a file it brings in."""
    first = errors[0]
    count = f"{len(errors)} error{'s' if len(errors) > 1 else ''}"
    where = f"{first.span.line}:{first.span.column}"
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=resolve_file(error.span.file).as_uri(), range=span_range(error.span)
            ),
            message=f"{error.code}: {error.message}",
        )
        for error in errors[:MAX_RELATED]
    ]
    start = types.Position(line=line, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=types.Position(line=line, character=10_000)),
        severity=types.DiagnosticSeverity.Error,
        code=first.code,
        source=SOURCE,
        message=f"{name} has {count}; the first, at {where}: {first.message}",
        related_information=related,
    )


def _import_line(lines: Sequence[str], document: Path, name: str) -> int:
    """The 0-based line of the import naming the file; else the first import; else 0."""
    target = resolve_file(name)
    first = None
    for number in range(len(lines)):
        imported = import_at(lines, number, document)
        if imported is None:
            continue
        if imported == target.resolve():
            return number
        first = number if first is None else first
    return first or 0


def internal_error_diagnostic(error: Exception) -> types.Diagnostic:
    """What the editor shows when the checker itself fails on this text."""
    start = types.Position(line=0, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=start),
        severity=types.DiagnosticSeverity.Error,
        code="internal",
        source=SOURCE,
        message=f"alvh lsp could not check this text: {type(error).__name__}: {error}",
    )


def format_edits(text: str, lines: Sequence[str]) -> list[types.TextEdit]:
    """One edit replacing the whole document with its formatted text; [] if it does not
    parse or is already formatted."""
    from alvh_rules import format_text

    try:
        formatted = format_text(text)
    except RulesetError:
        return []
    if formatted == text:
        return []
    end = types.Position(line=len(lines), character=0)
    whole = types.Range(start=types.Position(line=0, character=0), end=end)
    return [types.TextEdit(range=whole, new_text=formatted)]
