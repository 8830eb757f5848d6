"""`alvh check` from the command line: exit codes, formats, and its result cache.

A cached run must print exactly what a fresh check prints, and any change that could change
the result (a file, an imported module, a symlink, the build of alvh-rules) must drop the
entry. `check_cache._check_uncached` is wrapped to see which files were checked for real.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_support import Run

from alvh_rules.check import result_cache as check_cache

FORMATS = ("text", "json", "github", "sarif")
COMMON = 'ruleset "common"\nparam cap = 60 in 50 .. 70\nlet vix_rsi = rsi(vix, 14)\n'
ENTRY = 'ruleset "entry"\nimport "common.alvh"\nentry e: when vix_rsi > cap\n'
LONELY = 'ruleset "lonely"\nparam unused = 5 in 1 .. 9\nentry e: when vix > 30\n'
BROKEN = 'ruleset "broken"\nentry e: when vix_rsi > 5%\n'


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ruleset folder as the working folder, with a cache of its own."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "common.alvh").write_text(COMMON, encoding="utf-8")
    (tmp_path / "rules" / "entry.alvh").write_text(ENTRY, encoding="utf-8")
    (tmp_path / "rules" / "lonely.alvh").write_text(LONELY, encoding="utf-8")
    (tmp_path / "rules" / "broken.alvh").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALVH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files each run really checked (not from the cache)."""
    names: list[str] = []
    original = check_cache._check_uncached

    def spy(
        files: list[tuple[Path, Path]], digests: check_cache.Digests
    ) -> list[check_cache.FileResult]:
        names.extend(file.name for file, _ in files)
        return original(files, digests)

    monkeypatch.setattr(check_cache, "_check_uncached", spy)
    return names


def test_exit_codes(tree: Path, run: Run) -> None:
    assert run("check", "rules/entry.alvh")[0] == 0
    assert run("check", "rules/broken.alvh")[0] == 1
    assert run("check", "rules/lonely.alvh")[0] == 0  # a warning only
    assert run("check", "--strict", "rules/lonely.alvh")[0] == 1
    code, _, err = run("check", "rules/nowhere.alvh")
    assert code == 2 and "no such file or folder: rules/nowhere.alvh" in err
    (tree / "empty").mkdir()
    code, _, err = run("check", "empty")
    assert code == 2 and "no .alvh files in empty" in err


def test_a_folder_reports_unused_names_only_in_files_nobody_imports(tree: Path, run: Run) -> None:
    code, out, err = run("check", "rules")
    assert code == 1
    assert "rules/lonely.alvh:2:7: warning[ALVH103]" in out
    assert "common.alvh" not in out  # its param and let are used by entry.alvh
    assert "rules/broken.alvh:2:15: error[ALVH" in out
    assert "checked 4 files: 1 error, 1 warning" in err
    # Checked alone, the module is no library: its unused param and let are reported.
    code, out, _ = run("check", "rules/common.alvh")
    assert code == 0 and "ALVH103" in out and "ALVH104" in out


@pytest.mark.parametrize("form", FORMATS)
@pytest.mark.parametrize("strict", [False, True])
def test_a_cached_run_prints_what_a_fresh_check_prints(
    tree: Path, run: Run, checked: list[str], form: str, strict: bool
) -> None:
    args = ["check", "--format", form, "--explain-needs", "rules"]
    if strict:
        args.insert(1, "--strict")
    fresh = run(*args, "--no-cache")
    assert not (tree / "cache").exists()  # --no-cache writes nothing
    checked.clear()
    first = run(*args)
    assert sorted(checked) == ["broken.alvh", "common.alvh", "entry.alvh", "lonely.alvh"]
    checked.clear()
    second = run(*args)
    assert checked == []
    assert fresh == first == second
    if form in ("json", "sarif"):
        json.loads(second[1])


def test_an_edit_of_an_imported_module_is_seen(tree: Path, run: Run, checked: list[str]) -> None:
    assert run("check", "rules/entry.alvh")[0] == 0
    (tree / "rules" / "common.alvh").write_text(COMMON.replace("let vix_rsi", "let vix_rs"))
    checked.clear()
    code, out, _ = run("check", "rules/entry.alvh")
    assert checked == ["entry.alvh"]
    assert code == 1 and "unknown name 'vix_rsi'" in out


def test_an_edit_of_the_file_is_seen(tree: Path, run: Run, checked: list[str]) -> None:
    assert run("check", "rules/lonely.alvh")[0] == 0
    (tree / "rules" / "lonely.alvh").write_text(BROKEN, encoding="utf-8")
    code, out, _ = run("check", "rules/lonely.alvh")
    assert code == 1 and "ALVH" in out and checked == ["lonely.alvh", "lonely.alvh"]


def test_a_missing_import_is_never_stored(tree: Path, run: Run, checked: list[str]) -> None:
    (tree / "common.alvh").write_text('ruleset "c"\nlet x = vix\n')
    (tree / "rules" / "common.alvh").unlink()
    assert run("check", "rules/entry.alvh")[0] == 1
    assert run("check", "rules/entry.alvh")[0] == 1
    assert checked == ["entry.alvh", "entry.alvh"]
    (tree / "rules" / "common.alvh").write_text(COMMON, encoding="utf-8")
    assert run("check", "rules/entry.alvh")[0] == 0


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_repointed_symlink_is_seen(tree: Path, run: Run, checked: list[str]) -> None:
    (tree / "rules" / "real.alvh").write_text(COMMON, encoding="utf-8")
    (tree / "outside.alvh").write_text(COMMON, encoding="utf-8")
    (tree / "rules" / "common.alvh").unlink()
    (tree / "rules" / "common.alvh").symlink_to(tree / "rules" / "real.alvh")
    # The folder is the ruleset root: tree/outside.alvh lies outside it.
    assert "outside" not in run("check", "--format", "json", "rules")[1]
    (tree / "rules" / "common.alvh").unlink()
    (tree / "rules" / "common.alvh").symlink_to(tree / "outside.alvh")
    checked.clear()
    code, out, _ = run("check", "--format", "json", "rules", "--no-cache")
    assert code == 1 and "leads outside the ruleset root" in out
    code, cached_out, _ = run("check", "--format", "json", "rules")
    assert "entry.alvh" in checked and cached_out == out


def test_another_build_of_alvh_rules_does_not_use_the_entries(
    tree: Path, run: Run, checked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run("check", "rules/entry.alvh")
    monkeypatch.setattr(check_cache, "build_fingerprint", lambda: "another-build")
    run("check", "rules/entry.alvh")
    assert checked == ["entry.alvh", "entry.alvh"]
    builds = [p.name for p in (tree / "cache").iterdir() if p.is_dir()]
    assert builds == ["another-build"]  # the other build's entries are dropped
    assert (tree / "cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_damaged_or_unwritable_cache_is_only_slower(
    tree: Path, run: Run, checked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = run("check", "rules")
    damages = ["{not json", "[]", '{"result": {}, "deps": {}}', '{"result": 1, "deps": []}']
    for entry, damage in zip(sorted((tree / "cache").rglob("*.json")), damages * 2, strict=False):
        entry.write_text(damage, encoding="utf-8")
    assert run("check", "rules") == expected
    entries = sorted((tree / "cache").rglob("*.json"))
    for entry in entries:
        stored = json.loads(entry.read_text(encoding="utf-8"))
        stored["deps"] = list(stored["deps"])
        stored["result"]["diagnostics"] = [{"code": 1}]
        entry.write_text(json.dumps(stored), encoding="utf-8")
    assert run("check", "rules") == expected
    (tree / "blocked").write_text("a file where the cache folder should be")
    monkeypatch.setenv("ALVH_CACHE_DIR", str(tree / "blocked"))
    assert run("check", "rules") == expected
    assert len(checked) == 16  # four full checks, four files each


def test_a_clean_run_from_the_cache_imports_neither_lark_nor_pydantic(tree: Path) -> None:
    script = (
        "import sys\nfrom alvh_rules.cli.main import main\n"
        "code = main(['check', 'rules/entry.alvh'])\n"
        "print('LOADED:' + ','.join(m for m in ('lark', 'pydantic') if m in sys.modules))\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "ALVH_CACHE_DIR": str(tree / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tree
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    assert "LOADED:lark,pydantic" in runs[0].stdout
    assert "LOADED:\n" in runs[1].stdout


def _entries_by_file(tree: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    found = {}
    for entry in (tree / "cache").rglob("*.json"):
        stored = json.loads(entry.read_text(encoding="utf-8"))
        found[Path(stored["result"]["path"]).name] = (entry, stored)
    return found


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: d.pop("span"), id="no span"),
        pytest.param(lambda d: d["span"].update(line="7"), id="line a string"),
        pytest.param(lambda d: d["span"].update(line=1.5), id="line a float"),
        pytest.param(lambda d: d.update(severity="fatal"), id="unknown severity"),
    ],
)
def test_a_damaged_diagnostic_in_an_entry_is_a_miss(
    tree: Path, run: Run, checked: list[str], damage: Callable[[dict[str, Any]], None]
) -> None:
    expected = run("check", "rules/broken.alvh")
    entry, stored = _entries_by_file(tree)["broken.alvh"]
    damage(stored["result"]["diagnostics"][0])
    entry.write_text(json.dumps(stored), encoding="utf-8")
    checked.clear()
    assert run("check", "rules/broken.alvh") == expected
    assert checked == ["broken.alvh"]


def test_deeply_nested_entry_is_a_miss(tree: Path, run: Run, checked: list[str]) -> None:
    expected = run("check", "rules/broken.alvh")
    entry, _ = _entries_by_file(tree)["broken.alvh"]
    entry.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert run("check", "rules/broken.alvh") == expected


def test_a_forged_entry_without_the_file_among_its_dependencies_is_a_miss(
    tree: Path, run: Run
) -> None:
    assert run("check", "rules/broken.alvh")[0] == 1
    run("check", "rules/entry.alvh")
    entry, stored = _entries_by_file(tree)["broken.alvh"]
    _, clean = _entries_by_file(tree)["entry.alvh"]
    common = {path: digest for path, digest in clean["deps"].items() if "common" in path}
    stored["deps"] = common  # hashes that hold, but not the broken file's own
    stored["result"]["diagnostics"] = []
    stored["result"]["sources"] = {"rules/common.alvh": next(iter(common))}
    entry.write_text(json.dumps(stored), encoding="utf-8")
    code, out, _ = run("check", "rules/broken.alvh")
    assert code == 1 and "error[" in out


def test_escape_codes_in_a_stored_message_are_not_printed_raw(tree: Path, run: Run) -> None:
    run("check", "rules/broken.alvh")
    entry, stored = _entries_by_file(tree)["broken.alvh"]
    stored["result"]["diagnostics"][0]["message"] += "\x1b]0;owned\x07\x1b[2J"
    stored["result"]["diagnostics"][0]["hint"] = "\x1b[31mred"
    entry.write_text(json.dumps(stored), encoding="utf-8")
    for form in FORMATS:
        code, out, err = run("check", "--format", form, "rules/broken.alvh")
        assert code == 1
        assert "\x1b" not in out + err and "\x07" not in out + err
        assert "owned" in out


def test_a_fifo_in_place_of_an_entry_is_a_miss(tree: Path, run: Run) -> None:
    expected = run("check", "rules/broken.alvh")
    entry, _ = _entries_by_file(tree)["broken.alvh"]
    entry.unlink()
    os.mkfifo(entry)
    assert run("check", "rules/broken.alvh") == expected
