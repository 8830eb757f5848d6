"""Shared fixtures: the built-in demo history (always there) and the real one (if present)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from alvh_rules.check import Ruleset, check_text
from alvh_rules.market import History

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="session")
def demo_history() -> History:
    return History.builtin()


@pytest.fixture(scope="session")
def real_history() -> History:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent")
    return History.from_dir(SHARED_DATA)


@pytest.fixture
def ruleset(tmp_path: Path) -> Callable[[str], Ruleset]:
    """Check ruleset text written to a temp file; fail the test on any error."""

    def make(text: str) -> Ruleset:
        path = tmp_path / "rules.alvh"
        path.write_text(text, encoding="utf-8")
        report = check_text(text, str(path))
        assert report.ruleset is not None, [d.message for d in report.diagnostics]
        return report.ruleset

    return make
