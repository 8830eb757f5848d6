"""The shipped rulesets check cleanly under --strict and their tests pass under
`alvh test --coverage`, with the real days when the shared data folder is here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruleset_paths import RULESETS, SHARED_DATA

from alvh_rules.cli.main import main

SEED_IDS = [f"R{i}" for i in range(1, 4)]
SEED_IDS += [f"E{i}" for i in range(1, 8)]
SEED_IDS += [f"L{i}" for i in range(1, 13)]
SEED_IDS += [f"O{i}" for i in range(1, 8)]


def test_shipped_rulesets_check_strict(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", "rulesets/"]) == 0, capsys.readouterr().out


def test_alvh_test_coverage_of_the_shipped_rulesets(
    in_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One run of `alvh test --coverage rulesets/` (with `--data` when the shared folder is
    here): every test passes, every rule is seen firing and not firing, every unless and
    block changes an outcome, and condition-outcome coverage is >= 90 % (with the real days
    or, without them, through the tests that make values unknown)."""
    with_data = SHARED_DATA.is_dir()
    args = ["test", "--coverage", "rulesets/"]
    code = main([*args, "--data", str(SHARED_DATA)] if with_data else args)
    out = capsys.readouterr().out
    assert code == 0, out
    summary = re.search(r"^(\d+) tests: (\d+) passed, 0 failed(.*)$", out, re.M)
    assert summary is not None, out
    assert int(summary.group(2)) >= 70
    assert ("skipped" not in summary.group(3)) == with_data
    for miss in ("never fires", "never not fires", "never breached", "never not breached"):
        assert miss not in out
    assert "never changed the outcome" not in out
    coverage = re.search(r"condition outcomes (\d+)/(\d+) \(([\d.]+)%\)", out)
    assert coverage is not None
    assert float(coverage.group(3)) >= 90.0, out


def test_every_seed_rule_is_marked_in_the_rulesets() -> None:
    files = sorted(RULESETS.rglob("*.alvh"))
    text = "\n".join(p.read_text() for p in files if "examples" not in p.parts)
    missing = [i for i in SEED_IDS if not re.search(rf"#.*\b{i}\b", text)]
    assert not missing


# Defaults that are not the middle of their range, each for a reason docs/rulesets.md gives.
NOT_MIDPOINT = {
    "condor_dte": "E1: seeds 003 and 004 run the base at 45 days, the top of seed 000's 15-45",
}


def test_every_seed_range_is_a_bounded_param_with_its_midpoint() -> None:
    """Params declared with bounds default to the middle of them (the seeds' ranges)."""
    param = re.compile(r"^param (\w+) = ([\d.]+)(\S*) in ([\d.]+)\S* \.\. ([\d.]+)\S*", re.M)
    found = 0
    for path in RULESETS.rglob("*.alvh"):
        if "examples" in path.parts:
            continue
        for name, default, _unit, low, high in param.findall(path.read_text()):
            found += 1
            if name in NOT_MIDPOINT:
                continue
            assert float(default) == pytest.approx((float(low) + float(high)) / 2), name
    assert found >= 9


def test_no_shipped_ruleset_marks_a_language_gap() -> None:
    """docs/rulesets.md says the language can say every seed rule: no TODO(language) left."""
    marked = [p for p in sorted(RULESETS.rglob("*.alvh")) if "TODO(language)" in p.read_text()]
    assert not marked, marked
