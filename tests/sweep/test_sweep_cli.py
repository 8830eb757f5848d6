"""`alvh sweep` from the command line: plain errors for bad input (exit 2, no traceback), the
plain word that backtests are not available in a build without them, and whole runs with the
signals stand-in injected through the seam: ranked table, Parquet results that a rerun
resumes, the HTML report, and a walk-forward."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sweep_workloads import QUICKSTART, failing_at_55

import alvh_rules.cli.sweep_command as sweep_command
from alvh_rules.cli.main import main
from alvh_rules.market.history import History
from alvh_rules.sweeping import points
from alvh_rules.sweeping.store import ResultStore

BASE = [str(QUICKSTART), "--capital", "1000000", "--risk-budget", "100000"]


@pytest.fixture(autouse=True)
def builtin_once(demo_history: History, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(History, "builtin", classmethod(lambda cls: demo_history))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["sweep", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--grid", "rsi_capp=50..60:3"], "no param named 'rsi_capp'; did you mean 'rsi_cap'?"),
        (["--grid", "rsi_cap=40..60:3"], "rsi_cap = 40 is outside its bounds 50 .. 70"),
        (["--grid", "rsi_cap"], "write NAME=LOW..HIGH:COUNT"),
        (["--grid", "rsi_cap=50,60", "--grid", "rsi_cap=55"], "names rsi_cap more than once"),
        (["--random", "5"], "--random N needs --params a,b,c"),
        ([], "give --grid NAME=LOW..HIGH:COUNT (repeatable) or --random N"),
        (["--grid", "rsi_cap=50", "--train", "2023-05-01..2023-12-29"], "needs both --train"),
        (["--grid", "rsi_cap=50", "--report", "r.pdf"], "the report is HTML"),
        (["--grid", "rsi_cap=50", "--start", "1990-01-02"], "outside the history"),
        (["--grid", "rsi_cap=50", "--set", "rsi_cap=90"], "--set: rsi_cap = 90 is outside"),
    ],
)
def test_bad_input_is_a_plain_error(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    # A runner that needs no backtest, so each case fails on its input alone.
    monkeypatch.setattr(sweep_command, "default_runner", lambda: failing_at_55)
    code, _, err = _run(capsys, *BASE, *argv)
    assert code == 2, err
    assert message in err and "Traceback" not in err


def test_capital_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, str(QUICKSTART), "--grid", "rsi_cap=50")
    assert code == 2 and "--capital USD is required" in err


def test_without_a_backtest_it_says_backtests_are_not_available(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(points, "BACKTEST_EXPORT", "no_backtest_here")  # a build without one
    code, _, err = _run(capsys, *BASE, "--grid", "rsi_cap=50..70:3")
    assert code == 2
    assert "alvh sweep: backtests are not available in this build" in err


def test_a_scheduler_that_does_not_answer(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sweep_command, "default_runner", lambda: failing_at_55)
    code, _, err = _run(capsys, *BASE, "--grid", "rsi_cap=50", "--scheduler", "tcp://127.0.0.1:9")
    assert code == 2 and "no Dask scheduler answers at tcp://127.0.0.1:9" in err


def test_a_whole_sweep_resumes_and_reports(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    client: Any,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(sweep_command, "default_runner", lambda: failing_at_55)
    argv = [
        *BASE,
        "--grid",
        "rsi_cap=50..70:5",
        "--grid",
        "roe_floor=10%,15%",
        "--metric",
        "fires_base_condor",
        "--scheduler",
        client.scheduler.address,
        "--out",
        str(tmp_path / "out"),
        "--report",
        str(tmp_path / "sweep.html"),
    ]
    code, out, err = _run(capsys, *argv)
    assert code == 0, err
    assert "10 points, ranked by fires_base_condor; 2 failed" in out
    assert "ZeroDivisionError" in out and "15%" in out
    parts = sorted((tmp_path / "out" / "points").glob("part-*.parquet"))
    assert len(ResultStore(tmp_path / "out").read()) == 10
    page = (tmp_path / "sweep.html").read_text(encoding="utf-8")
    for section in ("<svg", "Top points", "Sensitivity", "Failed points", "not a backtest"):
        assert section in page
    assert "<script" not in page and not re.search(r"(src|href)=[\"']https?:", page)  # offline
    code, again, err = _run(capsys, *argv)  # resumed: only the 2 failed points run again
    assert code == 0, err
    new_parts = sorted(set((tmp_path / "out" / "points").glob("part-*.parquet")) - set(parts))
    assert [len(pd.read_parquet(part)) for part in new_parts] == [2]
    assert again.splitlines()[1:] == out.splitlines()[1:]


def test_a_walk_forward_from_the_command_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    client: Any,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(sweep_command, "default_runner", lambda: failing_at_55)
    code, out, err = _run(
        capsys,
        *BASE,
        "--random",
        "4",
        "--seed",
        "7",
        "--params",
        "rsi_cap,event_buffer",
        "--train",
        "2023-04-06..2023-12-29",
        "--test",
        "2024-01-02..2024-08-09",
        "--metric",
        "fires_base_condor",
        "--scheduler",
        client.scheduler.address,
        "--report",
        str(tmp_path / "walk.html"),
    )
    assert code == 0, err
    assert "Walk-forward: best on training by fires_base_condor" in out
    assert "rank correlation train vs test" in out
    assert "Walk-forward</h2>" in (tmp_path / "walk.html").read_text(encoding="utf-8")
