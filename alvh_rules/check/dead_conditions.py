"""Conditions that cannot tell one day from another, found before anything is evaluated.

A clause that reads no market field, position, calendar, regime or param (`when 5 > 3`, a let
of constants) has the same outcome on every day and in every run: the rule either always or
never passes it, whatever the market does (ALVH406). A limit on a portfolio sum that the empty
portfolio already breaches (`portfolio.vega <= -180$/vp`: 0 is not at most -180) reads
as breached before any trade, the sign of a swapped comparison or bound (ALVH407).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING

from alvh_rules.check.constant_values import constant_values
from alvh_rules.lang.catalog import PORTFOLIO_SUMS
from alvh_rules.syntax import ast
from alvh_rules.syntax.walk import walk

if TYPE_CHECKING:
    from alvh_rules.check.context import CheckContext

# Symbols whose value is the same on every day and in every run. A param is not one: it is
# fixed within a run but set per run (`--set`, sweeps), so `require use_hedge == 1` is a
# switch a trader means, not a dead condition.
_FIXED_KINDS = frozenset({"regime"})
# Nodes that read the day: the regime in force, the calendar, a function of a series.
_DAY_NODES = (ast.CurrentRegime, ast.Within, ast.Call, ast.Lookback)
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def reads_the_day(program: CheckContext, expr: ast.Node) -> bool:
    """Whether `expr` reads anything that can change from one day to the next (an unknown
    name counts as reading it: its error is reported elsewhere). The lets it reads are
    followed with a work list, not recursion: a chain of 10,000 lets is one walk each."""
    pending, followed = [expr], set()
    while pending:
        for node in walk(pending.pop()):
            if isinstance(node, _DAY_NODES):
                return True
            if not isinstance(node, ast.Name):
                continue
            symbol = program.symbols.get(node.name)
            if symbol is None:
                return True
            if symbol.kind == "let":
                if node.name not in followed:
                    followed.add(node.name)
                    pending.append(symbol.node.value)
            elif symbol.kind not in _FIXED_KINDS:
                return True
    return False


def check_condition_reads_the_day(program: CheckContext, clause: ast.Clause) -> None:
    if clause.condition is None or reads_the_day(program, clause.condition):
        return
    program.report(
        "ALVH406",
        clause.condition.span,
        "this condition reads no market data, position, calendar or regime: "
        "it has the same outcome on every day",
        "compare a market field or a position figure, as in vix > 30vp (a param set per run "
        "with --set is a switch and does not warn)",
        warning=True,
    )


def check_limit_at_flat(program: CheckContext, clause: ast.Clause) -> None:
    """ALVH407 for `portfolio.SUM OP BOUND` whose every constant bound fails at 0."""
    condition = clause.condition
    if not isinstance(condition, ast.Compare) or not _is_portfolio_sum(condition.left):
        return
    bounds = constant_values(program, condition.right)
    if not bounds or any(_COMPARE[condition.op](0.0, bound) for bound in bounds):
        return
    assert isinstance(condition.left, ast.Member)
    field = condition.left.member.name
    program.report(
        "ALVH407",
        condition.span,
        f"with no position open, portfolio.{field} is 0 and this limit is already breached",
        "check the comparison's direction and the bound's sign: a cap on short vega reads "
        "portfolio.vega >= -180$/vp",
        warning=True,
    )


def _is_portfolio_sum(node: ast.Node) -> bool:
    return (
        isinstance(node, ast.Member)
        and isinstance(node.target, ast.Name)
        and node.target.name == "portfolio"
        and node.member.name in PORTFOLIO_SUMS
    )
