"""Load a data folder into per-field observations on an NYSE trading-day index.

Order: find the files, read the daily market files, fix the trading days (NYSE sessions
from exchange_calendars from 1970, the SPX file's own days before), then the slow files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alvh_rules.market import checks
from alvh_rules.market import observations as obs
from alvh_rules.market.calendar import RELIABLE_FROM, EventCalendar, sessions
from alvh_rules.market.daily_sources import (
    DAILY_SOURCES,
    VX_FUTURES,
    DailySource,
    futures_expiries,
    read_daily,
)
from alvh_rules.market.discovery import locate
from alvh_rules.market.readers import OnBadCell, Table, read_table
from alvh_rules.market.report import LoadReport
from alvh_rules.market.slow_sources import (
    SLOW_SOURCES,
    USER_FIELDS,
    load_releases,
    load_slow,
    load_tbill_monthly,
    load_user_field,
)

_OPEN_FIELDS = frozenset({"spx_open", "vix_open"})


@dataclass(slots=True)
class Loaded:
    """What a folder yields before assembly into daily columns."""

    index: pd.DatetimeIndex
    observations: dict[str, obs.Observations]
    report: LoadReport
    calendar: EventCalendar
    files: dict[str, Path]


def load_folder(folder: Path, on_bad_cell: OnBadCell = "raise") -> Loaded:
    """Read every recognised file of `folder`; what is set aside goes to the report."""
    report = LoadReport()
    files = locate(folder, report)
    calendar = EventCalendar.builtin()
    if "events" in files:
        calendar = calendar.with_file(files["events"])
    today = pd.Timestamp.now(tz=obs.ET).normalize().tz_localize(None)
    tables = {
        source.key: (
            source,
            checks.drop_future(
                read_daily(source, files[source.key], report, on_bad_cell), today, report
            ),
        )
        for source in DAILY_SOURCES
        if source.key in files
    }
    parts: list[obs.Observations] = []
    index = _trading_index(tables)
    for key, (source, table) in tables.items():
        table = checks.keep_trading_days(table, index, report)
        checks.report_gaps(table.file, table.dates, index, report)
        checks.report_empty_values(table, source.required, report)
        _report_end(table, index, report)
        parts.extend(_daily_observations(source, table))
        if key == VX_FUTURES.key:
            parts.extend(_futures_dte(table, _vix_expiries(files, calendar, report), report))
    parts.extend(
        checks.implausible_observations(part, report)
        for part in _slow_observations(files, report, on_bad_cell)
    )
    if not index.size:
        index = _index_from_slow(parts)
    grouped: dict[str, list[obs.Observations]] = {}
    for part in parts:
        grouped.setdefault(part.field, []).append(part)
    observations = {field: obs.combine(group) for field, group in grouped.items()}
    return Loaded(index, observations, report, calendar, files)


def _trading_index(tables: dict[str, tuple[DailySource, Table]]) -> pd.DatetimeIndex:
    """NYSE sessions from 1970 (exchange_calendars); before 1970 the SPX file's own days."""
    if not tables:
        return pd.DatetimeIndex([])
    first = min(t.values.index[0] for _, t in tables.values() if len(t.values))
    last = max(t.values.index[-1] for _, t in tables.values() if len(t.values))
    modern = sessions(max(first, RELIABLE_FROM), last)
    early: pd.DatetimeIndex = pd.DatetimeIndex([])
    if first < RELIABLE_FROM:
        spx = tables.get("spx")
        if spx is not None:
            spx_days = spx[1].dates
            early = spx_days[spx_days < RELIABLE_FROM]
        else:
            early = sessions(first, RELIABLE_FROM - pd.Timedelta(days=1))
    return early.union(modern).as_unit("ns")


def _index_from_slow(parts: list[obs.Observations]) -> pd.DatetimeIndex:
    if not parts:
        return pd.DatetimeIndex([]).as_unit("ns")
    first = min(p.period.min() for p in parts if len(p.period))
    last = max(p.published.max() for p in parts if len(p.published))
    return sessions(first, pd.Timestamp(last).tz_localize(None)).as_unit("ns")


def _report_end(table: Table, index: pd.DatetimeIndex, report: LoadReport) -> None:
    if len(table.values) and table.dates[-1] < index[-1]:
        behind = int((index > table.dates[-1]).sum())
        report.add(
            table.file,
            None,
            None,
            "flagged",
            f"series ends on {table.dates[-1].date()}, {behind} trading day(s) before "
            f"the history's last day {index[-1].date()}: NaN after its end",
        )


def _daily_observations(source: DailySource, table: Table) -> list[obs.Observations]:
    result: list[obs.Observations] = []
    for column, field in source.fields.items():
        if column not in table.values:
            continue
        time_of_day = obs.OPEN_TIME if field in _OPEN_FIELDS else obs.CLOSE_TIME
        result.append(
            obs.same_day(
                field,
                table.dates,
                table.values[column].to_numpy(),
                table.file,
                time_of_day,
                labels=table.labels,
            )
        )
    return result


def _vix_expiries(
    files: dict[str, Path], calendar: EventCalendar, report: LoadReport
) -> pd.DatetimeIndex:
    shipped = calendar.dates("vix_expiry")
    if "vix_expiries" not in files:
        return shipped
    table = read_table(files["vix_expiries"], {}, report=report, ignored=("source",))
    return shipped.union(table.dates)


def _futures_dte(
    table: Table, expiries: pd.DatetimeIndex, report: LoadReport
) -> list[obs.Observations]:
    front, second = futures_expiries(table, expiries, report)
    dates = table.dates
    result: list[obs.Observations] = []
    for field, expiry, column in (("vix_f1_dte", front, "f1"), ("vix_f2_dte", second, "f2")):
        gap = pd.DatetimeIndex(expiry.to_numpy()) - dates
        days: np.ndarray = np.asarray(gap.days, dtype=np.float64)
        days[np.isnan(table.values[column].to_numpy())] = np.nan
        result.append(obs.same_day(field, dates, days, table.file, labels=table.labels))
    return result


def _slow_observations(
    files: dict[str, Path], report: LoadReport, on_bad_cell: OnBadCell
) -> list[obs.Observations]:
    parts: list[obs.Observations] = []
    for source in SLOW_SOURCES:
        if source.key in files:
            parts.extend(load_slow(source, files[source.key], report, on_bad_cell))
    if "tbill_monthly" in files:
        daily = [p for p in parts if p.field == "risk_free"]
        before = daily[0].period.min() if daily and len(daily[0].period) else None
        parts.append(load_tbill_monthly(files["tbill_monthly"], before, report, on_bad_cell))
    for kind in ("cpi", "ppi"):
        if kind in files:
            parts.extend(load_releases(files[kind], kind, report, on_bad_cell))
    for field in USER_FIELDS:
        if field in files:
            parts.append(load_user_field(field, files[field], report, on_bad_cell))
    return parts
