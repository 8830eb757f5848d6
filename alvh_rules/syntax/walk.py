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
