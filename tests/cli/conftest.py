"""Fixtures for the `alvh eval/replay/data` tests: ruleset files, the demo and real history
loaded once (the CLI's loaders are wrapped to hand back the loaded copy), and a runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import FIXTURES, SHARED_DATA, Run

from alvh_rules.cli.main import main
from alvh_rules.market import History


@pytest.fixture(scope="session")
def demo_history() -> History:
    return History.builtin()


@pytest.fixture(autouse=True)
def builtin_once(demo_history: History, monkeypatch: pytest.MonkeyPatch) -> None:
    """`History.builtin()` hands back the session's copy: loading it takes about a second."""
    monkeypatch.setattr(History, "builtin", classmethod(lambda cls: demo_history))


@pytest.fixture(scope="module")
def real_data() -> Iterator[Path]:
    """The real data folder; `History.from_dir` of it loads once per module."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent")
    loaded = History.from_dir(SHARED_DATA)
    original = History.from_dir.__func__  # type: ignore[attr-defined]

    def from_dir(cls: type[History], path: str | Path, **options: object) -> History:
        if Path(path).resolve() == SHARED_DATA.resolve() and not options:
            return loaded
        return original(cls, path, **options)  # type: ignore[no-any-return]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(History, "from_dir", classmethod(from_dir))
        yield SHARED_DATA


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `alvh ARGS...`: (exit code, stdout, stderr); never a traceback in either."""

    def invoke(*args: str | Path) -> tuple[int, str, str]:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse usage errors
            code = int(exit_.code or 0)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert "internal error" not in err, err
        return code, out, err

    return invoke


@pytest.fixture
def simple() -> Path:
    return FIXTURES / "simple.alvh"
