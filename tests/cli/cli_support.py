"""Paths and types the `tests/cli` modules share (a plain module: `conftest` is a name every
test folder uses, so importing from it would depend on collection order)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
QUICKSTART = Path(__file__).resolve().parents[2] / "rulesets" / "examples" / "quickstart.alvh"

Run = Callable[..., tuple[int, str, str]]
