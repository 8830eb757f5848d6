"""`History`: the daily series the rules read, as known at each day's 16:00 ET close.

`daily` holds one float column per catalog field on NYSE trading days; `published` holds,
per field and day, when the value in force (or the last print) became known.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import observations as obs
from alvh_rules.market.calendar import ET, EventCalendar, midnight, session_ordinals
from alvh_rules.market.derived import DERIVED, add_derived
from alvh_rules.market.loading import load_folder
from alvh_rules.market.readers import OnBadCell
from alvh_rules.market.report import LoadReport
from alvh_rules.market.snapshot import MarketSnapshot, build_snapshot
from alvh_rules.market.synthetic import BoolArray, synthetic_masks

if TYPE_CHECKING:
    from alvh_rules.greeks.chain import OptionChain
    from alvh_rules.greeks.legs import Portfolio
    from alvh_rules.greeks.ssvi import SurfaceShape

FIELDS: tuple[str, ...] = tuple(MARKET_FIELDS)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a day's value of a field comes from, for reasons a trader can read."""

    field: str
    day: pd.Timestamp
    value: float
    published: pd.Timestamp | None  # when the value in force (or the last print) was known
    period: pd.Timestamp | None  # the date that value describes (quarter end, print day)
    source: str
    age_trading_days: int | None  # trading days between the last print's day and `day`

    def __str__(self) -> str:
        if self.published is None:
            return f"{self.field}: no value known by {self.day.date()}"
        shown = "missing" if np.isnan(self.value) else f"{self.value:g}"
        period = self.period.date() if self.period is not None else "?"
        return (
            f"{self.field} = {shown} on {self.day.date()}: as of {period}"
            f", published {self.published:%Y-%m-%d %H:%M %Z} ({self.source}),"
            f" {self.age_trading_days} trading day(s) old"
        )


class History:
    """Daily market history; build it with `from_dir` or `builtin`."""

    def __init__(
        self,
        index: pd.DatetimeIndex,
        observations: dict[str, obs.Observations],
        report: LoadReport,
        calendar: EventCalendar,
    ) -> None:
        self.observations = observations
        # The SPX surface's smile shape, None: the default (`smile`, `with_smile`).
        self._smile: SurfaceShape | None = None
        # A copy: the notes added below belong to this history, not to the caller's report.
        self.report = LoadReport(list(report.issues))
        self.calendar = calendar
        self.daily, self.published = _assemble(index, observations)
        # field -> (label, per day: the value in force comes from a row labelled synthetic)
        self.synthetic: Mapping[str, tuple[str, BoolArray]] = synthetic_masks(
            observations, self.published, self.daily
        )
        self._report_expired()
        for field in FIELDS:
            if field not in observations and field not in DERIVED:
                self.report.add(
                    "(folder)",
                    None,
                    field,
                    "flagged",
                    f"no data for {field}: the field is NaN (see docs/data.md)",
                )

    def _report_expired(self) -> None:
        """Flag slow fields whose last value grows too old before the history ends."""
        if not len(self.daily):
            return
        last_day = self.daily.index[-1]
        for field, found in self.observations.items():
            column = self.daily[field]
            if found.same_day or not column.notna().any() or not np.isnan(column.iloc[-1]):
                continue
            last_valid = self.index[np.flatnonzero(column.notna().to_numpy())[-1]].date()
            published = pd.Timestamp(found.published[-1]).date()
            if np.isnan(found.values[-1]):
                why = f"its last release ({published}) has no value in the file"
            else:
                age = int(found.max_age_days[-1])
                why = f"its last value (published {published}) is then over {age} days old"
            self.report.add(
                str(found.sources[-1]),
                None,
                field,
                "flagged",
                f"no value after {last_valid} (the history runs to {last_day.date()}): {why}",
            )

    @classmethod
    def from_dir(cls, path: str | Path, *, on_bad_cell: OnBadCell = "raise") -> History:
        """Load a folder laid out like ../shared/data (layout in docs/data.md)."""
        loaded = load_folder(Path(path), on_bad_cell)
        return cls(loaded.index, loaded.observations, loaded.report, loaded.calendar)

    @classmethod
    def builtin(cls) -> History:
        """The small demo set shipped in alvh_rules/data/demo (synthetic, labelled)."""
        from alvh_rules.market.demo import demo_folder

        with demo_folder() as folder:
            return cls.from_dir(folder)

    @property
    def index(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self.daily.index)

    def column(self, field: str) -> pd.Series:
        _check_field(field)
        return self.daily[field]

    def age(self, field: str) -> pd.Series:
        """Per day, trading days since the value in force (or the last print) was published;
        NaN where nothing was ever published. Vectorized, for reasons over a whole history."""
        _check_field(field)
        stamps = self.published[field]
        known = stamps.notna().to_numpy()
        days = pd.DatetimeIndex(stamps[known]).tz_convert(ET).tz_localize(None)
        ages = np.full(len(stamps), np.nan)
        ages[known] = session_ordinals(self.index[known]) - session_ordinals(midnight(days))
        return pd.Series(ages, index=self.index, name=f"{field}_age")

    def provenance(self, field: str, day: dt.date | str | pd.Timestamp) -> Provenance:
        """Value, publication, period and age of `field` at `day`'s close."""
        _check_field(field)
        stamp = pd.Timestamp(day).normalize()
        position = int(self.index.searchsorted(stamp, side="right")) - 1
        if position < 0:
            return Provenance(field, stamp, np.nan, None, None, "", None)
        row_day = self.index[position]
        value = float(self.daily[field].iloc[position])
        published = self.published[field].iloc[position]
        if pd.isna(published):
            return Provenance(field, row_day, value, None, None, "", None)
        period, source = self._period_and_source(_source_field(field), published)
        if field in DERIVED:
            source = f"derived from {', '.join(DERIVED[field].inputs)}; {source}"
        ordinals = session_ordinals(
            pd.DatetimeIndex([published.tz_localize(None).normalize(), row_day])
        )
        return Provenance(
            field, row_day, value, published, period, source, int(ordinals[1] - ordinals[0])
        )

    def _period_and_source(
        self, field: str, published: pd.Timestamp
    ) -> tuple[pd.Timestamp | None, str]:
        found = self.observations.get(field)
        if found is None:
            return None, ""
        position = int(found.published.searchsorted(published, side="right")) - 1
        if position < 0:
            return None, ""
        return found.period[position], str(found.sources[position])

    def values_at(
        self, moment: dt.datetime | pd.Timestamp
    ) -> tuple[dict[str, float], dict[str, pd.Timestamp | None]]:
        """Every field's value known at `moment` (tz-aware), exactly, from the observations.

        Market prints count only on their own day. Derived fields have no observations and
        are NaN here; `snapshot()` recomputes them from these values.
        """
        when = pd.Timestamp(moment)
        if when.tzinfo is None:
            raise ValueError("values_at needs a tz-aware moment")
        when = when.tz_convert(ET)
        today = when.tz_localize(None).normalize()
        values: dict[str, float] = {}
        stamps: dict[str, pd.Timestamp | None] = {}
        for field in FIELDS:
            found = self.observations.get(field)
            values[field], stamps[field] = (
                (np.nan, None) if found is None else _value_at(found, when, today)
            )
        return values, stamps

    @property
    def smile(self) -> SurfaceShape:
        """The smile shape evaluate, replay and backtest price this history's days with."""
        from alvh_rules.greeks.ssvi import SPX_SHAPE  # pydantic: loaded only when priced

        return SPX_SHAPE if self._smile is None else self._smile

    def with_smile(self, smile: SurfaceShape) -> History:
        """The same history (its data shared, not copied) priced with another smile shape."""
        other = copy.copy(self)
        other._smile = smile
        return other

    def snapshot(
        self,
        as_of: dt.date | dt.datetime | str | pd.Timestamp,
        portfolio: Portfolio | None = None,
        chain: OptionChain | None = None,
        *,
        capital: float | None = None,
        risk_budget: float | None = None,
        lookback: int | None = None,
    ) -> MarketSnapshot:
        """The market state at `as_of`: a date means that day's 16:00 ET close; a tz-aware
        datetime hides what was not yet published then (today's close before 16:00)."""
        if lookback is not None and (type(lookback) is not int or lookback < 1):
            # 0 or a negative count left no row for today (an IndexError deep inside)
            raise ValueError(f"lookback = {lookback!r}: must be a whole number of days, 1 or more")
        return build_snapshot(self, as_of, portfolio, chain, capital, risk_budget, lookback)


def _check_field(field: str) -> None:
    if field not in MARKET_FIELDS:
        raise KeyError(f"unknown market field {field!r}")


def _source_field(field: str) -> str:
    rule = DERIVED.get(field)
    return rule.inputs[0] if rule is not None else field


def _value_at(
    found: obs.Observations, when: pd.Timestamp, today: pd.Timestamp
) -> tuple[float, pd.Timestamp | None]:
    position = int(found.published.searchsorted(when, side="right")) - 1
    if position < 0:
        return np.nan, None
    published = found.published[position]
    if found.same_day:
        fresh = found.period[position] == today
    else:
        fresh = (today - published.tz_localize(None).normalize()).days <= found.max_age_days[
            position
        ]
    return (float(found.values[position]) if fresh else np.nan), published


NAT_NS = np.iinfo(np.int64).min  # NaT as int64 nanoseconds


def _assemble(
    index: pd.DatetimeIndex, observations: dict[str, obs.Observations]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    index = pd.DatetimeIndex(index).as_unit("ns")
    close_ns = obs.at_time(index, obs.CLOSE_TIME).as_unit("ns").asi8
    day_ns = index.asi8
    values: dict[str, npt.NDArray[np.float64]] = {}
    # Publication times as int64 UTC nanoseconds until the end: tz-aware columns are slow.
    stamps: dict[str, npt.NDArray[np.int64]] = {}
    for field in FIELDS:
        found = observations.get(field)
        if found is None or len(found.values) == 0:
            values[field] = np.full(len(index), np.nan)
            stamps[field] = np.full(len(index), NAT_NS, dtype=np.int64)
            continue
        values[field], stamps[field] = _column(found, close_ns, day_ns)
    daily = pd.DataFrame(values, index=index)
    add_derived(daily, stamps)
    published = pd.DataFrame(
        {
            field: pd.DatetimeIndex(stamps[field].astype("datetime64[ns]"))
            .tz_localize("UTC")
            .tz_convert(ET)
            for field in FIELDS
        },
        index=index,
    )
    return daily[list(FIELDS)], published


def _column(
    found: obs.Observations, close_ns: npt.NDArray[np.int64], day_ns: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """A field's value at each close and when the value in force was published."""
    published_ns = found.published.as_unit("ns").asi8
    position = np.searchsorted(published_ns, close_ns, side="right") - 1
    known = position >= 0
    safe = np.maximum(position, 0)
    if found.same_day:
        fresh = found.period.as_unit("ns").asi8[safe] == day_ns
    else:
        local_ns = found.published.tz_localize(None).as_unit("ns").asi8[safe]
        published_day = local_ns - local_ns % 86_400_000_000_000
        age_days = (day_ns - published_day) / 86_400e9
        fresh = age_days <= found.max_age_days[safe]
    column = np.where(known & fresh, found.values[safe], np.nan)
    stamp_ns = np.where(known, published_ns[safe], NAT_NS)
    return column, stamp_ns
