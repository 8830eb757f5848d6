"""Broken files made here, one per bad-data case: a clear error or a documented, reported policy."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.market import DataError, History

SPX_HEADER = "date,open,high,low,close\n"
GOOD_DAYS = [
    "2024-07-01,100,101,99,100.5",
    "2024-07-02,100.5,102,100,101.5",
    "2024-07-03,101.5,102,101,101.8",
    "2024-07-05,101.8,103,101,102.5",
    "2024-07-08,102.5,103,102,102.9",
]


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def _spx(tmp_path: Path, rows: list[str], header: str = SPX_HEADER) -> Path:
    return _folder(tmp_path, {"spx_daily.csv": header + "\n".join(rows) + "\n"})


def test_good_file_loads_without_issues(tmp_path: Path) -> None:
    history = History.from_dir(_spx(tmp_path, GOOD_DAYS))
    assert history.daily["spx"].tolist() == [100.5, 101.5, 101.8, 102.5, 102.9]
    assert not [i for i in history.report.issues if i.file == "spx_daily.csv"]


def test_unsorted_dates_are_sorted_and_reported(tmp_path: Path) -> None:
    rows = [GOOD_DAYS[1], GOOD_DAYS[0], *GOOD_DAYS[2:]]
    history = History.from_dir(_spx(tmp_path, rows))
    assert history.daily["spx"].tolist()[:2] == [100.5, 101.5]
    assert history.report.count("spx_daily.csv", "not in date order") == 1


def test_identical_duplicate_is_dropped_and_reported(tmp_path: Path) -> None:
    history = History.from_dir(_spx(tmp_path, [*GOOD_DAYS, GOOD_DAYS[2]]))
    (issue,) = [i for i in history.report.issues if "duplicate" in i.reason]
    assert issue.row == 6 and issue.action == "dropped" and "row 3" in issue.reason


def test_conflicting_duplicate_raises_naming_file_row_column(tmp_path: Path) -> None:
    rows = [*GOOD_DAYS, "2024-07-03,101.5,102,101,99.0"]
    with pytest.raises(DataError, match=r"spx_daily.csv, row 6, column 'close': duplicate date"):
        History.from_dir(_spx(tmp_path, rows))


def test_non_numeric_cell_raises_by_default(tmp_path: Path) -> None:
    rows = [*GOOD_DAYS[:2], "2024-07-03,101.5,abc,101,101.8", *GOOD_DAYS[3:]]
    with pytest.raises(
        DataError, match=r"spx_daily.csv, row 3, column 'high': not a number: 'abc'"
    ):
        History.from_dir(_spx(tmp_path, rows))


def test_non_numeric_cell_can_be_set_aside(tmp_path: Path) -> None:
    rows = [*GOOD_DAYS[:2], "2024-07-03,101.5,abc,101,101.8", *GOOD_DAYS[3:]]
    history = History.from_dir(_spx(tmp_path, rows), on_bad_cell="set_aside")
    assert np.isnan(history.daily.at[pd.Timestamp("2024-07-03"), "spx_high"])
    assert history.daily.at[pd.Timestamp("2024-07-03"), "spx"] == 101.8
    assert history.report.count("spx_daily.csv", "not a number") == 1


@pytest.mark.parametrize("price", ["0", "-5.0"])
def test_non_positive_price_is_set_aside(tmp_path: Path, price: str) -> None:
    rows = [*GOOD_DAYS[:2], f"2024-07-03,101.5,102,101,{price}", *GOOD_DAYS[3:]]
    history = History.from_dir(_spx(tmp_path, rows))
    assert np.isnan(history.daily.at[pd.Timestamp("2024-07-03"), "spx"])
    (issue,) = [i for i in history.report.issues if "non-positive" in i.reason]
    assert (issue.file, issue.row, issue.column, issue.action) == (
        "spx_daily.csv",
        3,
        "close",
        "set_aside",
    )


@pytest.mark.parametrize("missing", ["", "NaN", ".", "#N/A"])
def test_missing_cell_is_nan_that_day_not_filled(tmp_path: Path, missing: str) -> None:
    rows = [*GOOD_DAYS[:2], f"2024-07-03,101.5,102,101,{missing}", *GOOD_DAYS[3:]]
    history = History.from_dir(_spx(tmp_path, rows))
    assert np.isnan(history.daily.at[pd.Timestamp("2024-07-03"), "spx"])
    assert history.daily.at[pd.Timestamp("2024-07-05"), "spx"] == 102.5


def test_high_below_low_sets_the_range_aside(tmp_path: Path) -> None:
    rows = [*GOOD_DAYS[:2], "2024-07-03,101.5,100,102,101.8", *GOOD_DAYS[3:]]
    history = History.from_dir(_spx(tmp_path, rows))
    row = history.daily.loc[pd.Timestamp("2024-07-03")]
    assert np.isnan(row["spx_high"]) and np.isnan(row["spx_low"]) and row["spx"] == 101.8
    assert history.report.count("spx_daily.csv", "high below low") == 2  # high and low cells


def test_row_on_an_exchange_holiday_is_dropped(tmp_path: Path) -> None:
    rows = [*GOOD_DAYS[:3], "2024-07-04,101.8,102,101,101.9", *GOOD_DAYS[3:]]
    history = History.from_dir(_spx(tmp_path, rows))
    assert pd.Timestamp("2024-07-04") not in history.daily.index
    (issue,) = [i for i in history.report.issues if "not an NYSE trading day" in i.reason]
    assert (issue.row, issue.action) == (4, "dropped")


def test_gap_is_nan_and_flagged(tmp_path: Path) -> None:
    rows = [GOOD_DAYS[0], *GOOD_DAYS[3:]]
    history = History.from_dir(_spx(tmp_path, rows))
    assert history.daily.loc["2024-07-02":"2024-07-03", "spx"].isna().all()
    assert (
        history.report.count("spx_daily.csv", "no row for 2 trading day(s) 2024-07-02..2024-07-03")
        == 1
    )


def test_series_ending_on_different_days(tmp_path: Path) -> None:
    vix = "date,open,high,low,close\n2024-07-01,12,13,11,12.5\n2024-07-02,12.5,13,12,12.2\n"
    folder = _folder(tmp_path, {"vix_daily.csv": vix})
    history = History.from_dir(_spx(folder, GOOD_DAYS))
    assert history.daily.index[-1] == pd.Timestamp("2024-07-08")
    assert history.daily.loc["2024-07-03":, "vix"].isna().all()
    assert history.report.count("vix_daily.csv", "series ends on 2024-07-02, 3 trading day(s)") == 1


def test_unknown_column_raises(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"spx_daily.csv, column 'clsoe': unknown column"):
        History.from_dir(
            _spx(tmp_path, [r + ",1" for r in GOOD_DAYS], SPX_HEADER.strip() + ",clsoe\n")
        )


def test_missing_required_column_raises(tmp_path: Path) -> None:
    rows = [",".join(r.split(",")[:4]) for r in GOOD_DAYS]
    with pytest.raises(DataError, match=r"spx_daily.csv, column 'close': missing column"):
        History.from_dir(_spx(tmp_path, rows, "date,open,high,low\n"))


def test_unreadable_date_raises(tmp_path: Path) -> None:
    rows = [*GOOD_DAYS[:2], "2024-13-45,1,2,0.5,1", *GOOD_DAYS[3:]]
    with pytest.raises(DataError, match=r"spx_daily.csv, row 3, column 'date': unreadable date"):
        History.from_dir(_spx(tmp_path, rows))


def test_unknown_file_is_reported_as_ignored(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"notes.csv": "a,b\n1,2\n"})
    history = History.from_dir(_spx(folder, GOOD_DAYS))
    (issue,) = [i for i in history.report.issues if i.file == "notes.csv"]
    assert issue.action == "ignored"


# --- Original public layouts and Parquet ---------------------------------------------------


def test_cboe_vix_history_layout(tmp_path: Path) -> None:
    text = (
        "DATE,OPEN,HIGH,LOW,CLOSE\n07/01/2024,12.0,13.0,11.0,12.5\n07/02/2024,12.5,13.0,12.0,12.2\n"
    )
    history = History.from_dir(_folder(tmp_path, {"VIX_History.csv": text}))
    assert history.daily["vix"].tolist() == [12.5, 12.2]
    assert history.daily.index[0] == pd.Timestamp("2024-07-01")


def test_cboe_vvix_and_fred_vixcls_layouts(tmp_path: Path) -> None:
    files = {
        "VVIX_History.csv": "DATE,VVIX\n07/01/2024,80.5\n07/02/2024,81.0\n",
        "VIXCLS.csv": "observation_date,VIXCLS\n2024-07-01,12.5\n2024-07-02,.\n",
    }
    history = History.from_dir(_folder(tmp_path, files))
    assert history.daily["vvix"].tolist() == [80.5, 81.0]
    assert history.daily["vix"].iloc[0] == 12.5 and np.isnan(history.daily["vix"].iloc[1])


def test_stooq_and_yahoo_spx_layouts(tmp_path: Path) -> None:
    stooq = "Date,Open,High,Low,Close,Volume\n2024-07-01,100,101,99,100.5,1000\n"
    yahoo = "Date,Open,High,Low,Close,Adj Close,Volume\n2024-07-01,100,101,99,100.5,100.5,1000\n"
    for name, text in (("^spx_d.csv", stooq), ("^GSPC.csv", yahoo)):
        folder = tmp_path / name.strip("^.csv")
        folder.mkdir()
        history = History.from_dir(_folder(folder, {name: text}))
        assert history.daily["spx"].tolist() == [100.5]
        assert history.daily["spx_high"].tolist() == [101.0]


def test_stooq_monthly_prefix_before_1928_is_dropped(tmp_path: Path) -> None:
    stooq = (
        "Date,Open,High,Low,Close,Volume\n1789-05-01,0.51,0.51,0.51,0.51,0\n"
        "1927-12-30,17.66,17.66,17.66,17.66,0\n1928-01-03,17.76,17.76,17.76,17.76,0\n"
    )
    history = History.from_dir(_folder(tmp_path, {"^spx_d.csv": stooq}))
    assert history.daily.index[0] == pd.Timestamp("1928-01-03")
    assert history.report.count("^spx_d.csv", "before 1928") == 2


def test_fred_layout_with_dot_for_missing(tmp_path: Path) -> None:
    dtb3 = "observation_date,DTB3\n2024-07-01,5.25\n2024-07-02,.\n2024-07-03,5.20\n"
    history = History.from_dir(_spx(_folder(tmp_path, {"DTB3.csv": dtb3}), GOOD_DAYS))
    rates = history.daily["risk_free"]
    # 07-01's print is known at 07-02's close; 07-02's is missing, so 07-01's stays in force.
    assert np.isnan(rates["2024-07-01"])
    assert rates["2024-07-02"] == pytest.approx(0.0525)
    assert rates["2024-07-03"] == pytest.approx(0.0525)
    assert rates["2024-07-05"] == pytest.approx(0.0520)


def test_headerless_yyyymmdd_value_layout(tmp_path: Path) -> None:
    # Unicorn/Stooq raw exports: no header, `YYYYMMDD, value` lines.
    folder = _folder(tmp_path, {"vvix.csv": "20240701, 80.5\n20240702, 81.25\n"})
    history = History.from_dir(_spx(folder, GOOD_DAYS))
    assert history.daily["vvix"].tolist()[:2] == [80.5, 81.25]


def test_parquet_file(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-07-01", "2024-07-02"]),
            "open": [100.0, 100.5],
            "high": [101.0, 102.0],
            "low": [99.0, 100.0],
            "close": [100.5, 101.5],
        }
    )
    frame.to_parquet(tmp_path / "spx_daily.parquet")
    history = History.from_dir(tmp_path)
    assert history.daily["spx"].tolist() == [100.5, 101.5]


def test_user_file_with_and_without_publication(tmp_path: Path) -> None:
    roa = "date,value,published\n2024-03-31,9.5,2024-05-10\n2024-06-30,9.9,\n"
    folder = _folder(tmp_path, {"roa.csv": roa})
    spx_rows = [f"{d.date()},100,101,99,100" for d in pd.bdate_range("2024-05-01", "2024-09-30")]
    history = History.from_dir(_spx(folder, spx_rows))
    roa_daily = history.daily["roa"]
    assert np.isnan(roa_daily["2024-05-09"])
    assert roa_daily["2024-05-10"] == pytest.approx(0.095)  # percent written, fraction stored
    assert roa_daily["2024-09-06"] == pytest.approx(0.095)  # Q2 waits 70 days: 2024-09-08
    assert roa_daily["2024-09-09"] == pytest.approx(0.099)


def test_user_file_published_before_its_date_raises(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"wacc.csv": "date,value,published\n2024-03-31,8,2024-03-01\n"})
    with pytest.raises(DataError, match=r"wacc.csv, row 1, column 'published'"):
        History.from_dir(_spx(folder, GOOD_DAYS))


def test_user_events_file_extends_the_calendar(tmp_path: Path) -> None:
    events = "kind,date,time_et,note\nfomc,2024-07-03,14:00,made up for the test\n"
    history = History.from_dir(_spx(_folder(tmp_path, {"events.csv": events}), GOOD_DAYS))
    assert pd.Timestamp("2024-07-03") in history.calendar.dates("fomc")
    assert pd.Timestamp("2024-07-31") in history.calendar.dates("fomc")  # shipped ones kept


@settings(max_examples=20, deadline=None)
@given(order=st.permutations(list(range(len(GOOD_DAYS)))), repeat=st.integers(0, 4))
def test_row_order_and_exact_repeats_never_change_the_values(order: list[int], repeat: int) -> None:
    import tempfile

    rows = [GOOD_DAYS[i] for i in order] + [GOOD_DAYS[repeat]]
    with tempfile.TemporaryDirectory() as folder:
        history = History.from_dir(_spx(Path(folder), rows))
    assert history.daily["spx"].tolist() == [100.5, 101.5, 101.8, 102.5, 102.9]
    assert history.report.count("spx_daily.csv", "duplicate of row") == 1


def test_empty_folder_gives_an_empty_history_with_reasons(tmp_path: Path) -> None:
    history = History.from_dir(tmp_path)
    assert history.daily.empty and list(history.daily.columns)
    assert history.report.count("(folder)", "no data for vix:") == 1
    with pytest.raises(ValueError, match="history is empty"):
        history.snapshot("2024-07-01")
    with pytest.raises(FileNotFoundError, match="data folder not found"):
        History.from_dir(tmp_path / "missing")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", r"spx_daily.csv: not a readable table: No columns to parse", id="empty"),
        pytest.param(
            b"date,open,high,low,close\n2024-07-01,1,2,0.5,1\n2024-07-02,\xff,2,1,1\n",
            r"spx_daily.csv, row 2: not UTF-8 text \(byte 0xff\)",
            id="not utf-8",
        ),
        pytest.param(
            b'date,open,high,low,close\n2024-07-01,1,2,0.5,1\n2024-07-02,"1,2,1,1\n',
            r"spx_daily.csv: not a readable table: Error tokenizing data",
            id="tokenizing",
        ),
    ],
)
def test_unreadable_csv_errors_name_the_file(tmp_path: Path, content: bytes, expected: str) -> None:
    (tmp_path / "spx_daily.csv").write_bytes(content)
    with pytest.raises(DataError, match=expected):
        History.from_dir(tmp_path)


def test_a_fifo_as_a_data_file_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "spx_daily.csv")
    with pytest.raises(DataError, match=r"spx_daily.csv: cannot read the file: not a regular"):
        History.from_dir(tmp_path)


VIX_HEADER = "date,open,high,low,close\n"


@pytest.mark.parametrize("close", ["inf", "1e400", "1e300", "0.001", "301"])
def test_an_implausible_vix_close_is_unknown_and_reported(tmp_path: Path, close: str) -> None:
    vix = [f"{day},12,13,11,12.5" for day in ("2024-07-01", "2024-07-02", "2024-07-03")]
    vix.append(f"2024-07-05,12,13,11,{close}")
    _folder(tmp_path, {"vix_daily.csv": VIX_HEADER + "\n".join(vix) + "\n"})
    history = History.from_dir(_spx(tmp_path, GOOD_DAYS))
    assert np.isnan(history.daily.at[pd.Timestamp("2024-07-05"), "vix"])
    assert history.daily.at[pd.Timestamp("2024-07-03"), "vix"] == 12.5
    (issue,) = [i for i in history.report.issues if "plausible range" in i.reason]
    assert (issue.file, issue.row, issue.column, issue.action) == (
        "vix_daily.csv",
        4,
        "close",
        "set_aside",
    )
    assert issue.reason.startswith("vix = ") and "1..300: unknown" in issue.reason


def test_an_implausible_tbill_rate_is_unknown_and_reported(tmp_path: Path) -> None:
    rows = "observation_date,DTB3\n2024-07-01,5.2\n2024-07-02,-1000000\n2024-07-03,5.21\n"
    _folder(tmp_path, {"us_tbill_3m_daily_fred_DTB3.csv": rows})
    history = History.from_dir(_spx(tmp_path, GOOD_DAYS))
    (issue,) = [i for i in history.report.issues if "plausible range" in i.reason]
    assert issue.column == "risk_free" and issue.reason.startswith("2024-07-02: risk_free = -10000")
    assert history.daily.at[pd.Timestamp("2024-07-05"), "risk_free"] == pytest.approx(0.0521)
    assert np.nanmin(history.daily["risk_free"].to_numpy()) > -1


def test_a_row_dated_in_the_future_is_dropped_and_reported(tmp_path: Path) -> None:
    history = History.from_dir(_spx(tmp_path, [*GOOD_DAYS, "2099-07-01,1,2,0.5,1"]))
    assert history.index[-1] == pd.Timestamp("2024-07-08")
    (issue,) = [i for i in history.report.issues if "future" in i.reason]
    assert (issue.row, issue.action) == (6, "dropped")


def test_every_market_field_has_a_plausible_range() -> None:
    from alvh_rules.lang.catalog import MARKET_FIELDS, PLAUSIBLE_RANGES

    assert set(PLAUSIBLE_RANGES) == set(MARKET_FIELDS)
    assert all(low < high for low, high in PLAUSIBLE_RANGES.values())
