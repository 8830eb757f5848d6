"""Compiling calls of built-in functions: constant arguments are read once per run, series
arguments are arrays, and the implementation comes from `alvh_rules.eval.functions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from alvh_rules.eval import logic
from alvh_rules.eval.functions import NEEDS_MARKET, SERIES_FUNCTIONS, pairwise
from alvh_rules.eval.run import Compiled, Run, Scope
from alvh_rules.lang import builtins
from alvh_rules.syntax import ast

if TYPE_CHECKING:
    from alvh_rules.check.program import CheckedProgram


class Compiler(Protocol):
    """What compiling a call needs of `alvh_rules.eval.compiler.Compiler` (named here, so the
    two modules do not import each other)."""

    @property
    def program(self) -> CheckedProgram: ...

    def compile(self, node: Any, scope: Scope) -> Compiled: ...


def compile_call(compiler: Compiler, node: ast.Call, scope: Scope) -> Compiled:
    name = node.function.name
    function = builtins.BUILTINS[name]
    if name in ("days_to", "days_since"):
        return _event_distance(name, node)
    if name == "held":
        return _held(node)
    args = [compiler.compile(arg, scope) for arg in node.args]
    if name == "known":
        return _known(args[0])
    if (
        name in builtins.PAIRWISE_WHEN_NOT_WINDOW
        and len(node.args) == 2
        and is_pairwise(compiler, node)
    ):
        return lambda run: pairwise(name, args[0](run), args[1](run))
    kinds = [arg.kind for arg in function.args]
    defaults = {a.name: a.default for a in function.args if a.default is not None}
    names = [a.name for a in function.args]

    def call(run: Run) -> Any:
        counts: dict[str, float] = dict(defaults)
        values: list[Any] = []
        for arg_name, kind, compiled in zip(names, kinds, args, strict=False):
            value = compiled(run)
            if kind in ("count", "number"):
                counts[arg_name] = float(value[0])
            else:
                values.append(value)
        if name in NEEDS_MARKET:
            return NEEDS_MARKET[name](
                values, counts, run.frame.column("spx"), run.frame.column("vix")
            )
        with np.errstate(invalid="ignore", divide="ignore"):
            return SERIES_FUNCTIONS[name](values, counts)

    return call


def is_pairwise(compiler: Compiler, node: ast.Call) -> bool:
    """Whether a two-argument call such as `max(a, b)` compares two values row by row (its
    second argument a number that is not a number of days, so not a window)."""
    second = compiler.program.types.get(id(node.args[1]))
    from alvh_rules.lang.units import DAYS

    return second is not None and second.kind == "number" and second.unit != DAYS


def _event_distance(name: str, node: ast.Call) -> Compiled:
    argument = node.args[0]
    kind = argument.name if isinstance(argument, ast.Name) else ""

    def distance(run: Run) -> logic.FloatArray:
        prev, nxt = run.frame.event_gaps[kind]
        return np.array(nxt if name == "days_to" else -prev, dtype=np.float64)

    return distance


def _held(node: ast.Call) -> Compiled:
    """held(rule): whether the portfolio holds a position that rule opened, on every day (the
    portfolio is the caller's, the same over a replay); never unknown."""
    argument = node.args[0]
    rule = argument.name if isinstance(argument, ast.Name) else ""

    def held(run: Run) -> logic.FloatArray:
        return run.full(1.0 if rule in run.frame.positions.held else 0.0)

    return held


def _known(value: Compiled) -> Compiled:
    """known(x): 1 where x has a value, 0 where it is unknown; never unknown itself."""

    def known(run: Run) -> logic.FloatArray:
        x = np.asarray(value(run), dtype=np.float64)
        return run.full(1.0) * (~np.isnan(x)).astype(np.float64)

    return known
