"""docs/language.md stays true: its examples check as they claim, its tables match the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alvh_rules.check import check_text
from alvh_rules.lang.reference import reference_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
TEXT = DOC.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(alvh|alvh-error)\n(.*?)```", TEXT, flags=re.DOTALL)


def test_the_doc_has_examples() -> None:
    assert len([b for b in BLOCKS if b[0] == "alvh"]) >= 4
    assert len([b for b in BLOCKS if b[0] == "alvh-error"]) >= 3


@pytest.mark.parametrize(("kind", "source"), BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_example_checks_as_claimed(kind: str, source: str, tmp_path: Path) -> None:
    report = check_text(source, str(tmp_path / "example.alvh"))
    errors = [d for d in report.diagnostics if d.is_error]
    if kind == "alvh":
        assert not errors, [f"{d.span}: {d.code} {d.message}" for d in errors]
    else:
        expected = source.splitlines()[0].lstrip("# ").strip()
        assert [d.code for d in errors] == [expected]


def test_reference_tables_match_the_registries() -> None:
    start, end = "<!-- reference:start -->\n", "<!-- reference:end -->"
    section = TEXT[TEXT.index(start) + len(start) : TEXT.index(end)]
    assert section == reference_markdown(), "run: python -m alvh_rules.lang.reference (and paste)"
