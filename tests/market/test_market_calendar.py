"""The calendar: NYSE sessions, shipped events with sources, distances for `within Nd of`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from alvh_rules.lang.catalog import EVENT_KINDS
from alvh_rules.market import DataError, EventCalendar
from alvh_rules.market import calendar as cal


def test_trading_days_between() -> None:
    assert cal.trading_days_between("2024-08-02", "2024-08-05") == 1  # Friday to Monday
    assert cal.trading_days_between("2024-08-05", "2024-08-02") == -1
    assert cal.trading_days_between("2024-07-03", "2024-07-05") == 1  # over Independence Day
    assert cal.trading_days_between("2024-08-05", "2024-08-05") == 0
    assert cal.trading_days_between("2024-01-02", "2024-12-31") == 251


def test_holidays_and_sessions() -> None:
    assert not cal.is_trading_day("2024-07-04")
    assert not cal.is_trading_day("2025-01-09")  # national day of mourning (Carter)
    assert cal.is_trading_day("2024-07-05")
    assert len(cal.sessions("2024-01-01", "2024-12-31")) == 252


def test_days_to_expiry() -> None:
    assert cal.calendar_days_to_expiry("2024-08-05", "2024-08-21") == 16
    assert cal.trading_days_to_expiry("2024-08-05", "2024-08-21") == 12


def test_shipped_events_cover_every_catalog_kind_with_sources() -> None:
    calendar = EventCalendar.builtin()
    assert set(EVENT_KINDS) <= set(calendar.kinds)
    assert (calendar.table["source"].str.len() > 5).all()
    fomc = calendar.times("fomc")
    assert pd.Timestamp("2024-07-31 14:00", tz=cal.ET) in fomc
    assert pd.Timestamp("2020-03-15 14:00", tz=cal.ET) in fomc  # unscheduled Sunday cut
    assert pd.Timestamp("2025-08-22 14:00", tz=cal.ET) not in fomc  # single-source row left out
    cpi = calendar.times("cpi")
    assert all(t.hour == 8 and t.minute == 30 for t in cpi)
    assert pd.Timestamp("2024-08-14 08:30", tz=cal.ET) in cpi


def test_next_and_last_event() -> None:
    calendar = EventCalendar.builtin()
    assert calendar.next_event("fomc", "2024-07-30") == pd.Timestamp("2024-07-31 14:00", tz=cal.ET)
    assert calendar.next_event("fomc", "2024-07-31") == pd.Timestamp("2024-07-31 14:00", tz=cal.ET)
    later = pd.Timestamp("2024-07-31 15:00", tz=cal.ET)
    assert calendar.next_event("fomc", later) == pd.Timestamp("2024-09-18 14:00", tz=cal.ET)
    assert calendar.last_event("cpi", "2024-08-14") == pd.Timestamp("2024-08-14 08:30", tz=cal.ET)
    early = pd.Timestamp("2024-08-14 08:00", tz=cal.ET)
    assert calendar.last_event("cpi", early) == pd.Timestamp("2024-07-11 08:30", tz=cal.ET)
    with pytest.raises(KeyError, match="unknown event kind 'fomcc'"):
        calendar.times("fomcc")


def test_distances_are_signed_trading_days() -> None:
    calendar = EventCalendar.builtin()
    index = cal.sessions("2024-07-29", "2024-08-02")
    gaps = calendar.distances(index, "fomc")
    assert gaps["next"].tolist()[:3] == [2, 1, 0]
    assert gaps["prev"].tolist()[2:] == [0, -1, -2]
    within = calendar.within(index, "fomc", 1)
    assert within.tolist() == [False, True, True, True, False]


def test_event_on_a_closed_day_counts_on_the_next_session() -> None:
    calendar = EventCalendar.builtin()
    index = cal.sessions("2020-03-13", "2020-03-16")
    gaps = calendar.distances(index, "fomc")
    assert gaps.loc["2020-03-13", "next"] == 1  # Sunday 15th counts on Monday 16th
    assert gaps.loc["2020-03-16", "prev"] == 0


def test_standard_vix_expiry_rule_matches_the_shipped_dates() -> None:
    shipped = EventCalendar.builtin().dates("vix_expiry")
    checked = 0
    for expiry in shipped[(shipped >= "2013-02-01")]:
        # Expiry months are the month before the options' settlement month.
        assert cal.standard_vix_expiry(expiry.year, expiry.month) == expiry, expiry
        checked += 1
    assert checked > 150


def test_user_events_file_errors_name_the_row(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("kind,date\nfomc,2024-07-03\nBad Kind,2024-07-04\n")
    with pytest.raises(DataError, match=r"events.csv, row 2, column 'kind'"):
        EventCalendar.builtin().with_file(path)
    path.write_text("kind,date\nfomc,2024-99-03\n")
    with pytest.raises(DataError, match=r"events.csv, row 1, column 'date'"):
        EventCalendar.builtin().with_file(path)


def test_within_is_unknown_beyond_the_calendar() -> None:
    calendar = EventCalendar.builtin()
    first, last = calendar.coverage("cpi")
    assert first == pd.Timestamp("2007-01-18") and last == pd.Timestamp("2026-01-13")
    index = cal.sessions("2026-01-12", "2026-03-02")
    within = calendar.within(index, "cpi", 1)
    assert within.dtype == "boolean"
    assert within["2026-01-13"] and within["2026-01-14"]
    assert pd.isna(within["2026-03-02"]), "no calendar after the last CPI: unknown, not False"
    early = calendar.within(cal.sessions("1979-06-01", "1979-06-05"), "fomc", 1)
    assert early.isna().all()


def test_vix_expiries_beyond_the_shipped_list_follow_cboes_rule() -> None:
    calendar = EventCalendar.builtin()
    expiries = calendar.dates("vix_expiry")
    assert pd.Timestamp("2026-09-16") in expiries  # shipped
    assert pd.Timestamp("2026-10-21") in expiries  # computed: 30 days before 2026-11-20
    assert calendar.coverage("vix_expiry")[1].year == 2034
    sources = calendar.table.loc[calendar.table["kind"] == "vix_expiry", "source"]
    assert sources.str.startswith("computed").sum() > 90
