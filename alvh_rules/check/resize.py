"""Checking a roll's `resize`: it brings the held position to the count its opening rule's
`size` clause asks today, so every position it may act on must be opened by a rule that
has one. `within LIMIT` on that clause is honoured (the room is read from the limit's margin
today); so is `costing at most` (at today's mark of one held structure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alvh_rules.syntax import ast

if TYPE_CHECKING:
    from alvh_rules.check.context import CheckContext


def check_resize(program: CheckContext, rule: ast.Rule, action: ast.RollAction) -> None:
    """ALVH404 at the `resize` for each target (or shortest(...) candidate) whose opening
    rule has no `size` clause (an unknown target is ALVH110's, reported elsewhere)."""
    if action.action != "resize" or rule.target is None:
        return
    for name in rule.candidates or [rule.target]:
        symbol = program.symbols.get(name.name)
        if symbol is None or symbol.kind not in ("entry", "layer"):
            continue
        target = symbol.node
        if isinstance(target, ast.Rule) and not any(
            isinstance(clause, ast.SizeClause) for clause in target.clauses
        ):
            program.report(
                "ALVH404",
                action.span,
                f"`resize` brings '{name.name}' to the size its rule asks, "
                f"but '{name.name}' has no `size` clause",
                f"add `size risk ...`, `size vega ...` or `size contracts ...` to "
                f"'{name.name}', or use `roll out`",
            )
