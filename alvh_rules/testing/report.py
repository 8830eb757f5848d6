"""Text output of `alvh test`: one line per test, and for a failure the diff of expected
and got, each rule's state, and the failing rule's reasons (its summary and clauses).
"""

from __future__ import annotations

from alvh_rules.eval.decision import Decision
from alvh_rules.testing.model import RunReport, TestResult

MARKS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR", "skipped": "SKIP"}


def result_lines(result: TestResult, *, verbose: bool = False) -> list[str]:
    case = result.case
    head = f"{MARKS[result.status]} {case.span}: {case.name}"
    if result.status == "passed":
        return [head] if verbose else []
    if result.status in ("error", "skipped"):
        where = result.message_span or case.span
        return [head, f"  {where}: {result.message}"]
    lines = [head]
    for mismatch in result.mismatches:
        lines.append(f"  {mismatch.span}:")
        lines.append(f"    - expected {mismatch.expected}")
        lines.append(f"    + got      {mismatch.got}")
    if result.decision is not None:
        lines.extend(_reasons(result, result.decision))
    return lines


def _reasons(result: TestResult, decision: Decision) -> list[str]:
    states = ", ".join(f"{name} {state}" for name, state in decision.states.items())
    if any(outcome.kind == "regime" for outcome in decision.rules):
        states += f"; regime {decision.regime or 'unknown'}"
    lines = [f"    states: {states}"]
    failing = {m.rule for m in result.mismatches if m.rule}
    for outcome in decision.rules:
        if outcome.name not in failing:
            continue
        lines.append(f"    {outcome.name}: {outcome.summary}")
        for clause in outcome.clauses:
            lines.append(
                f"      {clause.keyword} {clause.reason.text} -> {clause.outcome}"
                + (f" ({clause.effect})" if clause.effect else "")
            )
    for missing in decision.missing:
        if failing & set(missing.rules):
            lines.append(f"    missing {missing.name}: {missing.reason}")
    return lines


def summary_line(report: RunReport) -> str:
    parts = [f"{report.count('passed')} passed", f"{report.count('failed')} failed"]
    for status in ("error", "skipped"):
        if report.count(status):
            parts.append(f"{report.count(status)} {'errors' if status == 'error' else status}")
    return f"{len(report.results)} tests: " + ", ".join(parts)
