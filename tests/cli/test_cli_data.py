"""`alvh data fetch DIR`: what was written, what failed and why, and the exit codes; the
network is replaced by a fake opener (the market package's `fetch` takes one)."""

from __future__ import annotations

import functools
import importlib
import urllib.error
from pathlib import Path

import pytest
from cli_support import Run

# The package re-exports the function under the module's name, so import the module itself.
fetch_module = importlib.import_module("alvh_rules.market.fetch")
CSV = b"DATE,VIXCLS\n2024-08-09,20.37\n"


def use_opener(monkeypatch: pytest.MonkeyPatch, opener: object) -> None:
    patched = functools.partial(fetch_module.fetch, opener=opener)
    monkeypatch.setattr(fetch_module, "fetch", patched)


def test_every_file_written(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_opener(monkeypatch, lambda url, timeout: CSV)
    code, out, err = run("data", "fetch", tmp_path / "data")
    assert code == 0
    assert "wrote   VIX_History.csv (29 bytes)" in out
    assert "9 written, 0 failed" in out
    assert (tmp_path / "data" / "DGS10.csv").read_bytes() == CSV
    assert err == ""


def test_offline_exits_2_and_says_why(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(url: str, timeout: float) -> bytes:
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    use_opener(monkeypatch, offline)
    (tmp_path / "VIX_History.csv").write_bytes(b"old copy")
    code, _, err = run("data", "fetch", tmp_path)
    assert code == 2
    assert "failed  VIX_History.csv: URLError: <urlopen error [Errno -2]" in err
    assert "nothing downloaded (offline, or every source refused)" in err
    assert (tmp_path / "VIX_History.csv").read_bytes() == b"old copy"


def test_some_failed_exits_1(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def html_for_fred(url: str, timeout: float) -> bytes:
        return b"<html>rate limited</html>" if "fred" in url else CSV

    use_opener(monkeypatch, html_for_fred)
    code, out, err = run("data", "fetch", tmp_path)
    assert code == 1
    assert "failed  GDP.csv: not CSV (starts with '<html>rate limited</html>')" in err
    assert "5 written, 4 failed" in out


def test_bad_arguments(run: Run, tmp_path: Path) -> None:
    file = tmp_path / "file.txt"
    file.write_text("x", encoding="utf-8")
    code, _, err = run("data", "fetch", file)
    assert code == 2 and "is a file, not a folder" in err
    code, _, err = run("data", "fetch", tmp_path, "--timeout", "0")
    assert code == 2 and "--timeout must be positive" in err
    code, _, err = run("data")
    assert code == 2 and "ACTION" in err
