"""Which days' values come from rows their file labels synthetic, so reasons can say so.

The built-in demo set marks its made-up rows in a `source` column (`synthetic (seed ...)`):
the market past before its real days, and the trader's own inputs (ROA, P/CF, WACC, quick
ratio) on every day. A value is synthetic on a day when the row in force that day is; a
derived value (P/E, the A/D line, ...) when any of its inputs is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict

from alvh_rules.market import observations as obs
from alvh_rules.market.derived import DERIVED

SYNTHETIC_MARK = "synthetic"
BoolArray = npt.NDArray[np.bool_]


class SyntheticDays(BaseModel):
    """The days (inclusive spans) on which a field's value is synthetic, and the label its
    file gives those rows."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str
    spans: list[tuple[dt.date, dt.date]]

    def on(self, day: dt.date) -> bool:
        return any(first <= day <= last for first, last in self.spans)

    def note(self, day: dt.date) -> str:
        """What a reason says about the field read on `day` ('' when nothing synthetic)."""
        if self.on(day):
            return self.label
        earlier = [last for first, last in self.spans if first < day]
        if not earlier:
            return ""
        detail = self.label.removeprefix(SYNTHETIC_MARK).strip()
        return f"its history up to {max(earlier)} is synthetic {detail}".rstrip()


def synthetic_masks(
    observations: Mapping[str, obs.Observations], published: pd.DataFrame, values: pd.DataFrame
) -> dict[str, tuple[str, BoolArray]]:
    """Per field with synthetic rows: their label and, per day of the history, whether the
    value in force that day comes from one."""
    masks: dict[str, tuple[str, BoolArray]] = {}
    for field, found in observations.items():
        if field not in published or found.labels is None:
            continue
        marked = np.array([SYNTHETIC_MARK in str(label) for label in found.labels], dtype=bool)
        if not marked.any():
            continue
        stamps = pd.DatetimeIndex(published[field]).as_unit("ns").asi8
        position = np.searchsorted(found.published.as_unit("ns").asi8, stamps, side="right") - 1
        in_force = (position >= 0) & ~pd.isna(published[field]).to_numpy()
        mask = in_force & marked[np.maximum(position, 0)] & values[field].notna().to_numpy()
        if mask.any():
            masks[field] = (str(found.labels[np.flatnonzero(marked)[0]]), mask)
    for field, rule in DERIVED.items():  # in dependency order, so derived-of-derived works
        inputs = [masks[name] for name in rule.inputs if name in masks]
        if inputs and field in values:
            read = np.logical_or.reduce([m for _, m in inputs])
            # a value computed over a window (or a running sum) is synthetic while a
            # synthetic input is still inside it
            if rule.cumulative:
                read = np.logical_or.accumulate(read)
            elif rule.tail_bars > 1:
                read = reaches_back(read, rule.tail_bars)
            mask = read & values[field].notna().to_numpy()
            if mask.any():
                masks[field] = (inputs[0][0], mask)
    return masks


def reaches_back(mask: BoolArray, bars: int) -> BoolArray:
    """True where any of the last `bars` rows (this one included) is True."""
    counts = np.cumsum(np.concatenate([[0], mask.astype(np.int64)]))
    window = counts[1:] - counts[np.maximum(np.arange(1, len(mask) + 1) - bars, 0)]
    reached: BoolArray = window > 0
    return reached


def synthetic_days(
    masks: Mapping[str, tuple[str, BoolArray]],
    dates: pd.Index,
    start: int,
    stop: int,
    series: Mapping[str, npt.NDArray[np.float64]] | None = None,
) -> dict[str, SyntheticDays]:
    """The masks cut to rows `start:stop`, as spans of days. With a snapshot's `series`, a
    field whose last row is unknown there (not yet published at an intraday moment) is not
    synthetic on that row."""
    out: dict[str, SyntheticDays] = {}
    for field, (label, mask) in masks.items():
        cut = mask[start:stop].copy()
        if series is not None and cut.size and np.isnan(series[field][cut.size - 1]):
            cut[-1] = False
        spans = _spans(cut, dates[start:stop])
        if spans:
            out[field] = SyntheticDays(label=label, spans=spans)
    return out


def _spans(mask: BoolArray, dates: pd.Index) -> list[tuple[dt.date, dt.date]]:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return [(dates[int(s)].date(), dates[int(e)].date()) for s, e in zip(starts, ends, strict=True)]


def replaced_on(
    synthetic: Mapping[str, SyntheticDays], names: Iterable[str], dates: Sequence[dt.date]
) -> dict[str, SyntheticDays]:
    """The same days, less the last of `dates` for the fields whose value on it was replaced
    by hand."""
    out = dict(synthetic)
    day = dates[-1]
    before = dates[-2] if len(dates) > 1 else day - dt.timedelta(days=1)
    for name in set(names) & set(out):
        spans = [(first, min(last, before)) for first, last in out[name].spans if first < day]
        if spans:
            out[name] = SyntheticDays(label=out[name].label, spans=spans)
        else:
            del out[name]
    return out
