"""Settlement of expiring SPX options, VIX options and VX futures: which session settles a
leg, at which print, and the documented substitute when that print is missing.

- SPX standard monthly options (expiry on the third Friday) are AM-settled: the expiry day's
  SPX open (the data's `spx_open`; the real SOQ is not in the data, the open is its proxy).
- Other SPX expiries (weeklies, end of month) are PM-settled: the expiry day's SPX close.
- VIX options and VX futures settle at the VIX open of the expiry day (`vix_open`, a proxy
  for the VRO special opening quotation, which the data does not have).
A leg whose expiry is not a trading day settles on the last session on or before it.
Missing print: the same session's close, else the last known close before it (said so).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from alvh_rules.greeks.settlement_time import am_settled, spx_am_settled
from alvh_rules.market.calendar import session_array

Style = Literal["AM", "PM"]
FloatArray = npt.NDArray[np.float64]


def is_standard_monthly(expiry: dt.date) -> bool:
    """Whether `expiry` is a standard, AM-settled SPX monthly: a third Friday, the Thursday
    before one that is a holiday, or the Saturday after one (how monthlies were listed until
    2015). The rule's owner is `greeks.settlement_time`, which pricing reads too."""
    return spx_am_settled(expiry)


def settlement_style(instrument: str, expiry: dt.date) -> Style:
    return "AM" if am_settled(instrument, expiry) else "PM"


def settlement_session(expiry: dt.date) -> dt.date:
    """The last NYSE session on or before `expiry` (the expiry itself outside the calendar's
    span): a leg expiring on a weekend or a holiday settles then."""
    sessions = session_array()
    stamp = np.datetime64(expiry, "ns")
    position = int(np.searchsorted(sessions, stamp, side="right")) - 1
    if position < 0 or stamp > sessions[-1]:
        return expiry
    return pd.Timestamp(sessions[position]).date()


def row_on_or_before(dates: pd.DatetimeIndex, day: dt.date) -> int:
    """The history's row of `day`, or of the last day before it (-1 when none)."""
    return int(dates.searchsorted(pd.Timestamp(day), side="right")) - 1


@dataclass(frozen=True)
class Settlement:
    """The settlement price of an underlying on a session, where it came from, and whether
    it is a substitute for the print the rules name."""

    price: float
    source: str
    substitute: bool


def settlement_price(
    instrument: str,
    expiry: dt.date,
    index: int,
    columns: Mapping[str, FloatArray],
    day: dt.date,
    row_day: dt.date | None = None,
) -> Settlement:
    """The settlement value of session `day`, whose row in `columns` is `index` (the row of
    an earlier day when the data has none for the session: then a substitute, said so)."""
    style = settlement_style(instrument, expiry)
    under = "spx" if instrument == "SPX" else "vix"
    named = f"{under}_open" if style == "AM" else under
    if row_day is not None and row_day != day:  # the session is missing from the data
        return _last_close(columns, under, index, f"no data on {day}")
    price = _at(columns, named, index)
    if math.isfinite(price) and price > 0:
        return Settlement(price, f"{named} on {day}", substitute=False)
    if named != under:
        close = _at(columns, under, index)
        if math.isfinite(close) and close > 0:
            return Settlement(close, f"{under} close on {day} ({named} missing)", True)
    return _last_close(columns, under, index - 1, f"{named} missing on {day}")


def _last_close(columns: Mapping[str, FloatArray], under: str, index: int, why: str) -> Settlement:
    """The last known close on or before row `index`, as a substitute."""
    values = columns.get(under)
    if values is not None and index >= 0:
        earlier = values[: index + 1]
        known = np.flatnonzero(np.isfinite(earlier) & (earlier > 0))
        if known.size:
            back = index - int(known[-1])
            return Settlement(
                float(earlier[known[-1]]),
                f"last known {under} close, {back} row(s) before the session ({why})",
                True,
            )
    return Settlement(math.nan, f"no {under} value before the session ({why})", True)


def payoff(right: str | None, strike: float | None, price: float) -> float:
    """Per unit of underlying: an option's intrinsic value; a future's settlement price."""
    if right is None or strike is None:
        return price
    return max(price - strike, 0.0) if right == "c" else max(strike - price, 0.0)


def _at(columns: Mapping[str, FloatArray], name: str, index: int) -> float:
    values = columns.get(name)
    return math.nan if values is None or index < 0 else float(values[index])
