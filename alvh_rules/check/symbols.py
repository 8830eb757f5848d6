"""Names and what they refer to: declarations of the ruleset plus the built-in catalogue.

One table per loaded program (a file and its imports share one namespace). Each symbol
knows where it is declared, its unit and a one-line description (used by hover in the
language server and by "did you mean" suggestions).
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable, Sized
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from alvh_rules import catalog
from alvh_rules.diagnostics import Span

SymbolKind = Literal[
    "param",
    "let",
    "regime",
    "limit",
    "entry",
    "layer",
    "roll",
    "field",
    "portfolio",
    "figure",
    "builtin",
    "event",
    "context",
]


@dataclass(slots=True)
class Symbol:
    name: str
    kind: SymbolKind
    span: Span | None  # None for built-in names
    unit: str = ""
    detail: str = ""
    node: Any = None  # the declaring AST node, for declared names
    uses: list[Span] = field(default_factory=list)


# Names whose meaning depends on where they are used.
CONTEXT_NAMES: dict[str, str] = {
    "position": "this rule's position: the one an entry or layer would open, or a roll's target",
    "stack": "the portfolio with the position this entry or layer would open added to it",
    "atm": "the at-the-money strike of the structure being opened (only inside `open`)",
}


def builtin_symbols() -> dict[str, Symbol]:
    """Every name the language knows before any declaration."""
    table: dict[str, Symbol] = {}
    for name, market_field in catalog.MARKET_FIELDS.items():
        table[name] = Symbol(
            name,
            "field",
            None,
            market_field.unit_name,
            f"{market_field.description}; known from {market_field.as_of}",
        )
    table["portfolio"] = Symbol("portfolio", "portfolio", None, "", "the whole portfolio")
    for name, figure in catalog.PORTFOLIO_FIELDS.items():
        table[name] = Symbol(name, "figure", None, figure.unit_name, figure.description)
    for name, description in CONTEXT_NAMES.items():
        table[name] = Symbol(name, "context", None, "", description)
    return table


def event_symbol(name: str) -> Symbol | None:
    description = catalog.EVENT_KINDS.get(name)
    return Symbol(name, "event", None, "", description) if description else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest known names, or ""."""
    close = difflib.get_close_matches(name, _nearby(name, candidates), n=3, cutoff=0.6)
    if not close:
        return ""
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


# Past this many names (only machine-made files have them) a hint compares the unknown name
# with the nearest ones by length and spelling, not the whole table: N unknown names against
# M known ones cost N x M comparisons (6,847 against 13,700 took 93 s of CPU in a 256 KiB file).
HINT_POOL = 200
_ordered_pool: list[Any] = [None, -1, []]  # the last large table, its size, its names sorted


def _nearby(name: str, candidates: Iterable[str]) -> list[str]:
    if isinstance(candidates, Sized) and len(candidates) <= HINT_POOL:
        return list(candidates)
    table, size, ordered = _ordered_pool
    if table is not candidates or not isinstance(candidates, Sized) or size != len(candidates):
        ordered = sorted(candidates, key=_length_then_spelling)
        _ordered_pool[:] = [candidates, len(ordered), ordered]
    if len(ordered) <= HINT_POOL:
        return list(ordered)
    at = bisect.bisect_left(ordered, (len(name), name), key=_length_then_spelling)
    start = max(0, at - HINT_POOL // 2)
    return list(ordered[start : start + HINT_POOL])


def _length_then_spelling(name: str) -> tuple[int, str]:
    return len(name), name


@lru_cache(maxsize=1)
def reserved_words() -> frozenset[str]:
    """Keywords of the grammar: a declaration may not take one of these as its name."""
    # The AST parser's terminals: it is loaded already, a second Lark instance is not.
    from alvh_rules.syntax.parser import grammar_terminals

    words = set()
    for terminal in grammar_terminals():
        value = getattr(terminal.pattern, "value", "")
        if terminal.pattern.type == "str" and str(value).isidentifier():
            words.add(str(value))
    return frozenset(words)
