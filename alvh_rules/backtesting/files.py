"""Writing a run's outputs into a folder: the trade log (CSV and Parquet), the daily table,
the attribution tables, the marks, the closed positions, summary.json and report.html.
Byte-stable: the same run writes the same bytes (fixed column order, no timestamps).

Nothing is written outside the folder named: an output name that is already a symlink, a
folder or another special file is refused before any file is written, and each file is
written under a temporary name and renamed, so a failure leaves no half-written file.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from alvh_rules.backtesting.run_view import RunView

TABLES = ("trades", "daily", "attribution", "attribution_by_rule", "marks", "closed")
OUTPUT_NAMES = (
    *(f"{name}.csv" for name in TABLES),
    "trades.parquet",
    "summary.json",
    "report.html",
)


class OutputError(ValueError):
    """An output that cannot be written where it was asked: the message names the file."""


def write_outputs(run: RunView, folder: Path, *, report: bool = True) -> list[Path]:
    contents: dict[str, bytes] = {}
    for name in TABLES:
        table = getattr(run, name)
        contents[f"{name}.csv"] = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    parquet = _parquet(run)
    if parquet is not None:
        contents["trades.parquet"] = parquet
    contents["summary.json"] = (run.summary_json() + "\n").encode("utf-8")
    if report:
        from alvh_rules.backtesting.report import report_html

        contents["report.html"] = report_html([run]).encode("utf-8")
    return write_files(folder, contents)


def write_files(folder: Path, contents: dict[str, bytes]) -> list[Path]:
    """Write each named file into `folder` (made if missing) once every target is known to
    be a plain file or absent; returns the paths written, in the order given."""
    targets = [folder / name for name in contents]
    check_targets(folder, targets)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot make the folder: {error.strerror or error}") from None
    for path, data in zip(targets, contents.values(), strict=True):
        _replace(path, data)
    return targets


def check_targets(folder: Path, targets: Sequence[Path]) -> None:
    """Refuse a folder that is a file, and targets that are symlinks or not regular files
    (nothing is made: a check before a long run leaves no trace)."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: not a folder")
    for path in targets:
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            continue
        except NotADirectoryError:
            raise OutputError(f"{folder}: not a folder (a part of the path is a file)") from None
        except OSError as error:  # a name too long, a folder without permission, ...
            raise OutputError(f"{path}: {error.strerror or error}") from None
        if stat.S_ISLNK(mode):
            raise OutputError(
                f"{path}: is a symlink; nothing written (outputs are not written through "
                "links: remove it or choose another folder)"
            )
        if not stat.S_ISREG(mode):
            raise OutputError(f"{path}: exists and is not a regular file; nothing written")


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # O_EXCL | O_NOFOLLOW: a link or file already at the temporary name is neither followed
    # nor overwritten (nor removed: it is not ours).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(temporary, flags, 0o644)
    except OSError as error:
        raise OutputError(f"{path}: cannot write it: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write it: {error.strerror or error}") from None


def _parquet(run: RunView) -> bytes | None:
    """The trade log as Parquet; None without pyarrow (the demo's install has none: the CSV
    holds the same rows; `pip install 'alvh-rules[parquet]'` adds it)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None

    table = pa.Table.from_pandas(run.trades, preserve_index=False)
    table = table.replace_schema_metadata(None)  # pandas metadata would vary with versions
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()
