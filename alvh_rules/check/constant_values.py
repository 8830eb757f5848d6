"""The values an expression can take when it is made of constants: a literal, a param (at
its default), arithmetic of those, or a choice by regime whose every arm is one. The checks
that judge a value before any day is evaluated (open_ranges.py, dead_conditions.py) read
them here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alvh_rules.check.results import fold_constant
from alvh_rules.syntax import ast

if TYPE_CHECKING:
    from alvh_rules.check.context import CheckContext


def constant_values(
    program: CheckContext, node: ast.Node, known: float | None = None
) -> list[float]:
    """Each value `node` can take, or [] when any part of it is not a constant; `known` is
    the checker's constant for it when it has one (a bounded param counts at its top)."""
    if known is not None:
        return [known]
    if isinstance(node, ast.Choice):
        values = [constant(program, arm.value) for arm in node.arms]
        return [] if None in values else [v for v in values if v is not None]
    value = constant(program, node)
    return [] if value is None else [value]


def constant(program: CheckContext, node: ast.Node) -> float | None:
    if isinstance(node, ast.Number):
        return node.value
    if isinstance(node, ast.Unary) and node.op == "-":
        inner = constant(program, node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Binary):
        return fold_constant(node.op, constant(program, node.left), constant(program, node.right))
    if isinstance(node, ast.Name):
        symbol = program.symbols.get(node.name)
        if symbol is not None and symbol.kind == "param":
            return program.param_defaults.get(node.name)
    return None
