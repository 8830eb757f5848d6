"""Hover texts: params, lets and rules of the ruleset, built-in functions, market and position
fields, structures and event kinds, in the trader's words with units and history needs.

Everything here returns Markdown or None; the server wraps it in an LSP Hover.
"""

from __future__ import annotations

from alvh_rules.check import Ruleset
from alvh_rules.check.symbols import Symbol
from alvh_rules.lang import builtins, catalog
from alvh_rules.lang.reference import NEEDS_TEXT, UNIT_TEXT
from alvh_rules.lsp.lookup import Word, span_text
from alvh_rules.syntax import ast


def _unit(unit: str) -> str:
    return f"`{unit}`" if unit else "none stated"


def symbol_hover(ruleset: Ruleset, symbol: Symbol) -> str | None:
    """Markdown for a declared name (param, let, rule) or a catalogue name the checker resolved."""
    node = symbol.node
    if symbol.kind == "param" and isinstance(node, ast.Param):
        lines = [
            f"```alvh\nparam {symbol.name}\n```",
            f"default `{span_text(ruleset, node.default.span)}`",
        ]
        if node.low is not None and node.high is not None:
            low, high = span_text(ruleset, node.low.span), span_text(ruleset, node.high.span)
            lines.append(f"bounds `{low} .. {high}`")
        lines.append(f"unit {_unit(symbol.unit)}")
        return "\n\n".join(lines)
    if symbol.kind == "let" and isinstance(node, ast.Let):
        definition = span_text(ruleset, node.value.span)
        return f"```alvh\nlet {symbol.name} = {definition}\n```\n\nunit {_unit(symbol.unit)}"
    if isinstance(node, ast.Rule):
        return _rule_hover(node)
    if symbol.kind == "field":
        return market_field_hover(symbol.name)
    if symbol.kind in ("figure", "portfolio", "context", "event"):
        unit = f"\n\nunit {_unit(symbol.unit)}" if symbol.unit else ""
        return f"**{symbol.name}** ({symbol.kind}): {symbol.detail}{unit}"
    return None


def _rule_hover(rule: ast.Rule) -> str:
    head = f"{rule.rule_kind} {rule.name.name}"
    if rule.target is not None:
        head += f" of {rule.target.name}"
    keywords = [c.keyword if isinstance(c, ast.Clause) else c.kind for c in rule.clauses]
    clauses = ", ".join(dict.fromkeys(keywords)) or "no clauses"
    text = f"```alvh\n{head}\n```\n\n{rule.rule_kind} rule"
    if rule.target is not None:
        text += f" acting on `{rule.target.name}`"
    return text + f"; clauses: {clauses}"


def market_field_hover(name: str) -> str | None:
    field = catalog.MARKET_FIELDS.get(name)
    if field is None:
        return None
    source = f"\n\nsource: {field.source}" if field.source else ""
    return (
        f"**{field.name}** (market field, {field.frequency}): {field.description}\n\n"
        f"unit `{field.unit_name}`; known from {field.as_of}{source}"
    )


def function_hover(name: str) -> str | None:
    function = builtins.BUILTINS.get(name)
    if function is None:
        return None
    needs = NEEDS_TEXT.get(name, "1")
    result = UNIT_TEXT.get(function.unit, function.unit)
    members = ""
    if function.members:
        members = "\n\nparts: " + ", ".join(f"`.{m}`" for m in function.members)
    return (
        f"```alvh\n{function.signature}\n```\n\n{function.description}\n\n"
        f"result: {result}; history needed: {needs} bars{members}"
    )


def member_hover(name: str, base: str) -> str | None:
    """A figure after a dot: `portfolio.capital`, `position.vega`, `macd(...).signal`."""
    figure = catalog.POSITION_FIELDS.get(name)
    if base == "portfolio" and name in catalog.PORTFOLIO_FIELDS:
        figure = catalog.PORTFOLIO_FIELDS[name]
    if figure is not None:
        owner = base or "position"
        return f"**{owner}.{figure.name}**: {figure.description}\n\nunit `{figure.unit_name}`"
    if name in builtins.BUILTINS["macd"].members:
        return f"**.{name}**: a part of `macd(...)`; history needed: {NEEDS_TEXT['macd']}"
    return None


def structure_hover(name: str) -> str | None:
    structure = builtins.STRUCTURES.get(name)
    if structure is None:
        return None
    optional = [a for a in structure.args if a not in structure.required]
    args = ", ".join(structure.required)
    if optional:
        args += " (optional: " + ", ".join(optional) + ")"
    return (
        f"**open {structure.name}** ({structure.underlying}): {structure.description}\n\n"
        f"arguments: {args}"
    )


def word_hover(word: Word) -> str | None:
    """Hover for a name the ruleset does not declare (or while the text does not check)."""
    if word.after_dot:
        return member_hover(word.text, word.base)
    if word.before_paren and word.text in builtins.BUILTINS:
        return function_hover(word.text)
    for describe in (market_field_hover, structure_hover, function_hover):
        text = describe(word.text)
        if text:
            return text
    if word.text in catalog.EVENT_KINDS:
        return f"**{word.text}** (calendar event): {catalog.EVENT_KINDS[word.text]}"
    return None
