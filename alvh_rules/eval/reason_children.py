"""Which sub-expressions a reason shows under a node: the operands a reader needs, and a
let's body (down to MAX_DEPTH)."""

from __future__ import annotations

from typing import cast

from alvh_rules.check.ruleset import Ruleset
from alvh_rules.lang.catalog import EVENT_KINDS
from alvh_rules.syntax import ast, walk

MAX_DEPTH = 12  # deeper sub-expressions are summarised by their value only


def explained_children(ruleset: Ruleset, node: ast.Expr, depth: int) -> list[ast.Expr]:
    """The sub-expressions a reason at `depth` shows: the operands, and a let's body."""
    children = shown_operands(node)
    if isinstance(node, ast.Name) and depth + 1 < MAX_DEPTH:
        symbol = ruleset.program.references.get(id(node))
        if symbol is not None and symbol.kind == "let":
            children.append(symbol.node.value)
    return children


def known_argument(test: ast.Expr) -> ast.Expr | None:
    """x of a test written `known(x)`: the input a conditional falls back from."""
    if isinstance(test, ast.Call) and test.function.name == "known" and test.args:
        return test.args[0]
    return None


def shown_operands(node: ast.Expr) -> list[ast.Expr]:
    """The operands a reason shows: the generic walk, less what a reader does not need (an
    event kind named as an argument, a lookback's offset, a `within`'s distance)."""
    if isinstance(node, ast.Call):
        return [a for a in node.args if not (isinstance(a, ast.Name) and a.name in EVENT_KINDS)]
    if isinstance(node, ast.Member) and isinstance(node.target, ast.Call):
        return shown_operands(node.target)  # a part of a record, macd(x).hist: x, not the record
    if isinstance(node, ast.Lookback):
        return [node.target]
    if isinstance(node, ast.Within):
        return []
    if isinstance(node, ast.Choice):  # the selector first, as the source reads
        return [node.selector, *(arm.value for arm in node.arms)]
    return cast("list[ast.Expr]", walk.sub_expressions(node))  # expressions only, by its contract
