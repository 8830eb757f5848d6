"""Conditions on one day's scalar values, compiled to a Python function once.

For streaming use (a quote arrives, re-decide) and for the condition benchmark: a checked
expression without history (no indicator calls, no lookbacks) becomes Python source that
the interpreter compiles once; inputs are a dict of floats (base units) and regime names,
None for unknown. Logic is Kleene's, as in the array plan: `False and None` is False.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from alvh_rules.check.ruleset import check_text
from alvh_rules.syntax import ast

Value = float | str | bool | None


class ScalarUnsupported(ValueError):
    """The expression needs history or positions: evaluate it with the plan instead."""


def _and(a: Value, b: Value) -> bool | None:
    if a is False or b is False:
        return False
    return True if a is True and b is True else None


def _or(a: Value, b: Value) -> bool | None:
    if a is True or b is True:
        return True
    return False if a is False and b is False else None


def _not(a: Value) -> bool | None:
    return None if a is None else not a


def _num(value: Any) -> float | None:
    """A number, or None when unknown (None or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _if(test: Value, a: Value, b: Value) -> Value:
    """Kleene's choice: an unknown test leaves the value unknown unless both branches agree."""
    if test is True:
        return a
    if test is False:
        return b
    return a if a is not None and a == b else None


_HELPERS = {"_and": _and, "_or": _or, "_not": _not, "_num": _num, "_if": _if}
_COMPARE = {"<", "<=", ">", ">=", "==", "!="}


class _Emitter:
    def __init__(self, regimes: set[str]) -> None:
        self.regimes = regimes
        self.inputs: set[str] = set()
        self.count = 0

    def fresh(self) -> str:
        """A new local name: nested expressions must not overwrite each other's operands."""
        self.count += 1
        return f"t{self.count}"

    def emit(self, node: Any) -> str:
        method = getattr(self, "_" + node.kind, None)
        if method is None:
            raise ScalarUnsupported(f"{node.kind} needs the array plan")
        return str(method(node))

    def _number(self, node: ast.Number) -> str:
        return repr(node.value)

    def _bool(self, node: ast.Bool) -> str:
        return "True" if node.value else "False"

    def _regime(self, node: ast.CurrentRegime) -> str:
        self.inputs.add("regime")
        return "v.get('regime')"

    def _name(self, node: ast.Name) -> str:
        if node.name in self.regimes:
            return repr(node.name)
        self.inputs.add(node.name)
        return f"_num(v.get({node.name!r}))"

    def _unary(self, node: ast.Unary) -> str:
        operand = self.emit(node.operand)
        if node.op == "not":
            return f"_not({operand})"
        x = self.fresh()
        return f"(None if ({x} := {operand}) is None else -{x})"

    def _binary(self, node: ast.Binary) -> str:
        left, right = self.emit(node.left), self.emit(node.right)
        if node.op in ("and", "or"):
            return f"_{node.op}({left}, {right})"
        op = "*" if node.op == "of" else node.op
        a, b = self.fresh(), self.fresh()
        zero = f" or {b} == 0" if op == "/" else ""
        return (
            f"(None if ({a} := {left}) is None or ({b} := {right}) is None{zero} else {a} {op} {b})"
        )

    def _compare(self, node: ast.Compare) -> str:
        left, right = self.emit(node.left), self.emit(node.right)
        a, b = self.fresh(), self.fresh()
        return (
            f"(None if ({a} := {left}) is None or ({b} := {right}) is None else {a} {node.op} {b})"
        )

    def _in_range(self, node: ast.InRange) -> str:
        value, low, high = (self.emit(e) for e in (node.value, node.low, node.high))
        a, b, c = self.fresh(), self.fresh(), self.fresh()
        return (
            f"(None if ({a} := {value}) is None or ({b} := {low}) is None "
            f"or ({c} := {high}) is None else {b} <= {a} <= {c})"
        )

    def _conditional(self, node: ast.Conditional) -> str:
        parts = (self.emit(node.test), self.emit(node.if_true), self.emit(node.if_false))
        return f"_if({', '.join(parts)})"

    def _choice(self, node: ast.Choice) -> str:
        selector = self.emit(node.selector)
        arms = {arm.label.name: self.emit(arm.value) for arm in node.arms}
        chosen = self.fresh()
        code = arms.pop("otherwise", "None")
        for label, value in arms.items():
            code = f"({value} if {chosen} == {label!r} else {code})"
        return f"(None if ({chosen} := {selector}) is None else {code})"


def compile_condition(
    source: str, *, declarations: str = "", regimes: tuple[str, ...] = ()
) -> Callable[[Mapping[str, Value]], bool | None]:
    """Check `source` as a condition (with `declarations` for the names it uses) and compile
    it. The result maps inputs to True, False or None (unknown)."""
    regime_lines = "".join(f"regime {r}: when vix > {i}\n" for i, r in enumerate(regimes[:-1]))
    if regimes:
        regime_lines += f"regime {regimes[-1]}: otherwise\n"
    text = (
        f"{declarations}\n{regime_lines}let condition_under_test = {source}\n"
        "entry use_it: when condition_under_test\n"
    )
    report = check_text(text, "<condition>")
    errors = [d for d in report.diagnostics if d.is_error]
    if errors or report.ruleset is None:
        raise ValueError("; ".join(f"{d.code} {d.message}" for d in errors))
    let = report.ruleset.lets["condition_under_test"]
    emitter = _Emitter(set(regimes))
    body = emitter.emit(let.value)
    namespace: dict[str, Any] = dict(_HELPERS)
    exec(f"def condition(v):\n    return {body}\n", namespace)  # generated from a checked AST only
    function: Callable[[Mapping[str, Value]], bool | None] = namespace["condition"]
    return function
