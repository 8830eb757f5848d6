"""Bad input to `alvh test`: each mistake in a test block is a diagnostic with file, line
and column, and `alvh test` exits 1; a day missing from the data folder is located too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alvh_rules.cli.main import main

RULES = """ruleset "t"
param cap = 60 in 50 .. 70
let vix_rsi = rsi(vix, 14)
entry e:
    when vix_rsi > cap
    open iron_condor dte 30d delta 16delta wings 50pt
    size risk 1% of capital
"""

# (the test block, the code, and the line and column the diagnostic must point at)
CASES = [
    pytest.param('test "t":\n    expect f fires\n', "ALVH501", 10, 12, id="unknown-rule"),
    pytest.param('test "t":\n    given vixx = 35\n', "ALVH503", 10, 11, id="field"),
    pytest.param('test "t":\n    given vix = 35%\n', "ALVH504", 10, 17, id="unit"),
    pytest.param('test "t":\n    given vix_rsi = 5d\n', "ALVH504", 10, 21, id="let-unit"),
    pytest.param('test "t":\n    expect e breached\n', "ALVH502", 10, 5, id="state-of-kind"),
    pytest.param('test "t":\n    expect e firing\n', "ALVH011", 10, 14, id="not-a-state"),
    pytest.param('test "t":\n    set cap = 90\n', "ALVH506", 10, 15, id="bounds"),
]


def _run(tmp_path: Path, test_text: str, *extra: str) -> int:
    file = tmp_path / "rules.alvh"
    file.write_text(RULES + "\n" + test_text)
    return main(["test", *extra, str(file)])


@pytest.mark.parametrize(("test_text", "code", "line", "column"), CASES)
def test_a_bad_test_block_is_a_located_diagnostic(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    test_text: str,
    code: str,
    line: int,
    column: int,
) -> None:
    exit_code = _run(tmp_path, test_text)
    out = capsys.readouterr().out
    assert exit_code == 1
    assert re.search(rf"rules\.alvh:{line}:{column}: error\[{code}\]", out), out
    assert "0 tests" in out  # a file with check errors runs no tests


def test_a_failing_expectation_prints_the_diff_and_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = 'test "low rsi":\n    given vix_rsi = 40\n    expect e fires\n'
    exit_code = _run(tmp_path, text)
    out = capsys.readouterr().out
    assert exit_code == 1
    assert "FAIL" in out and "rules.alvh:9:1: low rsi" in out
    assert "- expected e fires" in out and "+ got      e holds" in out
    assert "when vix_rsi > cap -> false" in out


def test_a_real_day_without_data_is_skipped_with_its_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code = _run(tmp_path, 'test "t":\n    on 2020-03-16\n    expect e holds\n')
    out = capsys.readouterr().out
    assert exit_code == 0
    assert "SKIP" in out and "rules.alvh:10:5: `on 2020-03-16` reads a data folder" in out


def test_a_day_missing_from_the_data_folder_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shared_data: Path
) -> None:
    text = 'test "t":\n    on 2020-03-14\n    expect e holds\n'  # a Saturday
    exit_code = _run(tmp_path, text, "--data", str(shared_data))
    out = capsys.readouterr().out
    assert exit_code == 1
    assert "ERROR" in out and "rules.alvh:10:5: 2020-03-14 is not a trading day" in out


def test_a_holding_that_cannot_be_built_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = 'test "t":\n    holding e: leg -1 spx put strike 5000 expiring 2001-01-19\n'
    exit_code = _run(tmp_path, text)
    out = capsys.readouterr().out
    assert exit_code == 1
    assert "ERROR" in out and "rules.alvh:10:5: cannot build the holding" in out


def test_missing_paths_are_usage_errors(tmp_path: Path) -> None:
    assert main(["test", str(tmp_path / "nope")]) == 2
    assert main(["test", "--data", str(tmp_path / "no_data"), str(tmp_path)]) == 2
