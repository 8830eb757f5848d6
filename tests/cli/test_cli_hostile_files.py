"""Hostile files found by fuzzing: special files, odd import paths and deep import chains get
a located diagnostic from `alvh check` (never a hang, a crash or a read that fills memory)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_support import Run

from alvh_rules.lang.files import FileTooLarge, NotRegularFile, read_regular_file


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_nul_byte_in_an_import_path_is_located(here: Path, run: Run) -> None:
    (here / "nul.alvh").write_text('ruleset "x"\nimport "a\x00b.alvh"\n', encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "nul.alvh")
    assert code == 1
    assert "nul.alvh:2:1: error[ALVH301]: the import path holds a NUL character" in out


def test_an_import_name_longer_than_the_file_system_allows_is_located(here: Path, run: Run) -> None:
    name = "a" * 300 + ".alvh"
    (here / "long.alvh").write_text(f'ruleset "x"\nimport "{name}"\n', encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "long.alvh")
    assert code == 1
    assert "long.alvh:2:1: error[ALVH301]: cannot use 'aaa" in out
    assert "File name too long" in out


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_special_files_are_refused_without_reading(here: Path, run: Run, kind: str) -> None:
    entry = here / "special.alvh"
    if kind == "device":
        entry.symlink_to("/dev/zero")
    else:
        os.mkfifo(entry)
    code, out, _ = run("check", "--no-cache", "special.alvh")
    assert code == 1
    what = "a character device" if kind == "device" else "a FIFO"
    assert (
        f"special.alvh:1:1: error[ALVH301]: cannot read the file: not a regular file ({what})"
        in out
    )


def test_a_special_file_behind_an_import_is_refused(here: Path, run: Run) -> None:
    os.mkfifo(here / "pipe.alvh")
    (here / "entry.alvh").write_text('ruleset "x"\nimport "pipe.alvh"\n', encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "entry.alvh")
    assert code == 1
    assert "entry.alvh:2:1: error[ALVH301]: 'pipe.alvh' is not a regular file" in out


def test_a_thousand_file_import_chain_is_checked(here: Path, run: Run) -> None:
    count = 1000
    for i in range(count):
        imports = f'import "m{i + 1}.alvh"\n' if i + 1 < count else ""
        used = f"let y{i} = x{i + 1}\n" if i + 1 < count else ""
        text = f'ruleset "m{i}"\n{imports}let x{i} = {i}\n{used}'
        (here / f"m{i}.alvh").write_text(text, encoding="utf-8")
    code, out, err = run("check", "--no-cache", "m0.alvh")
    assert code == 0, out + err
    (here / "m999.alvh").write_text('ruleset "last"\nimport "m0.alvh"\n', encoding="utf-8")
    code, out, _ = run("check", "--no-cache", "m0.alvh")
    assert code == 1 and "import cycle: m0.alvh -> m1.alvh" in out


def test_the_reader_refuses_special_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(FileTooLarge) as grown:
        read_regular_file(_big(tmp_path), 1000)
    assert grown.value.size > 1000
    with pytest.raises(NotRegularFile):
        read_regular_file("/dev/zero", 1000)
    with pytest.raises(NotRegularFile):
        read_regular_file(tmp_path, 1000)
    (tmp_path / "small").write_bytes(b"x" * 1000)
    assert read_regular_file(tmp_path / "small", 1000) == b"x" * 1000


def _big(folder: Path) -> Path:
    path = folder / "big"
    path.write_bytes(b"y" * 5000)
    return path
