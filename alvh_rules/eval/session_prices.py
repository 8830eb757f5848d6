"""What each entry and layer would open, priced once over a session's whole history.

A proposal's structure (strikes by delta, leg prices, per-contract figures, the vol
break-even) depends only on the day's market and the open clause's arguments, yet a backtest
asks for it one day at a time, and each single-day batch of the Greeks core costs about as
much as a batch of the whole history. So the first request of a rule prices it on every day
from then to the end in one batch; a later day reuses its row when that day's inputs (the
market fields, the clause's arguments, the VIX beta) are the ones priced, else the day is
priced alone as before. The rows are what a one-day batch gives (the Greeks core's solvers
work row by row), so decisions do not change (tests/backtest compare them with `evaluate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from alvh_rules.eval import positions as pos
from alvh_rules.eval.day_market import DEFAULT_VIX_BETA
from alvh_rules.eval.market_days import context_refused, days_values, unvalued_field
from alvh_rules.eval.plan import Plan
from alvh_rules.eval.run import Run

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class _Priced:
    """One rule priced on the days `dates`: its inputs, and what `proposals.price_days` left in
    a chunk of those days (batch, rows, kinds) and returned (refused)."""

    request: pos.OpenRequest
    dates: npt.NDArray[np.datetime64]
    arg_names: list[str]
    inputs: FloatArray  # (days, k): the beta, the arguments and the market fields, side by side
    live: BoolArray
    batch: Any
    batch_row: IntArray | None
    kind: IntArray
    refused: BoolArray


class SessionPrices:
    """`price(...)`: `proposals.price_days` with the rows taken from a whole-history batch when
    the day's inputs match it. `run` is a plan run over the whole history without positions
    (the session's market run), on which the open clauses' arguments are read."""

    def __init__(self, plan: Plan, run: Run) -> None:
        self.plan, self.run = plan, run
        self.priced: dict[str, _Priced | None] = {}

    def price(
        self,
        chunk: Any,
        request: pos.OpenRequest,
        args: dict[str, FloatArray],
        live: IntArray,
        values: dict[str, FloatArray],
        beta: FloatArray,
        smile: Any,
    ) -> BoolArray:
        from alvh_rules.eval.proposals import price_days

        if request.rule not in self.priced:
            self.priced[request.rule] = self._price_all(request, chunk.dates[live].min())
        priced = self.priced[request.rule]
        rows = None if priced is None else _rows(priced, request, chunk, args, live, values, beta)
        if priced is None or rows is None or smile != self.run.frame.smile:
            return price_days(chunk, request, args, live, values, beta, smile)
        n = chunk.days.size
        refused = np.zeros(n, dtype=bool)
        refused[live] = priced.refused[rows]
        chunk.kind[live] = priced.kind[rows]
        if priced.batch_row is not None:
            chunk.batch, chunk.batch_row = priced.batch, np.full(n, -1, dtype=np.intp)
            chunk.batch_row[live] = priced.batch_row[rows]
        return refused

    def _price_all(self, request: pos.OpenRequest, first: np.datetime64) -> _Priced | None:
        """The rule on every day of the history from `first`, as `Proposals._batch` prices
        them (None: an open clause the market run cannot read)."""
        from alvh_rules.eval.proposals import day_codes, price_days
        from alvh_rules.eval.rule_days import RuleDays

        rule = next(p for p in self.plan.rules if p.name == request.rule)
        frame, run = self.run.frame, self.run
        dates = frame.dates.values
        days = np.arange(int(np.searchsorted(dates, first)), frame.length, dtype=np.intp)
        n, length = days.size, frame.length
        try:
            args = {str(a.name): _column(c(run), length)[days] for a, c in rule.open_args}
            beta = np.full(n, DEFAULT_VIX_BETA)
            if rule.size is not None and rule.size[2] is not None:
                beta = _column(rule.size[2](run), length)[days]
        except (ValueError, ArithmeticError, TypeError):
            return None
        values = days_values(frame.columns, days)
        for name, given in frame.overrides.items():
            if name in values:
                values[name] = np.full(n, float(given))
        live = np.ones(n, dtype=bool)
        for value in args.values():
            live &= np.isfinite(value)
        live &= (unvalued_field(values) == 0) & ~context_refused(values, beta)
        chunk = RuleDays(rule.name, days, length - days, dates[days], day_codes(n), day_codes(n))
        refused = price_days(
            chunk, request, args, np.flatnonzero(live), values, beta, self.run.frame.smile
        )
        inputs = _inputs(beta, args, values, slice(None))
        return _Priced(
            request, dates[days], sorted(args), inputs, live, chunk.batch, chunk.batch_row,
            chunk.kind, refused,
        )  # fmt: skip


def _rows(
    priced: _Priced,
    request: pos.OpenRequest,
    chunk: Any,
    args: dict[str, FloatArray],
    live: IntArray,
    values: dict[str, FloatArray],
    beta: FloatArray,
) -> IntArray | None:
    """The rows of `priced` for the chunk's `live` days, or None when any day is not among
    them or its inputs differ from those priced (bit for bit, NaN equal to NaN)."""
    if request != priced.request or sorted(args) != priced.arg_names:
        return None
    dates = chunk.dates[live]
    rows: IntArray = np.searchsorted(priced.dates, dates)
    if (rows >= priced.dates.size).any():
        return None
    if not (np.array_equal(priced.dates[rows], dates) and priced.live[rows].all()):
        return None
    if live.size == 1:  # a backtest's day: the same test on Python floats, no stacking
        day = int(live[0])
        asked_row = [float(beta[day])]
        asked_row += [float(args[k][day]) for k in sorted(args)]
        asked_row += [float(values[k][day]) for k in sorted(values)]
        known_row = priced.inputs[int(rows[0])].tolist()
        same_row = len(known_row) == len(asked_row) and all(
            a == b or (a != a and b != b) for a, b in zip(known_row, asked_row, strict=True)
        )
        return rows if same_row else None
    known = priced.inputs[rows]
    asked = _inputs(beta, args, values, live)
    if asked.shape != known.shape:
        return None
    same = (known == asked) | (np.isnan(known) & np.isnan(asked))
    return rows if bool(same.all()) else None


def _inputs(
    beta: FloatArray, args: dict[str, FloatArray], values: dict[str, FloatArray], rows: Any
) -> FloatArray:
    """The days' inputs side by side, one row per day (arguments and fields by name)."""
    columns = [beta, *(args[k] for k in sorted(args)), *(values[k] for k in sorted(values))]
    inputs: FloatArray = np.stack([column[rows] for column in columns], axis=1)
    return inputs


def _column(value: Any, length: int) -> FloatArray:
    column: FloatArray = np.broadcast_to(np.asarray(value, dtype=np.float64), (length,))
    return column
