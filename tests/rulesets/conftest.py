"""Shared fixtures of the ruleset tests: the repository root and the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruleset_paths import REPO, SHARED_DATA


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, as CI does (imports resolve from the working folder)."""
    monkeypatch.chdir(REPO)
    return REPO


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the shared data folder {SHARED_DATA} is not here")
    return SHARED_DATA
