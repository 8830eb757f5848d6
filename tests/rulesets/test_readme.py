"""Every `alvh` command of README.md's console blocks, run from the repository root: its
exit code is 0 and every output line shown (up to a `...` line) is a line of what it
printed, so the README's examples stay true to the product (the ruleset's hash included).
Commands that read `../shared/data` skip without it; `build/` outputs go to a temp folder."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import pytest
from ruleset_paths import REPO, SHARED_DATA

from alvh_rules.cli.main import main

README = REPO / "README.md"
CONSOLE = re.compile(r"^```console\n(?P<body>.*?)^```\s*$", re.M | re.S)


def readme_commands(markdown: str) -> list[tuple[str, list[str]]]:
    """(command line, output lines shown) of each `$ alvh` line, continuations joined."""
    commands: list[tuple[str, list[str]]] = []
    for block in CONSOLE.finditer(markdown):
        lines = iter(block["body"].splitlines())
        for line in lines:
            if line.startswith("$ "):
                command = line[2:]
                while command.endswith("\\"):
                    command = command[:-1] + next(lines).strip()
                commands.append((command, []))
            elif commands:
                commands[-1][1].append(line.rstrip())
    return [(c, shown) for c, shown in commands if c.startswith("alvh ")]


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


def test_the_readme_shows_check_eval_and_replay() -> None:
    shown = " ".join(command for command, _ in COMMANDS)
    for wanted in ("alvh check", "alvh eval", "alvh replay"):
        assert wanted in shown


@pytest.mark.parametrize(("command", "shown"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_readme_command_prints_what_the_readme_shows(
    command: str,
    shown: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if "../shared/data" in command and not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent")
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("ALVH_NO_CACHE", "1")
    argv = [arg.replace("build/", f"{tmp_path}/") for arg in shlex.split(command)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(argv[1:])
    printed = {line.rstrip() for line in out.getvalue().splitlines()}
    assert code == 0, out.getvalue()
    expected = shown[: shown.index("...")] if "..." in shown else shown
    expected = [line.replace("build/", f"{tmp_path}/") for line in expected]
    missing = [line for line in expected if line and line not in printed]
    assert not missing, f"$ {command}\nnot printed: {missing}\n---\n{out.getvalue()}"
