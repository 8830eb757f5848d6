"""The server's view of each open document: where it lives, its last check and last good check.

Checks go through the incremental checker (the findings of `check_text`, faster); when the
text has errors the symbols of the last check that succeeded stay in use, so hover and
go-to keep working while you type.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from alvh_rules.check import CheckReport, Ruleset
from alvh_rules.lang.diagnostics import Span
from alvh_rules.lang.files import marked_root
from alvh_rules.lsp.incremental import IncrementalChecker

UNTITLED_NAME = "untitled.alvh"


@dataclass
class DocumentState:
    """One open document: its file path (or a stand-in for unsaved buffers) and check results."""

    uri: str
    path: Path
    root: Path
    report: CheckReport | None = None
    last_good: Ruleset | None = None
    version: int | None = None
    checker: IncrementalChecker = field(default_factory=IncrementalChecker)

    @property
    def ruleset(self) -> Ruleset | None:
        """The current check's ruleset, else the last good one of this document."""
        if self.report is not None and self.report.ruleset is not None:
            return self.report.ruleset
        return self.last_good

    def check(self, text: str) -> CheckReport:
        report = self.checker.check(text, self.path, self.root)
        self.report = report
        if report.ruleset is not None:
            self.last_good = report.ruleset
        return report

    def owns(self, span: Span) -> bool:
        """Whether a span (as the checker names files) points into this document."""
        return same_file(span.file, self.path)


@dataclass
class DocumentStore:
    """Every open document by URI; workspace folders decide how far imports may reach."""

    folders: list[Path] = field(default_factory=list)
    documents: dict[str, DocumentState] = field(default_factory=dict)

    def open(self, uri: str, fs_path: str | None) -> DocumentState:
        path = Path(fs_path).resolve() if fs_path else Path.cwd() / UNTITLED_NAME
        state = self.documents.get(uri)
        if state is None or state.path != path:
            state = DocumentState(uri=uri, path=path, root=self.root_for(path))
            self.documents[uri] = state
        return state

    def close(self, uri: str) -> None:
        self.documents.pop(uri, None)

    def root_for(self, path: Path) -> Path:
        """The file's `alvh.toml` root as `alvh check` finds it; without one, the innermost
        workspace folder holding the file, else the file's own folder.

        A module may import `../common/x.alvh`: with the workspace as root that resolves
        as it does when the entry ruleset at the top is checked."""
        marked = marked_root(path)
        if marked is not None:
            return marked
        holders = [folder for folder in self.folders if path.is_relative_to(folder)]
        return max(holders, key=lambda f: len(f.parts)) if holders else path.parent


def same_file(name: str, path: Path) -> bool:
    """Whether a checker file name (relative to the working directory or absolute) is `path`."""
    try:
        return Path(os.path.abspath(name)) == path or Path(name).resolve() == path
    except (OSError, ValueError):
        return False


def resolve_file(name: str) -> Path:
    """The absolute path of a file named as the checker names it."""
    return Path(os.path.abspath(name))
