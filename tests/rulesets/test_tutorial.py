"""Every command of docs/tutorial.md, run in a fresh folder: files are written from the
```alvh file=NAME``` / ```python file=NAME``` blocks (`append=NAME` adds to one), each `$`
line of a ```console``` block runs, its exit code must match (`exit=N`, default 0) and
each output line shown must appear in what it printed."""

from __future__ import annotations

import contextlib
import io
import re
import runpy
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruleset_paths import REPO

from alvh_rules.cli.main import main

TUTORIAL = REPO / "docs" / "tutorial.md"
FENCE = re.compile(r"^```(?P<lang>\w+)(?P<info>[^\n]*)\n(?P<body>.*?)^```\s*$", re.M | re.S)


@dataclass
class Step:
    kind: str  # "write", "append" or "run"
    target: str  # a file name, or the command line
    text: str  # the file's content, or the output lines expected
    exit_code: int = 0


def tutorial_steps(markdown: str) -> list[Step]:
    steps: list[Step] = []
    for block in FENCE.finditer(markdown):
        info = dict(re.findall(r"(\w+)=(\S+)", block["info"]))
        body = block["body"]
        if block["lang"] in ("alvh", "python") and ("file" in info or "append" in info):
            kind = "write" if "file" in info else "append"
            steps.append(Step(kind, info.get("file") or info["append"], body))
        elif block["lang"] == "console":
            steps.extend(_commands(body, int(info.get("exit", "0"))))
    return steps


def _commands(body: str, exit_code: int) -> list[Step]:
    steps: list[Step] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            steps.append(Step("run", line[2:], "", exit_code))
        elif steps and line.strip():
            steps[-1].text += line + "\n"
    return steps


def _run(command: str) -> tuple[int, str]:
    """Run `alvh ...` through the CLI's entry point and `python FILE` as a script, in the
    current folder and in this process (the commands' start-up cost is paid once)."""
    argv = shlex.split(command)
    assert argv[0] in ("alvh", "python"), f"the tutorial runs alvh and python, not {argv[0]}"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        if argv[0] == "alvh":
            code = main(argv[1:])
        else:
            runpy.run_path(argv[1], run_name="__main__")
            code = 0
    return code, out.getvalue()


def test_the_tutorial_has_commands_of_every_kind() -> None:
    commands = [s.target for s in tutorial_steps(TUTORIAL.read_text()) if s.kind == "run"]
    for wanted in ("alvh check", "alvh test", "alvh eval", "alvh backtest", "python "):
        assert any(c.startswith(wanted) for c in commands), wanted


def test_every_tutorial_command_runs_as_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    for step in tutorial_steps(TUTORIAL.read_text()):
        file = tmp_path / step.target
        if step.kind == "write":
            file.write_text(step.text)
        elif step.kind == "append":
            file.write_text(file.read_text() + step.text)
        else:
            code, output = _run(step.target)
            assert code == step.exit_code, f"$ {step.target}\n{output}"
            for expected in step.text.splitlines():
                assert expected.strip() in output, f"$ {step.target}\n{expected}\n---\n{output}"
