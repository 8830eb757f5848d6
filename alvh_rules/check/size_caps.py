"""Limits that cap a sizing (`size risk 1% of capital within max_short_vega`).

A limit can cap a count when it compares a portfolio sum with a bound that does not read
positions: adding n structures then moves its margin by n times one structure's figure, so
the largest n that keeps it held follows by division (eval/proposals.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alvh_rules.lang.catalog import PORTFOLIO_SUMS
from alvh_rules.syntax import ast
from alvh_rules.syntax.walk import walk

# Context names whose value is a position or the portfolio.
READS_POSITIONS = frozenset({"portfolio", "stack", "position"})


def capped_sum(
    limit: ast.Rule, reads_positions: Callable[[Any], bool] = lambda node: False
) -> tuple[str, str, ast.Expr] | None:
    """(portfolio field, operator with the field on its left, bound) of a limit usable as a
    sizing cap (`size ... within LIMIT`), else None. `reads_positions` tells whether a name
    (a let, a rule) reads positions besides `portfolio`, `stack` and `position`."""
    condition = next((c.condition for c in limit.clauses if isinstance(c, ast.Clause)), None)
    if not isinstance(condition, ast.Compare) or condition.op not in _FLIPPED:
        return None
    for field, bound, op in (
        (condition.left, condition.right, condition.op),
        (condition.right, condition.left, _FLIPPED[condition.op]),
    ):
        name = _portfolio_sum(field)
        if name is not None and not any(
            (isinstance(n, ast.Name) and n.name in READS_POSITIONS) or reads_positions(n)
            for n in walk(bound)
        ):
            return name, op, bound
    return None


def _reads(node: Any) -> bool:
    return isinstance(node, ast.Name) and node.name in READS_POSITIONS


_FLIPPED = {">=": "<=", "<=": ">=", ">": "<", "<": ">"}


def _portfolio_sum(node: Any) -> str | None:
    if (
        isinstance(node, ast.Member)
        and isinstance(node.target, ast.Name)
        and node.target.name == "portfolio"
        and node.member.name in PORTFOLIO_SUMS
    ):
        return str(node.member.name)
    return None
