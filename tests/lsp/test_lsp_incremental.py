"""The incremental checker finds exactly what `check_text` finds: same AST for every shipped
ruleset, and the same diagnostics along random edits that reuse the kept item parses.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lsp_fuzz import SNIPPETS, START

from alvh_rules.check import check_text
from alvh_rules.lsp.incremental import IncrementalChecker
from alvh_rules.syntax.parser import parse

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "rulesets").rglob("*.alvh"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(REPO)))
def test_assembled_ast_equals_whole_parse(path: Path) -> None:
    text = path.read_text()
    assert IncrementalChecker().assemble(text, str(path)) == parse(text, str(path))


def test_imported_rulesets_check_alike_and_reuse_unchanged_imports(tmp_path: Path) -> None:
    shutil.copytree(REPO / "rulesets", tmp_path / "rulesets")
    entry = tmp_path / "rulesets" / "alvh_layered_condors.alvh"
    root = entry.parent
    checker = IncrementalChecker()
    text = entry.read_text() + "\nlet unused_here = vixx\n"
    first = checker.check(text, entry, root)
    assert first.diagnostics == check_text(text, str(entry), root=root).diagnostics
    assert len(checker.imports) == 5
    again = checker.check(entry.read_text(), entry, root)
    assert again.ruleset is not None and not again.errors


edit = st.tuples(
    st.floats(0, 1), st.integers(0, 12), st.sampled_from(SNIPPETS) | st.text(max_size=4)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(edit, min_size=1, max_size=8))
def test_same_diagnostics_as_check_text_along_edits(
    edits: list[tuple[float, int, str]],
) -> None:
    checker = IncrementalChecker()
    path = REPO / "tests" / "lsp" / "edited.alvh"  # never written: the buffer is checked
    text = START
    for where, deleted, inserted in edits:
        at = int(where * len(text))
        text = text[:at] + inserted + text[at + deleted :]
        got = checker.check(text, path, path.parent)
        expected = check_text(text, str(path), root=path.parent)
        assert got.diagnostics == expected.diagnostics
        assert (got.ruleset is None) == (expected.ruleset is None)
