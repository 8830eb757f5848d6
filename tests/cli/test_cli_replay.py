"""`alvh replay`: the summary (days per state, regime spans, unknown days and why), the
timeline in CSV, Parquet and JSON, and the chart as PNG or HTML; demo and real history."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from cli_support import QUICKSTART, Run

from alvh_rules.check import load
from alvh_rules.eval.replay import replay
from alvh_rules.market import History


def test_summary_counts_match_the_replay(run: Run, demo_history: History) -> None:
    code, out, _ = run("replay", QUICKSTART)
    assert code == 0
    assert "built-in demo data: synthetic before 2024-07-31" in out
    assert "Replay 2023-04-06 to 2024-08-09: 338 trading days" in out
    timeline = replay(load(QUICKSTART), demo_history)
    header = next(line for line in out.splitlines() if line.strip().startswith("rule "))
    row = next(line for line in out.splitlines() if line.strip().startswith("base_condor"))
    columns = [cell.strip() for cell in header.split("┃")]
    cells = dict(zip(columns, (cell.strip() for cell in row.split("│")), strict=True))
    for state in ("fires", "holds", "blocked", "unknown"):
        days = int((timeline["base_condor"] == state).sum())
        assert cells[state] == (str(days) if days else "-")
    assert int(cells["fires"]) > 0
    assert "Regime spans" in out


def test_timeline_formats_round_trip(run: Run, tmp_path: Path, demo_history: History) -> None:
    expected = replay(load(QUICKSTART), demo_history, "2024-06-03", "2024-08-09")
    for suffix in ("csv", "parquet", "json"):
        path = tmp_path / f"timeline.{suffix}"
        code, out, _ = run("replay", QUICKSTART, "--from", "2024-06-01", "--out", path)
        assert code == 0
        assert f"wrote timeline: {path}" in out
        if suffix == "csv":
            written = pd.read_csv(path, index_col="date", parse_dates=["date"])
        elif suffix == "parquet":
            written = pd.read_parquet(path)
        else:
            records = json.loads(path.read_text(encoding="utf-8"))
            assert records[0]["date"] == "2024-06-03"
            written = pd.DataFrame(records).set_index("date")
            written.index = pd.DatetimeIndex(written.index, name="date")
        written.index = pd.DatetimeIndex(written.index, name="date").as_unit("ns")
        pd.testing.assert_frame_equal(written, expected, check_freq=False)


def test_plot_png_and_html(run: Run, tmp_path: Path) -> None:
    png = tmp_path / "replay.png"
    code, out, _ = run("replay", QUICKSTART, "--plot", png)
    assert code == 0 and f"wrote chart: {png}" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = tmp_path / "replay.html"
    code, _, _ = run("replay", QUICKSTART, "--to", "2024-07-31", "--plot", page)
    assert code == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<img alt="replay chart" src="data:image/png;base64,iVBORw0KGgo' in html
    assert "<h2>Days in each state</h2>" in html and "<td>base_condor</td>" in html
    assert "2023-04-06 to 2024-07-31" in html


def test_params_and_range(run: Run, demo_history: History) -> None:
    window = ("--from", "2024-08-01", "--to", "2024-08-09")
    code, out, _ = run("replay", QUICKSTART, *window, "--set", "roe_floor=18%")
    assert code == 0
    assert "Replay 2024-08-01 to 2024-08-09: 7 trading days" in out
    assert "params: event_buffer=1d, profit_take=50%, roe_floor=18%, rsi_cap=60" in out
    assert "2024-08-01 │ 2024-08-09 │ promoter │    7" in out


def test_start_and_end_as_backtest_names_them(run: Run) -> None:
    """`alvh backtest` and `alvh sweep` name the period `--start`/`--end`: replay takes
    those names too, for the same days as `--from`/`--to`."""
    code, out, _ = run("replay", QUICKSTART, "--start", "2024-08-01", "--end", "2024-08-09")
    assert code == 0
    assert "Replay 2024-08-01 to 2024-08-09: 7 trading days" in out
    _, same, _ = run("replay", QUICKSTART, "--from", "2024-08-01", "--to", "2024-08-09")
    assert out == same


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--out", "t.xlsx"), "--out t.xlsx: the extension must be one of .csv, .parquet, .json"),
        (("--plot", "r.svg"), "--plot r.svg: the extension must be one of .png, .html"),
        (("--out", "/absent/folder/t.csv"), "no such folder /absent/folder"),
        (("--from", "2024-08-09", "--to", "2024-08-01"), "--from 2024-08-09 is after --to"),
        (("--from", "2020-01-02"), "--from 2020-01-02 is outside the history (2023-04-06"),
        (("--to", "2030-01-02"), "--to 2030-01-02 is outside the history"),
        (("--from", "2024-08-10"), "--from 2024-08-10 is outside the history"),
    ],
)
def test_bad_replay_options(run: Run, args: tuple[str, ...], message: str) -> None:
    code, out, err = run("replay", QUICKSTART, *args)
    assert code == 2
    assert message in err
    assert out == ""


def test_real_history_summary_explains_unknown_days(
    run: Run, real_data: Path, tmp_path: Path
) -> None:
    plot = tmp_path / "replay.png"
    code, out, _ = run(
        "replay", QUICKSTART, "--data", real_data, "--from", "2000-01-03", "--plot", plot
    )
    assert code == 0
    assert f"data: {real_data}" in out
    assert "Replay 2000-01-03 to " in out
    assert "Unknown days:" in out
    # the S&P fundamentals file ends before the prices do: roe goes stale, rules go unknown
    assert "roe has no value on" in out
    assert plot.stat().st_size > 10_000


def test_progress_bar_only_on_a_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from alvh_rules.cli.terminal import progress_steps

    with progress_steps(total=2) as steps:  # captured output is not a terminal
        assert steps._progress is None
    code, out, err = run("replay", QUICKSTART)
    assert code == 0 and "replaying" not in out + err
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    with progress_steps(total=2) as steps:
        assert steps._progress is not None
        steps.start("replaying")
        steps.done()


def test_account_is_passed_to_the_replay(run: Run, tmp_path: Path, demo_history: History) -> None:
    path = tmp_path / "timeline.csv"
    account = ("--capital", "1000000", "--risk-budget", "100000")
    code, out, _ = run("replay", QUICKSTART, *account, "--out", path)
    assert code == 0
    assert "account: capital 1,000,000 $, risk budget 100,000 $" in out
    expected = replay(load(QUICKSTART), demo_history, capital=1e6, risk_budget=1e5)
    written = pd.read_csv(path, index_col="date", parse_dates=["date"])
    written.index = pd.DatetimeIndex(written.index, name="date").as_unit("ns")
    pd.testing.assert_frame_equal(written, expected, check_freq=False)
