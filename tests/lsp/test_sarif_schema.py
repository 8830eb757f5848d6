"""`alvh check --format sarif` output is valid SARIF 2.1.0: validated against the OASIS
schema vendored beside this file (its source is named in sarif-schema-2.1.0.json.source.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from alvh_rules.cli.main import main

SCHEMA_FILE = Path(__file__).with_name("sarif-schema-2.1.0.json")

FINDINGS = """ruleset "sarif"
version 1
param unused_cap = 60 in 50 .. 70
let fast = rsi(vixx, 14)
entry core:
    when fast < 30 and undefined_name > 2
    open iron_condor dte 45d delta 16delta wings 25pt
    size risk 1% of capital
"""


def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def _sarif(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    main(["check", "--format", "sarif", str(path)])
    log: dict[str, object] = json.loads(capsys.readouterr().out)
    return log


def test_sarif_with_errors_and_warnings_is_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "findings.alvh"
    path.write_text(FINDINGS)
    log = _sarif(path, capsys)
    errors = sorted(_validator().iter_errors(log), key=str)
    assert errors == [], "\n".join(e.message for e in errors)
    results = log["runs"][0]["results"]  # type: ignore[index]
    levels = {result["level"] for result in results}
    assert levels == {"error", "warning"}
    assert {result["ruleId"] for result in results} >= {"ALVH101", "ALVH103"}


def test_sarif_of_a_syntax_error_and_of_a_clean_file_are_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.alvh"
    broken.write_text('ruleset "b"\nparam x = (\n')
    clean = tmp_path / "clean.alvh"
    clean.write_text('ruleset "c"\nversion 1\n')
    validator = _validator()
    for path in (broken, clean):
        log = _sarif(path, capsys)
        assert list(validator.iter_errors(log)) == []


def test_the_schema_rejects_what_sarif_forbids() -> None:
    # Guards the vendored file itself: a result without a message is not SARIF.
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "alvh"}}, "results": [{}]}]}
    assert list(_validator().iter_errors(log))
