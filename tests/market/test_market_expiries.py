"""Listed expiries (alvh_rules.market.expiries): the exchange's rules, launch dates, the
nearest-to-dte pick and its tie rule, against facts written out by hand and the real data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.market.calendar import is_trading_day
from alvh_rules.market.expiries import (
    WEEKLY_HORIZON_DAYS,
    listed_on,
    max_listed_days,
    pick_expiries,
    pick_expiry,
    settlement_style,
    spx_monthly_expiries,
    spx_weekly_series,
    vix_expiries,
)

D = dt.date


def _dates(days: np.ndarray) -> list[dt.date]:
    return [D(1970, 1, 1) + dt.timedelta(days=int(x)) for x in days]


def test_spx_monthlies_are_third_fridays_or_the_thursday_before() -> None:
    monthlies = _dates(spx_monthly_expiries())
    assert D(2020, 4, 17) in monthlies and D(2017, 12, 15) in monthlies
    # Good Friday fell on the third Friday in March 2008 and April 2014... and 2025-04-18.
    assert D(2008, 3, 20) in monthlies and D(2008, 3, 21) not in monthlies
    assert D(2025, 4, 17) in monthlies
    for day in monthlies:
        third_friday = 15 <= day.day <= 21 and day.weekday() == 4
        moved = day.weekday() == 3 and not is_trading_day(day + dt.timedelta(days=1))
        assert third_friday or moved, day


def test_issue_examples_now_land_on_listed_days() -> None:
    # Issue 15: 2020-02-26 + 45d was a Saturday, 2017-11-03 + 45d a Sunday.
    assert pick_expiry("SPX", "monthly", D(2020, 2, 26), 45) == D(2020, 4, 17)
    assert pick_expiry("SPX", "monthly", D(2017, 11, 3), 45) == D(2017, 12, 15)
    assert pick_expiry("SPX", "monthly", D(2024, 8, 9), 30) == D(2024, 9, 20)
    # VIX legs expire on the Wednesday expiries (2020-03-18, 2020-04-15).
    assert pick_expiry("VIX", "monthly", D(2020, 2, 26), 30) == D(2020, 3, 18)
    assert pick_expiry("VIX", "monthly", D(2020, 2, 26), 45) == D(2020, 4, 15)


def test_weekly_series_launch_dates() -> None:
    # Before 2016-02-23 only Friday Weeklys: a 5-day target on a Monday picks that Friday.
    assert pick_expiry("SPX", "weekly", D(2015, 6, 1), 2) == D(2015, 6, 5)
    # Wednesday Weeklys from 2016-02-23 (first expiry 2016-03-02).
    assert pick_expiry("SPX", "weekly", D(2016, 2, 22), 9) == D(2016, 3, 4)
    assert pick_expiry("SPX", "weekly", D(2016, 2, 23), 8) == D(2016, 3, 2)
    # Monday Weeklys from 2016-08-15; Tuesday from 2022-04-18; Thursday from 2022-05-11.
    assert D(2016, 8, 22) not in listed_on("SPX", "weekly", D(2016, 8, 12))
    assert D(2016, 8, 22) in listed_on("SPX", "weekly", D(2016, 8, 15))
    assert D(2022, 4, 26) not in listed_on("SPX", "weekly", D(2022, 4, 14))
    assert D(2022, 4, 26) in listed_on("SPX", "weekly", D(2022, 4, 18))
    assert D(2022, 5, 19) in listed_on("SPX", "weekly", D(2022, 5, 11))
    assert D(2022, 5, 19) not in listed_on("SPX", "weekly", D(2022, 5, 10))
    # Friday Weeklys did not exist before October 2005.
    assert listed_on("SPX", "weekly", D(2004, 6, 1)) == listed_on("SPX", "monthly", D(2004, 6, 1))


def test_weekly_holiday_rules() -> None:
    mondays = _dates(spx_weekly_series()[0])
    # Labor Day 2016-09-05: the Monday weekly expired Tuesday 2016-09-06 (Cboe notice).
    assert D(2016, 9, 6) in mondays and D(2016, 9, 5) not in mondays
    fridays = _dates(spx_weekly_series()[4])
    # Good Friday 2020-04-10: the Friday weekly expired Thursday 2020-04-09.
    assert D(2020, 4, 9) in fridays


def test_tie_goes_to_the_later_expiry() -> None:
    # From 2019-01-03, Feb 15 is 43 days and Mar 15 is 71: target 57 days is equidistant.
    assert pick_expiry("SPX", "monthly", D(2019, 1, 3), 57) == D(2019, 3, 15)
    assert pick_expiry("SPX", "monthly", D(2019, 1, 3), 56) == D(2019, 2, 15)


def test_beyond_every_listed_expiry_is_unknown() -> None:
    assert pick_expiry("SPX", "monthly", D(2020, 1, 2), 400) is None
    assert pick_expiry("VIX", "monthly", D(2020, 1, 2), 300) is None
    picked = pick_expiries(
        "SPX", "monthly", np.array(["2020-01-02"], dtype="datetime64[D]"), np.array([np.nan])
    )
    assert picked.expiry[0] == -1 and np.isnan(picked.days[0])
    assert 150 < max_listed_days("VIX") <= 300 and max_listed_days("SPX") == 366


def test_settlement_styles() -> None:
    assert settlement_style("SPX", D(2020, 4, 17)) == "AM"
    assert settlement_style("SPX", D(2020, 4, 8)) == "PM"
    assert settlement_style("VIX", D(2020, 4, 15)) == "AM"


def test_vix_expiries_match_the_data_file(shared_data: Path) -> None:
    listed = pd.read_csv(shared_data / "vix_futures_monthly_expirations.csv")["expiry"]
    ours = set(_dates(vix_expiries()))
    for text in listed:
        assert dt.date.fromisoformat(text) in ours
    assert all(d.weekday() in (1, 2) for d in ours if d.year >= 2006), "Wednesday (or Tuesday)"


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=D(1990, 1, 2), max_value=D(2030, 12, 31)),
    st.integers(min_value=1, max_value=360),
    st.sampled_from(["monthly", "weekly"]),
)
def test_pick_is_listed_and_nearest(today: dt.date, dte: int, kind: str) -> None:
    chosen = pick_expiry("SPX", kind, today, dte)  # type: ignore[arg-type]
    listed = listed_on("SPX", kind, today)  # type: ignore[arg-type]
    target = today + dt.timedelta(days=dte)
    if chosen is None:
        assert not listed or listed[-1] < target
        return
    assert chosen in listed and chosen > today and is_trading_day(chosen)
    best = min(abs((d - target).days) for d in listed)
    assert abs((chosen - target).days) == best
    if kind == "weekly":
        assert all(d - today <= dt.timedelta(days=366) for d in listed)
        weeklies = [d for d in listed if settlement_style("SPX", d) == "PM"]
        assert all((d - today).days <= WEEKLY_HORIZON_DAYS for d in weeklies)


def test_vectorized_equals_one_by_one() -> None:
    days = np.arange(np.datetime64("2015-01-01"), np.datetime64("2024-12-31"), 17)
    dte = (np.arange(days.size) * 7 % 90 + 1).astype(np.float64)
    for kind in ("monthly", "weekly"):
        picked = pick_expiries("SPX", kind, days, dte)  # type: ignore[arg-type]
        for row in range(days.size):
            one = pick_expiry("SPX", kind, days[row].item(), float(dte[row]))  # type: ignore[arg-type]
            assert (picked.date(row) if picked.expiry[row] >= 0 else None) == one


def test_the_checker_bound_equals_the_tables() -> None:
    from alvh_rules.lang.builtins import MAX_LISTED_DTE

    assert MAX_LISTED_DTE["SPX"] == max_listed_days("SPX")
    assert MAX_LISTED_DTE["VIX"] == max_listed_days("VIX") == MAX_LISTED_DTE["VX"]


@pytest.mark.parametrize(
    ("today", "weekdays"),
    [
        (D(2005, 10, 3), set()),  # before the first Weeklys (October 2005)
        (D(2010, 6, 1), {4}),  # Friday Weeklys only
        (D(2016, 6, 1), {2, 4}),  # Wednesday Weeklys from 2016-02-23
        (D(2018, 9, 10), {0, 2, 4}),  # Monday Weeklys from 2016-08-15 (no holiday moves)
        (D(2023, 6, 1), {0, 1, 2, 3, 4}),  # Tuesday and Thursday from April/May 2022
    ],
)
def test_weekly_pick_offers_only_the_series_listed_in_each_era(
    today: dt.date, weekdays: set[int]
) -> None:
    """`expiry weekly` chooses among the monthlies and the Weeklys series of the day's era
    (Cboe's launch dates, docs/data.md): every dte from 1 to 40 days lands on one of them."""
    weeklies = {d for d in listed_on("SPX", "weekly", today) if settlement_style("SPX", d) == "PM"}
    assert {d.weekday() for d in weeklies} == weekdays
    picks = {pick_expiry("SPX", "weekly", today, dte) for dte in range(1, 41)}
    monthlies = set(listed_on("SPX", "monthly", today))
    assert all(p in monthlies or (p in weeklies and p.weekday() in weekdays) for p in picks)
    assert {p.weekday() for p in picks if p in weeklies} == weekdays  # each series is reached


def test_the_2016_08_17_listing_cboe_published() -> None:
    """Cboe Options Hub, 2016-08-17, listed the SPX expirations to the end of September 2016;
    every one after that day is listed here too (the model also lists Monday and Wednesday
    Weeklys further out than Cboe then did: a stated simplification, docs/data.md)."""
    cboe = [D(2016, 8, d) for d in (19, 22, 24, 26, 29, 31)]
    # Sep 6 was listed on Aug 19; Sep 30 (end of quarter, 44 days out) is a quarterly listing,
    # which the model leaves out (docs/data.md)
    cboe += [D(2016, 9, d) for d in (2, 7, 9, 14, 16, 23)]
    listed = set(listed_on("SPX", "weekly", D(2016, 8, 17)))
    assert set(cboe) <= listed
    assert D(2016, 9, 6) in set(listed_on("SPX", "weekly", D(2016, 8, 19)))
