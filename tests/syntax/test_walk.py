"""The one walker: it reaches every expression node the parser built, in source order."""

from __future__ import annotations

from alvh_rules.syntax import ast, walk
from alvh_rules.syntax.parser import parse

SOURCE = """\
param floor = 12
let calm = vix < floor and not (vix_rsi in 40 .. 60)
entry condor:
    when calm or (steward: vix > 1, otherwise: vix[3] > 2)[regime]
    open iron_condor dte 45d delta 16delta wings 25pt
"""


def test_walk_visits_every_node_once_in_source_order() -> None:
    tree = parse(SOURCE, "walk.alvh")
    nodes = list(walk.walk(tree))
    assert len({id(n) for n in nodes}) == len(nodes)
    names = [n.name for n in nodes if isinstance(n, ast.Name)]
    assert names == ["vix", "floor", "vix_rsi", "calm", "vix", "vix"]


def test_top_expressions_then_sub_expressions_reach_every_expression() -> None:
    tree = parse(SOURCE, "walk.alvh")
    everything = {id(n) for n in walk.walk(tree) if hasattr(n, "kind")}
    reached: set[int] = set()
    stack = [e for item in tree.items for e in walk.top_expressions(item)]
    while stack:
        node = stack.pop()
        reached.add(id(node))
        stack.extend(walk.sub_expressions(node))
    expressions = {
        id(n)
        for n in walk.walk(tree)
        if hasattr(n, "kind")
        and not isinstance(n, ast.Rule | ast.Let | ast.Param)
        and not isinstance(n, ast.Clause | ast.OpenClause | ast.Ruleset)
    }
    assert expressions <= reached <= everything
    first = walk.top_expressions(tree.items[0])
    assert isinstance(first[0], ast.Number) and first[0].value == 12
