"""Reading ruleset files and their imports, confined to the ruleset root.

An import is a relative path from the importing file; it must name a `.alvh` file that
stays inside the root after following symlinks. Cycles are reported with the whole chain.
Bytes that are not UTF-8 and files that are too large are diagnostics, never exceptions.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from alvh_rules.check.symbols import did_you_mean
from alvh_rules.lang.diagnostics import Diagnostic, Span
from alvh_rules.lang.files import FileTooLarge, read_regular_file
from alvh_rules.lang.files import display_name as display_name  # re-exported for the editor
from alvh_rules.syntax import ast
from alvh_rules.syntax.parser import MAX_FILE_BYTES, parse_with_diagnostics, too_large


def _at(file: str, line: int = 1, column: int = 1) -> Span:
    return Span(file=file, line=line, column=column, end_line=line, end_column=column + 1)


def read_source(path: Path, name: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text, or None with a diagnostic (unreadable, too large, not UTF-8)."""
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileTooLarge as error:
        return None, [too_large(error.size, name)]
    except OSError as error:
        return None, [
            Diagnostic(
                code="ALVH301",
                severity="error",
                span=_at(name),
                message=f"cannot read the file: {error.strerror or error}",
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [
            Diagnostic(
                code="ALVH001",
                severity="error",
                span=_at(name, line, column),
                message=f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})",
                hint="save the file as UTF-8",
            )
        ]
    return text, []


@dataclass
class LoadedModules:
    """The entry file and every module it imports, dependencies first."""

    modules: list[ast.Ruleset] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)
    # Each resolved import: the path as written, joined to its importer's folder, and the file
    # it led to (symlinks followed). A cache of check results re-resolves these to stay valid.
    links: dict[Path, Path] = field(default_factory=dict)


class ModuleLoader:
    def __init__(self, root: Path, cache: ParseCache | None = None) -> None:
        self.root = root.resolve()
        self.result = LoadedModules()
        self._done: set[Path] = set()
        # Files read and parsed once per run, however many rulesets import them.
        self.cache: ParseCache = cache if cache is not None else {}

    def load(self, path: Path, text: str | None = None) -> LoadedModules:
        self._walk(path.resolve(), display_name(path), text)
        return self.result

    def _walk(self, path: Path, name: str, text: str | None) -> None:
        """Depth first over the imports, dependencies appended first. An explicit stack, not
        recursion: an import chain may be thousands of files long."""
        stack: list[tuple[Path, ast.Ruleset, Iterator[ast.Import]]] = []
        module = self._enter(path, name, text)
        if module is not None:
            stack.append((path, module, _imports(module)))
        while stack:
            importer, module, imports = stack[-1]
            item = next(imports, None)
            if item is None:
                stack.pop()
                self.result.modules.append(module)
                continue
            target = self._resolve_safely(item, importer, [frame[0] for frame in stack])
            if target is None or target in self._done:
                continue
            child = self._enter(target, display_name(target), None)
            if child is not None:
                stack.append((target, child, _imports(child)))

    def _enter(self, path: Path, name: str, text: str | None) -> ast.Ruleset | None:
        """Read and parse a file once; its module, or None when it has none (or was seen)."""
        if path in self._done:
            return None
        self._done.add(path)
        # A file named through a symlink keeps that name in its diagnostics, so its parse is
        # not shared with the files that import it under its real name.
        shared = name == display_name(path)
        if text is not None or not shared or path not in self.cache:
            parsed = _read_and_parse(path, name, text)
            if shared:
                self.cache[path] = parsed
        else:
            parsed = self.cache[path]
        text, module, problems = parsed
        self.result.diagnostics.extend(problems)
        if text is None:
            return None
        self.result.sources[name] = text
        self.result.paths[name] = path
        return module

    def _resolve_safely(self, item: ast.Import, importer: Path, chain: list[Path]) -> Path | None:
        """`_resolve`, with a path the file system cannot take (a NUL character, a name longer
        than it allows) reported at the import instead of escaping as an exception."""
        if "\x00" in item.path:
            return self._refuse(
                item, "the import path holds a NUL character", code="ALVH301", importer=importer
            )
        try:
            return self._resolve(item, importer, chain)
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            return self._refuse(
                item, f"cannot use '{item.path}': {reason}", code="ALVH301", importer=importer
            )

    def _resolve(self, item: ast.Import, importer: Path, chain: list[Path]) -> Path | None:
        written = item.path
        if os.path.isabs(written) or written.startswith("~"):
            return self._refuse(
                item,
                f"'{written}' is an absolute path; imports are relative to the importing file",
                importer=importer,
            )
        if not written.endswith(".alvh"):
            return self._refuse(
                item, f"'{written}' is not a .alvh file", code="ALVH304", importer=importer
            )
        candidate = importer.parent / written
        resolved = candidate.resolve()
        if not resolved.is_relative_to(self.root):
            why = (
                "through a symlink"
                if candidate.is_symlink() or _has_symlink(importer.parent, written)
                else ""
            )
            return self._refuse(
                item,
                f"'{written}' leads outside the ruleset root {display_name(self.root)}"
                + (f" {why}" if why else ""),
                importer=importer,
            )
        if resolved in chain:
            self._import_cycle(item, resolved, chain)
            return None
        if resolved.exists() and not resolved.is_file():
            return self._refuse(
                item, f"'{written}' is not a regular file", code="ALVH301", importer=importer
            )
        if not resolved.is_file():
            self._not_found(item, candidate)
            return None
        self.result.links[candidate] = resolved
        return resolved

    def _import_cycle(self, item: ast.Import, resolved: Path, chain: list[Path]) -> None:
        """ALVH303: the file imports one of the files importing it."""
        names = [display_name(p) for p in chain[chain.index(resolved) :]]
        self.result.diagnostics.append(
            Diagnostic(
                code="ALVH303",
                severity="error",
                span=item.span,
                message=f"import cycle: {' -> '.join([*names, display_name(resolved)])}",
                hint="move what both files need into a third module",
            )
        )

    def _not_found(self, item: ast.Import, candidate: Path) -> None:
        """ALVH301: no such file, with the closest .alvh file beside it as a hint."""
        siblings = (
            [p.name for p in candidate.parent.glob("*.alvh")] if candidate.parent.is_dir() else []
        )
        self.result.diagnostics.append(
            Diagnostic(
                code="ALVH301",
                severity="error",
                span=item.span,
                message=f"cannot find '{item.path}'",
                hint=did_you_mean(candidate.name, siblings),
            )
        )

    def _refuse(
        self, item: ast.Import, message: str, code: str = "ALVH302", importer: Path | None = None
    ) -> Path | None:
        self.result.diagnostics.append(
            Diagnostic(
                code=code,
                severity="error",
                span=item.span,
                message=message,
                hint=self._import_hint(item.path, importer),
            )
        )
        return None

    def _import_hint(self, written: str, importer: Path | None) -> str:
        """How to import: the file meant, written relative to the importer when it exists and
        lies inside the root, else a sibling module of the importer as an example."""
        base = importer.parent if importer is not None else self.root
        try:
            target = (base / os.path.expanduser(written)).resolve()
            if target.is_file() and target.is_relative_to(self.root):
                relative = Path(os.path.relpath(target, base.resolve())).as_posix()
                return f'import "{relative}" (a path relative to this file)'
        except (OSError, ValueError):
            pass
        # A real module to show: the first sibling of the importer (never the importer itself).
        siblings = sorted(p.name for p in base.glob("*.alvh") if p.is_file())
        own = importer.name if importer is not None else None
        example = next((name for name in siblings if name != own), None)
        if example is None:
            return f"imports are paths relative to the importing file, inside {self.root.name}/"
        return f'imports are paths relative to the importing file, such as "{example}"'


ParseCache = dict[Path, tuple[str | None, ast.Ruleset | None, list[Diagnostic]]]


def _read_and_parse(
    path: Path, name: str, text: str | None
) -> tuple[str | None, ast.Ruleset | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    if text is None:
        text, problems = read_source(path, name)
        if text is None:
            return None, None, problems
    module, parse_problems = parse_with_diagnostics(text, name)
    # Comments alone are as empty as an empty file, and as quiet before this warning.
    empty = not text.strip()
    if empty or (module is not None and not module.items and not parse_problems):
        problems.append(
            Diagnostic(
                code="ALVH006",
                severity="warning",
                span=_at(name),
                message="the file is empty" if empty else "the file holds only comments",
                hint='start with `ruleset "name"` and a rule',
            )
        )
    return text, module, problems + parse_problems


def _imports(module: ast.Ruleset) -> Iterator[ast.Import]:
    return (item for item in module.items if isinstance(item, ast.Import))


def _has_symlink(base: Path, written: str) -> bool:
    current = base
    for part in Path(written).parts:
        current = current / part
        if current.is_symlink():
            return True
    return False
