"""One `alvh lsp` process shared by the language server tests (starting one costs a second)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lsp_session import ServerSession

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def lsp() -> Iterator[ServerSession]:
    session = ServerSession(REPO / "rulesets")
    yield session
    session.close()
