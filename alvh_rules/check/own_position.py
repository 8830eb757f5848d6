"""`position` in an entry or layer is the position the rule would open, not one that is
held: its `size` cannot read it (the size is what makes it: ALVH213), and its profit, days
held, roll cost and projected payoff say nothing yet (ALVH408: `position.profit` is 0 there, where a
trader reading it most likely meant the target's, `base_condor.profit`, or a roll's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alvh_rules.syntax import ast
from alvh_rules.syntax.walk import walk

if TYPE_CHECKING:
    from alvh_rules.check.context import CheckContext

# What a position not yet open reads as (docs/language.md, "Positions").
# days_held: a layer waiting for its base's age (L10) means `base.days_held`, not its own 0.
NOT_OPEN_YET = {
    "profit": "0",
    "days_held": "0",
    "roll_cost": "unknown",
    "projected_payoff": "unknown",
}
_OWN = frozenset({"position", "stack"})


def check_own_position(program: CheckContext, rule: ast.Rule) -> None:
    for clause in rule.clauses:
        if isinstance(clause, ast.SizeClause):
            _check_size(program, clause)
        elif isinstance(clause, ast.Clause) and clause.condition is not None:
            _check_condition(program, rule, clause.condition)


def _check_size(program: CheckContext, clause: ast.SizeClause) -> None:
    parts = [p for p in (clause.amount, clause.beta, clause.costing) if p is not None]
    for node in (n for part in parts for n in walk(part)):
        if isinstance(node, ast.Name) and node.name in _OWN:
            program.report(
                "ALVH213",
                node.span,
                f"`size` cannot read `{node.name}`: the size is what makes the position",
                "size by the target or the portfolio, as in size vega 50% of -base_condor.vega",
            )
            return


def _check_condition(program: CheckContext, rule: ast.Rule, condition: ast.Node) -> None:
    for node in walk(condition):
        if not (
            isinstance(node, ast.Member)
            and isinstance(node.target, ast.Name)
            and node.target.name == "position"
            and node.member.name in NOT_OPEN_YET
        ):
            continue
        field = node.member.name
        target = rule.target.name if rule.target is not None else None
        instead = f"the target's is {target}.{field}" if target else "a roll reads a held one's"
        program.report(
            "ALVH408",
            node.span,
            f"in {'a layer' if target else 'an entry'}, `position` is the position it would "
            f"open: its {field} is {NOT_OPEN_YET[field]} today",
            f"{instead}; `position.{field}` means the held position in a roll",
            warning=True,
        )
