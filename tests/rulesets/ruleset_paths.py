"""Where the ruleset tests find the repository, the shipped rulesets and the shared data."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RULESETS = REPO / "rulesets"
# The shared data folder sits beside the repository: ../shared/data from the repo root.
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
