"""The ruleset root is found from the file alone (an `alvh.toml` marker walking up), so every
path form and working directory gives the same diagnostics and the same content hash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alvh_rules.check import check_file, load
from alvh_rules.lang.files import default_root

REPO = Path(__file__).resolve().parents[2]
RULESETS = REPO / "rulesets"


def _alvh(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alvh_rules.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_shipped_tree_is_marked_and_every_module_finds_its_root() -> None:
    assert (RULESETS / "alvh.toml").is_file()
    for file in RULESETS.rglob("*.alvh"):
        assert default_root(file) == RULESETS.resolve(), file


@pytest.mark.parametrize(
    ("args", "cwd"),
    [
        (("check", "rulesets/modules"), REPO),
        (("check", "rulesets/"), REPO),
        (("check", "condor.alvh", "rolls.alvh"), RULESETS / "modules"),
        (("test", "condor.test.alvh"), RULESETS / "modules"),
    ],
)
def test_a_module_importing_its_parent_folder_is_clean_from_any_path(
    args: tuple[str, ...], cwd: Path
) -> None:
    result = _alvh(*args, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ALVH302" not in result.stdout


def test_content_hash_is_the_same_from_any_working_directory_or_clone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = RULESETS / "examples" / "quickstart.alvh"
    hashes = set()
    for cwd in (REPO, RULESETS, RULESETS / "examples", tmp_path):
        monkeypatch.chdir(cwd)
        hashes.add(load(os.path.relpath(entry)).content_hash)
        hashes.add(load(entry).content_hash)
    clone = tmp_path / "elsewhere" / "rulesets"
    shutil.copytree(RULESETS, clone)
    hashes.add(load(clone / "examples" / "quickstart.alvh").content_hash)
    assert len(hashes) == 1


def test_content_hash_moves_with_the_text_or_the_import_path(tmp_path: Path) -> None:
    (tmp_path / "alvh.toml").write_text("")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "m.alvh").write_text("let hot = vix > 20\n")
    entry = tmp_path / "e.alvh"
    entry.write_text('import "lib/m.alvh"\nentry e: when hot\n')
    first = load(entry).content_hash
    (tmp_path / "lib" / "m.alvh").write_text("let hot = vix > 21\n")
    assert load(entry).content_hash != first
    (tmp_path / "lib" / "m.alvh").write_text("let hot = vix > 20\n")
    assert load(entry).content_hash == first
    (tmp_path / "lib2").mkdir()
    (tmp_path / "lib" / "m.alvh").rename(tmp_path / "lib2" / "m.alvh")
    entry.write_text('import "lib2/m.alvh"\nentry e: when hot\n')
    assert load(entry).content_hash != first


def test_without_a_marker_the_root_is_the_files_own_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "m.alvh").write_text("let hot = vix > 20\n")
    (tmp_path / "b").mkdir()
    entry = tmp_path / "b" / "e.alvh"
    entry.write_text('import "../a/m.alvh"\nentry e: when hot\n')
    report = check_file(entry)
    assert [d.code for d in report.errors] == ["ALVH302"]
    (tmp_path / "alvh.toml").write_text("")
    assert check_file(entry).errors == []


def test_the_import_hint_names_the_real_file_relative_to_the_importer(tmp_path: Path) -> None:
    (tmp_path / "alvh.toml").write_text("")
    (tmp_path / "common").mkdir()
    target = tmp_path / "common" / "market.alvh"
    target.write_text("let hot = vix > 20\n")
    (tmp_path / "modules").mkdir()
    entry = tmp_path / "modules" / "e.alvh"
    entry.write_text(f'import "{target}"\nentry e: when vix > 20\n')
    (hint,) = [d.hint for d in check_file(entry).errors]
    assert hint is not None and '"../common/market.alvh"' in hint
