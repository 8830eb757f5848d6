"""The columns an evaluation reads: market series over consecutive trading days, calendar
distances, params, and the figures of positions. Built from a snapshot (one evaluation,
today is the last row) or from a whole history (replay, every row is a day).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alvh_rules.eval.logic import FloatArray
from alvh_rules.lang.catalog import EVENT_KINDS, MARKET_FIELDS

if TYPE_CHECKING:
    from alvh_rules.market.history import History
    from alvh_rules.market.snapshot import MarketSnapshot
    from alvh_rules.market.synthetic import SyntheticDays

# Outside the span of an event kind's known dates, distances to it are unknown: a month
# or so of slack on each side covers the regular gap between scheduled events.
EVENT_COVERAGE_SLACK = pd.Timedelta(days=45)
NEW_YORK = "America/New_York"

Figure = float | FloatArray  # one value for every day, or one per day


@dataclass
class PositionFigures:
    """Figures of positions, per day (arrays of the frame's length) or today only."""

    held: dict[str, dict[str, Figure]] = field(default_factory=dict)  # by opening rule
    portfolio: dict[str, Figure] = field(default_factory=dict)
    missing_reason: dict[str, str] = field(default_factory=dict)

    def acting_on(self, target: str, candidates: Sequence[str] = ()) -> str:
        """The position a layer or roll acts on: its target or, for `on shortest(...)`, the
        held candidate with the fewest days to expiry (the first listed on a tie; a held one
        whose expiry cannot be known today comes last; the first listed when none is held)."""
        held = [name for name in candidates if name in self.held]
        if not held:
            return candidates[0] if candidates else target

        def days_left(name: str) -> float:
            dte = np.asarray(self.held[name].get("dte", np.nan), dtype=np.float64).ravel()
            last = float(dte[-1]) if dte.size else math.nan
            return math.inf if math.isnan(last) else last

        return min(held, key=days_left)  # min keeps the first of equals

    def note_undated(self, groups: Mapping[str, Sequence[Any]]) -> None:
        """Why a group's days_held is unknown (the portfolio's, a rule's), kept under
        `KEY.days_held` (its other figures may well be known): a member position without
        an opening date, named."""
        for key, members in groups.items():
            undated = [p.name for p in members if p.opened is None]
            if undated:
                also = f" (and {len(undated) - 1} more)" if len(undated) > 1 else ""
                reason = f"position {undated[0]} has no opened date{also}"
                self.missing_reason[f"{key}.days_held"] = reason


@dataclass
class Frame:
    dates: pd.DatetimeIndex
    columns: dict[str, FloatArray]
    event_gaps: dict[str, tuple[FloatArray, FloatArray]]  # kind -> (prev <= 0, next >= 0)
    params: dict[str, float]
    positions: PositionFigures = field(default_factory=PositionFigures)
    overrides: dict[str, float] = field(default_factory=dict)  # today's values (ruleset tests)
    context: Any = None  # what builds proposed positions and values them (actions module)
    smile: Any = None  # the SPX smile shape (greeks.ssvi.SurfaceShape); None: the default
    # field -> the days its value is synthetic (the demo set's labelled rows), for reasons
    synthetic: Mapping[str, SyntheticDays] = field(default_factory=dict)
    # (name, row) -> known_until's answer; frames derived by `dataclasses.replace` share it
    # (the same columns), so repeated evaluations of one snapshot scan each column once.
    _known: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict, repr=False)
    length: int = field(init=False)  # len(dates), read for every node: kept, not asked again

    def __post_init__(self) -> None:
        self.length = len(self.dates)

    def day(self, index: int) -> dt.date:
        """The date of row `index` (indexing the DatetimeIndex itself costs about 20 us)."""
        day: dt.date = self.dates.values[index].astype("datetime64[D]").item()
        return day

    def known_until(self, name: str, index: int) -> tuple[int, int]:
        """The last row up to `index` where `name` has a value (-1: none), and how many do."""
        key = (name, index)
        found = None if name in self.overrides else self._known.get(key)
        if found is None:
            rows = np.flatnonzero(~np.isnan(self.column(name)[: index + 1]))
            found = (int(rows[-1]) if rows.size else -1, int(rows.size))
            if name not in self.overrides:
                self._known[key] = found
        return found

    def column(self, name: str) -> FloatArray:
        values = self.columns.get(name)
        if values is None:
            values = np.full(self.length, np.nan)
        if name in self.overrides:
            values = values.copy()
            values[-1] = self.overrides[name]
        return values


def event_gaps(
    dates: pd.DatetimeIndex, events: Mapping[str, Any]
) -> dict[str, tuple[FloatArray, FloatArray]]:
    """Trading-day gaps to the last and next event of each kind; NaN outside the calendar's span."""
    from alvh_rules.market.calendar import event_gaps as gaps_of

    out: dict[str, tuple[FloatArray, FloatArray]] = {}
    for kind in EVENT_KINDS:
        moments = _new_york_days(events.get(kind, []))
        if len(moments) == 0:
            nan = np.full(len(dates), np.nan)
            out[kind] = (nan, nan.copy())
            continue
        days = moments
        gaps = gaps_of(dates, days)
        covered = (dates >= days.min() - EVENT_COVERAGE_SLACK) & (
            dates <= days.max() + EVENT_COVERAGE_SLACK
        )
        prev = np.where(covered, gaps["prev"].to_numpy(dtype=np.float64), np.nan)
        nxt = np.where(covered, gaps["next"].to_numpy(dtype=np.float64), np.nan)
        out[kind] = (prev, nxt)
    return out


def _new_york_days(moments: Any) -> pd.DatetimeIndex:
    """Event days in New York, from moments that may carry any (or mixed) UTC offsets."""
    if len(moments) == 0:
        return pd.DatetimeIndex([])
    stamps = (
        pd.DatetimeIndex([pd.Timestamp(m) for m in moments])
        if not any(pd.Timestamp(m).tzinfo is not None for m in moments)
        else pd.to_datetime([pd.Timestamp(m) for m in moments], utc=True).tz_convert(NEW_YORK)
    )
    if stamps.tz is not None:
        stamps = stamps.tz_localize(None)
    return pd.DatetimeIndex(stamps).normalize()


def frame_from_snapshot(snapshot: MarketSnapshot, params: Mapping[str, float]) -> Frame:
    dates = pd.DatetimeIndex(pd.to_datetime(snapshot.dates))
    columns = {name: np.asarray(snapshot.series(name), dtype=np.float64) for name in MARKET_FIELDS}
    return Frame(
        dates=dates,
        columns=columns,
        event_gaps=event_gaps(dates, snapshot.events),
        params=dict(params),
        smile=getattr(snapshot, "smile", None),
        synthetic=snapshot.synthetic,
    )


def frame_from_history(
    history: History,
    params: Mapping[str, float],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Frame:
    daily = history.daily
    if end is not None:
        daily = daily.loc[: pd.Timestamp(end)]
    dates = pd.DatetimeIndex(daily.index)
    columns = {
        name: daily[name].to_numpy(dtype=np.float64) for name in MARKET_FIELDS if name in daily
    }
    from alvh_rules.market.synthetic import synthetic_days

    calendar = history.calendar
    events = {kind: list(calendar.times(kind)) for kind in EVENT_KINDS if kind in calendar.kinds}
    return Frame(
        dates=dates,
        columns=columns,
        event_gaps=event_gaps(dates, events),
        params=dict(params),
        smile=getattr(history, "smile", None),
        synthetic=synthetic_days(history.synthetic, history.index, 0, len(dates)),
    )
