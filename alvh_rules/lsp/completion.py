"""Completion: what may be written at the cursor, read from the text just before it.

After `.` the figures of a position or the portfolio; after `open` the structures; right
after a number the unit suffixes; elsewhere the names in scope, fields, functions, keywords.
"""

from __future__ import annotations

import re

from lsprotocol import types

from alvh_rules.check import Ruleset
from alvh_rules.check.symbols import CONTEXT_NAMES, reserved_words
from alvh_rules.lang import builtins, catalog
from alvh_rules.lang.units import SUFFIXES
from alvh_rules.lsp.lookup import declared_symbols

_AFTER_DOT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|\))\s*\.\s*[A-Za-z0-9_]*$")
_AFTER_OPEN = re.compile(r"\bopen\s+(?:(?:long|short)\s+)?[A-Za-z0-9_]*$")
_AFTER_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d+(?:\.\d+)?(?:[eE][-+]?\d+)?[A-Za-z$/]*$")

_KIND_OF_SYMBOL: dict[str, types.CompletionItemKind] = {
    "param": types.CompletionItemKind.Constant,
    "let": types.CompletionItemKind.Variable,
    "regime": types.CompletionItemKind.EnumMember,
    "limit": types.CompletionItemKind.Interface,
    "entry": types.CompletionItemKind.Function,
    "layer": types.CompletionItemKind.Function,
    "roll": types.CompletionItemKind.Method,
}


def _item(
    label: str, kind: types.CompletionItemKind, detail: str, documentation: str = ""
) -> types.CompletionItem:
    return types.CompletionItem(
        label=label, kind=kind, detail=detail, documentation=documentation or None
    )


def member_items(base: str) -> list[types.CompletionItem]:
    """Figures after a dot: the portfolio's own and every position figure; macd's parts."""
    if base == ")":
        return [
            _item(m, types.CompletionItemKind.Field, "part of macd(...)")
            for m in builtins.BUILTINS["macd"].members
        ]
    figures = dict(catalog.POSITION_FIELDS)
    if base == "portfolio":
        figures.update(catalog.PORTFOLIO_FIELDS)
    return [
        _item(f.name, types.CompletionItemKind.Field, f"`{f.unit_name}`", f.description)
        for f in figures.values()
    ]


def structure_items() -> list[types.CompletionItem]:
    return [
        _item(s.name, types.CompletionItemKind.Struct, s.underlying, s.description)
        for s in builtins.STRUCTURES.values()
    ]


def unit_items() -> list[types.CompletionItem]:
    return [
        _item(s.text, types.CompletionItemKind.Unit, "unit", s.meaning) for s in SUFFIXES.values()
    ]


def scope_items(ruleset: Ruleset | None) -> list[types.CompletionItem]:
    """Declared names, market fields, built-in functions, context names, events, keywords."""
    items: dict[str, types.CompletionItem] = {}
    for word in sorted(reserved_words()):
        items[word] = _item(word, types.CompletionItemKind.Keyword, "keyword")
    for name, description in catalog.EVENT_KINDS.items():
        items[name] = _item(name, types.CompletionItemKind.Event, "calendar event", description)
    for name, description in CONTEXT_NAMES.items():
        items[name] = _item(name, types.CompletionItemKind.Variable, "context", description)
    items["portfolio"] = _item("portfolio", types.CompletionItemKind.Variable, "the portfolio")
    for function in builtins.BUILTINS.values():
        items[function.name] = _item(
            function.name,
            types.CompletionItemKind.Function,
            function.signature,
            function.description,
        )
    for field in catalog.MARKET_FIELDS.values():
        items[field.name] = _item(
            field.name,
            types.CompletionItemKind.Field,
            f"market field `{field.unit_name}`",
            f"{field.description}; known from {field.as_of}",
        )
    if ruleset is not None:
        for symbol in declared_symbols(ruleset):
            kind = _KIND_OF_SYMBOL.get(symbol.kind, types.CompletionItemKind.Text)
            unit = f" `{symbol.unit}`" if symbol.unit else ""
            items[symbol.name] = _item(symbol.name, kind, f"{symbol.kind}{unit}")
    return list(items.values())


def complete(line_before_cursor: str, ruleset: Ruleset | None) -> list[types.CompletionItem]:
    """Candidates for the text written so far on the cursor's line."""
    if _in_comment(line_before_cursor):
        return []
    after_dot = _AFTER_DOT.search(line_before_cursor)
    if after_dot:
        return member_items(after_dot.group(1))
    if _AFTER_OPEN.search(line_before_cursor):
        return structure_items()
    if _AFTER_NUMBER.search(line_before_cursor):
        return unit_items()
    return scope_items(ruleset)


def _in_comment(line: str) -> bool:
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == "#" and not quoted:
            return True
    return False
