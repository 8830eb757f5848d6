"""Editor and CI files: the TextMate grammar and `.pre-commit-hooks.yaml` are well formed.

Its regexes use the subset Oniguruma and Python share, so `re` compiles them and a small
TextMate-style scan checks that every token of every `.alvh` file here gets a scope.
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
FILES = sorted({*(REPO / "rulesets").rglob("*.alvh"), *Path(__file__).parent.rglob("*.alvh")})
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
    match = re.search(number["match"], "capital > 1e6$")
    assert match is not None and match.groups() == ("1e6", "$")


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


def _top_patterns(grammar: dict[str, Any]) -> list[dict[str, Any]]:
    """The top-level patterns with includes resolved, in order."""
    flat: list[dict[str, Any]] = []

    def add(rule: dict[str, Any]) -> None:
        if "include" in rule:
            add(grammar["repository"][rule["include"].lstrip("#")])
        elif "patterns" in rule and "begin" not in rule:
            for inner in rule["patterns"]:
                add(inner)
        else:
            flat.append(rule)

    for rule in grammar["patterns"]:
        add(rule)
    return flat


def _unscoped(line: str, patterns: list[dict[str, Any]]) -> str:
    """The non-blank text no pattern claims, scanning as a TextMate tokenizer does:
    at each step the earliest match wins, the first listed on a tie."""
    compiled = [(re.compile(p.get("match") or p["begin"]), p) for p in patterns]
    position, missed = 0, []
    while position < len(line):
        found = [
            (m.start(), i, m, p)
            for i, (rx, p) in enumerate(compiled)
            if (m := rx.search(line, position))
        ]
        if not found:
            missed.append(line[position:])
            break
        start, _, match, pattern = min(found, key=lambda f: (f[0], f[1]))
        missed.append(line[position:start])
        end = match.end()
        if "begin" in pattern:
            end = _region_end(line, end, pattern)
        position = max(end, position + 1)
    return "".join(missed).strip()


def _region_end(line: str, position: int, region: dict[str, Any]) -> int:
    """Where a begin/end region closes; its inner patterns (escapes) are consumed first."""
    inner = [re.compile(p["match"]) for p in region.get("patterns", [])]
    closing = re.compile(region["end"])
    while position <= len(line):
        end = closing.search(line, position)
        escapes = [m for rx in inner if (m := rx.search(line, position))]
        first = min(escapes, key=lambda m: m.start(), default=None)
        if end is None or (first is not None and first.start() < end.start()):
            if first is None:
                return len(line)
            position = first.end()
            continue
        return end.end()
    return len(line)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_textmate_grammar_scopes_every_token_of_the_fixtures(path: Path) -> None:
    patterns = _top_patterns(_grammar())
    unscoped = {
        text
        for line in path.read_text(encoding="utf-8").splitlines()
        if (text := _unscoped(line, patterns))
    }
    assert unscoped == set()
