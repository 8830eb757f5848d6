"""Diagnostics and formatting for the editor: checker findings as LSP diagnostics, and the
canonical layout as one whole-document edit (none when the text does not parse).
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from alvh_rules.diagnostics import Diagnostic, RulesetError
from alvh_rules.lsp.documents import DocumentState
from alvh_rules.lsp.lookup import span_range

SOURCE = "alvh"

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
    """Check the text and keep the findings that point into this document."""
    report = state.check(text)
    owned: dict[str, bool] = {}
    found = []
    for diagnostic in report.diagnostics:
        name = diagnostic.span.file
        if name not in owned:
            owned[name] = state.owns(diagnostic.span)
        if owned[name]:
            found.append(lsp_diagnostic(diagnostic))
    return found


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
