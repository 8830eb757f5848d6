"""The real data folder loaded into a History: values, publication times, and what was set aside."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import History
from alvh_rules.market.calendar import ET, sessions


def test_columns_are_the_catalog_fields(real_history: History) -> None:
    assert list(real_history.daily.columns) == list(MARKET_FIELDS)
    assert list(real_history.published.columns) == list(MARKET_FIELDS)
    assert all(real_history.daily[f].dtype == np.float64 for f in MARKET_FIELDS)
    assert isinstance(real_history.daily.index, pd.DatetimeIndex)
    assert real_history.daily.index.tz is None and real_history.daily.index.is_unique


def test_index_is_nyse_sessions_from_1970(real_history: History) -> None:
    index = real_history.daily.index
    modern = index[index >= "1970-01-01"]
    assert modern.equals(sessions("1970-01-01", index[-1]))
    assert index[0] == pd.Timestamp("1928-01-03") and index[-1] == pd.Timestamp("2026-08-21")
    # Before 1970 the SPX file's own days, Saturdays included (trading until 1952).
    assert (index[index < "1952-06-01"].day_of_week == 5).sum() > 1000


@pytest.mark.parametrize(
    ("field", "day", "value"),
    [
        ("spx", "2020-03-23", 2237.40),
        ("spx", "1987-10-19", 224.84),
        ("spx", "2020-03-16", 2386.13),
        ("vix", "2020-03-16", 82.69),
        ("vix", "2017-11-03", 9.14),
        ("vix_high", "2024-08-05", 65.73),
        ("vix", "2024-08-05", 38.57),
        ("vvix", "2020-03-16", 207.59),
    ],
)
def test_sanity_values_from_provenance(
    real_history: History, field: str, day: str, value: float
) -> None:
    assert real_history.daily.at[pd.Timestamp(day), field] == pytest.approx(value)


def test_percent_fields_are_fractions(real_history: History) -> None:
    daily = real_history.daily
    assert daily.at[pd.Timestamp("2023-08-01"), "risk_free"] == pytest.approx(0.0527, abs=0.002)
    assert 0.0 < daily["roe"].median() < 0.25
    assert daily.at[pd.Timestamp("2024-08-14"), "cpi"] == pytest.approx(0.002)
    assert 0.5 < daily["mcap_gdp"].dropna().iloc[-1] < 3.0
    assert daily["gdp"].dropna().iloc[-1] > 1e13  # dollars, not billions


def test_vix_holiday_rows_are_dropped_and_reported(real_history: History) -> None:
    dropped = [
        i
        for i in real_history.report.for_file("vix_daily.csv")
        if i.action == "dropped" and "not an NYSE trading day" in i.reason
    ]
    assert len(dropped) == 33
    assert {"2004-06-11", "2022-07-04", "2024-07-04", "2025-06-19", "2026-07-03"} <= {
        i.reason[:10] for i in dropped
    }
    assert all(i.row is not None and i.column == "date" for i in dropped)


def test_missing_vix_prints_are_nan_not_carried(real_history: History) -> None:
    daily = real_history.daily
    for day in ("1991-03-01", "1997-01-31", "1997-11-26", "1999-12-31"):
        assert np.isnan(daily.at[pd.Timestamp(day), "vix"])
        assert real_history.report.count("vix_daily.csv", f"{day}..{day}") == 1
    # The VIX file ends 2026-07-31 while SPX runs to 2026-08-21: NaN after, flagged.
    assert daily.loc["2026-08-03":, "vix"].isna().all()
    assert real_history.report.count("vix_daily.csv", "series ends on 2026-07-31") == 1
    provenance = real_history.provenance("vix", "2026-08-05")
    assert provenance.age_trading_days == 3 and "3 trading day(s) old" in str(provenance)


def test_vix_open_outside_range_and_close_only_bars(real_history: History) -> None:
    daily = real_history.daily
    assert np.isnan(daily.at[pd.Timestamp("2004-11-08"), "vix_open"])  # open 2.58 in the file
    assert np.isnan(daily.at[pd.Timestamp("1990-06-01"), "vix_high"])  # close-only era
    assert daily.at[pd.Timestamp("1990-06-01"), "vix"] > 0
    assert real_history.report.count("vix_daily.csv", "open outside [low, high]") >= 40
    high, low = daily["spx_high"], daily["spx_low"]
    assert not (high < low).any()


def test_vvix_before_2007_is_set_aside(real_history: History) -> None:
    assert real_history.daily.loc[:"2006-12-31", "vvix"].isna().all()
    assert real_history.report.count("vvix_daily.csv", "VVIX before 2007") > 0


def test_futures_days_to_expiry(real_history: History) -> None:
    daily = real_history.daily
    assert daily.at[pd.Timestamp("2026-08-18"), "vix_f1_dte"] == 1
    assert daily.at[pd.Timestamp("2026-08-19"), "vix_f1_dte"] == 0  # expiry-day convention
    assert daily.at[pd.Timestamp("2026-08-19"), "vix_f2_dte"] == 28
    assert (daily["vix_f1_dte"].dropna() >= 0).all()
    assert real_history.report.count("vix_futures_f1_f2.csv", "inferred") == 1


def test_derived_fields(real_history: History) -> None:
    row = real_history.daily.loc[pd.Timestamp("2020-03-16")]
    assert row["vix_basis"] == pytest.approx(row["vix_f1"] - row["vix"])
    assert row["vix_term_slope"] == pytest.approx(row["vix_f2"] - row["vix_f1"])
    assert row["vvix_vix_ratio"] == pytest.approx(row["vvix"] / row["vix"])
    assert row["iv_rv_ratio"] == pytest.approx(row["vix"] / row["spx_rv20"])
    assert row["pe"] == pytest.approx(row["spx"] / row["eps_ttm"])
    assert row["dividend_yield"] == pytest.approx(row["dividends_ttm"] / row["spx"])
    assert row["expected_move_30d"] == pytest.approx(
        row["spx"] * row["vix"] / 100 * np.sqrt(30 / 365)
    )


def test_ad_line_restarts_after_the_2015_gap(real_history: History) -> None:
    daily = real_history.daily
    assert daily.loc["2015-11-12":"2016-12-30", "ad_line"].isna().all()
    first_after = daily.loc["2017-01-03"]
    assert first_after["ad_line"] == first_after["advances"] - first_after["declines"]
    day, previous = pd.Timestamp("2010-06-02"), pd.Timestamp("2010-06-01")
    net = daily.at[day, "advances"] - daily.at[day, "declines"]
    assert daily.at[day, "ad_line"] == daily.at[previous, "ad_line"] + net


def test_incomplete_breadth_row_is_set_aside(real_history: History) -> None:
    assert np.isnan(real_history.daily.at[pd.Timestamp("2026-06-18"), "advances"])
    issues = real_history.report.for_file("nyse_breadth_daily_computed_shoppafund.csv")
    assert any(i.action == "set_aside" and "incomplete" in i.reason for i in issues)


def test_slow_values_wait_for_their_publication(real_history: History) -> None:
    daily, published = real_history.daily, real_history.published
    # Q4 2019 ROE (quarter end 2019-12-31) is published 70 days later, not on the quarter's date.
    q4 = published.at[pd.Timestamp("2020-03-16"), "roe"]
    assert q4 == pd.Timestamp("2020-03-10 16:00", tz=ET)
    assert (
        daily.at[pd.Timestamp("2020-03-09"), "roe"] != daily.at[pd.Timestamp("2020-03-10"), "roe"]
    )
    # CPI is published 08:30 ET on its release day, and carried until the next release.
    assert published.at[pd.Timestamp("2024-08-14"), "cpi"] == pd.Timestamp(
        "2024-08-14 08:30", tz=ET
    )
    assert published.at[pd.Timestamp("2024-08-13"), "cpi"] == pd.Timestamp(
        "2024-07-11 08:30", tz=ET
    )
    # DTB3 for a day is known at the next session's close.
    assert published.at[pd.Timestamp("2024-08-06"), "risk_free"] == pd.Timestamp(
        "2024-08-06 16:00", tz=ET
    )


def test_nothing_is_published_after_the_close_it_is_used_at(real_history: History) -> None:
    published = real_history.published
    closes = (published.index + pd.Timedelta(hours=16)).tz_localize(ET)
    for field in MARKET_FIELDS:
        stamps = published[field]
        known = stamps.notna().to_numpy()
        assert (stamps[known].to_numpy() <= closes[known].to_numpy()).all(), field


def test_stale_slow_values_expire(real_history: History) -> None:
    # DTB3 ends 2026-03-26: carried at most 10 calendar days, then NaN.
    daily = real_history.daily
    assert daily.at[pd.Timestamp("2026-03-30"), "risk_free"] > 0
    assert daily.loc["2026-04-10":, "risk_free"].isna().all()


def test_user_only_fields_are_absent_with_a_reason(real_history: History) -> None:
    for field in ("roa", "pcf", "wacc", "quick_ratio_fin"):
        assert real_history.daily[field].isna().all()
        assert real_history.report.count("(folder)", f"no data for {field}") == 1


def test_provenance_names_the_report(real_history: History) -> None:
    provenance = real_history.provenance("roe", "2020-03-16")
    assert provenance.period == pd.Timestamp("2019-12-31")
    assert provenance.source == "sp500_quarterly_fundamentals_spdji.csv"
    assert "as of 2019-12-31" in str(provenance)


def test_report_lists_ignored_files(real_history: History) -> None:
    ignored = {i.file for i in real_history.report.issues if i.action == "ignored"}
    assert {"PROVENANCE.md", "vx_vivek_transcribed.csv", "fomc_meetings.csv"} <= ignored


def test_age_in_trading_days(real_history: History) -> None:
    ages = real_history.age("vix")
    assert ages["2026-07-31"] == 0 and ages["2026-08-05"] == 3
    assert ages["2024-08-05"] == 0
    snapshot = real_history.snapshot("2026-08-05", lookback=5)
    assert snapshot.age("vix") == 3 and snapshot.age("spx") == 0
    assert np.isnan(real_history.age("roa")).all()


def test_quandl_segment_is_flagged(real_history: History) -> None:
    assert real_history.report.count("vix_futures_f1_f2.csv", "lower quality") == 1
    rows = real_history.report.rows()
    assert {"file", "row", "column", "action", "reason"} == set(rows[0])


def test_expiring_slow_series_are_reported(real_history: History) -> None:
    assert (
        real_history.report.count("us_tbill_3m_daily_fred_DTB3.csv", "no value after 2026-04-06")
        == 1
    )
    (cpi,) = [
        i for i in real_history.report.issues if i.column == "cpi" and "no value after" in i.reason
    ]
    assert "last release (2026-01-13) has no value" in cpi.reason


def test_values_at_reads_the_observations_exactly(real_history: History) -> None:
    before, _ = real_history.values_at(pd.Timestamp("2024-08-14 08:29", tz=ET))
    after, stamps = real_history.values_at(pd.Timestamp("2024-08-14 08:30", tz=ET))
    assert before["cpi"] == pytest.approx(-0.001) and after["cpi"] == pytest.approx(0.002)
    assert stamps["cpi"] == pd.Timestamp("2024-08-14 08:30", tz=ET)
    assert np.isnan(after["spx"])  # today's close is not printed yet
    with pytest.raises(ValueError, match="tz-aware"):
        real_history.values_at(pd.Timestamp("2024-08-14 08:30"))


def test_provenance_before_any_data(real_history: History) -> None:
    provenance = real_history.provenance("vix", "1950-01-03")
    assert provenance.published is None and "no value known" in str(provenance)
    with pytest.raises(KeyError, match="unknown market field 'vixx'"):
        real_history.provenance("vixx", "2020-01-02")


def test_the_real_folder_as_parquet_loads_the_same(
    real_history: History, shared_data: Path, tmp_path: Path
) -> None:
    for csv in shared_data.glob("*.csv"):
        pd.read_csv(csv).to_parquet(tmp_path / f"{csv.stem}.parquet")
    from_parquet = History.from_dir(tmp_path)
    pd.testing.assert_frame_equal(from_parquet.daily, real_history.daily)
    pd.testing.assert_frame_equal(from_parquet.published, real_history.published)
