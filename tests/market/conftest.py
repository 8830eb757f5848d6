"""Shared fixtures: the real data folder (../shared/data) and its History, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from alvh_rules.market import History

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (tests read it, never copy it)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def real_history(shared_data: Path) -> History:
    return History.from_dir(shared_data)


@pytest.fixture(scope="session")
def demo_history() -> History:
    return History.builtin()
