"""Listed option expiries as they were listed on a day: SPX monthlies and weeklies, VIX
monthlies; and the expiry an `open ... dte N` picks (the listed one nearest N days).

Dates are settlement days on the NYSE calendar (never a weekend or a holiday). Sources and
launch dates are in docs/data.md ("Listed expiries"). Everything works on many days at once
(numpy searchsorted over precomputed tables) so replay picks expiries for 9,000 days cheaply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from alvh_rules.greeks.settlement_time import am_settled
from alvh_rules.market.calendar import EventCalendar, session_array, standard_vix_expiry

ExpiryKind = Literal["monthly", "weekly"]
Underlying = Literal["SPX", "VIX"]
DayArray = npt.NDArray[np.int64]  # days since 1970-01-01 (datetime64[D] as integers)

FIRST_YEAR: Final = 1985
LAST_YEAR: Final = 2034

SPX_MONTHLY_HORIZON_DAYS: Final = 366
"""SPX standard monthlies are taken as listed up to a year ahead (LEAPS beyond: not modelled)."""

WEEKLY_HORIZON_DAYS: Final = 42
"""SPX Weeklys are listed up to six consecutive weeks ahead (Cboe SPXW product page)."""

VIX_LISTED_MONTHS: Final = 6
"""VIX options list up to six monthly expiries (Cboe VIX options specifications)."""

# The first listing day of each SPX Weeklys series (SPXW), by weekday (Monday = 0); sources
# in docs/data.md. A weekly is listed from the later of this day and WEEKLY_HORIZON_DAYS
# before its expiry.
WEEKLY_LAUNCH: Final = {
    4: dt.date(2005, 10, 28),  # Friday (end-of-week) Weeklys, October 2005
    2: dt.date(2016, 2, 23),  # Wednesday Weeklys (first expiry 2016-03-02)
    0: dt.date(2016, 8, 15),  # Monday Weeklys (first expiry 2016-08-22)
    1: dt.date(2022, 4, 18),  # Tuesday Weeklys
    3: dt.date(2022, 5, 11),  # Thursday Weeklys
}


def _sessions_days() -> DayArray:
    return session_array().astype("datetime64[D]").astype(np.int64)


def _previous_or_same_session(days: DayArray, sessions: DayArray) -> DayArray:
    at = np.searchsorted(sessions, days, side="right") - 1
    return sessions[at]


def _next_or_same_session(days: DayArray, sessions: DayArray) -> DayArray:
    at = np.searchsorted(sessions, days, side="left")
    return sessions[np.minimum(at, len(sessions) - 1)]


@lru_cache(maxsize=1)
def spx_monthly_expiries() -> DayArray:
    """SPX standard (AM-settled) expiries: the third Friday of each month, or the session
    before it when that Friday is an exchange holiday (Good Friday 2008-03-21 -> Thursday)."""
    months = pd.period_range(f"{FIRST_YEAR}-01", f"{LAST_YEAR}-12", freq="M")
    firsts = months.to_timestamp().to_numpy(dtype="datetime64[D]").astype(np.int64)
    weekday = (firsts + 3) % 7  # 1970-01-01 was a Thursday (3)
    third_friday = firsts + (4 - weekday) % 7 + 14
    return _previous_or_same_session(third_friday, _sessions_days())


@lru_cache(maxsize=1)
def spx_weekly_series() -> dict[int, DayArray]:
    """SPX Weeklys (PM-settled) of each weekday series from its launch, sorted, with the
    standard-monthly days left out (the monthly is listed there). A Monday weekly on a
    holiday expires the next session; any other weekday's, the session before."""
    sessions = _sessions_days()
    monthly = spx_monthly_expiries()
    end = np.datetime64(f"{LAST_YEAR}-12-31", "D").astype(np.int64)
    series: dict[int, DayArray] = {}
    for weekday, launch in WEEKLY_LAUNCH.items():
        start = np.datetime64(launch, "D").astype(np.int64)
        first = start + (weekday - (start + 3) % 7) % 7
        nominal = np.arange(first, end, 7, dtype=np.int64)
        if weekday == 0:
            moved = _next_or_same_session(nominal, sessions)
        else:
            moved = _previous_or_same_session(nominal, sessions)
        series[weekday] = np.unique(moved[~np.isin(moved, monthly)])
    return series


def _launch_day(weekday: int) -> int:
    return int(np.datetime64(WEEKLY_LAUNCH[weekday], "D").astype(np.int64))


@lru_cache(maxsize=1)
def vix_expiries() -> DayArray:
    """VIX options and VX futures monthly expiries: the shipped calendar (real expiries from
    2004-05, then Cboe's rule), with Cboe's rule for the months before the shipped list."""
    shipped = EventCalendar.builtin().dates("vix_expiry")
    first = shipped[0]
    months = pd.period_range(f"{FIRST_YEAR}-01", first - pd.offsets.MonthBegin(1), freq="M")
    earlier = pd.DatetimeIndex([standard_vix_expiry(m.year, m.month) for m in months])
    days = earlier.append(shipped).to_numpy(dtype="datetime64[D]").astype(np.int64)
    return np.unique(days)


@dataclass(frozen=True, slots=True)
class Picked:
    """Per day: the chosen expiry (days since epoch; -1 where none) and the days to it."""

    expiry: DayArray
    days: npt.NDArray[np.float64]
    beyond: npt.NDArray[np.bool_]  # the requested dte lies past every listed expiry

    def date(self, row: int) -> dt.date:
        return dt.date(1970, 1, 1) + dt.timedelta(days=int(self.expiry[row]))


def _nearest(
    table: DayArray, target: DayArray, lo: DayArray, hi: DayArray
) -> tuple[DayArray, npt.NDArray[np.bool_]]:
    """Index in `table` of the entry nearest `target` among rows lo..hi (inclusive; empty
    when hi < lo: -1). Ties go to the later expiry. Also: target beyond table[hi]."""
    empty = hi < lo
    right = np.clip(np.searchsorted(table, target, side="left"), lo, np.maximum(hi, lo))
    left = np.maximum(right - 1, lo)
    size = max(len(table) - 1, 0)
    right_gap = np.abs(table[np.minimum(right, size)] - target)
    left_gap = np.abs(table[np.minimum(left, size)] - target)
    chosen = np.where(left_gap < right_gap, left, right)
    beyond = ~empty & (target > table[np.minimum(np.maximum(hi, 0), size)])
    return np.where(empty, -1, chosen), beyond


def _monthly_pick(table: DayArray, today: DayArray, target: DayArray, count: int | None) -> Picked:
    lo = np.searchsorted(table, today, side="right")
    if count is None:
        hi = np.searchsorted(table, today + SPX_MONTHLY_HORIZON_DAYS, side="right") - 1
    else:
        hi = np.minimum(lo + count - 1, len(table) - 1)
    at, beyond = _nearest(table, target, lo, hi)
    expiry = np.where(at >= 0, table[np.maximum(at, 0)], -1)
    return _picked(expiry, today, beyond)


def _picked(expiry: DayArray, today: DayArray, beyond: npt.NDArray[np.bool_]) -> Picked:
    usable = (expiry >= 0) & ~beyond
    days = np.where(usable, (expiry - today).astype(np.float64), np.nan)
    return Picked(np.where(usable, expiry, -1), days, beyond)


def _weekly_pick(today: DayArray, target: DayArray) -> Picked:
    """Nearest among the monthlies and the Weeklys listed on each day: per weekday series,
    those expiring within WEEKLY_HORIZON_DAYS once the series has launched (a contiguous
    run of its table), so each series is one searchsorted."""
    picked = _monthly_pick(spx_monthly_expiries(), today, target, None)
    best = picked.expiry
    for weekday, table in spx_weekly_series().items():
        lo = np.searchsorted(table, today, side="right")
        hi = np.searchsorted(table, today + WEEKLY_HORIZON_DAYS, side="right") - 1
        hi = np.where(today >= _launch_day(weekday), hi, lo - 1)
        at, _ = _nearest(table, target, lo, hi)
        week = np.where(at >= 0, table[np.maximum(at, 0)], -1)
        best_gap = np.where(best >= 0, np.abs(best - target), 1 << 40)
        week_gap = np.where(week >= 0, np.abs(week - target), 1 << 40)
        better = (week >= 0) & ((week_gap < best_gap) | ((week_gap == best_gap) & (week > best)))
        better &= ~picked.beyond  # past the last monthly is past every weekly too
        best = np.where(better, week, best)
    return _picked(best, today, picked.beyond)


def pick_expiries(
    underlying: Underlying,
    kind: ExpiryKind,
    today: npt.NDArray[np.datetime64] | DayArray,
    dte: npt.NDArray[np.float64],
) -> Picked:
    """The listed expiry nearest `dte` calendar days after each day (ties: the later one).

    `today` as datetime64 or days since epoch; `dte` rounded to whole days, at least 1.
    Unknown (NaN days, -1 expiry) where the dte is not finite or lies past the last listed
    expiry (`beyond`)."""
    given = np.asarray(today)
    if np.issubdtype(given.dtype, np.datetime64):
        given = given.astype("datetime64[D]")
    days: DayArray = given.astype(np.int64)
    wanted = np.asarray(dte, dtype=np.float64)
    finite = np.isfinite(wanted)
    target = days + np.maximum(np.round(np.where(finite, wanted, 1.0)), 1.0).astype(np.int64)
    if underlying == "VIX":
        picked = _monthly_pick(vix_expiries(), days, target, VIX_LISTED_MONTHS)
    elif kind == "weekly":
        picked = _weekly_pick(days, target)
    else:
        picked = _monthly_pick(spx_monthly_expiries(), days, target, None)
    return _picked(np.where(finite, picked.expiry, -1), days, picked.beyond & finite)


def pick_expiry(
    underlying: Underlying, kind: ExpiryKind, today: dt.date, dte: float
) -> dt.date | None:
    """`pick_expiries` for one day: the listed expiry, or None when none is near `dte`."""
    picked = pick_expiries(
        underlying, kind, np.array([np.datetime64(today, "D")]), np.array([float(dte)])
    )
    return picked.date(0) if picked.expiry[0] >= 0 else None


def listed_on(underlying: Underlying, kind: ExpiryKind, today: dt.date) -> list[dt.date]:
    """Every expiry listed on `today` for `underlying` (the set `pick_expiry` chooses from)."""
    day = int(np.datetime64(today, "D").astype(np.int64))
    if underlying == "VIX":
        table = vix_expiries()
        lo = int(np.searchsorted(table, day, side="right"))
        chosen = table[lo : lo + VIX_LISTED_MONTHS]
    else:
        table = spx_monthly_expiries()
        chosen = table[(table > day) & (table <= day + SPX_MONTHLY_HORIZON_DAYS)]
        if kind == "weekly":
            for weekday, weekly in spx_weekly_series().items():
                live = (weekly > day) & (weekly <= day + WEEKLY_HORIZON_DAYS)
                if day >= _launch_day(weekday):
                    chosen = np.union1d(chosen, weekly[live])
    epoch = dt.date(1970, 1, 1)
    return [epoch + dt.timedelta(days=int(d)) for d in chosen]


def max_listed_days(underlying: Underlying) -> int:
    """The most calendar days to any listed expiry on any day: a constant `dte` beyond it
    can never be served (the checker's bound)."""
    if underlying == "VIX":
        table = vix_expiries()
        return int((table[VIX_LISTED_MONTHS:] - table[:-VIX_LISTED_MONTHS]).max())
    return SPX_MONTHLY_HORIZON_DAYS


def settlement_style(underlying: Underlying, expiry: dt.date) -> Literal["AM", "PM"]:
    """AM-settled (SPX standard monthlies, VIX) or PM-settled (SPX Weeklys): the rule of
    `greeks.settlement_time`, which pricing reads (tested equal to `spx_monthly_expiries`)."""
    return "AM" if am_settled(underlying, expiry) else "PM"
