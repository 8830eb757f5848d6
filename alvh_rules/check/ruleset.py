"""The checker's front door: `load`, `check_file`, `check_text` and `check_paths`.

`load(path)` returns a checked `Ruleset` (a file with its imports resolved, its symbols,
types and history needs) or raises RulesetError with every diagnostic. The `check_*`
functions never raise for bad input: they return reports for the CLI and the editor.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from alvh_rules.check.loader import LoadedModules, ModuleLoader, ParseCache
from alvh_rules.check.program import CheckedProgram, ProgramChecker
from alvh_rules.lang.codes import UNUSED_CODES
from alvh_rules.lang.diagnostics import Diagnostic, RulesetError, sorted_diagnostics
from alvh_rules.lang.files import default_root, display_name, ruleset_files
from alvh_rules.syntax import ast
from alvh_rules.syntax.parser import paused_gc


@dataclass
class Ruleset:
    """A checked ruleset: the entry file, the modules it imports, and what the checker found."""

    path: Path
    root: Path
    modules: list[ast.Ruleset]
    sources: dict[str, str]
    program: CheckedProgram
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def entry(self) -> ast.Ruleset:
        return self.modules[-1]

    @property
    def title(self) -> str:
        headers = [i for i in self.entry.items if isinstance(i, ast.Header)]
        return headers[0].title if headers else self.path.stem

    @property
    def params(self) -> dict[str, ast.Param]:
        return {i.name.name: i for m in self.modules for i in m.items if isinstance(i, ast.Param)}

    @property
    def lets(self) -> dict[str, ast.Let]:
        return {i.name.name: i for m in self.modules for i in m.items if isinstance(i, ast.Let)}

    @property
    def rules(self) -> list[ast.Rule]:
        return self.program.rules()

    @property
    def tests(self) -> list[ast.TestBlock]:
        return [i for i in self.entry.items if isinstance(i, ast.TestBlock)]

    @property
    def needs(self) -> dict[str, dict[str, int]]:
        """Bars of history each rule needs, per market series."""
        return self.program.needs

    def history_needed(self) -> dict[str, int]:
        """The most bars any rule needs, per market series: how much data to load."""
        total: dict[str, int] = {}
        for needs in self.needs.values():
            for name, bars in needs.items():
                total[name] = max(total.get(name, 0), bars)
        return dict(sorted(total.items()))

    @property
    def content_hash(self) -> str:
        """SHA-256 of every source file of the program, in load order: each file's path
        relative to the ruleset root and its text. Never an absolute path or the working
        directory, so the same tree hashes the same wherever it is and however it is named."""
        digest = hashlib.sha256()
        for module in self.modules:
            digest.update(self._root_relative(module.file).encode())
            digest.update(b"\0")
            digest.update(self.sources[module.file].encode())
            digest.update(b"\0")
        return digest.hexdigest()

    def _root_relative(self, file: str) -> str:
        try:
            return Path(file).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:  # a text checked without a file on disk
            return Path(file).name


@dataclass
class CheckReport:
    """The result of checking one entry file: its sources and every diagnostic."""

    path: str
    sources: dict[str, str]
    diagnostics: list[Diagnostic]
    ruleset: Ruleset | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def check_loaded(
    path: Path, root: Path, loaded: LoadedModules, *, report_unused: bool
) -> CheckReport:
    """Check the already loaded module `path` (and its imports) under `root`: the seam for
    callers that load modules themselves (the editor's incremental check, the result cache)."""
    # The checker makes many small objects beside a large tree that holds no cycles: with
    # the collector running, its passes over the tree grow with the square of the file.
    # Callers that also parse pause it over both: re-enabled in between, it would at once
    # scan the whole young tree the parse just built.
    with paused_gc():
        return _check_program(path, root, loaded, report_unused=report_unused)


def _check_program(
    path: Path, root: Path, loaded: LoadedModules, *, report_unused: bool
) -> CheckReport:
    diagnostics = list(loaded.diagnostics)
    ruleset = None
    if not any(d.is_error for d in diagnostics) and loaded.modules:
        program = ProgramChecker(loaded.modules).run()
        entry_file = loaded.modules[-1].file
        for diagnostic in program.diagnostics:
            if diagnostic.code in UNUSED_CODES and (
                not report_unused or diagnostic.span.file != entry_file
            ):
                continue  # modules are libraries: what one importer leaves unused, another may use
            diagnostics.append(diagnostic)
        ruleset = Ruleset(
            path=path,
            root=root,
            modules=loaded.modules,
            sources=loaded.sources,
            program=program,
            warnings=[d for d in diagnostics if not d.is_error],
        )
    name = display_name(path)
    return CheckReport(
        path=name,
        sources=loaded.sources,
        diagnostics=sorted_diagnostics(diagnostics),
        ruleset=ruleset if not any(d.is_error for d in diagnostics) else None,
    )


def check_file(
    path: str | Path, *, root: str | Path | None = None, report_unused: bool = True
) -> CheckReport:
    """Check one file and its imports; `root` (default: the file's folder) confines imports."""
    file = Path(path)
    base = Path(root) if root is not None else default_root(file)
    with paused_gc():  # one pause over parse and check: see `check_loaded`
        loaded = ModuleLoader(base).load(file)
        return check_loaded(file, base, loaded, report_unused=report_unused)


def check_text(
    text: str, filename: str = "<string>", *, root: str | Path | None = None
) -> CheckReport:
    """Check unsaved text (the editor's buffer); imports resolve from `filename`'s folder."""
    file = Path(filename)
    base = Path(root) if root is not None else default_root(file)
    with paused_gc():  # one pause over parse and check: see `check_loaded`
        loaded = ModuleLoader(base).load(file, text=text)
        return check_loaded(file, base, loaded, report_unused=True)


def load(path: str | Path, *, root: str | Path | None = None) -> Ruleset:
    """Load and check a ruleset with its imports. Raises RulesetError carrying every diagnostic."""
    report = check_file(path, root=root)
    if report.ruleset is None:
        raise RulesetError(report.diagnostics)
    return report.ruleset


def check_paths(paths: Sequence[str | Path]) -> list[CheckReport]:
    """Check every ruleset file under `paths`, each file read and parsed once. Files another
    file imports are checked as libraries: unused params and lets in them are not reported."""
    files = ruleset_files(paths)
    cache: ParseCache = {}
    loaded = [ModuleLoader(root, cache).load(file) for file, root in files]
    imported: set[Path] = set()
    for (file, _), modules in zip(files, loaded, strict=True):
        imported.update(p for p in modules.paths.values() if p != file.resolve())
    return [
        check_loaded(file, root, modules, report_unused=file.resolve() not in imported)
        for (file, root), modules in zip(files, loaded, strict=True)
    ]
