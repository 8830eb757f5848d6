"""Time to expiry as pricing reads it: calendar days from today's close to the instant the
option settles, not to midnight.

Positions are valued at the 16:00 ET close of `as_of`. SPX standard monthlies (third Friday;
the Thursday before when that Friday is an exchange holiday) stop trading the session before
and settle at the expiry day's 09:30 ET open (AM); SPX Weeklys settle at the 16:00 close (PM);
VIX options and VX futures at the expiry day's opening quotation (AM). So an AM expiry is
6.5 hours nearer than its calendar days: on the Thursday before a Friday AM expiry 17.5 hours
are left. Year fractions stay ACT/365 (`conventions.DAYS_PER_YEAR`) of these days.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

CLOSE_TO_OPEN_DAYS: Final = 6.5 / 24.0
"""From the 16:00 ET close to the 09:30 ET open of a later day, less whole days."""

JUNETEENTH_FIRST_YEAR: Final = 2022  # first year NYSE closed for Juneteenth


def _good_friday(year: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher) less two days."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day) - dt.timedelta(days=2)


def _third_friday(day: dt.date) -> bool:
    return day.weekday() == 4 and 15 <= day.day <= 21


def _closed_third_friday(friday: dt.date) -> bool:
    """The only NYSE holidays that can fall on a third Friday (15th-21st): Good Friday, and
    Juneteenth since 2022 (June 19, or Friday June 18 when the 19th is a Saturday). Checked
    against the XNYS calendar in the tests."""
    june = friday.month == 6 and friday.day in (18, 19)
    juneteenth = friday.year >= JUNETEENTH_FIRST_YEAR and june
    return juneteenth or friday == _good_friday(friday.year)


def spx_am_settled(expiry: dt.date) -> bool:
    """Whether an SPX expiry is a standard (AM-settled) monthly: a third Friday, the Thursday
    before one that is a holiday, or the Saturday after one (how monthlies were dated until
    2015)."""
    if expiry.weekday() == 5:
        return _third_friday(expiry - dt.timedelta(days=1))
    if expiry.weekday() == 3:
        friday = expiry + dt.timedelta(days=1)
        return _third_friday(friday) and _closed_third_friday(friday)
    return _third_friday(expiry)


def am_settled(instrument: str, expiry: dt.date) -> bool:
    """AM settlement by instrument: VIX options and VX futures always, SPX its monthlies."""
    return spx_am_settled(expiry) if instrument == "SPX" else True


def days_to_settlement(instrument: str, expiry: dt.date, as_of: dt.date) -> float:
    """Days from `as_of`'s close to the settlement instant, at least 0 (settled)."""
    days = float((expiry - as_of).days)
    if am_settled(instrument, expiry):
        days -= CLOSE_TO_OPEN_DAYS
    return max(days, 0.0)


def settlement_offsets(instrument: str, expiries: npt.NDArray[np.datetime64]) -> FloatArray:
    """Per expiry (datetime64 days; NaT allowed), the days an AM settlement comes before the
    calendar day's close: CLOSE_TO_OPEN_DAYS or 0 (NaT: 0). Many days at once, one look
    per distinct expiry."""
    days = np.asarray(expiries, dtype="datetime64[D]")
    unique, inverse = np.unique(days, return_inverse=True)
    offsets = np.array(
        [
            CLOSE_TO_OPEN_DAYS if not np.isnat(day) and am_settled(instrument, day.item()) else 0.0
            for day in unique
        ],
        dtype=np.float64,
    )
    result: FloatArray = offsets[inverse].reshape(days.shape)
    return result
