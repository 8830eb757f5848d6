"""The result cache of `alvh check`: a file whose sources did not change is not checked again.

Like ruff's and mypy's caches, it lives in the working folder (`.alvh_cache/`, or
`$ALVH_CACHE_DIR`) and is only an accelerator: a missing, unreadable or stale entry means
the file is checked as if there were no cache. An entry is used only when all of these hold:

- the same alvh-rules build (version and the size and mtime of every module and grammar
  file of the package, so an upgrade or an edit of the checker drops every entry);
- the same file as named on the command line, the same ruleset root and working folder;
- the same bytes (SHA-256) of the file and of every module it imports, transitively;
- every import still resolves to the same file (a re-pointed symlink is a change).

Results that depend on the file system beyond that (an import that is missing, outside the
root or cyclic, a file that cannot be read or is not UTF-8) are never stored. What a file
reports is stored as if it were checked alone; the CLI drops the unused-name warnings of
files that another file of the run imports, as the checker does.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alvh_rules import __version__
from alvh_rules.lang.codes import UNUSED_CODES
from alvh_rules.lang.files import MAX_DATA_FILE_BYTES, MAX_FILE_BYTES, read_regular_file

CACHE_DIR_NAME = ".alvh_cache"
# Layout of the stored entries; bump it when FileResult's fields change.
ENTRY_FORMAT = 1
# File-system-dependent outcomes (reading, decoding, import resolution): never stored.
_UNSTORABLE = ("ALVH001", "ALVH002", "ALVH3")


@dataclass
class FileResult:
    """What checking one entry file found, as plain data (diagnostics as dicts)."""

    path: str  # display name
    resolved: str  # the entry file, symlinks followed
    diagnostics: list[dict[str, Any]]
    sources: dict[str, str]  # display name -> resolved path of every file read
    links: dict[str, str] = field(default_factory=dict)  # import as written -> resolved
    needs: dict[str, dict[str, int]] | None = None  # None: the file has errors
    history: dict[str, int] = field(default_factory=dict)

    @property
    def storable(self) -> bool:
        return not any(d["code"].startswith(_UNSTORABLE) for d in self.diagnostics)


class Digests:
    """SHA-256 of the text of files, each read once per run (the text as the checker reads it:
    UTF-8, a byte-order mark dropped)."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, str] | None] = {}

    def digest(self, path: str) -> str | None:
        entry = self._read(path)
        return entry[0] if entry else None

    def text(self, path: str) -> str | None:
        entry = self._read(path)
        return entry[1] if entry else None

    def remember(self, path: str, text: str) -> None:
        """The text a check just read: store what was checked, not what is on disk now."""
        self._seen[path] = (text_digest(text), text)

    def _read(self, path: str) -> tuple[str, str] | None:
        if path not in self._seen:
            try:
                text = read_regular_file(path, MAX_FILE_BYTES).decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self._seen[path] = None
            else:
                self._seen[path] = (text_digest(text), text)
        return self._seen[path]


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class CheckCache:
    """Entries of one alvh-rules build under `directory/<build>/`."""

    def __init__(self, directory: Path, digests: Digests) -> None:
        self.directory = directory
        self.build = build_fingerprint()
        self.digests = digests

    @classmethod
    def from_environment(cls, digests: Digests) -> CheckCache | None:
        """The cache `$ALVH_CACHE_DIR` or `.alvh_cache/`; None when `$ALVH_NO_CACHE` is set."""
        if os.environ.get("ALVH_NO_CACHE"):
            return None
        return cls(Path(os.environ.get("ALVH_CACHE_DIR") or CACHE_DIR_NAME), digests)

    def lookup(self, file: Path, root: Path) -> FileResult | None:
        """The stored result of `file`, if it is still valid; None otherwise (an entry that is
        missing, damaged, or of something that changed)."""
        try:
            entry = read_regular_file(self._entry_path(file, root), MAX_DATA_FILE_BYTES)
            stored = json.loads(entry.decode("utf-8"))
            result = FileResult(**stored["result"])
            deps: dict[str, str] = stored["deps"]
            if result.resolved != str(file.resolve()) or not _well_formed(result, deps):
                return None
            if any(self.digests.digest(path) != digest for path, digest in deps.items()):
                return None
            if any(os.path.realpath(w) != target for w, target in result.links.items()):
                return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return None
        return result

    def store(self, file: Path, root: Path, result: FileResult) -> None:
        """Keep `result` if it is storable; a cache that cannot be written is skipped."""
        if not result.storable:
            return
        deps = {path: self.digests.digest(path) for path in result.sources.values()}
        if None in deps.values():
            return
        entry = {"result": result.__dict__, "deps": deps}
        target = self._entry_path(file, root)
        try:
            self._prepare(target.parent)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entry, out)
            os.replace(temporary, target)  # atomic: a parallel run sees the old or the new
        except OSError:
            return

    def _entry_path(self, file: Path, root: Path) -> Path:
        key = json.dumps([str(file), str(file.resolve()), str(root.resolve()), os.getcwd()])
        name = hashlib.sha256(key.encode()).hexdigest()[:32]
        return self.directory / self.build / f"{name}.json"

    def _prepare(self, build_dir: Path) -> None:
        """Create the folder; mark it ignored by git; drop the entries of other builds."""
        if build_dir.is_dir():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by alvh check: this folder is a cache.\n*\n")
        for old in self.directory.iterdir():
            if old.is_dir() and old.name != self.build:
                shutil.rmtree(old, ignore_errors=True)
        build_dir.mkdir(exist_ok=True)


_SPAN_NUMBERS = ("line", "column", "end_line", "end_column")


def _well_formed(result: FileResult, deps: dict[str, str]) -> bool:
    """An entry is trusted only in the shape `store` writes: every diagnostic a full one (the
    renderers would fail on less), and the entry file itself among the hashed dependencies
    (else an entry forged or left by another file could make a broken file check clean)."""
    if not isinstance(deps, dict) or result.resolved not in deps:
        return False
    if not isinstance(result.diagnostics, list) or not isinstance(result.sources, dict):
        return False
    if not set(result.sources.values()) <= set(deps):
        return False
    return all(_diagnostic_well_formed(d) for d in result.diagnostics)


def _diagnostic_well_formed(diagnostic: Any) -> bool:
    if not isinstance(diagnostic, dict) or set(diagnostic) - {
        "code",
        "severity",
        "span",
        "message",
        "hint",
    }:
        return False
    span = diagnostic.get("span")
    return (
        isinstance(diagnostic.get("code"), str)
        and diagnostic.get("severity") in ("error", "warning")
        and isinstance(diagnostic.get("message"), str)
        and isinstance(diagnostic.get("hint", ""), str)
        and isinstance(span, dict)
        and set(span) == {"file", "line", *_SPAN_NUMBERS}
        and isinstance(span["file"], str)
        and all(type(span[key]) is int and span[key] >= 0 for key in _SPAN_NUMBERS)
    )


def build_fingerprint() -> str:
    """A name for this build of alvh-rules: its version, the entry format, and the size and
    modification time of each of its Python modules and grammar files."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{__version__}/{ENTRY_FORMAT}".encode())
    for path in sorted(_source_files(package)) + sorted(_source_files(package.parent / "grammar")):
        try:
            stat = os.stat(path)
        except OSError:
            continue
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _source_files(folder: Path) -> Iterator[str]:
    for directory, subfolders, names in os.walk(folder):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        yield from (os.path.join(directory, n) for n in names if n.endswith((".py", ".lark")))


def check_files(
    files: list[tuple[Path, Path]], cache: CheckCache | None, digests: Digests
) -> list[FileResult]:
    """Check each (file, root), from the cache where it holds, and drop the unused-name
    warnings of files that another file of the run imports (they are libraries)."""
    results = [cache.lookup(file, root) if cache else None for file, root in files]
    misses = [i for i, result in enumerate(results) if result is None]
    if misses:
        checked = _check_uncached([files[i] for i in misses], digests)
        for i, result in zip(misses, checked, strict=True):
            results[i] = result
            if cache is not None:
                cache.store(*files[i], result)
    done = [result for result in results if result is not None]
    imported = {
        path for result in done for path in result.sources.values() if path != result.resolved
    }
    for result in done:
        if result.resolved in imported:
            result.diagnostics = [d for d in result.diagnostics if d["code"] not in UNUSED_CODES]
    return done


def _check_uncached(files: list[tuple[Path, Path]], digests: Digests) -> list[FileResult]:
    # The language core is imported only here, when some file is not in the cache.
    from alvh_rules.check.loader import ModuleLoader, ParseCache
    from alvh_rules.check.ruleset import check_loaded

    parse_cache: ParseCache = {}
    results = []
    for file, root in files:
        loaded = ModuleLoader(root, parse_cache).load(file)
        report = check_loaded(file, root, loaded, report_unused=True)
        for name, path in loaded.paths.items():
            digests.remember(str(path), loaded.sources[name])
        ruleset = report.ruleset
        results.append(
            FileResult(
                path=report.path,
                resolved=str(file.resolve()),
                diagnostics=[d.model_dump() for d in report.diagnostics],
                sources={name: str(path) for name, path in loaded.paths.items()},
                links={str(written): str(target) for written, target in loaded.links.items()},
                needs=ruleset.needs if ruleset else None,
                history=ruleset.history_needed() if ruleset else {},
            )
        )
    return results
