"""The shipped rulesets check cleanly under --strict and their tests pass under `alvh test`,
on the built-in demo day and, when the shared data folder exists, on the real days."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruleset_paths import RULESETS

from alvh_rules.cli.main import main
from alvh_rules.testing.coverage import measure
from alvh_rules.testing.runner import run_paths

SEED_IDS = [f"R{i}" for i in range(1, 4)]
SEED_IDS += [f"E{i}" for i in range(1, 8)]
SEED_IDS += [f"L{i}" for i in range(1, 13)]
SEED_IDS += [f"O{i}" for i in range(1, 8)]


def test_shipped_rulesets_check_strict(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", "rulesets/"]) == 0, capsys.readouterr().out


def test_alvh_test_passes_on_the_builtin_day(
    in_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["test", "rulesets/"])
    out = capsys.readouterr().out
    assert code == 0, out
    summary = out.strip().splitlines()[-1]
    passed = int(re.search(r"(\d+) passed", summary).group(1))  # type: ignore[union-attr]
    assert passed >= 60, summary
    assert " 0 failed" in summary


def test_alvh_test_with_real_days_and_coverage(in_repo: Path, shared_data: Path) -> None:
    report = run_paths(["rulesets/"], data_dir=shared_data)
    assert report.ok, [(r.case.name, r.status, r.message, r.mismatches) for r in report.results]
    assert report.count("skipped") == 0
    coverage = measure(report)
    rules = list(coverage.rules.values())
    assert all(rule.fired and rule.not_fired for rule in rules), [
        rule.name for rule in rules if not (rule.fired and rule.not_fired)
    ]
    guards = [c for c in coverage.clauses if c.keyword in ("unless", "block")]
    assert all(clause.decisive for clause in guards), [str(c.span) for c in guards]
    assert coverage.percent >= 90.0


def test_every_seed_rule_is_marked_in_the_rulesets() -> None:
    files = sorted(RULESETS.rglob("*.alvh"))
    text = "\n".join(p.read_text() for p in files if "examples" not in p.parts)
    missing = [i for i in SEED_IDS if not re.search(rf"#.*\b{i}\b", text)]
    assert not missing
