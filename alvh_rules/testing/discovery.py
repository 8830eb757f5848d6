"""Finding ruleset tests: every `.alvh` file under the given paths is checked (with its
imports); the `test` blocks of each file that checks cleanly become test cases. A test
block sits in the ruleset itself or in a sibling `*.test.alvh` file that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alvh_rules.check.ruleset import Ruleset, check_file
from alvh_rules.diagnostics import Diagnostic, sorted_diagnostics
from alvh_rules.testing.model import TestCase


@dataclass
class Discovered:
    cases: list[TestCase] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    rulesets: list[Ruleset] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def ruleset_files(paths: list[str | Path]) -> tuple[list[tuple[Path, Path]], list[str]]:
    """(file, import root) for each `.alvh` file, and the paths that do not exist. A folder
    is the root of its files; a single file's root is the working folder when the file is
    inside it (so its imports may reach sibling folders), else the file's own folder."""
    found: list[tuple[Path, Path]] = []
    missing: list[str] = []
    cwd = Path.cwd().resolve()
    for given in paths:
        path = Path(given)
        if not path.exists():
            missing.append(str(given))
        elif path.is_dir():
            found.extend((f, path) for f in sorted(path.rglob("*.alvh")) if f.is_file())
        else:
            resolved = path.resolve()
            root = cwd if resolved.is_relative_to(cwd) else resolved.parent
            found.append((path, root))
    return found, missing


def discover(paths: list[str | Path]) -> Discovered:
    """Check every file; collect error diagnostics and the test cases of clean files."""
    files, missing = ruleset_files(paths)
    out = Discovered(missing=missing)
    seen: set[Path] = set()
    diagnostics: list[Diagnostic] = []
    for file, root in files:
        if file.resolve() in seen:
            continue
        seen.add(file.resolve())
        report = check_file(file, root=root, report_unused=False)
        out.sources.update(report.sources)
        diagnostics.extend(d for d in report.diagnostics if d.is_error)
        ruleset = report.ruleset
        if ruleset is None or not ruleset.tests:
            continue
        out.rulesets.append(ruleset)
        out.cases.extend(TestCase(block=block, ruleset=ruleset) for block in ruleset.tests)
    out.diagnostics = sorted_diagnostics(diagnostics)
    return out
