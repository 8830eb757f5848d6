"""The trading calendar: NYSE sessions (exchange_calendars), scheduled events and expiries.

Events (FOMC 14:00 ET, CPI and PPI 08:30 ET, monthly VIX expiries) ship as facts in
`alvh_rules/data/calendar/events.csv`, each row naming its source; a user's CSV extends them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from alvh_rules.market.report import DataError

ET = "America/New_York"
CALENDAR_START = "1928-01-01"
CALENDAR_END = "2035-12-31"
# exchange_calendars models NYSE holidays from about 1970 on; before that the History takes
# its trading days from the SPX file itself (see alvh_rules.market.history).
RELIABLE_FROM = pd.Timestamp("1970-01-01")
_KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

DayLike = dt.date | pd.Timestamp | str


def midnight(dates: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Each (tz-naive) stamp floored to its date, without pandas' slow frequency inference."""
    days = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    return pd.DatetimeIndex(days.astype("datetime64[ns]"))


@lru_cache(maxsize=1)
def nyse() -> Any:
    """The XNYS exchange calendar, built once (building it takes ~0.3 s)."""
    import warnings

    import exchange_calendars as xcals

    with warnings.catch_warnings():
        # exchange_calendars 4.x reads tz-aware `.values`, deprecated in pandas 3.1: its
        # warning, not ours, and harmless for the session dates we use.
        warnings.simplefilter("ignore")
        return xcals.get_calendar("XNYS", start=CALENDAR_START, end=CALENDAR_END)


@lru_cache(maxsize=1)
def session_array() -> npt.NDArray[np.datetime64]:
    """Every NYSE session of the cached calendar as datetime64[ns], ascending."""
    sessions = pd.DatetimeIndex(nyse().sessions).tz_localize(None)
    return sessions.to_numpy(dtype="datetime64[ns]")


def day(value: DayLike) -> pd.Timestamp:
    """A tz-naive midnight timestamp for a date-like value."""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(ET).tz_localize(None)
    return stamp.normalize()


def sessions(start: DayLike, end: DayLike) -> pd.DatetimeIndex:
    """NYSE trading days from `start` to `end`, both included."""
    array = session_array()
    lo = np.searchsorted(array, day(start).to_datetime64(), side="left")
    hi = np.searchsorted(array, day(end).to_datetime64(), side="right")
    return pd.DatetimeIndex(array[lo:hi])


def is_trading_day(value: DayLike) -> bool:
    stamp = day(value).to_datetime64()
    array = session_array()
    position = int(np.searchsorted(array, stamp))
    return position < len(array) and array[position] == stamp


def session_ordinals(days: pd.DatetimeIndex | npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
    """For each day, how many NYSE sessions fall on or before it (vectorized)."""
    values = pd.DatetimeIndex(days).to_numpy(dtype="datetime64[ns]")
    return np.searchsorted(session_array(), values, side="right").astype(np.int64)


def trading_days_between(a: DayLike, b: DayLike) -> int:
    """Sessions after `a` up to and including `b` (negative when `b` is before `a`).

    Next session from a session is 1; Friday to Monday is 1; a day to itself is 0.
    """
    ordinals = session_ordinals(pd.DatetimeIndex([day(a), day(b)]))
    return int(ordinals[1] - ordinals[0])


def calendar_days_to_expiry(today: DayLike, expiry: DayLike) -> int:
    return int((day(expiry) - day(today)).days)


def trading_days_to_expiry(today: DayLike, expiry: DayLike) -> int:
    """Sessions after today up to and including the expiry day."""
    return trading_days_between(today, expiry)


def standard_vix_expiry(year: int, month: int) -> pd.Timestamp:
    """Cboe's rule for the monthly VIX expiry that falls in (`year`, `month`).

    The Wednesday 30 days before the third Friday of the following month; when that Friday
    is a holiday, 30 days before the session preceding it; a holiday Wednesday moves to the
    session before. Used only beyond the shipped list of real expiries.
    """
    nxt = pd.Timestamp(year=year + month // 12, month=month % 12 + 1, day=1)
    third_friday = nxt + pd.Timedelta(days=(4 - nxt.weekday()) % 7 + 14)
    if not is_trading_day(third_friday):
        third_friday = _previous_session(third_friday)
    expiry = third_friday - pd.Timedelta(days=30)
    return expiry if is_trading_day(expiry) else _previous_session(expiry)


def _previous_session(value: pd.Timestamp) -> pd.Timestamp:
    array = session_array()
    position = int(np.searchsorted(array, value.to_datetime64(), side="left")) - 1
    return pd.Timestamp(array[position])


@dataclass(frozen=True, slots=True)
class EventCalendar:
    """Scheduled events by kind: a frame with `at` (tz-aware ET), `date`, `source`, `note`."""

    table: pd.DataFrame

    @classmethod
    def builtin(cls) -> EventCalendar:
        return cls(_builtin_table())

    def with_file(self, path: Path) -> EventCalendar:
        """This calendar plus a user's CSV (`kind,date[,time_et][,source][,note]`)."""
        extra = read_events_csv(path.read_text(encoding="utf-8"), path.name)
        merged = pd.concat([self.table, extra], ignore_index=True)
        merged = merged.drop_duplicates(subset=["kind", "date"], keep="last")
        return EventCalendar(merged.sort_values(["kind", "at"], ignore_index=True))

    @property
    def kinds(self) -> list[str]:
        return sorted(set(self.table["kind"]))

    def times(self, kind: str) -> pd.DatetimeIndex:
        """The moments (tz-aware, ET) of every event of `kind`, in order."""
        if kind not in set(self.table["kind"]):
            raise KeyError(f"unknown event kind {kind!r}; known kinds: {', '.join(self.kinds)}")
        return pd.DatetimeIndex(self.table.loc[self.table["kind"] == kind, "at"])

    def dates(self, kind: str) -> pd.DatetimeIndex:
        return midnight(self.times(kind).tz_localize(None))

    def next_event(self, kind: str, after: DayLike | dt.datetime) -> pd.Timestamp | None:
        """The first event of `kind` at or after `after` (a date means its midnight ET)."""
        times = self.times(kind)
        position = int(times.searchsorted(_moment(after), side="left"))
        return times[position] if position < len(times) else None

    def last_event(self, kind: str, before: DayLike | dt.datetime) -> pd.Timestamp | None:
        """The last event of `kind` at or before `before` (a date means 23:59:59 ET that day)."""
        moment = _moment(before)
        if not isinstance(before, dt.datetime) or before.tzinfo is None:
            moment = moment + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
        times = self.times(kind)
        position = int(times.searchsorted(moment, side="right")) - 1
        return times[position] if position >= 0 else None

    def distances(self, index: pd.DatetimeIndex, kind: str) -> pd.DataFrame:
        """Signed trading-day distance from each day to the last (`prev`, <= 0) and the next
        (`next`, >= 0) event of `kind`; the event day itself is 0 in both; NaN when none.

        An event on a non-trading day (the Sunday 2020-03-15 cut) counts on the next session.
        """
        return event_gaps(index, self.dates(kind))

    def within(self, index: pd.DatetimeIndex, kind: str, n_trading_days: int) -> pd.Series:
        """`within Nd of kind`: an event of `kind` lies N trading days or fewer before or after.

        Nullable boolean: NA (unknown) where no event is near and the calendar does not
        reach that far (after the last known CPI release, before the first FOMC date), so a
        missing calendar never reads as "no event".
        """
        gaps = self.distances(index, kind)
        near = (gaps["prev"].abs() <= n_trading_days) | (gaps["next"] <= n_trading_days)
        unknown = (gaps["prev"].isna() | gaps["next"].isna()) & ~near
        result = near.astype("boolean")
        result[unknown.to_numpy()] = None  # NA in a nullable boolean
        return result.rename(f"within_{n_trading_days}d_of_{kind}")

    def coverage(self, kind: str) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last known event of `kind`: beyond them `within` is unknown."""
        dates = self.dates(kind)
        return dates[0], dates[-1]


def event_gaps(index: pd.DatetimeIndex, event_dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Signed trading-day gaps from each day of `index` to the last (`prev`, <= 0) and next
    (`next`, >= 0) of `event_dates`; an event on a closed day counts on the next session."""
    event_ordinals = np.unique(session_ordinals(_next_sessions(event_dates)))
    day_ordinals = session_ordinals(index)
    nxt = np.searchsorted(event_ordinals, day_ordinals, side="left")
    prv = np.searchsorted(event_ordinals, day_ordinals, side="right") - 1
    padded = np.append(event_ordinals, -1).astype(np.float64)
    next_gap = np.where(nxt < len(event_ordinals), padded[nxt] - day_ordinals, np.nan)
    prev_gap = np.where(prv >= 0, padded[np.maximum(prv, 0)] - day_ordinals, np.nan)
    return pd.DataFrame({"prev": prev_gap, "next": next_gap}, index=index)


def _moment(value: DayLike | dt.datetime) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize(ET) if stamp.tzinfo is None else stamp.tz_convert(ET)


def _next_sessions(dates: pd.DatetimeIndex) -> pd.DatetimeIndex:
    array = session_array()
    positions = np.searchsorted(array, dates.to_numpy(dtype="datetime64[ns]"), side="left")
    positions = np.minimum(positions, len(array) - 1)
    return pd.DatetimeIndex(array[positions])


@lru_cache(maxsize=1)
def _builtin_table() -> pd.DataFrame:
    text = (resources.files("alvh_rules.data") / "calendar" / "events.csv").read_text("utf-8")
    shipped = read_events_csv(text, "events.csv")
    return pd.concat([shipped, _computed_vix_expiries(shipped)], ignore_index=True)


def _computed_vix_expiries(shipped: pd.DataFrame) -> pd.DataFrame:
    """Monthly VIX expiries after the shipped list, by Cboe's rule, up to 2034."""
    last = shipped.loc[shipped["kind"] == "vix_expiry", "date"].max()
    months = pd.period_range(last + pd.offsets.MonthBegin(1), "2034-12", freq="M")
    dates = pd.DatetimeIndex([standard_vix_expiry(m.year, m.month) for m in months])
    return pd.DataFrame(
        {
            "kind": "vix_expiry",
            "date": dates,
            "at": (dates + pd.Timedelta(hours=9, minutes=30)).tz_localize(ET),
            "source": "computed by Cboe's rule (standard_vix_expiry)",
            "note": "",
        }
    )


def read_events_csv(text: str, file: str) -> pd.DataFrame:
    """Parse an events CSV; errors name the file, row and column."""
    import io

    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    for column in ("kind", "date"):
        if column not in raw.columns:
            raise DataError(file, None, column, "missing column")
    unknown = set(raw.columns) - {"kind", "date", "time_et", "source", "note"}
    if unknown:
        raise DataError(file, None, sorted(unknown)[0], "unknown column")
    for position, kind in enumerate(raw["kind"]):
        if not _KIND_PATTERN.match(kind):
            raise DataError(file, position + 1, "kind", f"bad event kind {kind!r}")
    default_times = raw["kind"].map({"fomc": "14:00", "vix_expiry": "09:30"}).fillna("08:30")
    times = raw["time_et"] if "time_et" in raw.columns else default_times
    times = times.where(times.str.strip() != "", default_times)
    stamps = pd.to_datetime(raw["date"] + " " + times, format="%Y-%m-%d %H:%M", errors="coerce")
    if stamps.isna().any():
        bad = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise DataError(file, bad + 1, "date", f"unreadable date/time {raw['date'].iloc[bad]!r}")
    table = pd.DataFrame(
        {
            "kind": raw["kind"],
            "date": midnight(pd.DatetimeIndex(stamps)),
            "at": pd.DatetimeIndex(stamps).tz_localize(ET),
            "source": raw.get("source", pd.Series([file] * len(raw))),
            "note": raw.get("note", pd.Series([""] * len(raw))),
        }
    )
    return table.sort_values(["kind", "at"], ignore_index=True)
