"""Which market fields a period lacks: the days of [start, end] on which a field has no value
in a history, so a run can say so before its figures are read (a backtest over days without
a VIX close opens nothing and carries its marks, which looks like a strategy that never
trades unless it is said).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from alvh_rules.market.history import History


@dataclass(frozen=True)
class FieldGap:
    """A field without a value on `missing` of the period's `days` trading days, the first
    and last of them `first` and `last`."""

    field: str
    missing: int
    days: int
    first: dt.date
    last: dt.date

    def describe(self) -> str:
        span = (
            f"on {self.first}" if self.first == self.last else f"from {self.first} to {self.last}"
        )
        return f"{self.field} has no value on {self.missing} of {self.days} trading days ({span})"


def field_gaps(
    history: History, fields: Sequence[str], start: dt.date, end: dt.date
) -> list[FieldGap]:
    """The fields of `fields` that have no value on some day of [start, end]; a field the
    history does not carry at all is missing on every day."""
    daily = history.daily
    window = daily.loc[pd.Timestamp(start) : pd.Timestamp(end)]
    days = len(window)
    gaps = []
    for name in fields:
        if days == 0:
            break
        values = window[name] if name in window.columns else pd.Series(float("nan"), window.index)
        empty = window.index[values.isna().to_numpy()]
        if len(empty):
            gaps.append(FieldGap(name, len(empty), days, empty[0].date(), empty[-1].date()))
    return gaps
