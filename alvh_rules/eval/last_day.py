"""Running a plan on one day alone: a frame holds the whole history (~26,000 rows since
1928) but a decision reads one day. Market-only node values are computed once over the
history; what is left (positions, proposals, their logic) is elementwise unless a history
function or a lookback reads it, so it runs on the day's row and is read back at full length.
"""

from __future__ import annotations

import dataclasses
import weakref
from typing import Any

import numpy as np

from alvh_rules.eval.frame import Frame
from alvh_rules.eval.plan import Plan, PlanRun
from alvh_rules.eval.proposals import Proposals
from alvh_rules.eval.run import Run
from alvh_rules.syntax import walk

# held(rule) reads the day's portfolio, the same on every row of a frame.
ELEMENTWISE_CALLS = frozenset({"abs", "expected_move", "days_to", "days_since", "held"})
# The verdict per plan, dropped with the plan (a reused id cannot give a stale verdict).
_SAFE: weakref.WeakKeyDictionary[Plan, bool] = weakref.WeakKeyDictionary()


def last_day_suffices(plan: Plan) -> bool:
    """Whether no node outside the market-only ones reads earlier days (a history function
    or a lookback over a position figure, say): then the last row gives the same values."""
    verdict = _SAFE.get(plan)
    if verdict is None:
        verdict = _SAFE[plan] = _elementwise(plan)
    return verdict


def _elementwise(plan: Plan) -> bool:
    from alvh_rules.eval.calls import is_pairwise
    from alvh_rules.lang import builtins
    from alvh_rules.syntax import ast

    program = plan.ruleset.program
    items = [item for module in plan.ruleset.modules for item in module.items]
    stack = [node for item in items for node in walk.top_expressions(item)]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen or id(node) in plan.market_only:
            continue
        seen.add(id(node))
        if isinstance(node, ast.Lookback):
            return False
        if isinstance(node, ast.Call):
            name = node.function.name
            pairwise = name in builtins.PAIRWISE_WHEN_NOT_WINDOW and len(node.args) == 2
            if name not in ELEMENTWISE_CALLS and not (
                pairwise and is_pairwise(plan.compiler, node)
            ):
                return False
        if isinstance(node, ast.Name):
            symbol = program.references.get(id(node))
            if symbol is not None and symbol.kind == "let":
                stack.append(symbol.node.value)
        elif isinstance(node, ast.CurrentRegime):
            stack.extend(
                c.condition
                for r in program.rules("regime")
                for c in r.clauses
                if isinstance(c, ast.Clause) and c.condition is not None
            )
        stack.extend(walk.sub_expressions(node))
    return True


def last_values(known: dict[int, Any], length: int) -> dict[int, Any]:
    """The market-only values on the last row (arrays over the frame cut to their last item)."""
    return {key: last_row(value, length) for key, value in known.items()}


def last_row(value: Any, length: int) -> Any:
    if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == length:
        return value[length - 1 : length]
    return value


def one_row(frame: Frame, index: int) -> Frame:
    """Row `index` of a frame alone, with no params, positions or context."""
    return Frame(
        dates=frame.dates[index : index + 1],
        columns={name: values[index : index + 1] for name, values in frame.columns.items()},
        event_gaps={
            k: (gaps[0][index : index + 1], gaps[1][index : index + 1])
            for k, gaps in frame.event_gaps.items()
        },
        params={},
        smile=frame.smile,
        synthetic=frame.synthetic,
    )


def run_one_row(
    plan: Plan,
    frame: Frame,
    last_known: dict[int, Any],
    day_row: Frame,
    *,
    limits_only: bool = False,
) -> PlanRun:
    """The plan on `day_row` alone (row 0) with `frame`'s params, positions, overrides and
    proposals (their cache shared): the values of the frame's last day, one row long
    (`limits_only`: as `Plan.run`)."""
    context = frame.context
    day_context = Proposals(plan, days=[0] if context.days else [], chain=context.chain)
    day_context.cache, day_context.priced = context.cache, context.priced
    day = dataclasses.replace(
        day_row,
        params=frame.params,
        positions=frame.positions,
        overrides=frame.overrides,
        context=day_context,
    )
    return plan.run(day, last_known, limits_only=limits_only)


def run_on_last_day(
    plan: Plan,
    frame: Frame,
    known: dict[int, Any],
    last_known: dict[int, Any],
    day_row: Frame,
    *,
    limits_only: bool = False,
) -> PlanRun:
    """`plan.run(frame, known)` as read on the frame's last day, computed on that row alone
    (`day_row`, from `one_row`; when `last_day_suffices(plan)`): values are widened back to
    the frame's length (`limits_only`: as `Plan.run`)."""
    short = run_one_row(plan, frame, last_known, day_row, limits_only=limits_only)
    n = frame.length
    memo = _FullLength(short.run.memo, known, n)
    states = {name: _widen(codes, n) for name, codes in short.states.items()}
    return PlanRun(
        run=Run(frame, memo, last_row=short.run.memo),
        states=states,
        regime=_widen(short.regime, n),
        plan=plan,
    )


def _widen(value: Any, length: int) -> Any:
    """A one-row value read at the frame's length: a read-only view repeating the last
    row's value (only the last day is read from a run on the last day)."""
    if not (isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == 1):
        return value
    shape = (length, *value.shape[1:])
    if not value.flags.c_contiguous:
        return np.broadcast_to(value, shape)
    # np.broadcast_to's view, built directly: it is made for about 140 nodes per call.
    view: np.ndarray[Any, Any] = np.ndarray(
        shape, dtype=value.dtype, buffer=value, strides=(0, *value.strides[1:])
    )
    view.flags.writeable = False
    return view


class _FullLength(dict[int, Any]):
    """Node values of a run on the last row, read as full-length arrays (market-only values
    as computed over the whole history); widened once, when first read."""

    def __init__(self, last: dict[int, Any], known: dict[int, Any], length: int) -> None:
        super().__init__(known)
        self._last, self._length = last, length

    def get(self, key: int, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if key not in self._last:
            return default
        value = self._last[key]
        widened = _widen(value, self._length)
        self[key] = widened
        return widened

    def __getitem__(self, key: int) -> Any:
        if not self.__contains__(key):
            raise KeyError(key)
        return self.get(key)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self._last
