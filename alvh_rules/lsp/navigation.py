"""Go to definition, find references and the document's outline (document symbols).

Locations come from the checker's symbol table: each declared symbol knows its declaration
span and the span of every use; an `import "..."` line jumps to the imported file.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from alvh_rules.check import Ruleset
from alvh_rules.check.symbols import Symbol
from alvh_rules.lang.diagnostics import Span
from alvh_rules.lsp.documents import resolve_file
from alvh_rules.lsp.lookup import file_names, span_range
from alvh_rules.syntax import ast


def span_location(span: Span) -> types.Location:
    return types.Location(uri=resolve_file(span.file).as_uri(), range=span_range(span))


def definition(symbol: Symbol) -> types.Location | None:
    return span_location(symbol.span) if symbol.span is not None else None


def import_location(path: Path) -> types.Location | None:
    if not path.is_file():
        return None
    start = types.Position(line=0, character=0)
    return types.Location(uri=path.as_uri(), range=types.Range(start=start, end=start))


def references(symbol: Symbol, include_declaration: bool) -> list[types.Location]:
    spans = list(symbol.uses)
    if include_declaration and symbol.span is not None:
        spans.insert(0, symbol.span)
    return [span_location(span) for span in spans]


_RULE_KINDS: dict[str, types.SymbolKind] = {
    "regime": types.SymbolKind.EnumMember,
    "limit": types.SymbolKind.Interface,
    "entry": types.SymbolKind.Function,
    "layer": types.SymbolKind.Function,
    "roll": types.SymbolKind.Method,
}


def _outline_entry(item: ast.Node) -> tuple[str, str, types.SymbolKind, Span] | None:
    """(name, detail, kind, name span) of an item the outline shows, else None."""
    if isinstance(item, ast.Param):
        return item.name.name, "param", types.SymbolKind.Constant, item.name.span
    if isinstance(item, ast.Let):
        return item.name.name, "let", types.SymbolKind.Variable, item.name.span
    if isinstance(item, ast.Rule):
        detail = item.rule_kind + (f" of {item.target.name}" if item.target else "")
        return item.name.name, detail, _RULE_KINDS[item.rule_kind], item.name.span
    if isinstance(item, ast.TestBlock):
        return item.name, "test", types.SymbolKind.Module, item.span
    return None


def document_symbols(ruleset: Ruleset, path: Path) -> list[types.DocumentSymbol]:
    """The outline of the document's own items (not of the files it imports)."""
    names = file_names(ruleset, path)
    outline: list[types.DocumentSymbol] = []
    for module in ruleset.modules:
        if module.file not in names:
            continue
        for item in module.items:
            entry = _outline_entry(item)
            if entry is None:
                continue
            name, detail, kind, name_span = entry
            outline.append(
                types.DocumentSymbol(
                    name=name or "(unnamed test)",
                    detail=detail,
                    kind=kind,
                    range=span_range(item.span),
                    selection_range=span_range(name_span),
                )
            )
    return outline
