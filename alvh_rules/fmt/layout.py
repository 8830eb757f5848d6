"""The canonical shape of each printed unit: declarations, rule headers, clauses, test lines.

Breakable units (conditions at and/or, `open` arguments, `beta`, assignments, legs) carry pieces.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from alvh_rules.fmt.expressions import AND, COND, OR, SUM, chain, expr, quote
from alvh_rules.fmt.shape import INDENT, Shape
from alvh_rules.syntax import ast

__all__ = ["INDENT", "Shape", "clause", "statement"]


def condition(indent: str, prefix: str, node: ast.Expr) -> Shape:
    """A condition after `prefix` (a keyword and a space, or nothing), broken at and/or, or
    before `then` and `else` of an `if`."""
    if isinstance(node, ast.Conditional):
        pieces = [
            (f"then {expr(node.if_true)}", node.if_true.span),
            (f"else {expr(node.if_false)}", node.if_false.span),
        ]
        return Shape(indent, f"{prefix}if {expr(node.test)}", node.test.span, pieces)
    op, operands = chain(node)
    if not op:
        return Shape(indent, prefix + expr(node))
    own = OR if op == "or" else AND
    first = operands[0]
    pieces = [(f"{op} {expr(x, own + 1)}", x.span) for x in operands[1:]]
    return Shape(indent, prefix + expr(first, own), first.span, pieces)


# ---- top-level declarations ---------------------------------------------------------


def header(item: ast.Header, indent: str) -> Shape:
    return Shape(indent, f"ruleset {quote(item.title)}")


def version(item: ast.Version, indent: str) -> Shape:
    return Shape(indent, f"version {item.number}")


def import_decl(item: ast.Import, indent: str) -> Shape:
    return Shape(indent, f"import {quote(item.path)}")


def param(item: ast.Param, indent: str) -> Shape:
    line = f"param {item.name.name} = {expr(item.default, SUM)}"
    if item.low is not None and item.high is not None:
        line += f" in {expr(item.low, SUM)} .. {expr(item.high, SUM)}"
    return Shape(indent, line)


def let(item: ast.Let, indent: str) -> Shape:
    return condition(indent, f"let {item.name.name} = ", item.value)


def regime(item: ast.Rule, indent: str) -> Shape:
    """A regime is one line: `regime steward: when ...` or `regime promoter: otherwise`."""
    head = f"regime {item.name.name}: "
    clause = item.clauses[0] if item.clauses else None
    if isinstance(clause, ast.Clause) and clause.condition is not None:
        return condition(indent, head + clause.keyword + " ", clause.condition)
    return Shape(indent, head + "otherwise")


def rule_header(item: ast.Rule, indent: str) -> Shape:
    target = f" on {item.target.name}" if item.target is not None else ""
    if item.candidates:
        target = f" on shortest({', '.join(c.name for c in item.candidates)})"
    return Shape(indent, f"{item.rule_kind} {item.name.name}{target}:")


# ---- clauses of rules -----------------------------------------------------------------


def clause(node: Any, indent: str) -> Shape:
    """Any clause of an entry, layer, roll or limit rule."""
    return _CLAUSES[type(node)](node, indent)


def _condition_clause(node: ast.Clause, indent: str) -> Shape:
    if node.condition is None:
        return Shape(indent, node.keyword)
    prefix = "" if node.keyword == "condition" else node.keyword + " "
    return condition(indent, prefix, node.condition)


def _open_spec(indent: str, prefix: str, spec: ast.OpenSpec) -> Shape:
    """`prefix[side ]structure`, then `name value` per argument."""
    structure = f"{spec.side} {spec.structure.name}" if spec.side else spec.structure.name
    pieces = [(f"{arg.name} {expr(arg.value)}", arg.span) for arg in spec.args]
    if spec.expiry is not None:
        pieces.append((f"expiry {spec.expiry.listing}", spec.expiry.span))
    return Shape(indent, prefix + structure, spec.structure.span, pieces, fill=True)


def _open_clause(node: ast.OpenClause, indent: str) -> Shape:
    return _open_spec(indent, "open ", node.spec)


def _size_clause(node: ast.SizeClause, indent: str) -> Shape:
    head = f"size {node.mode} {expr(node.amount)}"
    pieces = [] if node.beta is None else [("beta " + expr(node.beta), node.beta.span)]
    if node.costing is not None:
        pieces.append(("costing at most " + expr(node.costing), node.costing.span))
    if node.within:
        names = ", ".join(name.name for name in node.within)
        pieces.append((f"within {names}", node.within[0].span.to(node.within[-1].span)))
    return Shape(indent, head, node.amount.span, pieces)


def _roll_action(node: ast.RollAction, indent: str) -> Shape:
    if node.action == "forward" and node.amount is not None:
        return Shape(indent, f"roll forward {expr(node.amount)}")
    return Shape(indent, {"out": "roll out", "resize": "resize"}.get(node.action, "close"))


_CLAUSES: dict[type, Callable[[Any, str], Shape]] = {
    ast.Clause: _condition_clause,
    ast.OpenClause: _open_clause,
    ast.SizeClause: _size_clause,
    ast.RollAction: _roll_action,
}

# ---- ruleset tests --------------------------------------------------------------------


def test_header(item: ast.TestBlock, indent: str) -> Shape:
    return Shape(indent, f"test {quote(item.name)}:")


def statement(node: Any, indent: str) -> Shape:
    """Any statement of a test block."""
    return _STATEMENTS[type(node)](node, indent)


def _on(node: ast.TestOn, indent: str) -> Shape:
    return Shape(indent, f"on {node.date.isoformat() if node.date else 'builtin'}")


def _assignments(keyword: str, assignments: list[ast.Assignment], indent: str) -> Shape:
    texts = [f"{a.name.name} = {_assigned(a.value)}" for a in assignments]
    with_commas = [text + "," for text in texts[:-1]] + texts[-1:]
    pieces = [(text, a.span) for text, a in zip(with_commas[1:], assignments[1:], strict=True)]
    return Shape(indent, f"{keyword} {with_commas[0]}", assignments[0].span, pieces, fill=True)


_STARTS_WITH_UNKNOWN = re.compile(r"unknown\b")


def _assigned(value: ast.Expr | None) -> str:
    """An assigned value; `x = unknown` declares the value missing, so an expression that
    starts with a name `unknown` keeps its parentheses (`x = (unknown + 1)`)."""
    if value is None:
        return "unknown"
    text = expr(value, COND, True)
    return f"({text})" if _STARTS_WITH_UNKNOWN.match(text) else text


def _given(node: ast.TestGiven, indent: str) -> Shape:
    return _assignments("given", node.assignments, indent)


def _set(node: ast.TestSet, indent: str) -> Shape:
    return _assignments("set", node.assignments, indent)


def _leg(leg: ast.LegSpec) -> str:
    parts = [f"leg {leg.quantity:+d} {leg.instrument.name}"]
    if leg.right is not None:
        parts.append(leg.right)
    if leg.strike is not None:
        parts.append("strike " + expr(leg.strike, SUM))
    if leg.expiry_date is not None:
        parts.append("expiring " + leg.expiry_date.isoformat())
    elif leg.expiry_days is not None:
        parts.append("expiring " + leg.expiry_days.text)
    if leg.price is not None:
        parts.append("at " + expr(leg.price, SUM))
    return " ".join(parts)


def _holding(node: ast.TestHolding, indent: str) -> Shape:
    head = f"holding {node.name.name}:"
    held = [] if node.held is None else [("held " + expr(node.held, SUM), node.held.span)]
    if node.spec is not None:
        shape = _open_spec(indent, head + " ", node.spec)
        shape.pieces.extend(held)
        return shape
    legs = [(_leg(leg), leg.span) for leg in node.legs]
    # Several legs read best as a table, one leg per line.
    return Shape(indent, head, node.name.span, legs + held, force=len(legs) > 1)


def _expect_state(node: ast.ExpectState, indent: str) -> Shape:
    return Shape(indent, f"expect {node.rule.name} {node.state}")


def _expect_regime(node: ast.ExpectRegime, indent: str) -> Shape:
    return Shape(indent, f"expect regime {node.regime.name}")


def _expect_contracts(node: ast.ExpectContracts, indent: str) -> Shape:
    return Shape(indent, f"expect {node.rule.name} {node.verb} {node.contracts}")


_STATEMENTS: dict[type, Callable[[Any, str], Shape]] = {
    ast.TestOn: _on,
    ast.TestGiven: _given,
    ast.TestSet: _set,
    ast.TestHolding: _holding,
    ast.ExpectState: _expect_state,
    ast.ExpectRegime: _expect_regime,
    ast.ExpectContracts: _expect_contracts,
}
