"""Finding ruleset tests: every `.alvh` file under the given paths is checked (with its
imports); the `test` blocks of each file that checks cleanly become test cases. A test
block sits in the ruleset itself or in a sibling `*.test.alvh` file that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alvh_rules.check.ruleset import Ruleset, check_file
from alvh_rules.lang.diagnostics import Diagnostic, sorted_diagnostics
from alvh_rules.lang.files import ruleset_files
from alvh_rules.testing.model import TestCase


@dataclass
class Discovered:
    cases: list[TestCase] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    rulesets: list[Ruleset] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def discover(paths: list[str | Path]) -> Discovered:
    """Check every file; collect error diagnostics and the test cases of clean files."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    files = ruleset_files(p for p in paths if Path(p).exists())
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
