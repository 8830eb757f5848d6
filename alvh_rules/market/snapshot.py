"""`MarketSnapshot`: the market state at one moment, as a validated pydantic model.

Holds the history up to the as-of moment as arrays (enough for any indicator), what was
published when, the event calendar, and the optional chain, portfolio, capital and budget.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Mapping
from typing import Annotated, Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)

from alvh_rules.greeks.chain import OptionChain
from alvh_rules.greeks.legs import Portfolio
from alvh_rules.greeks.ssvi import SPX_SHAPE, SurfaceShape
from alvh_rules.greeks.surfaces import VolSurface
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market.calendar import (
    ET,
    EventCalendar,
    event_gaps,
    is_trading_day,
    midnight,
    trading_days_between,
)
from alvh_rules.market.derived import DERIVED, recompute_today
from alvh_rules.market.surface import vix_term_surface
from alvh_rules.market.synthetic import BoolArray, SyntheticDays, replaced_on, synthetic_days


class SnapshotSource(Protocol):
    """What a snapshot is cut from (`alvh_rules.market.history.History`), named here so that
    the history can offer `snapshot()` without the two modules importing each other."""

    daily: pd.DataFrame
    published: pd.DataFrame
    calendar: EventCalendar
    synthetic: Mapping[str, tuple[str, BoolArray]]  # field -> label, days it is synthetic

    @property
    def smile(self) -> SurfaceShape: ...

    def values_at(
        self, moment: dt.datetime | pd.Timestamp
    ) -> tuple[dict[str, float], dict[str, pd.Timestamp | None]]: ...


def _float_array(value: Any) -> npt.NDArray[np.float64]:
    if isinstance(value, np.ndarray):
        array = value.astype(np.float64, copy=True)
    else:
        if not isinstance(value, list | tuple) or not all(_is_number(v) for v in value):
            raise ValueError("must be a list of numbers (null when missing)")
        array = np.array([math.nan if v is None else v for v in value], dtype=np.float64)
    if array.ndim != 1:
        raise ValueError("must be a flat list of numbers")
    array.setflags(write=False)  # a snapshot is a value: its arrays cannot change under it
    return array


def _float_list(array: npt.NDArray[np.float64]) -> list[float | None]:
    """JSON has no NaN: a missing value is written as null and read back as NaN."""
    return [None if math.isnan(v) else v for v in array.tolist()]


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, numbers.Real) and not isinstance(value, bool))


def _date_array(value: Any) -> npt.NDArray[np.datetime64]:
    if not isinstance(value, np.ndarray) and (
        not isinstance(value, list | tuple)
        or not all(isinstance(v, str | dt.date | np.datetime64) for v in value)
    ):
        raise ValueError('must be a list of dates such as "2024-08-09"')
    array = np.array(value, dtype="datetime64[D]")
    if array.ndim != 1:
        raise ValueError("must be a flat list of dates")
    array.setflags(write=False)
    return array


def _date_list(array: npt.NDArray[np.datetime64]) -> list[str]:
    return [str(d) for d in array]


FloatSeries = Annotated[
    npt.NDArray[np.float64],
    PlainValidator(_float_array),
    PlainSerializer(_float_list, when_used="json"),
    WithJsonSchema({"type": "array", "items": {"type": ["number", "null"]}}),
]
DateSeries = Annotated[
    npt.NDArray[np.datetime64],
    PlainValidator(_date_array),
    PlainSerializer(_date_list, when_used="json"),
    WithJsonSchema({"type": "array", "items": {"type": "string", "format": "date"}}),
]


class MarketSnapshot(BaseModel):
    """The market at `as_of`. `series[f]` holds field f on each of `dates` (last = today).

    Values follow the catalog's storage convention: `%` fields as fractions, `vp` as vol
    points, `pt` as index points, `d` as calendar days. NaN means unknown at `as_of`.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")

    as_of: AwareDatetime
    dates: DateSeries
    series_values: dict[str, FloatSeries]
    published: dict[str, AwareDatetime | None]
    events: dict[str, list[AwareDatetime]]
    chain: OptionChain | None = None  # today's SPX option chain, when the trader has one
    portfolio: Portfolio | None = None  # open positions as legs, tagged with rule and layer
    capital: float | None = None  # account capital, dollars (the portfolio's when not given)
    risk_budget: float | None = None  # risk the account allows at once, dollars
    # The SPX smile shape (docs/greeks.md); out of the JSON (and the hash) when the default.
    smile: SurfaceShape = Field(default=SPX_SHAPE, exclude_if=lambda shape: shape == SPX_SHAPE)
    # Fields read from rows labelled synthetic (the demo set), by day; none: not in the JSON.
    synthetic: dict[str, SyntheticDays] = Field(default_factory=dict, exclude_if=lambda d: not d)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MarketSnapshot):
            return NotImplemented
        return (
            self.as_of == other.as_of
            and np.array_equal(self.dates, other.dates)
            and self.series_values.keys() == other.series_values.keys()
            and all(
                np.array_equal(v, other.series_values[k], equal_nan=True)
                for k, v in self.series_values.items()
            )
            and self.published == other.published
            and self.events == other.events
            and (self.chain, self.portfolio, self.capital, self.risk_budget, self.smile)
            == (other.chain, other.portfolio, other.capital, other.risk_budget, other.smile)
            and self.synthetic == other.synthetic
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def today(self) -> dt.date:
        return dt.date.fromisoformat(str(self.dates[-1]))

    def series(self, name: str) -> npt.NDArray[np.float64]:
        """History of `name` up to as-of (last element is today); read-only."""
        _known(name)
        return self.series_values[name]

    def value(self, name: str) -> float:
        """Today's value of `name` (NaN when unknown at as-of)."""
        values = self.series(name)
        return float(values[-1]) if len(values) else math.nan

    def frame(self) -> pd.DataFrame:
        """The snapshot's history as a DataFrame indexed by trading day."""
        return pd.DataFrame(dict(self.series_values), index=pd.DatetimeIndex(self.dates))

    def with_values(self, overrides: dict[str, float]) -> MarketSnapshot:
        """A new snapshot with today's values replaced; derived fields follow their inputs.

        Overridden values count as observed at `as_of` (their `published` becomes `as_of`).
        Unknown names and non-finite values raise ValueError naming the field.
        """
        for name, value in overrides.items():
            if name not in MARKET_FIELDS:
                raise ValueError(f"unknown market field {name!r} in with_values")
            is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
            if not is_number or not math.isfinite(value):
                raise ValueError(f"with_values: {name} must be a finite number, got {value!r}")
        before = {k: np.asarray(v) for k, v in self.series_values.items()}
        after = {k: v.copy() for k, v in before.items()}
        for name, value in overrides.items():
            after[name][-1] = float(value)
        derived = recompute_today(before, after, set(overrides))
        changed = [*overrides, *derived]
        published = {**self.published, **dict.fromkeys(changed, self.as_of)}
        return self.model_copy(
            update={
                "series_values": {k: _float_array(v) for k, v in after.items()},
                "published": published,
                "synthetic": replaced_on(self.synthetic, changed, self.dates[-2:].tolist()),
            }
        )

    def _gaps(self, kind: str) -> tuple[int | None, int | None]:
        dates = pd.DatetimeIndex(
            [pd.Timestamp(t).tz_convert(ET).tz_localize(None) for t in self._events(kind)]
        )
        gaps = event_gaps(pd.DatetimeIndex([pd.Timestamp(self.today)]), midnight(dates))
        prev, nxt = gaps["prev"].iloc[0], gaps["next"].iloc[0]
        return (None if np.isnan(prev) else int(-prev)), (None if np.isnan(nxt) else int(nxt))

    def days_to(self, kind: str) -> int | None:
        """Trading days from today to the next event of `kind` (0 on the event's day)."""
        return self._gaps(kind)[1]

    def days_since(self, kind: str) -> int | None:
        """Trading days since the last event of `kind` on or before today (0 on its day)."""
        return self._gaps(kind)[0]

    def within(self, kind: str, n_trading_days: int) -> bool | None:
        """`within Nd of kind`: an event lies N trading days or fewer before or after today.

        None (unknown) when none is near and the calendar does not reach past today on
        the missing side (after the last known CPI release, for instance).
        """
        gaps = self._gaps(kind)
        if any(g is not None and g <= n_trading_days for g in gaps):
            return True
        return None if None in gaps else False

    def age(self, name: str) -> int | None:
        """Trading days from the day today's value (or the last print) was published to
        today: 0 for today's close, 3 for a VIX quote three sessions old; None if never."""
        _known(name)
        stamp = self.published.get(name)
        if stamp is None:
            return None
        published_day = pd.Timestamp(stamp).tz_convert(ET).date()
        return trading_days_between(published_day, self.today)

    def _events(self, kind: str) -> list[dt.datetime]:
        if kind not in self.events:
            raise KeyError(f"unknown event kind {kind!r}; known: {', '.join(self.events)}")
        return self.events[kind]

    def vol_surface(self, shape: SurfaceShape | None = None) -> VolSurface:
        """Today's surface: the option chain when there is one, else the SSVI surface solved to
        the VIX indexes (alvh_rules.market.surface) with the snapshot's `smile` (`shape`
        overrides it)."""
        if self.chain is not None and shape is None:
            return self.chain
        rate = self.value("risk_free")
        return vix_term_surface(
            self.value("spx"),
            self.value("vix"),
            self.value("vix9d"),
            self.value("vix3m"),
            rate=rate if math.isfinite(rate) else 0.0,
            shape=self.smile if shape is None else shape,
        )


def _known(name: str) -> None:
    if name not in MARKET_FIELDS:
        raise KeyError(f"unknown market field {name!r}")


def snapshot_json_schema() -> dict[str, Any]:
    """The published JSON Schema of a snapshot (docs/data.md links it)."""
    return MarketSnapshot.model_json_schema(mode="serialization")


def _as_moment(as_of: dt.date | dt.datetime | str | pd.Timestamp) -> pd.Timestamp:
    """A date (or date string, or naive midnight) means its 16:00 ET close; any other
    datetime must be tz-aware."""
    if isinstance(as_of, str):
        as_of = (
            pd.Timestamp(as_of) if ("T" in as_of or " " in as_of) else dt.date.fromisoformat(as_of)
        )
    if isinstance(as_of, dt.datetime):
        stamp = pd.Timestamp(as_of)
        if stamp.tzinfo is None and stamp == stamp.normalize():
            # A naive midnight is a date (an entry of `history.daily.index`).
            return stamp.tz_localize(ET) + pd.Timedelta(hours=16)
        if stamp.tzinfo is None:
            raise ValueError("as_of datetime must be tz-aware (a date means the 16:00 ET close)")
        return stamp.tz_convert(ET)
    return pd.Timestamp(as_of).tz_localize(ET) + pd.Timedelta(hours=16)


def account_in_force(
    capital: float | None, risk_budget: float | None, portfolio: Portfolio | None
) -> tuple[float | None, float | None]:
    """The account's capital and risk budget (dollars) in force: the ones given (on the
    snapshot, `--capital`, `given capital`), else the portfolio's. The one place that says so."""
    if portfolio is None:
        return capital, risk_budget
    return (
        portfolio.capital if capital is None else capital,
        portfolio.risk_budget if risk_budget is None else risk_budget,
    )


def build_snapshot(
    history: SnapshotSource,
    as_of: dt.date | dt.datetime | str | pd.Timestamp,
    portfolio: Portfolio | None,
    chain: OptionChain | None,
    capital: float | None,
    risk_budget: float | None,
    lookback: int | None,
) -> MarketSnapshot:
    moment = _as_moment(as_of)
    today = moment.tz_localize(None).normalize()
    daily, published = history.daily, history.published
    next_session = _check_in_range(pd.DatetimeIndex(daily.index), today)
    stop = int(daily.index.searchsorted(today, side="right"))
    # `lookback` counts today's row, which is appended when today is past the history.
    start = 0 if lookback is None else max(stop - lookback + int(next_session), 0)
    rows = daily.iloc[start:stop]
    series = {f: rows[f].to_numpy(dtype=np.float64) for f in MARKET_FIELDS}
    stamps = {f: _stamp(published[f].iloc[stop - 1]) for f in MARKET_FIELDS}
    dates = rows.index.to_numpy(dtype="datetime64[D]")
    at_close = moment >= pd.Timestamp(today).tz_localize(ET) + pd.Timedelta(hours=16)
    if next_session:
        # Live use: history through yesterday, today's row from what is published by now.
        series, stamps = _intraday(history, moment, series, append=True)
        dates = np.append(dates, np.datetime64(today.date(), "D"))
    elif rows.index[-1] == today and not at_close:
        series, stamps = _intraday(history, moment, series)
    capital, risk_budget = account_in_force(capital, risk_budget, portfolio)
    return MarketSnapshot(
        as_of=moment.to_pydatetime(),
        dates=dates,
        series_values=series,
        published=stamps,
        events=_events(history),
        chain=chain,
        portfolio=portfolio,
        capital=capital,
        risk_budget=risk_budget,
        smile=history.smile,
        synthetic=synthetic_days(history.synthetic, daily.index, start, stop, series),
    )


def _check_in_range(index: pd.DatetimeIndex, today: pd.Timestamp) -> bool:
    """Refuse days outside the history; True when `today` is the session after its end."""
    if len(index) == 0:
        raise ValueError("the history is empty: its folder had no daily data (see its report)")
    if today < index[0]:
        raise ValueError(
            f"as_of {today.date()} is before the history's first day {index[0].date()}"
        )
    behind = trading_days_between(index[-1], today)
    if behind > 1:
        raise ValueError(
            f"the history ends on {index[-1].date()}, {behind} trading days before as_of "
            f"{today.date()}: load newer data (a snapshot may run one session past the end)"
        )
    return behind == 1 and is_trading_day(today)


def _stamp(value: Any) -> dt.datetime | None:
    return None if pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def _intraday(
    history: SnapshotSource,
    moment: pd.Timestamp,
    series: dict[str, npt.NDArray[np.float64]],
    append: bool = False,
) -> tuple[dict[str, npt.NDArray[np.float64]], dict[str, dt.datetime | None]]:
    """Today's row as known at `moment`: replaces today's close row (a time before 16:00),
    or with `append` adds the session after the history's end."""
    known, when = history.values_at(moment)
    if append:
        series = {k: np.append(v, v[-1] if len(v) else np.nan) for k, v in series.items()}
        # The A/D line moves from yesterday's level by today's net advances.
        series["advances"][-1] = series["declines"][-1] = 0.0
    before = {k: v.copy() for k, v in series.items()}
    after = {k: v.copy() for k, v in series.items()}
    base = [f for f in MARKET_FIELDS if f not in DERIVED]
    for field in base:
        after[field][-1] = known[field]
    recompute_today(before, after, set(base))
    stamps: dict[str, dt.datetime | None] = {f: _stamp(when[f]) for f in base}
    for name, rule in DERIVED.items():
        inputs = [stamps.get(i) for i in rule.inputs]
        stamps[name] = None if any(s is None for s in inputs) else max(s for s in inputs if s)
    return after, stamps


def _events(history: SnapshotSource) -> dict[str, list[dt.datetime]]:
    # Scheduled events are announced in advance, so future dates are visible at any moment.
    return {
        kind: [t.to_pydatetime() for t in history.calendar.times(kind)]
        for kind in history.calendar.kinds
    }
