"""When each value became known: the `Observations` of one field and the publication rules.

A value is usable only from its publication moment (tz-aware, ET). Same-day market prints
are usable on their own day only; slow series are carried forward up to a maximum age.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from alvh_rules.market.calendar import ET, midnight, session_array

__all__ = ["ET", "Observations"]

CLOSE_TIME = pd.Timedelta(hours=16)
OPEN_TIME = pd.Timedelta(hours=9, minutes=30)
RELEASE_TIME = pd.Timedelta(hours=8, minutes=30)  # BLS (CPI, PPI) and BEA (GDP) releases

# Publication lags (assumptions, documented in docs/data.md).
QUARTERLY_REPORT_LAG_DAYS = 70  # S&P 500 as-reported EPS/book value: 10-Q/10-K filed by then
GDP_LAG_DAYS_AFTER_QUARTER_END = 30  # BEA advance estimate, about 4 weeks after the quarter
SHILLER_LAG_DAYS_AFTER_MONTH_END = 14  # ie_data is updated early in the following month

# How long a carried-forward value stays in force without a newer one (calendar days).
MAX_AGE_DAYS: dict[str, int] = {
    "daily_rate": 10,
    "monthly": 75,
    "quarterly": 200,
    "event": 75,
}


@dataclass(frozen=True, slots=True)
class Observations:
    """Every published value of one field, in publication order.

    `period` is the date each value describes (a quarter's end, a release day, a trading
    day); `published` the moment it became known (tz-aware ET); `sources` the file of each;
    `labels` each row's label from the file's `source` column ('' for none; None when the
    file has no such column), which is how the demo set marks its synthetic rows.
    `same_day` fields (market prints) are never carried to another day; the others stay
    in force for `max_age_days` (per value) unless a newer value replaces them.
    """

    field: str
    period: pd.DatetimeIndex
    published: pd.DatetimeIndex
    values: npt.NDArray[np.float64]
    sources: npt.NDArray[np.object_]
    same_day: bool
    max_age_days: npt.NDArray[np.float64]
    labels: npt.NDArray[np.object_] | None = None

    def sorted(self) -> Observations:
        # asi8 (int64 ns) avoids converting tz-aware stamps to Python objects.
        order = np.lexsort((self.period.as_unit("ns").asi8, self.published.as_unit("ns").asi8))
        return Observations(
            self.field,
            self.period[order],
            self.published[order],
            self.values[order],
            self.sources[order],
            self.same_day,
            self.max_age_days[order],
            None if self.labels is None else self.labels[order],
        )


def combine(parts: list[Observations]) -> Observations:
    """One field's observations from several files, in publication order."""
    first = parts[0]
    if len(parts) == 1:
        return first
    return Observations(
        first.field,
        pd.DatetimeIndex(
            first.period.as_unit("ns").append([p.period.as_unit("ns") for p in parts[1:]])
        ),
        pd.DatetimeIndex(
            first.published.as_unit("ns").append([p.published.as_unit("ns") for p in parts[1:]])
        ),
        np.concatenate([p.values for p in parts]),
        np.concatenate([p.sources for p in parts]),
        first.same_day,
        np.concatenate([p.max_age_days for p in parts]),
        _combined_labels(parts),
    ).sorted()


def _combined_labels(parts: list[Observations]) -> npt.NDArray[np.object_] | None:
    if all(p.labels is None for p in parts):
        return None
    return np.concatenate(
        [np.full(len(p.values), "", dtype=object) if p.labels is None else p.labels for p in parts]
    )


def at_time(dates: pd.DatetimeIndex, time_of_day: pd.Timedelta) -> pd.DatetimeIndex:
    """Each date at `time_of_day` ET, tz-aware."""
    return (midnight(dates) + time_of_day).tz_localize(
        ET, nonexistent="shift_forward", ambiguous="NaT"
    )


def next_session(dates: pd.DatetimeIndex, strictly_after: bool = True) -> pd.DatetimeIndex:
    """The first NYSE session after (or on, when `strictly_after` is False) each date."""
    sessions = session_array()
    side = "right" if strictly_after else "left"
    positions = np.searchsorted(sessions, dates.to_numpy(dtype="datetime64[ns]"), side=side)  # type: ignore[call-overload]
    positions = np.minimum(positions, len(sessions) - 1)
    return pd.DatetimeIndex(sessions[positions])


def same_day(
    field: str,
    dates: pd.DatetimeIndex,
    values: npt.NDArray[np.float64],
    source: str,
    time_of_day: pd.Timedelta = CLOSE_TIME,
    labels: npt.NDArray[np.object_] | None = None,
) -> Observations:
    """Market prints: known at `time_of_day` ET on their own trading day, and only then."""
    n = len(dates)
    return Observations(
        field,
        dates,
        at_time(dates, time_of_day),
        values,
        np.full(n, source, dtype=object),
        True,
        np.zeros(n),
        labels,
    )


def carried(
    field: str,
    period: pd.DatetimeIndex,
    published: pd.DatetimeIndex,
    values: npt.NDArray[np.float64],
    source: str,
    max_age: str,
    keep_nan: bool = False,
    labels: npt.NDArray[np.object_] | None = None,
) -> Observations:
    """Slow values carried forward from publication for at most MAX_AGE_DAYS[max_age].

    With `keep_nan`, a NaN value is kept: a release whose value is unknown (a CPI day with
    no print in the file) hides the older value instead of letting it run on.
    """
    keep = np.ones(len(values), dtype=bool) if keep_nan else ~np.isnan(values)
    n = int(keep.sum())
    return Observations(
        field,
        period[keep],
        published[keep],
        values[keep],
        np.full(n, source, dtype=object),
        False,
        np.full(n, float(MAX_AGE_DAYS[max_age])),
        None if labels is None else labels[keep],
    ).sorted()


def after_next_session_close(dates: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """FRED daily rates: known at the close of the next NYSE session."""
    return at_time(next_session(dates), CLOSE_TIME)


def quarterly_report(
    quarter_ends: pd.DatetimeIndex, lag_days: int = QUARTERLY_REPORT_LAG_DAYS
) -> pd.DatetimeIndex:
    """A quarter's company figures: `lag_days` after its end, at the close of that session."""
    return at_time(next_session(quarter_ends + pd.Timedelta(days=lag_days), False), CLOSE_TIME)


def gdp_release(quarter_starts: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """A quarter's GDP (rows dated at the quarter start): 08:30 ET about 4 weeks after its end."""
    quarter_ends = quarter_starts + pd.offsets.QuarterEnd(0)
    release = quarter_ends + pd.Timedelta(days=GDP_LAG_DAYS_AFTER_QUARTER_END)
    return at_time(next_session(pd.DatetimeIndex(release), False), RELEASE_TIME)


def monthly_after(
    month_starts: pd.DatetimeIndex, lag_days_after_month_end: int
) -> pd.DatetimeIndex:
    """A monthly figure (rows dated at the month start), known `lag` days after the month."""
    month_ends = month_starts + pd.offsets.MonthEnd(0)
    release = month_ends + pd.Timedelta(days=lag_days_after_month_end)
    return at_time(next_session(pd.DatetimeIndex(release), False), CLOSE_TIME)
