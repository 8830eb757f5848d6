"""Golden tests: one input per diagnostic code, with its exact expected text output.

Each `cases/ALVHnnn_*.alvh` is checked with `cases/` as the ruleset root and the working
directory, and the rendered diagnostics must equal `cases/ALVHnnn_*.expected`.
Run with UPDATE_GOLDEN=1 to rewrite the expected files after an intended change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alvh_rules.check import check_file
from alvh_rules.cli.render import render_text
from alvh_rules.lang.codes import CODES

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES.glob("ALVH*.alvh"))


def rendered(case: Path) -> str:
    report = check_file(case.name, root=".")
    return render_text(report.diagnostics, report.sources)


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: p.stem)
def test_case_output_matches_golden_file(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES)
    output = rendered(case)
    expected_file = case.with_suffix(".expected")
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(output, encoding="utf-8")
    assert output == expected_file.read_text(encoding="utf-8")
    code = case.stem.split("_")[0]
    assert f"[{code}]" in output, f"{case.name} must produce {code}"


def test_every_code_has_a_golden_case() -> None:
    covered = {case.stem.split("_")[0] for case in CASE_FILES}
    # ALVH002 (a file over 256 KiB) is tested in test_bad_input.py, not kept as a golden file.
    missing = sorted(set(CODES) - covered - {"ALVH002"})
    assert not missing, f"codes without a golden case: {missing}"


def test_every_code_is_documented() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"## {code}" not in doc]
    assert not missing, f"codes missing from docs/errors.md: {missing}"


def test_documented_examples_match_the_golden_output() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
    for code in CODES:
        cases = sorted(CASES.glob(f"{code}_*.alvh"))
        if cases:
            expected = cases[0].with_suffix(".expected").read_text(encoding="utf-8").rstrip("\n")
            assert expected in doc, f"docs/errors.md shows an outdated example for {code}"
