"""Names and what they refer to: declarations of the ruleset plus the built-in catalogue.

One table per loaded program (a file and its imports share one namespace). Each symbol
knows where it is declared, its unit and a one-line description (used by hover in the
language server and by "did you mean" suggestions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from alvh_rules.lang import catalog
from alvh_rules.lang.diagnostics import Span
from alvh_rules.lang.diagnostics import did_you_mean as did_you_mean  # its users import it here

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
