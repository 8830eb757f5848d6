"""The canonical text of each printed unit: declarations, rule headers, clauses, test lines.

A unit fits on one line of at most MAX_WIDTH columns, or it breaks before each of its
break points (the top-level `or`/`and` of a condition, the arguments of `open`, `beta`,
the assignments of `given`/`set`, the legs of `holding`), each continued 4 columns deeper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alvh_rules.fmt.expressions import AND, OR, SUM, chain, expr, quote
from alvh_rules.syntax import ast

MAX_WIDTH = 100
INDENT = "    "


def wrap(indent: str, head: str, pieces: list[str], *, force: bool = False) -> list[str]:
    """`head` and `pieces` on one line if it fits, else one piece per continuation line."""
    if not pieces:
        return [indent + head]
    line = indent + head + " " + " ".join(pieces)
    if not force and len(line) <= MAX_WIDTH:
        return [line]
    continued = indent + INDENT
    return [indent + head, *(continued + piece for piece in pieces)]


def condition(indent: str, prefix: str, node: ast.Expr) -> list[str]:
    """A condition after `prefix` (a keyword and a space, or nothing), broken at and/or."""
    op, operands = chain(node)
    if not op:
        return [indent + prefix + expr(node)]
    own = OR if op == "or" else AND
    first = expr(operands[0], own)
    return wrap(indent, prefix + first, [f"{op} {expr(x, own + 1)}" for x in operands[1:]])


# ---- top-level declarations ---------------------------------------------------------


def header(item: ast.Header, indent: str) -> list[str]:
    return [f"ruleset {quote(item.title)}"]


def version(item: ast.Version, indent: str) -> list[str]:
    return [f"version {item.number}"]


def import_decl(item: ast.Import, indent: str) -> list[str]:
    return [f"import {quote(item.path)}"]


def param(item: ast.Param, indent: str) -> list[str]:
    line = f"param {item.name.name} = {expr(item.default, SUM)}"
    if item.low is not None and item.high is not None:
        line += f" in {expr(item.low, SUM)} .. {expr(item.high, SUM)}"
    return [line]


def let(item: ast.Let, indent: str) -> list[str]:
    return condition("", f"let {item.name.name} = ", item.value)


def regime(item: ast.Rule, indent: str) -> list[str]:
    """A regime is one line: `regime steward: when ...` or `regime promoter: otherwise`."""
    head = f"regime {item.name.name}: "
    clause = item.clauses[0] if item.clauses else None
    if isinstance(clause, ast.Clause) and clause.condition is not None:
        return condition("", head + clause.keyword + " ", clause.condition)
    return [head + "otherwise"]


def rule_header(item: ast.Rule, indent: str) -> list[str]:
    target = f" on {item.target.name}" if item.target is not None else ""
    return [f"{item.rule_kind} {item.name.name}{target}:"]


# ---- clauses of rules -----------------------------------------------------------------


def clause(node: Any, indent: str) -> list[str]:
    """Any clause of an entry, layer, roll or limit rule."""
    return _CLAUSES[type(node)](node, indent)


def _condition_clause(node: ast.Clause, indent: str) -> list[str]:
    if node.condition is None:
        return [indent + node.keyword]
    prefix = "" if node.keyword == "condition" else node.keyword + " "
    return condition(indent, prefix, node.condition)


def open_spec_parts(spec: ast.OpenSpec) -> tuple[str, list[str]]:
    """(`[side ]structure`, [`name value` per argument])."""
    structure = f"{spec.side} {spec.structure.name}" if spec.side else spec.structure.name
    return structure, [f"{arg.name} {expr(arg.value)}" for arg in spec.args]


def _open_clause(node: ast.OpenClause, indent: str) -> list[str]:
    structure, arguments = open_spec_parts(node.spec)
    return wrap(indent, "open " + structure, arguments)


def _size_clause(node: ast.SizeClause, indent: str) -> list[str]:
    head = f"size {node.mode} {expr(node.amount)}"
    return wrap(indent, head, [] if node.beta is None else ["beta " + expr(node.beta)])


def _roll_action(node: ast.RollAction, indent: str) -> list[str]:
    if node.action == "forward" and node.amount is not None:
        return [f"{indent}roll forward {expr(node.amount)}"]
    return [indent + ("roll out" if node.action == "out" else "close")]


_CLAUSES: dict[type, Callable[[Any, str], list[str]]] = {
    ast.Clause: _condition_clause,
    ast.OpenClause: _open_clause,
    ast.SizeClause: _size_clause,
    ast.RollAction: _roll_action,
}

# ---- ruleset tests --------------------------------------------------------------------


def test_header(item: ast.TestBlock, indent: str) -> list[str]:
    return [f"test {quote(item.name)}:"]


def statement(node: Any, indent: str) -> list[str]:
    """Any statement of a test block."""
    return _STATEMENTS[type(node)](node, indent)


def _on(node: ast.TestOn, indent: str) -> list[str]:
    return [f"{indent}on {node.date.isoformat() if node.date else 'builtin'}"]


def _assignments(keyword: str, assignments: list[ast.Assignment], indent: str) -> list[str]:
    texts = [f"{a.name.name} = {expr(a.value, OR, True)}" for a in assignments]
    with_commas = [text + "," for text in texts[:-1]] + texts[-1:]
    return wrap(indent, f"{keyword} {with_commas[0]}", with_commas[1:])


def _given(node: ast.TestGiven, indent: str) -> list[str]:
    return _assignments("given", node.assignments, indent)


def _set(node: ast.TestSet, indent: str) -> list[str]:
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


def _holding(node: ast.TestHolding, indent: str) -> list[str]:
    head = f"holding {node.name.name}:"
    if node.spec is not None:
        structure, arguments = open_spec_parts(node.spec)
        return wrap(indent, f"{head} {structure}", arguments)
    # Several legs read best as a table, one leg per line.
    return wrap(indent, head, [_leg(leg) for leg in node.legs], force=len(node.legs) > 1)


def _expect_state(node: ast.ExpectState, indent: str) -> list[str]:
    return [f"{indent}expect {node.rule.name} {node.state}"]


def _expect_regime(node: ast.ExpectRegime, indent: str) -> list[str]:
    return [f"{indent}expect regime {node.regime.name}"]


def _expect_contracts(node: ast.ExpectContracts, indent: str) -> list[str]:
    return [f"{indent}expect {node.rule.name} opens {node.contracts}"]


_STATEMENTS: dict[type, Callable[[Any, str], list[str]]] = {
    ast.TestOn: _on,
    ast.TestGiven: _given,
    ast.TestSet: _set,
    ast.TestHolding: _holding,
    ast.ExpectState: _expect_state,
    ast.ExpectRegime: _expect_regime,
    ast.ExpectContracts: _expect_contracts,
}
