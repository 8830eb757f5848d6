"""Bad-data policies applied to a read table: prices, plausible ranges, OHLC ranges, trading
days, gaps, rows dated in the future.

Each policy sets cells aside (NaN) or drops rows and writes one report line per row, so a
History never holds a value a loader silently changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from alvh_rules.lang.catalog import PLAUSIBLE_RANGES
from alvh_rules.market.observations import Observations
from alvh_rules.market.readers import Table
from alvh_rules.market.report import LoadReport


def set_aside(
    table: Table,
    mask: npt.NDArray[np.bool_],
    columns: Sequence[str],
    reason: str,
    report: LoadReport,
) -> None:
    """Make `columns` NaN on the rows of `mask`, one report line per row and column."""
    for position in np.flatnonzero(mask):
        for column in columns:
            report.add(table.file, int(table.rows[position]), column, "set_aside", reason)
    if mask.any():
        table.values.loc[mask, list(columns)] = np.nan


def non_positive_prices(table: Table, columns: Sequence[str], report: LoadReport) -> None:
    """A price of zero or below is a missing print in these sources, never a real value."""
    for column in columns:
        if column not in table.values:
            continue
        values = table.values[column].to_numpy()
        set_aside(table, values <= 0, [column], f"non-positive price {column}", report)


def ohlc_ranges(table: Table, report: LoadReport) -> None:
    """Close-only bars lose open/high/low; a bad high/low pair or open is set aside."""
    v = table.values
    if not {"open", "high", "low", "close"} <= set(v.columns):
        return
    o, h, lo, c = (v[k].to_numpy() for k in ("open", "high", "low", "close"))
    flat = (o == h) & (h == lo) & (lo == c)
    set_aside(
        table,
        flat,
        ["open", "high", "low"],
        "close-only bar (open=high=low=close): not a real range",
        report,
    )
    with np.errstate(invalid="ignore"):
        inverted = h < lo
        set_aside(table, inverted, ["high", "low"], "high below low", report)
        h, lo = v["high"].to_numpy(), v["low"].to_numpy()
        outside = (c < lo) | (c > h)
        set_aside(table, outside, ["high", "low"], "close outside [low, high]", report)
        h, lo = v["high"].to_numpy(), v["low"].to_numpy()
        bad_open = (o < lo) | (o > h)
    set_aside(table, bad_open, ["open"], "open outside [low, high]", report)


def keep_trading_days(table: Table, trading_days: pd.DatetimeIndex, report: LoadReport) -> Table:
    """Drop rows dated on days the NYSE was closed (the VIX file has 33 such rows)."""
    on_session = table.dates.isin(trading_days)
    for position in np.flatnonzero(~on_session):
        stamp = table.dates[int(position)]
        report.add(
            table.file,
            int(table.rows[position]),
            "date",
            "dropped",
            f"{stamp.date()} is not an NYSE trading day",
        )
    if on_session.all():
        return table
    return Table(
        table.file, table.values[on_session], table.rows[on_session], table.text[on_session]
    )


def keep_from(table: Table, start: pd.Timestamp, reason: str, report: LoadReport) -> Table:
    """Drop rows before `start` (a documented source policy such as VVIX before 2007)."""
    early = table.dates < start
    for position in np.flatnonzero(early):
        report.add(table.file, int(table.rows[position]), "date", "dropped", reason)
    keep = ~early
    return Table(table.file, table.values[keep], table.rows[keep], table.text[keep])


def report_gaps(
    file: str, dates: pd.DatetimeIndex, trading_days: pd.DatetimeIndex, report: LoadReport
) -> None:
    """Flag each run of trading days inside the file's span that has no row (NaN there)."""
    if len(dates) == 0:
        return
    span = trading_days[(trading_days >= dates[0]) & (trading_days <= dates[-1])]
    missing = ~span.isin(dates)
    if not missing.any():
        return
    positions = np.flatnonzero(missing)
    breaks = np.flatnonzero(np.diff(positions) != 1)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(positions) - 1]])
    for start, end in zip(starts, ends, strict=True):
        first, last = span[positions[start]], span[positions[end]]
        count = end - start + 1
        report.add(
            file,
            None,
            None,
            "flagged",
            f"no row for {count} trading day(s) {first.date()}..{last.date()}: NaN there",
        )


def report_empty_values(table: Table, columns: tuple[str, ...], report: LoadReport) -> None:
    """Flag each run of rows with no value in a main column (an empty or `.` cell, or one
    set aside above): a row that is there but says nothing, beside the rows that are not."""
    for column in columns:
        if column not in table.values:
            continue
        empty = np.flatnonzero(table.values[column].isna().to_numpy())
        if not empty.size:
            continue
        breaks = np.flatnonzero(np.diff(empty) != 1)
        for first, last in zip(
            np.concatenate([[0], breaks + 1]),
            np.concatenate([breaks, [empty.size - 1]]),
            strict=True,
        ):
            start, end = table.dates[empty[first]].date(), table.dates[empty[last]].date()
            report.add(
                table.file,
                int(table.rows[empty[first]]),
                column,
                "flagged",
                f"no {column} on {last - first + 1} trading day(s) {start}..{end} (an empty "
                "cell, or one set aside): NaN there",
            )


def implausible(field: str, values: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Where `values` lie outside the field's range in catalog.PLAUSIBLE_RANGES (inf too)."""
    low, high = PLAUSIBLE_RANGES[field]
    with np.errstate(invalid="ignore"):
        return ~np.isnan(values) & ~((values >= low) & (values <= high))


def _range_reason(field: str, value: float) -> str:
    low, high = PLAUSIBLE_RANGES[field]
    return f"{field} = {value:g} is outside its plausible range {low:g}..{high:g}: unknown"


def implausible_cells(table: Table, fields: dict[str, str], report: LoadReport) -> None:
    """Set aside each cell outside its field's plausible range, one report line per cell."""
    for column, field in fields.items():
        if column not in table.values:
            continue
        values = table.values[column].to_numpy(dtype=np.float64)
        mask = implausible(field, values)
        for position in np.flatnonzero(mask):
            reason = _range_reason(field, float(values[position]))
            report.add(table.file, int(table.rows[position]), column, "set_aside", reason)
        if mask.any():
            table.values.loc[mask, column] = np.nan


def implausible_observations(part: Observations, report: LoadReport) -> Observations:
    """The same policy for values already scaled to the field's unit (the slow series, whose
    rows are named by the date they describe)."""
    mask = implausible(part.field, part.values)
    if not mask.any():
        return part
    for position in np.flatnonzero(mask):
        day = part.period[int(position)].date()
        reason = f"{day}: " + _range_reason(part.field, float(part.values[position]))
        report.add(str(part.sources[position]), None, part.field, "set_aside", reason)
    return dataclasses.replace(part, values=np.where(mask, np.nan, part.values))


def drop_future(table: Table, today: pd.Timestamp, report: LoadReport) -> Table:
    """Drop rows dated after `today`: a history cannot hold tomorrow's close, and such a row
    (a typo of 2099 for 2009) would move the default evaluation day into the future."""
    future = table.dates > today
    for position in np.flatnonzero(future):
        stamp = table.dates[int(position)]
        report.add(
            table.file,
            int(table.rows[position]),
            "date",
            "dropped",
            f"{stamp.date()} is after today ({today.date()}): a row from the future",
        )
    if not future.any():
        return table
    keep = ~future
    return Table(table.file, table.values[keep], table.rows[keep], table.text[keep])
