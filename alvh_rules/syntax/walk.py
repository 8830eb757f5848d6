"""Walking the AST: the child nodes of a node and every node below it, in source order.

One walker for every pass that needs to visit sub-expressions (as starlark-go's
`syntax/walk.go`), built on the pydantic fields of the nodes so a new node kind is walked
without a change here.
"""

from __future__ import annotations

from collections.abc import Iterator

from alvh_rules.syntax import ast


def children(node: ast.Node) -> Iterator[ast.Node]:
    """The nodes held directly by `node`'s fields (lists included), in field order."""
    for name in type(node).model_fields:
        value = getattr(node, name)
        if isinstance(value, ast.Node):
            yield value
        elif isinstance(value, list):
            yield from (item for item in value if isinstance(item, ast.Node))


def walk(node: ast.Node) -> Iterator[ast.Node]:
    """`node` and every node below it, depth first, without recursion (trees may be deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))


def sub_expressions(node: ast.Node) -> list[ast.Node]:
    """The expressions directly inside an expression: its operands, arguments, a choice's
    selector and arm values (an arm's label and a member's name are not expressions)."""
    found: list[ast.Node] = []
    for child in children(node):
        if isinstance(child, ast.ChoiceArm):
            found.append(child.value)
        elif hasattr(child, "kind"):  # expressions have a kind; identifiers do not
            found.append(child)
    return found


def top_expressions(item: ast.Node) -> list[ast.Node]:
    """The outermost expressions of a declaration or rule: a let's value, a param's default,
    a rule's conditions, its open arguments, its size amount, beta and cost cap, a roll's
    amount."""
    found: list[ast.Node] = []
    if isinstance(item, ast.Let):
        found.append(item.value)
    elif isinstance(item, ast.Param):
        found.append(item.default)
    elif isinstance(item, ast.Rule):
        for clause in item.clauses:
            if isinstance(clause, ast.Clause) and clause.condition is not None:
                found.append(clause.condition)
            elif isinstance(clause, ast.OpenClause):
                found.extend(arg.value for arg in clause.spec.args)
            elif isinstance(clause, ast.SizeClause):
                found.extend(
                    e for e in (clause.amount, clause.beta, clause.costing) if e is not None
                )
            elif isinstance(clause, ast.RollAction) and clause.amount is not None:
                found.append(clause.amount)
    return found
