"""Golden files for the formatter: identity fixtures, input/expected pairs, shipped rulesets.

Adding a case is adding a file: `identity/NAME.alvh` must format to itself;
`pairs/NAME.alvh` must format to `pairs/NAME.formatted.alvh`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alvh_rules.fmt.formatter import format_text
from alvh_rules.syntax.ast_json import dump_json
from alvh_rules.syntax.parser import parse

HERE = Path(__file__).parent
REPO = HERE.parent.parent
IDENTITY = sorted((HERE / "identity").glob("*.alvh"))
PAIRS = sorted(p for p in (HERE / "pairs").glob("*.alvh") if not p.name.endswith(".formatted.alvh"))
SHIPPED = sorted((REPO / "rulesets").rglob("*.alvh"))


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_there_are_fixtures() -> None:
    assert len(IDENTITY) >= 4
    assert len(PAIRS) >= 3


@pytest.mark.parametrize("path", IDENTITY, ids=lambda p: p.name)
def test_identity_fixture_formats_to_itself(path: Path) -> None:
    text = _read(path)
    assert format_text(text) == text


@pytest.mark.parametrize("path", PAIRS, ids=lambda p: p.name)
def test_pair_formats_to_expected(path: Path) -> None:
    expected = _read(path.with_name(path.name.replace(".alvh", ".formatted.alvh")))
    formatted = format_text(_read(path))
    assert formatted == expected
    assert format_text(formatted) == formatted


@pytest.mark.parametrize("path", PAIRS, ids=lambda p: p.name)
def test_pair_keeps_tree_and_comments(path: Path) -> None:
    source = _read(path)
    before, after = parse(source), parse(format_text(source))
    assert dump_json(after, with_spans=False) == dump_json(before, with_spans=False)
    assert sorted(c.text for c in after.comments) == sorted(c.text for c in before.comments)


def test_shipped_rulesets_are_formatted() -> None:
    # CI runs `alvh fmt --check rulesets/`; this test says the same before CI does.
    if not SHIPPED:
        pytest.skip("no ruleset shipped under rulesets/ yet")
    unformatted = [str(p.relative_to(REPO)) for p in SHIPPED if format_text(_read(p)) != _read(p)]
    assert unformatted == [], "run `alvh fmt rulesets/` (then re-check tests quoting their text)"
