"""The records of a test run: each test case found, its result (the expectations that
failed, or why it could not run) and the report of the whole run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from alvh_rules.lang.diagnostics import Diagnostic, Span
from alvh_rules.syntax import ast

if TYPE_CHECKING:
    from alvh_rules.check.ruleset import Ruleset
    from alvh_rules.eval.decision import Decision

Status = Literal["passed", "failed", "error", "skipped"]


@dataclass(frozen=True)
class TestCase:
    """One `test "name": ...` block and the checked ruleset it runs against."""

    block: ast.TestBlock
    ruleset: Ruleset

    @property
    def name(self) -> str:
        return self.block.name

    @property
    def span(self) -> Span:
        return self.block.span

    @property
    def file(self) -> str:
        return self.block.span.file


@dataclass(frozen=True)
class Mismatch:
    """One expectation and what the decision said instead."""

    span: Span
    expected: str  # as written: "core_condor fires", "regime steward", "core_condor opens 2"
    got: str  # the same shape: "core_condor holds"
    rule: str = ""  # the rule whose reasons explain the difference ("" for the regime)


@dataclass
class TestResult:
    case: TestCase
    status: Status
    mismatches: list[Mismatch] = field(default_factory=list)
    message: str = ""  # why the test errored or was skipped
    message_span: Span | None = None
    decision: Decision | None = None
    seconds: float = 0.0


@dataclass
class RunReport:
    """Everything `alvh test` found: check diagnostics, and one result per test."""

    results: list[TestResult] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    rulesets: list[Ruleset] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> bool:
        no_errors = not any(d.is_error for d in self.diagnostics)
        return no_errors and all(r.status in ("passed", "skipped") for r in self.results)
