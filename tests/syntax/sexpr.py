"""A compact s-expression view of AST expressions, for table tests."""

from __future__ import annotations

from typing import Any

from alvh_rules.syntax import ast


def sexpr(node: Any) -> str:
    if isinstance(node, ast.Number):
        return node.text
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.String):
        return repr(node.value)
    if isinstance(node, ast.Bool):
        return "true" if node.value else "false"
    if isinstance(node, ast.CurrentRegime):
        return "regime"
    if isinstance(node, ast.Unary):
        return f"({node.op} {sexpr(node.operand)})"
    if isinstance(node, ast.Binary | ast.Compare):
        return f"({node.op} {sexpr(node.left)} {sexpr(node.right)})"
    if isinstance(node, ast.InRange):
        return f"(in {sexpr(node.value)} {sexpr(node.low)} {sexpr(node.high)})"
    if isinstance(node, ast.Within):
        return f"(within {sexpr(node.distance)} {' '.join(e.name for e in node.events)})"
    if isinstance(node, ast.Call):
        return f"({node.function.name} {' '.join(sexpr(a) for a in node.args)})".replace(" )", ")")
    if isinstance(node, ast.Member):
        return f"(. {sexpr(node.target)} {node.member.name})"
    if isinstance(node, ast.Lookback):
        return f"([] {sexpr(node.target)} {sexpr(node.offset)})"
    if isinstance(node, ast.Choice):
        arms = " ".join(f"{a.label.name}:{sexpr(a.value)}" for a in node.arms)
        return f"(choice [{arms}] {sexpr(node.selector)})"
    if isinstance(node, ast.Conditional):
        return f"(if {sexpr(node.test)} {sexpr(node.if_true)} {sexpr(node.if_false)})"
    raise TypeError(type(node).__name__)
