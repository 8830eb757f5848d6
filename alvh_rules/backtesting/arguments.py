"""The backtest's front-door arguments, checked: the ruleset and history given, the dates,
the account's dollars, the costs and the smile. A bad one raises `BacktestInputError`
naming the argument and the value, before any work (never an error from deep in pandas).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alvh_rules.backtesting.costs import Costs
from alvh_rules.check.ruleset import Ruleset
from alvh_rules.greeks.ssvi import SurfaceShape
from alvh_rules.market.coverage import FieldGap
from alvh_rules.market.history import History

DateLike = dt.date | str | pd.Timestamp

PRICED_FIELDS = ("spx", "vix", "risk_free")
"""Without any of these on a day, no position can be valued: nothing opens, marks are carried."""


def gap_words(gap: FieldGap) -> str:
    """A gap of a `PRICED_FIELDS` field and what it does to a run (terminal and report)."""
    return f"{gap.describe()}: nothing opens on those days and held positions keep their last marks"


class BacktestInputError(ValueError):
    """Bad arguments: dates out of order or outside the data, a capital that is not a
    positive finite number, negative costs, an argument of the wrong type."""


def check_sources(ruleset: Any, history: Any, params: Any, smile: Any) -> None:
    """The types the front door takes (a wrong one would fail deep inside pathlib)."""
    if not isinstance(ruleset, Ruleset | str | Path):
        raise BacktestInputError(
            f"ruleset must be a Ruleset or the path of a .alvh file, not {_shown(ruleset)}"
        )
    if not isinstance(history, History | str | Path):
        raise BacktestInputError(
            f"history must be a History or the path of a data folder, not {_shown(history)}"
        )
    if params is not None and not isinstance(params, Mapping):
        raise BacktestInputError(
            f"params must be a mapping of param names to values, not {_shown(params)}"
        )
    if smile is not None and not isinstance(smile, SurfaceShape):
        raise BacktestInputError(
            "smile must be a SurfaceShape (alvh_rules.greeks.ssvi.parse_shape('rho=-0.6')), "
            f"not {_shown(smile)}"
        )


def dollars(what: str, value: Any, *, positive: bool) -> float:
    """A number of dollars: finite, above 0 (`positive`) or at least 0. Text is refused,
    even '1e6': the API takes numbers, the CLI parses text."""
    kind = "a positive finite number of dollars" if positive else "a finite number of dollars >= 0"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise BacktestInputError(f"{what} must be {kind}, not {_shown(value)}")
    number = float(value)
    if not (math.isfinite(number) and (number > 0 if positive else number >= 0)):
        raise BacktestInputError(f"{what} must be {kind}, not {value}")
    return number


def costs(slippage: Any, commission: Any, fees: Any) -> Costs:
    return Costs(
        dollars("slippage", slippage, positive=False),
        dollars("commission", commission, positive=False),
        dollars("fees", fees, positive=False),
    )


def span(data: History, start: DateLike | None, end: DateLike | None) -> tuple[dt.date, dt.date]:
    """The first and last day asked for, inside the data and in order. By default the
    first and the last day on which positions can be valued (`PRICED_FIELDS` all known):
    the real data's VIX and T-bill files end weeks before its SPX, and a run to the data's
    last day would end on days where nothing can open and every mark is carried."""
    index = data.index
    if len(index) == 0:
        raise BacktestInputError("the history holds no trading days")
    first, last = index[0].date(), index[-1].date()
    known = data.daily.reindex(columns=list(PRICED_FIELDS)).notna()
    priced = known.all(axis=1).to_numpy()
    if (start is None or end is None) and not priced.any():
        never = [name for name in PRICED_FIELDS if not known[name].any()]
        which = f"; {', '.join(never)} has no value on any day" if never else ""
        raise BacktestInputError(
            f"no day of the data has {', '.join(PRICED_FIELDS)} all known, so no position "
            f"can be valued{which} (is a file missing? docs/data.md lists them)"
        )
    valued = np.flatnonzero(priced)
    start_day = index[valued[0]].date() if start is None else date("start", start)
    end_day = index[valued[-1]].date() if end is None else date("end", end)
    # Outside the data first: with one date given, the other is a default, and "start is
    # after end 2026-04-06" would blame a date the user never wrote.
    for what, day in (("start", start_day), ("end", end_day)):
        if not first <= day <= last:
            raise BacktestInputError(f"{what} {day} is outside the data ({first} to {last})")
    if start_day > end_day and end is None:
        raise BacktestInputError(
            f"start {start_day} is after the last day positions can be valued ({end_day}: "
            f"{', '.join(PRICED_FIELDS)} all known); give an end to run past it anyway"
        )
    if start_day > end_day and start is None:
        raise BacktestInputError(
            f"end {end_day} is before the first day positions can be valued ({start_day})"
        )
    if start_day > end_day:
        raise BacktestInputError(f"start {start_day} is after end {end_day}")
    return start_day, end_day


def date(what: str, value: Any) -> dt.date:
    """A day: a date, a datetime or Timestamp (its day), or text YYYY-MM-DD. A number is
    refused (pandas would read 20240701 as nanoseconds after 1970)."""
    if isinstance(value, dt.date | np.datetime64):
        return pd.Timestamp(value).date()
    if not isinstance(value, str):
        raise BacktestInputError(f"{what} must be a date or YYYY-MM-DD text, not {_shown(value)}")
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = None
    if stamp is None or pd.isna(stamp):
        raise BacktestInputError(f"{what} {value!r} is not a date (YYYY-MM-DD)")
    return stamp.date()


def _shown(value: Any) -> str:
    text = repr(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"{type(value).__name__} {text}"
