"""Printing expressions with the fewest parentheses the grammar's precedence allows.

Binding, loosest first: if-then-else < or < and < not, within < comparison, in < + - <
* / of < unary minus < postfix (call, member, lookback) < atoms. Binary operators associate
to the left; the else branch of `if` runs as far right as it can.
"""

from __future__ import annotations

from collections.abc import Callable

from alvh_rules.syntax import ast

COND, OR, AND, NOT, COMPARE, SUM, PRODUCT, NEGATE, POSTFIX, ATOM = range(10)

_BINARY_LEVEL: dict[str, int] = {
    "or": OR,
    "and": AND,
    "+": SUM,
    "-": SUM,
    "*": PRODUCT,
    "/": PRODUCT,
    "of": PRODUCT,
}

_LEVEL: dict[type, int] = {
    ast.Conditional: COND,
    ast.Within: NOT,
    ast.Compare: COMPARE,
    ast.InRange: COMPARE,
    ast.Call: POSTFIX,
    ast.Member: POSTFIX,
    ast.Lookback: POSTFIX,
}

_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def quote(value: str) -> str:
    """A string literal for `value`, escaped the way the grammar reads it back."""
    if not any(ch in value for ch in _STRING_ESCAPES):
        return f'"{value}"'
    return '"' + "".join(_STRING_ESCAPES.get(ch, ch) for ch in value) + '"'


def level(node: ast.Expr) -> int:
    """How tightly the node binds when printed without parentheses."""
    if isinstance(node, ast.Binary):
        return _BINARY_LEVEL[node.op]
    if isinstance(node, ast.Unary):
        return NOT if node.op == "not" else NEGATE
    return _LEVEL.get(type(node), ATOM)


def expr(node: ast.Expr, at_least: int = COND, in_list: bool = False) -> str:
    """The text of `node` where the grammar needs binding `at_least`.

    `in_list` marks a comma-separated place (call arguments, choice arms, test
    assignments): there a bare `within` would swallow the next item, so it is wrapped.
    """
    if level(node) < at_least or (in_list and type(node) is ast.Within):
        return "(" + _bare(node, False) + ")"
    return _bare(node, in_list)


def _bare(node: ast.Expr, in_list: bool) -> str:
    return _PRINTERS[type(node)](node, in_list)


def _binary(node: ast.Binary, in_list: bool) -> str:
    own = _BINARY_LEVEL[node.op]
    # Only the loose `and`/`or` chain can reach a `within` without parentheses.
    passes = in_list and own <= AND
    return f"{expr(node.left, own, passes)} {node.op} {expr(node.right, own + 1, passes)}"


def _unary(node: ast.Unary, in_list: bool) -> str:
    if node.op == "not":
        return "not " + expr(node.operand, NOT, in_list)
    operand = expr(node.operand, NEGATE)
    return ("- " if operand.startswith("-") else "-") + operand  # `- -x`, never `--x`


def _compare(node: ast.Compare, in_list: bool) -> str:
    return f"{expr(node.left, SUM)} {node.op} {expr(node.right, SUM)}"


def _in_range(node: ast.InRange, in_list: bool) -> str:
    return f"{expr(node.value, SUM)} in {expr(node.low, SUM)} .. {expr(node.high, SUM)}"


def _within(node: ast.Within, in_list: bool) -> str:
    distance = node.distance
    length = distance.text if isinstance(distance, ast.Number) else distance.name
    return f"within {length} of " + ", ".join(event.name for event in node.events)


def _call(node: ast.Call, in_list: bool) -> str:
    args = ", ".join(expr(arg, COND, True) for arg in node.args)
    return f"{node.function.name}({args})"


def _member(node: ast.Member, in_list: bool) -> str:
    return f"{expr(node.target, POSTFIX)}.{node.member.name}"


def _lookback(node: ast.Lookback, in_list: bool) -> str:
    return f"{expr(node.target, POSTFIX)}[{expr(node.offset)}]"


def _choice(node: ast.Choice, in_list: bool) -> str:
    arms = ", ".join(f"{arm.label.name}: {expr(arm.value, COND, True)}" for arm in node.arms)
    return f"({arms})[{expr(node.selector)}]"


def _conditional(node: ast.Conditional, in_list: bool) -> str:
    # test and then-branch end at a keyword, so they need no parentheses; the else branch
    # ends the list item in a list, where a bare `within` would swallow the next item
    return (
        f"if {expr(node.test)} then {expr(node.if_true)} else {expr(node.if_false, COND, in_list)}"
    )


def _number(node: ast.Number, in_list: bool) -> str:
    return node.text


def _string(node: ast.String, in_list: bool) -> str:
    return quote(node.value)


def _bool(node: ast.Bool, in_list: bool) -> str:
    return "true" if node.value else "false"


def _name(node: ast.Name, in_list: bool) -> str:
    return node.name


def _current_regime(node: ast.CurrentRegime, in_list: bool) -> str:
    return "regime"


_PRINTERS: dict[type, Callable[..., str]] = {
    ast.Binary: _binary,
    ast.Unary: _unary,
    ast.Compare: _compare,
    ast.InRange: _in_range,
    ast.Within: _within,
    ast.Call: _call,
    ast.Member: _member,
    ast.Lookback: _lookback,
    ast.Choice: _choice,
    ast.Conditional: _conditional,
    ast.Number: _number,
    ast.String: _string,
    ast.Bool: _bool,
    ast.Name: _name,
    ast.CurrentRegime: _current_regime,
}


def chain(node: ast.Expr) -> tuple[str, list[ast.Expr]]:
    """The top-level `or` (else `and`) chain of a condition: (operator, operands).

    A clause too long for its line breaks before each operator of this chain.
    """
    if not isinstance(node, ast.Binary) or node.op not in ("or", "and"):
        return "", [node]
    op = node.op
    operands: list[ast.Expr] = []
    current: ast.Expr = node
    while isinstance(current, ast.Binary) and current.op == op:
        operands.append(current.right)
        current = current.left
    operands.append(current)
    operands.reverse()
    return op, operands
