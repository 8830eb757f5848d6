"""Damaged rulesets through every command that reads a ruleset: `check`, `fmt --check`,
`eval` and `test` answer with diagnostics and an exit code, never a traceback.

Each example takes a shipped ruleset and applies a few random edits (a keyword, bracket,
unit, odd number or odd character inserted; a stretch deleted; a stretch copied elsewhere),
so the damage lands in realistic places: inside rules, between clauses, in imports.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "rulesets").rglob("*.alvh"))
PIECES = [
    *"():,[]%$.#\"-+*/\n\t ",
    "..", "pt", "d", "delta", "when", "unless", "block", "require", "open", "size", "roll",
    "entry", "layer", "on", "regime", "limit", "param", "let", "import", "==", ">=", "not",
    "and", "or", "within", "of", "fomc", "otherwise", "test", "expect", "given", "holding",
    "unknown", "position", "1e309", "-0", "99999999999999999999", "nan", "inf", "\x00", "é",
    "\r\n", "\u2028",
]  # fmt: skip


@st.composite
def damaged_ruleset(draw: st.DrawFn) -> tuple[Path, str]:
    source = draw(st.sampled_from(SHIPPED))
    text = source.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "copy"]))
        if edit == "insert":
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        else:
            start = draw(st.integers(0, len(text)))
            text = text[:at] + text[start : start + draw(st.integers(1, 30))] + text[at:]
    return source, text


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's rulesets/, so that a damaged file never lands in the tree."""
    copy = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(REPO / "rulesets", copy / "rulesets")
    return copy


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=damaged_ruleset())
def test_damaged_rulesets_get_diagnostics_not_tracebacks(
    case: tuple[Path, str], run: Run, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, text = case
    # Beside the original, so that its imports resolve as they do for the shipped file.
    folder = workspace / source.parent.relative_to(REPO)
    target = folder / f"_damaged_{source.stem}.alvh"
    monkeypatch.chdir(workspace)
    target.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        commands = (
            ["check", target],
            ["fmt", "--check", target],
            ["eval", target, "--capital", "1000000", "--risk-budget", "100000"],
            ["test", target],
        )
        for command in commands:
            code, _, _ = run(*command)  # `run` fails the test on a traceback
            assert code in (0, 1, 2), (command, code)
    finally:
        target.unlink()
