"""`alvh replay`'s outputs in the session-9 audit (docs/reliability.md): `--out` or `--plot`
naming a symlink wrote through it, to the file it points at; now refused, as `alvh backtest
--out` refuses one, and nothing is written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import QUICKSTART, Run

WINDOW = ("--from", "2024-07-01", "--to", "2024-07-10")


@pytest.mark.parametrize(("option", "name"), [("--out", "timeline.csv"), ("--plot", "chart.png")])
def test_an_output_that_is_a_symlink_is_refused(
    run: Run, tmp_path: Path, option: str, name: str
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (tmp_path / name).symlink_to(victim)
    code, out, err = run("replay", QUICKSTART, *WINDOW, option, tmp_path / name)
    assert code == 2 and f"{option} {tmp_path / name}: is a symlink; nothing written" in err
    assert victim.read_text() == "keep me\n" and out == ""


def test_an_output_that_is_a_folder_is_refused(run: Run, tmp_path: Path) -> None:
    (tmp_path / "timeline.csv").mkdir()
    code, _, err = run("replay", QUICKSTART, *WINDOW, "--out", tmp_path / "timeline.csv")
    assert code == 2 and "exists and is not a regular file" in err


def test_outputs_are_written_whole_in_each_format(run: Run, tmp_path: Path) -> None:
    for name in ("t.csv", "t.json", "t.parquet", "c.png", "c.html"):
        option = "--plot" if name.startswith("c.") else "--out"
        code, _, err = run("replay", QUICKSTART, *WINDOW, option, tmp_path / name)
        assert code == 0, err
    assert (tmp_path / "t.csv").read_text().startswith("date,regime,")
    assert (tmp_path / "c.png").read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["t.csv", "t.json", "t.parquet", "c.png", "c.html"]
    )  # no temporary file left behind


@pytest.mark.parametrize(
    "argv",
    [
        [
            "backtest",
            "tests/backtest/fixtures/never.alvh",
            "--start",
            "2024-07-01",
            "--capital",
            "1e5",
        ],
        ["replay", "rulesets/examples/quickstart.alvh", "--from", "2024-07-01"],
    ],
)
def test_a_reader_that_goes_early_is_not_a_failure(argv: list[str]) -> None:
    """`alvh backtest ... | head -1` exited 1, the code for ruleset findings (rich's choice
    on a broken pipe); the reader going is not the command failing."""
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "alvh_rules.cli.main", *argv]
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command has printed anything
    err = process.stderr.read().decode()
    assert process.wait(timeout=300) == 0, err
    assert "Traceback" not in err


def test_data_check_shows_the_load_report_and_the_valued_days(run: Run, tmp_path: Path) -> None:
    """A new user had no command to see what a load set aside or flagged (only the Python
    `history.report`); a folder cut short by a partial download now says so."""
    header = "date,open,high,low,close\n"
    rows = "2024-07-01,100,101,99,100.5\n2024-07-02,100.5,102,100,101.5\n"
    (tmp_path / "spx_daily.csv").write_text(header + rows)
    (tmp_path / "vix_daily.csv").write_text(header + rows + "2024-07-03,101.5,102,10")
    code, out, err = run("data", "check", tmp_path)
    assert code == 0, err
    assert f"data: {tmp_path} (2024-07-01 to 2024-07-03), 3 trading days" in out
    assert "  spx        2024-07-01 to 2024-07-02" in out
    assert "  risk_free  no value" in out
    assert "a backtest can value no day: spx, vix, risk_free are never all known" in out
    assert "vix_daily.csv flagged x1: the file does not end with a newline" in out


def test_data_check_of_a_missing_folder_exits_2(run: Run, tmp_path: Path) -> None:
    code, out, err = run("data", "check", tmp_path / "nowhere")
    assert code == 2 and out == ""
    assert f"alvh data check: {tmp_path / 'nowhere'}: no such folder" in err
