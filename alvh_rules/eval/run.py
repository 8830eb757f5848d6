"""What a compiled expression runs on: a `Run` (one evaluation over a frame, its node values
memoised), the `Scope` an expression is compiled in and a `PositionRef`. Owned here so that
the compiler and the calls it delegates to share them without importing each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alvh_rules.eval import logic
from alvh_rules.eval.frame import Frame


@dataclass(frozen=True)
class PositionRef:
    """Which position's figures a member access reads."""

    kind: str  # "held" (by opening rule), "proposed" (what a rule would open), "portfolio", "stack"
    rule: str = ""


@dataclass
class Run:
    """One evaluation of a plan on a frame: node values are memoised by node id."""

    frame: Frame
    memo: dict[int, Any] = field(default_factory=dict)
    # A run computed on the frame's last row alone (interpreter.run_on_last_day): its node
    # values, one row long, so that reading that day needs no full-length view of them.
    last_row: dict[int, Any] | None = None

    def full(self, value: float) -> logic.FloatArray:
        if self.frame.length == 1 and isinstance(value, float):  # a backtest's day: cheaper
            return np.array([value], dtype=np.float64)
        return np.full(self.frame.length, value, dtype=np.float64)

    def value_on(self, key: int, index: int) -> Any:
        """Node `key`'s value on row `index` as a float; other values (a record, a position
        reference) as kept; None for a node not computed."""
        memo = self.memo
        # A node computed after the one-row run (a proposal's sizing, read for an action) is
        # only in the full-length memo.
        last = self.last_row
        if last is not None and index == self.frame.length - 1 and key in last:
            memo, index = last, 0
        value = memo.get(key)
        if isinstance(value, np.ndarray):
            return float(value[index])
        return value


Compiled = Callable[[Run], Any]


@dataclass(frozen=True)
class Scope:
    """Where an expression is compiled: which rule (for `position`), inside `open` or not."""

    rule_kind: str | None = None
    rule: str = ""
    target: str = ""
    underlying: str = ""  # inside `open`: what `atm` is the money of
    dte: Any = None  # inside `open`: the dte argument's node, for a VIX `atm`
    candidates: tuple[str, ...] = ()  # a roll `on shortest(...)`: the positions it chooses from
