"""`alvh backtest`: the summary in text and JSON, the files it writes (byte-identical across
hash seeds), a comparison of rulesets, and clear errors with exit 2 (1 for ruleset errors)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from backtest_support import FIXTURES, SHARED_DATA

from alvh_rules.backtesting.summary import SUMMARY_KEYS
from alvh_rules.cli.main import main

HELD = FIXTURES / "held_condor.alvh"
NEVER = FIXTURES / "never.alvh"
WINDOW = ("--start", "2024-06-03", "--end", "2024-08-09")  # real days of the demo data


def _alvh(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in err, err
    return code, out, err


def test_text_summary_and_outputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = _alvh(
        capsys, "backtest", HELD, *WINDOW, "--capital", "100000", "--out", tmp_path
    )
    assert code == 0
    assert "held condor" in out and "modelled prices" in out and "cagr" in out
    names = {p.name for p in tmp_path.iterdir()}
    assert {"trades.csv", "trades.parquet", "daily.csv", "summary.json", "report.html"} <= names
    page = (tmp_path / "report.html").read_text()
    assert "data:image/png;base64," in page and "<script" not in page
    assert "modelled" in page


def test_json_summary_has_the_stable_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _alvh(capsys, "backtest", HELD, *WINDOW, "--capital", "1e5", "--format", "json")
    assert code == 0
    summary = json.loads(out)
    assert tuple(summary) == SUMMARY_KEYS
    assert summary["trades"] >= 1


def test_compare_side_by_side(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = ("backtest", HELD, NEVER, *WINDOW, "--capital", "1e5", "--format", "json")
    code, out, _ = _alvh(capsys, *args, "--out", tmp_path)
    assert code == 0
    runs = json.loads(out)
    assert [r["ruleset"] for r in runs] == ["held condor", "never trades"]
    assert runs[0]["summary"]["start"] == runs[1]["summary"]["start"]
    assert runs[1]["summary"]["trades"] == 0
    assert (tmp_path / "report.html").is_file() and (tmp_path / "1-held_condor").is_dir()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--start", "2024-08-01", "--end", "2024-07-01"), "is after --end"),
        (("--start", "1900-01-02"), "outside the data"),
        (("--end", "2030-01-02"), "outside the data"),
        (("--slippage", "-1"), "must be a finite amount"),
    ],
)
def test_bad_dates_and_costs_exit_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, _, err = _alvh(capsys, "backtest", HELD, "--capital", "1e5", *args)
    assert code == 2 and message in err, err


@pytest.mark.parametrize("capital", ["-5", "nan", "inf", "0"])
def test_bad_capital_exits_2(capsys: pytest.CaptureFixture[str], capital: str) -> None:
    code, _, err = _alvh(capsys, "backtest", HELD, f"--capital={capital}")
    assert code == 2 and "--capital" in err


def test_a_ruleset_error_stops_before_the_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.alvh"
    broken.write_text('ruleset "broken"\nentry e:\n    when vixx > 1\n    open put\n')
    code, out, err = _alvh(capsys, "backtest", broken, "--capital", "1e5")
    assert code == 1 and "broken.alvh:3:" in err and out == ""


def test_outputs_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    data = ["--data", str(SHARED_DATA)] if SHARED_DATA.is_dir() else []
    folders = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        command = [
            sys.executable, "-m", "alvh_rules.cli.main", "backtest", str(HELD), *data,
            "--start", "2019-01-02", "--end", "2019-03-29", "--capital", "100000",
            "--out", str(out),
        ]  # fmt: skip
        if not data:
            command[command.index("--start") + 1 : command.index("--end") + 2] = list(WINDOW[1:])
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        folders.append(out)
    names = sorted(p.name for p in folders[0].iterdir())
    assert names == sorted(p.name for p in folders[1].iterdir()) and len(names) >= 9
    for name in names:
        assert (folders[0] / name).read_bytes() == (folders[1] / name).read_bytes(), name


def test_without_pyarrow_the_parquet_log_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's install has no pyarrow: the CSV trade log is still written."""
    import builtins

    from alvh_rules.backtesting.api import backtest
    from alvh_rules.market import History

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    run = backtest(HELD, History.builtin(), "2024-07-01", "2024-07-31", capital=100_000)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    written = {p.name for p in run.write(tmp_path, report=False)}
    assert "trades.csv" in written and "trades.parquet" not in written
