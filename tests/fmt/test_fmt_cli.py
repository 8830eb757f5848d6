"""`alvh fmt` end to end through the CLI entry point: rewrite, --check, --diff, bad input.

Every test runs `main([...])` on files in a temporary folder and looks at the exit
code, the printed text and the bytes left on disk.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from alvh_rules.cli import fmt_command
from alvh_rules.cli.main import main

UNFORMATTED = "param   a=1\nentry e: when a\n"
FORMATTED = "param a = 1\n\nentry e:\n    when a\n"
BROKEN = b"entry e:\n    when a >\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "messy.alvh").write_text(UNFORMATTED, encoding="utf-8")
    (tmp_path / "rules" / "nested").mkdir()
    (tmp_path / "rules" / "nested" / "clean.alvh").write_text(FORMATTED, encoding="utf-8")
    (tmp_path / "rules" / "notes.txt").write_text("not a ruleset", encoding="utf-8")
    return tmp_path / "rules"


def test_rewrites_in_place_and_leaves_formatted_files_alone(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = folder / "nested" / "clean.alvh"
    os.utime(clean, (1_000_000, 1_000_000))
    assert main(["fmt", str(folder)]) == 0
    assert (folder / "messy.alvh").read_text(encoding="utf-8") == FORMATTED
    assert clean.stat().st_mtime == 1_000_000  # an unchanged file is not even rewritten
    assert f"reformatted {folder / 'messy.alvh'}" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["messy.alvh", "nested", "notes.txt"]


def test_check_lists_files_that_would_change_and_changes_nothing(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fmt", "--check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert out == f"would reformat {folder / 'messy.alvh'}\n"
    assert (folder / "messy.alvh").read_text(encoding="utf-8") == UNFORMATTED
    assert main(["fmt", "--check", str(folder / "nested")]) == 0


def test_diff_prints_a_unified_diff(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", "--diff", str(folder / "messy.alvh")]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- {folder / 'messy.alvh'} (original)\n+++ ")
    assert out.endswith(
        "@@ -1,2 +1,4 @@\n-param   a=1\n-entry e: when a\n+param a = 1\n+\n+entry e:\n+    when a\n"
    )
    assert (folder / "messy.alvh").read_text(encoding="utf-8") == UNFORMATTED


def test_file_that_does_not_parse_is_reported_and_never_rewritten(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = folder / "broken.alvh"
    broken.write_bytes(BROKEN)
    assert main(["fmt", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{broken}:2:13: ALVH019 " in err
    assert "Traceback" not in err
    assert broken.read_bytes() == BROKEN
    assert (folder / "messy.alvh").read_text(encoding="utf-8") == FORMATTED  # others still done


def test_non_utf8_file_is_an_error_naming_the_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = folder / "latin.alvh"
    latin.write_bytes(b'let title = "caf\xe9"\n')
    assert main(["fmt", str(latin)]) == 1
    assert f"{latin}: not UTF-8 text" in capsys.readouterr().err
    assert latin.read_bytes() == b'let title = "caf\xe9"\n'


def test_missing_path_exits_2(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(folder), str(folder / "absent.alvh")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert (folder / "messy.alvh").read_text(encoding="utf-8") == UNFORMATTED


def test_folder_without_rulesets_exits_2(tmp_path: Path) -> None:
    assert main(["fmt", str(tmp_path)]) == 2


def test_crlf_file_keeps_crlf_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "windows.alvh"
    path.write_bytes(b"param   a=1\r\nlet b = a\r\n")
    assert main(["fmt", str(path)]) == 0
    assert path.read_bytes() == b"param a = 1\r\n\r\nlet b = a\r\n"


def test_missing_final_newline_is_added(tmp_path: Path) -> None:
    path = tmp_path / "no_newline.alvh"
    path.write_bytes(b"param a = 1")
    assert main(["fmt", "--check", str(path)]) == 1
    assert main(["fmt", str(path)]) == 0
    assert path.read_bytes() == b"param a = 1\n"


def test_symlink_is_reported_and_its_target_never_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "real.alvh"
    target.write_text(UNFORMATTED, encoding="utf-8")
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "link.alvh").symlink_to(target)
    assert main(["fmt", str(folder)]) == 2
    assert "link.alvh: it is a symlink" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == UNFORMATTED
    assert (folder / "link.alvh").is_symlink()


def test_read_only_file_is_reported_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "locked.alvh"
    path.write_text(UNFORMATTED, encoding="utf-8")
    path.chmod(0o444)
    before = path.stat()
    assert main(["fmt", str(path)]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "read-only" in err
    assert "0 files reformatted" in err
    assert path.read_text(encoding="utf-8") == UNFORMATTED
    after = path.stat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def test_written_in_place_keeping_inode_mode_and_hard_links(tmp_path: Path) -> None:
    path = tmp_path / "shared.alvh"
    path.write_text(UNFORMATTED, encoding="utf-8")
    path.chmod(0o640)
    twin = tmp_path / "twin.alvh.bak"
    os.link(path, twin)
    inode = path.stat().st_ino
    assert main(["fmt", str(path)]) == 0
    assert path.stat().st_ino == inode
    assert path.stat().st_mode & 0o777 == 0o640
    assert twin.read_text(encoding="utf-8") == FORMATTED  # the link still names the file
    longer = UNFORMATTED + "let   long_name_to_grow_the_file =   a\n"
    path.write_text(longer, encoding="utf-8")
    assert main(["fmt", str(path)]) == 0
    assert path.read_text(encoding="utf-8").endswith("let long_name_to_grow_the_file = a\n")


def test_failed_write_is_reported_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "messy.alvh"
    path.write_text(UNFORMATTED, encoding="utf-8")

    def refuse(descriptor: int, data: bytes, offset: int) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fmt_command.os, "pwrite", refuse)
    assert main(["fmt", str(path)]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == UNFORMATTED
    assert [p.name for p in tmp_path.iterdir()] == ["messy.alvh"]


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_special_files_are_refused_without_reading(
    tmp_path: Path, special: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = special
    if special == "fifo":
        path = str(tmp_path / "pipe.alvh")
        os.mkfifo(path)
    assert main(["fmt", "--check", path]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_crlf_is_decided_by_most_lines_not_the_first(tmp_path: Path) -> None:
    path = tmp_path / "mixed.alvh"
    path.write_bytes(b"param   a=1\nlet b = a\r\nlet c = b\r\n")
    assert main(["fmt", str(path)]) == 0
    assert path.read_bytes() == b"param a = 1\r\n\r\nlet b = a\r\nlet c = b\r\n"
    path.write_bytes(b"param   a=1\r\nlet b = a\nlet c = b\n")
    assert main(["fmt", str(path)]) == 0
    assert path.read_bytes() == b"param a = 1\n\nlet b = a\nlet c = b\n"


def test_byte_order_mark_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "bom.alvh"
    path.write_bytes(b"\xef\xbb\xbfparam   a=1\n")
    assert main(["fmt", str(path)]) == 0
    assert path.read_bytes() == b"\xef\xbb\xbfparam a = 1\n"


def test_dash_formats_standard_input_to_standard_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(UNFORMATTED.encode())))
    assert main(["fmt", "-"]) == 0
    assert capsys.readouterr().out == FORMATTED


def test_hidden_folders_are_skipped_but_named_files_are_taken(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hidden = folder / ".venv" / "pkg"
    hidden.mkdir(parents=True)
    (hidden / "vendored.alvh").write_text(UNFORMATTED, encoding="utf-8")
    other = folder / "rules.txt"
    other.write_text(UNFORMATTED, encoding="utf-8")
    assert main(["fmt", "--check", str(folder), str(other)]) == 1
    listed = capsys.readouterr().out.splitlines()
    assert listed == [f"would reformat {folder / 'messy.alvh'}", f"would reformat {other}"]
