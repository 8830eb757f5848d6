"""Coverage of ruleset tests: which rules were seen firing and not firing, which outcome
(true, false, unknown) each clause condition reached, and whether each `unless` and
`block` changed a rule's outcome in some test. Rules are keyed by where they are declared,
so a module imported by several tested rulesets is counted once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alvh_rules.eval.decision import ClauseOutcome, Decision, RuleOutcome
from alvh_rules.lang.diagnostics import Span
from alvh_rules.syntax import ast
from alvh_rules.testing.model import RunReport

OUTCOMES = ("true", "false", "unknown")
# What counts as firing for each rule kind (a limit "fires" when it is breached).
FIRING = {
    "regime": "fires",
    "limit": "breached",
    "entry": "fires",
    "layer": "fires",
    "roll": "fires",
}


@dataclass
class ClauseCoverage:
    span: Span
    rule: str
    keyword: str
    text: str
    outcomes: set[str] = field(default_factory=set)
    decisive: bool = False  # an unless/block that changed the rule's outcome in some test


@dataclass
class RuleCoverage:
    span: Span
    name: str
    kind: str
    states: set[str] = field(default_factory=set)
    clauses: list[ClauseCoverage] = field(default_factory=list)

    @property
    def fired(self) -> bool:
        return FIRING[self.kind] in self.states

    @property
    def not_fired(self) -> bool:
        return bool(self.states - {FIRING[self.kind]})


@dataclass
class Coverage:
    rules: dict[tuple[str, int, int], RuleCoverage] = field(default_factory=dict)

    @property
    def clauses(self) -> list[ClauseCoverage]:
        return [c for r in self.rules.values() for c in r.clauses]

    def outcome_counts(self) -> tuple[int, int]:
        clauses = self.clauses
        return sum(len(c.outcomes) for c in clauses), len(OUTCOMES) * len(clauses)

    @property
    def percent(self) -> float:
        reached, total = self.outcome_counts()
        return 100.0 * reached / total if total else 100.0


def _key(span: Span) -> tuple[str, int, int]:
    return (span.file, span.line, span.column)


def _rule_coverage(rule: ast.Rule, source: str) -> RuleCoverage:
    coverage = RuleCoverage(rule.span, rule.name.name, rule.rule_kind)
    for clause in rule.clauses:
        if isinstance(clause, ast.Clause) and clause.condition is not None:
            span = clause.condition.span
            keyword = "when" if rule.rule_kind == "regime" else clause.keyword
            coverage.clauses.append(
                ClauseCoverage(span, rule.name.name, keyword, _text(source, span))
            )
    return coverage


def _text(source: str, span: Span) -> str:
    lines = source.splitlines()
    if span.line > len(lines):
        return ""
    line = lines[span.line - 1][span.column - 1 :]
    text = line if span.end_line > span.line else line[: span.end_column - span.column]
    return " ".join(text.split())


def measure(report: RunReport) -> Coverage:
    coverage = Coverage()
    for ruleset in report.rulesets:
        for rule in ruleset.rules:
            key = _key(rule.span)
            if key not in coverage.rules:
                source = report.sources.get(rule.span.file, "")
                coverage.rules[key] = _rule_coverage(rule, source)
    for result in report.results:
        if result.decision is None:
            continue
        spans = {r.name.name: _key(r.span) for r in result.case.ruleset.rules}
        _record(coverage, spans, result.decision)
    return coverage


def _record(coverage: Coverage, spans: dict[str, tuple[str, int, int]], decision: Decision) -> None:
    for outcome in decision.rules:
        rule = coverage.rules.get(spans.get(outcome.name, ("", 0, 0)))
        if rule is None:
            continue
        rule.states.add(outcome.state)
        for index, (clause, seen) in enumerate(zip(rule.clauses, outcome.clauses, strict=False)):
            clause.outcomes.add(seen.outcome)
            if clause.keyword in ("unless", "block") and _decisive(outcome, index):
                clause.decisive = True


def _decisive(outcome: RuleOutcome, index: int) -> bool:
    """True when clause `index` alone kept the rule from firing: every other clause let
    it fire and its target (if any) is held."""
    clause = outcome.clauses[index]
    if outcome.summary.startswith("holds: no "):
        return False
    others = [c for i, c in enumerate(outcome.clauses) if i != index]
    if not all(_lets_fire(c) for c in others):
        return False
    if clause.keyword == "block":
        return outcome.state == "blocked" and clause.outcome in ("true", "unknown")
    return outcome.state == "holds" and clause.outcome == "true"


def _lets_fire(clause: ClauseOutcome) -> bool:
    if clause.keyword in ("block", "unless"):
        return clause.outcome == "false"
    return clause.outcome == "true"


def coverage_lines(coverage: Coverage) -> list[str]:
    rules = list(coverage.rules.values())
    both = sum(1 for r in rules if r.fired and r.not_fired)
    reached, total = coverage.outcome_counts()
    guards = [c for c in coverage.clauses if c.keyword in ("unless", "block")]
    lines = [
        f"coverage: {both}/{len(rules)} rules seen firing and not firing; "
        f"condition outcomes {reached}/{total} ({coverage.percent:.1f}%); "
        f"unless/block decisive {sum(c.decisive for c in guards)}/{len(guards)}"
    ]
    for rule in rules:
        if not rule.fired:
            lines.append(f"  never {FIRING[rule.kind]}: {rule.span} {rule.kind} {rule.name}")
        if not rule.not_fired:
            lines.append(f"  never not {FIRING[rule.kind]}: {rule.span} {rule.kind} {rule.name}")
    for clause in coverage.clauses:
        missed = [o for o in OUTCOMES if o not in clause.outcomes]
        if missed:
            lines.append(
                f"  {clause.span} {clause.rule} {clause.keyword} {clause.text}: "
                f"never {' / '.join(missed)}"
            )
    for clause in guards:
        if not clause.decisive:
            lines.append(
                f"  {clause.span} {clause.rule} {clause.keyword} never changed the outcome"
            )
    return lines
