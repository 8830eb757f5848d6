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


def default_root(file: Path) -> Path:
    """The ruleset root of a file checked alone: the working directory when the file lies
    below it (so a module can import its siblings' folders), else the file's own folder."""
    here = Path.cwd().resolve()
    resolved = file.resolve()
    return here if resolved.is_relative_to(here) else resolved.parent


def ruleset_files(paths: Iterable[str | Path]) -> list[tuple[Path, Path]]:
    """(file, root) for every `.alvh` file named or found below the named folders."""
    found: list[tuple[Path, Path]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend((file, path) for file in sorted(path.rglob("*.alvh")) if file.is_file())
        else:
            found.append((path, default_root(path)))
    return found
