"""Ruleset files on disk: which files a command names, their ruleset root, their display name.

Light on purpose (no parser, no checker): `alvh check` lists files and consults its result
cache before it decides whether the language core needs to be imported at all.
"""

from __future__ import annotations

import os
import stat
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


# A ruleset file may be at most this large (ALVH002); the parser and every reader share it.
# 256 KiB is 35 times the largest shipped ruleset (7 KB), and the most a file of the densest
# syntax (`a+a+a+...`, 3.4 KB of AST and checker state per token) can hold while `alvh check`
# stays under 500 MB (measured in docs/reliability.md; 10 MiB of it would need 17 GB).
MAX_FILE_BYTES = 256 * 1024
# A data file (CSV, Parquet, JSON snapshot) may be at most this large: the largest public
# daily file is about 1 MB, so this leaves room for intraday history and stops a runaway read.
MAX_DATA_FILE_BYTES = 256 * 1024 * 1024
_CHUNK_BYTES = 1024 * 1024


class NotRegularFile(OSError):
    """A path that names a device, a FIFO, a socket or a folder: never read (it may never end)."""


class FileTooLarge(OSError):
    """A file over the size limit; `size` is what was seen (at least `limit + 1` when the file
    grew while it was read, as /proc files and devices do)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the file is over {limit} bytes")
        self.strerror = f"the file is {size / 1e6:.1f} MB, over the limit of {limit} bytes"
        self.size = size
        self.limit = limit


def read_regular_file(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file (symlinks followed) of at most `limit` bytes.

    The one way sources and data are read: opening does not block (a FIFO would wait for a
    writer forever), the kind is checked on the opened descriptor (no race with a rename), and
    the limit is enforced while reading, so /dev/zero behind a `.alvh` name cannot fill memory.
    Raises OSError (NotRegularFile and FileTooLarge among them), whose `strerror` says why."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            error = NotRegularFile(f"not a regular file: {path}")
            error.strerror = f"not a regular file ({_kind(info.st_mode)})"
            raise error
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit)
        os.set_blocking(descriptor, True)
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(descriptor, min(_CHUNK_BYTES, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(total, limit)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")
