"""Files a partial download leaves (session-9 audit, docs/reliability.md): a header without
rows and a last line cut mid-row loaded without a word; now each is a `flagged` line of the
load report, the values kept as read."""

from __future__ import annotations

from pathlib import Path

from alvh_rules.market import History

HEADER = "date,open,high,low,close\n"
ROWS = (
    "2024-07-01,100,101,99,100.5\n2024-07-02,100.5,102,100,101.5\n2024-07-03,101.5,102,101,101.8\n"
)


def _issues(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "spx_daily.csv").write_text(text)
    (tmp_path / "vix_daily.csv").write_text(HEADER + ROWS)
    history = History.from_dir(tmp_path)
    return [str(i) for i in history.report.issues if i.file == "spx_daily.csv"]


def test_a_whole_file_is_not_flagged(tmp_path: Path) -> None:
    assert _issues(tmp_path, HEADER + ROWS) == []


def test_a_header_without_rows_is_flagged(tmp_path: Path) -> None:
    assert _issues(tmp_path, HEADER) == [
        "spx_daily.csv: flagged: a header and no data rows: the file is empty"
    ]


def test_a_last_row_cut_short_is_flagged_with_its_fields(tmp_path: Path) -> None:
    issues = _issues(tmp_path, HEADER + ROWS + "2024-07-05,101.8,103,10")
    assert issues == [
        "spx_daily.csv:4: flagged: the file does not end with a newline: its last row may be "
        "cut short (a partial download?); it has 4 of the header's 5 fields",
        "spx_daily.csv:4 [close]: flagged: no close on 1 trading day(s) 2024-07-05..2024-07-05 "
        "(an empty cell, or one set aside): NaN there",
    ]


def test_a_last_number_cut_short_is_flagged(tmp_path: Path) -> None:
    """`102.5` cut to `102`: every field is there, the value is wrong; only the missing
    newline tells."""
    issues = _issues(tmp_path, HEADER + ROWS + "2024-07-05,101.8,103,101,102")
    assert issues == [
        "spx_daily.csv:4: flagged: the file does not end with a newline: its last row may be "
        "cut short (a partial download?)"
    ]


def test_an_empty_close_on_a_trading_day_is_flagged(tmp_path: Path) -> None:
    """A row that is there but has no close (`2020-01-15,,,,`, `nan`) was NaN without a
    word, where a missing row was flagged; runs of them are flagged now, like gaps."""
    text = (
        HEADER + ROWS + "2024-07-05,,,,\n2024-07-08,101,102,100,nan\n2024-07-09,101,102,100,101\n"
    )
    assert _issues(tmp_path, text) == [
        "spx_daily.csv:4 [close]: flagged: no close on 2 trading day(s) 2024-07-05..2024-07-08 "
        "(an empty cell, or one set aside): NaN there"
    ]
