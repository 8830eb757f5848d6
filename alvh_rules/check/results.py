"""What checking an expression yields (`Result`: its type, the bars of history it needs, its
constant value), where it stands (`Where`), and `Checking`, what the helpers of the
expression checker (calls, counts, bare numbers) may ask of it, so none imports it back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from alvh_rules.check import types as T
from alvh_rules.lang import builtins, catalog
from alvh_rules.lang.diagnostics import Diagnostic, Span
from alvh_rules.lang.units import Unit
from alvh_rules.syntax import ast

if TYPE_CHECKING:
    from alvh_rules.check.symbols import Symbol

Needs = dict[str, int]


@dataclass(slots=True)
class Result:
    type: T.Type
    needs: Needs = field(default_factory=dict)
    const: float | None = None
    # For a record such as macd(x): the built-in, its counts and its input's needs.
    record: tuple[builtins.Builtin, dict[str, float], Needs] | None = None


ERROR_RESULT = Result(T.ERROR)
# The longest window or lookback, in bars (trading days): about 200 years, longer than any
# history (SPX from 1928 is about 25,000 bars). A longer one could only be unknown, and a
# huge one (1e300) would overflow the interpreter's integer arithmetic.
MAX_BARS = 50_000


@dataclass(frozen=True, slots=True)
class Where:
    """Where an expression stands: in a let or param (rule_kind None), or in a rule."""

    rule_kind: str | None = None
    rule_name: str = ""
    open_underlying: str | None = None  # set inside `open` arguments: `atm` is allowed there


def merge(*needs: Needs) -> Needs:
    out: Needs = {}
    for need in needs:
        for name, bars in need.items():
            if bars > out.get(name, 0):
                out[name] = bars
    return out


def extend(needs: Needs, extra_bars: int) -> Needs:
    return {name: bars + extra_bars for name, bars in needs.items()}


def fold_constant(op: str, left: float | None, right: float | None) -> float | None:
    """The constant value of an arithmetic node whose sides are constants."""
    if left is None or right is None:
        return None
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op in ("*", "of"):
        return left * right
    return left / right if right != 0 else None


def event_kind_of(node: Any) -> str | None:
    """The event kind an argument names, if it is a bare name of one."""
    if isinstance(node, ast.Name) and node.name in catalog.EVENT_KINDS:
        return node.name
    return None


class Checking(Protocol):
    """The expression checker as its helper modules see it
    (`alvh_rules.check.expressions.ExpressionChecker` is the one implementation)."""

    symbols: dict[str, Symbol]
    references: dict[int, Symbol]
    param_defaults: dict[str, float]
    whole_params: set[str]
    report: Callable[[Diagnostic], None]

    def error(self, code: str, span: Span, message: str, hint: str = "") -> Result: ...

    def check(self, expr: Any, where: Where) -> Result: ...

    def regime_names(self) -> list[str]: ...

    def refuse_bare(
        self, sides: Sequence[tuple[Result, Any]], wanted: Unit | None = None
    ) -> bool: ...
