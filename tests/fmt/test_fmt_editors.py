"""Editor and CI files: the TextMate grammar and `.pre-commit-hooks.yaml` are well formed.

The TextMate grammar's regexes are written in the subset Oniguruma and Python share, so
Python's `re` compiles them all; every keyword of `grammar/alvh.lark` gets a keyword scope.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alvh_rules.cli.main import build_parser
from alvh_rules.syntax.grammar import grammar_text

REPO = Path(__file__).resolve().parents[2]
TM_GRAMMAR = REPO / "editors" / "alvh.tmLanguage.json"
HOOKS = REPO / ".pre-commit-hooks.yaml"
KEYWORDS = sorted(set(re.findall(r'"([a-z]+)"', grammar_text())) | {"otherwise", "long", "short"})
KEYWORD_SCOPES = ("keyword.", "storage.type", "constant.language")


def _grammar() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(TM_GRAMMAR.read_text(encoding="utf-8"))
    return loaded


def _rules(node: Any) -> Iterator[dict[str, Any]]:
    """Every pattern object of the grammar, nested ones included."""
    if isinstance(node, dict):
        if any(key in node for key in ("match", "begin", "include")):
            yield node
        for value in node.values():
            yield from _rules(value)
    elif isinstance(node, list):
        for value in node:
            yield from _rules(value)


def test_textmate_grammar_names_the_language() -> None:
    grammar = _grammar()
    assert grammar["scopeName"] == "source.alvh"
    assert grammar["fileTypes"] == ["alvh"]


def test_textmate_regexes_compile_and_includes_resolve() -> None:
    grammar = _grammar()
    rules = list(_rules(grammar))
    assert len(rules) > 20
    for rule in rules:
        for key in ("match", "begin", "end"):
            if key in rule:
                re.compile(rule[key])
        if "include" in rule:
            assert rule["include"].lstrip("#") in grammar["repository"], rule["include"]


@pytest.mark.parametrize("keyword", KEYWORDS)
def test_every_grammar_keyword_gets_a_keyword_scope(keyword: str) -> None:
    scoped = [
        r["match"]
        for r in _rules(_grammar())
        if "match" in r and r.get("name", "").startswith(KEYWORD_SCOPES)
    ]
    assert any(re.fullmatch(pattern, keyword) for pattern in scoped)


def test_textmate_number_with_unit_splits_number_and_unit() -> None:
    number = _grammar()["repository"]["number"]["patterns"][0]
    match = re.search(number["match"], "size risk -180$/vp")
    assert match is not None and match.groups() == ("180", "$/vp")


def _hooks() -> list[dict[str, str]]:
    """The hook list: `.pre-commit-hooks.yaml` is kept to flat `- key: value` entries."""
    hooks: list[dict[str, str]] = []
    for line in HOOKS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = re.fullmatch(r"(-)?\s+([a-z_]+): (.+)", line)
        assert entry is not None, f"not a flat `key: value` line: {line!r}"
        if entry.group(1):
            hooks.append({})
        hooks[-1][entry.group(2)] = entry.group(3)
    return hooks


def test_pre_commit_hooks_run_real_subcommands_on_alvh_files() -> None:
    hooks = {hook["id"]: hook for hook in _hooks()}
    assert set(hooks) == {"alvh-check", "alvh-fmt"}
    for hook_id, subcommand in (("alvh-check", "check"), ("alvh-fmt", "fmt")):
        hook = hooks[hook_id]
        assert hook["entry"] == f"alvh {subcommand}"
        # pre-commit appends the staged file names to the entry.
        parsed = build_parser().parse_args([*hook["entry"].split()[1:], "rules/a.alvh"])
        assert (parsed.command, parsed.paths) == (subcommand, ["rules/a.alvh"])
        assert hook["language"] == "python"
        assert re.search(hook["files"], "rules/vega_layering.alvh")
        assert not re.search(hook["files"], "rules/notes.alvh.txt")
