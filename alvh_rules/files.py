"""Ruleset files on disk: which files a command names, their ruleset root, their display name.

Light on purpose (no parser, no checker): `alvh check` lists files and consults its result
cache before it decides whether the language core needs to be imported at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def display_name(path: Path) -> str:
    """How a file is named in diagnostics: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


# The file that marks the top of a ruleset tree, as `pyproject.toml` marks a Python project's.
ROOT_MARKER = "alvh.toml"


def default_root(file: Path) -> Path:
    """The ruleset root of a file: the nearest folder at or above it holding `alvh.toml`, else
    the file's own folder.

    Found from the file alone, never from the working directory or the path form given, so
    `alvh check rulesets/`, `alvh check rulesets/modules` and a run from inside
    `rulesets/modules` confine (and hash) a file's imports the same way."""
    return marked_root(file) or file.resolve().parent


def marked_root(file: Path) -> Path | None:
    """The nearest folder at or above `file` holding `alvh.toml`, if any."""
    folder = file.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / ROOT_MARKER).is_file():
            return candidate
    return None


def ruleset_files(paths: Iterable[str | Path]) -> list[tuple[Path, Path]]:
    """(file, root) for every `.alvh` file named or found below the named folders."""
    found: list[tuple[Path, Path]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(
                (file, default_root(file))
                for file in sorted(path.rglob("*.alvh"))
                if file.is_file()
            )
        else:
            found.append((path, default_root(path)))
    return found
