"""`alvh fmt [--check] [--diff] PATH...`: rewrite rulesets in the canonical layout, in place.

Exit 0 clean; 1 files would change (--check, --diff), do not parse, or are not UTF-8; 2 I/O.
"""

from __future__ import annotations

import argparse
import difflib
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alvh_rules.lang.files import MAX_FILE_BYTES, FileTooLarge, read_regular_file

EXIT_OK, EXIT_FINDINGS, EXIT_IO = 0, 1, 2
STDIN = "-"
_BOM = "\ufeff"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "fmt",
        help="format rulesets in the one canonical layout",
        description=(
            "Format .alvh files in place (folders are searched recursively; `-` reads "
            "standard input and writes standard output). Exit 0 clean, 1 files would "
            "change or do not parse or are not UTF-8, 2 missing or unreadable paths."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="ruleset files or folders")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; list files that would change"
    )
    parser.add_argument(
        "--diff", action="store_true", help="change nothing; print a unified diff instead"
    )
    parser.set_defaults(run=run)


@dataclass
class _Tally:
    """What happened across the files of one run."""

    changed: int = 0
    unchanged: int = 0
    findings: int = 0  # files that do not parse or are not UTF-8
    io_errors: int = 0

    def exit_code(self, report_changes: bool) -> int:
        if self.io_errors:
            return EXIT_IO
        if self.findings or (report_changes and self.changed):
            return EXIT_FINDINGS
        return EXIT_OK


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if p != STDIN and not Path(p).exists()]
    for path in missing:
        print(f"alvh fmt: no such file or folder: {path}", file=sys.stderr)
    if missing:
        return EXIT_IO
    files = ruleset_files(args.paths)
    if not files:
        print(f"alvh fmt: no .alvh files in {', '.join(args.paths)}", file=sys.stderr)
        return EXIT_IO
    tally = _Tally()
    write = not (args.check or args.diff)
    for path in files:
        _format_one(path, tally, check=args.check, diff=args.diff, write=write)
    if len(files) > 1 or files[0] != STDIN:
        _summary(tally, write)
    return tally.exit_code(report_changes=not write)


def ruleset_files(paths: list[str]) -> list[str]:
    """Files named on the command line, then every *.alvh under each folder (sorted).

    Hidden folders (.git, .venv) are skipped; a file named explicitly is always taken.
    """
    found: list[str] = []
    for given in paths:
        path = Path(given)
        if given == STDIN or not path.is_dir():
            found.append(given)
            continue
        for candidate in sorted(path.rglob("*.alvh")):
            hidden = any(part.startswith(".") for part in candidate.relative_to(path).parts)
            if candidate.is_file() and not hidden:
                found.append(str(candidate))
    return list(dict.fromkeys(found))


def _format_one(path: str, tally: _Tally, *, check: bool, diff: bool, write: bool) -> None:
    from alvh_rules.fmt.formatter import format_text
    from alvh_rules.lang.diagnostics import RulesetError

    source = _read(path, tally)
    if source is None:
        return
    body, bom = (source[1:], _BOM) if source.startswith(_BOM) else (source, "")
    try:
        formatted = bom + format_text(body, filename="<stdin>" if path == STDIN else path)
    except RulesetError as error:
        tally.findings += 1
        for d in error.diagnostics:
            where = f"{d.span.file}:{d.span.line}:{d.span.column}"
            print(f"{where}: {d.code} {d.message}", file=sys.stderr)
        return
    if path == STDIN and write:
        sys.stdout.write(formatted)
    if formatted == source:
        tally.unchanged += 1
        return
    tally.changed += 1
    if check:
        print(f"would reformat {path}")
    if diff:
        sys.stdout.writelines(_unified_diff(path, source, formatted))
    if write and path != STDIN and not _write_in_place(path, formatted):
        tally.changed -= 1  # reported above: not counted as reformatted
        tally.io_errors += 1


def _read(path: str, tally: _Tally) -> str | None:
    try:
        data = (
            sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
            if path == STDIN
            else read_regular_file(path, MAX_FILE_BYTES)
        )
        if len(data) > MAX_FILE_BYTES:
            raise FileTooLarge(len(data), MAX_FILE_BYTES)
    except OSError as error:
        print(f"alvh fmt: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        tally.io_errors += 1
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        print(
            f"{path}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8",
            file=sys.stderr,
        )
        tally.findings += 1
        return None


def _unified_diff(path: str, before: str, after: str) -> list[str]:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{path} (original)",
        tofile=f"{path} (formatted)",
    )
    # A last line without a newline would run into the next header; end it as diff(1) does.
    missing = "\n\\ No newline at end of file\n"
    return [line if line.endswith("\n") else line + missing for line in lines]


def _write_in_place(path: str, text: str) -> bool:
    """Overwrite the file itself (same inode: hard links, mode and owner are kept) with the
    complete formatted text. A symlink or a file without write permission is reported and
    left alone: formatting must never write outside the named folder or past a read-only bit
    (which root's own permission checks would ignore)."""
    data = text.encode("utf-8")
    flags = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        if os.path.islink(path):
            return _refuse_write(path, "it is a symlink; format the file it points to instead")
        descriptor = os.open(path, flags)
    except OSError as error:
        return _refuse_write(path, error.strerror or str(error))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return _refuse_write(path, "not a regular file")
        if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            return _refuse_write(path, "the file is read-only")
        written = 0
        while written < len(data):
            written += os.pwrite(descriptor, data[written:], written)
        os.ftruncate(descriptor, len(data))
        os.fsync(descriptor)
    except OSError as error:
        return _refuse_write(path, error.strerror or str(error))
    finally:
        os.close(descriptor)
    print(f"reformatted {path}", file=sys.stderr)  # stdout stays free for `-`
    return True


def _refuse_write(path: str, why: str) -> bool:
    print(f"alvh fmt: cannot write {path}: {why}", file=sys.stderr)
    return False


def _summary(tally: _Tally, write: bool) -> None:
    verb = "reformatted" if write else "would be reformatted"
    parts = [f"{tally.changed} file{'s' if tally.changed != 1 else ''} {verb}"]
    parts.append(f"{tally.unchanged} unchanged")
    if tally.findings:
        parts.append(f"{tally.findings} not formatted (errors above)")
    print("alvh fmt: " + ", ".join(parts), file=sys.stderr)
