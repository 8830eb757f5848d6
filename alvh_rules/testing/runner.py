"""Running ruleset tests: build each test's inputs, evaluate the ruleset with the
interpreter, and compare the decision with the test's expectations.
"""

from __future__ import annotations

import time
from pathlib import Path

from alvh_rules.lang.diagnostics import Span
from alvh_rules.syntax import ast
from alvh_rules.testing.discovery import discover
from alvh_rules.testing.model import Mismatch, RunReport, TestCase, TestResult
from alvh_rules.testing.snapshots import MarketSource, NeedsData, build_inputs
from alvh_rules.testing.values import TestInputError


def run_paths(paths: list[str | Path], data_dir: str | Path | None = None) -> RunReport:
    """Discover and run every test under `paths`; `data_dir` serves `on DATE` tests."""
    found = discover(paths)
    report = RunReport(
        diagnostics=found.diagnostics, sources=found.sources, rulesets=found.rulesets
    )
    source = MarketSource(Path(data_dir) if data_dir is not None else None)
    for case in found.cases:
        report.results.append(run_case(case, source))
    return report


def run_case(case: TestCase, source: MarketSource) -> TestResult:
    from alvh_rules.eval.interpreter import evaluate
    from alvh_rules.eval.params import ParamError

    started = time.perf_counter()
    try:
        inputs = build_inputs(case.block, case.ruleset, source)
        decision = evaluate(
            case.ruleset, inputs.snapshot, inputs.params, overrides=inputs.overrides
        )
    except NeedsData as skip:
        return TestResult(case, "skipped", message=str(skip), message_span=_on_span(case))
    except TestInputError as error:
        return TestResult(case, "error", message=error.message, message_span=error.span)
    except (ParamError, ValueError) as error:
        return TestResult(case, "error", message=str(error), message_span=case.span)
    mismatches = compare(case.block, decision)
    return TestResult(
        case,
        "failed" if mismatches else "passed",
        mismatches=mismatches,
        decision=decision,
        seconds=time.perf_counter() - started,
    )


def _on_span(case: TestCase) -> Span:
    on = next((s for s in case.block.statements if isinstance(s, ast.TestOn)), None)
    return on.span if on is not None else case.span


def compare(block: ast.TestBlock, decision: object) -> list[Mismatch]:
    """Every expectation of the block the decision does not meet."""
    from alvh_rules.eval.decision import Decision

    assert isinstance(decision, Decision)
    mismatches = []
    for statement in block.statements:
        if isinstance(statement, ast.ExpectState):
            rule = statement.rule.name
            got = decision.states.get(rule, "absent")
            if got != statement.state:
                mismatches.append(
                    Mismatch(statement.span, f"{rule} {statement.state}", f"{rule} {got}", rule)
                )
        elif isinstance(statement, ast.ExpectRegime):
            if decision.regime != statement.regime.name:
                mismatches.append(
                    Mismatch(
                        statement.span,
                        f"regime {statement.regime.name}",
                        f"regime {decision.regime or 'unknown'}",
                    )
                )
        elif isinstance(statement, ast.ExpectContracts):
            mismatch = _compare_contracts(statement, decision)
            if mismatch is not None:
                mismatches.append(mismatch)
    return mismatches


def _compare_contracts(statement: ast.ExpectContracts, decision: object) -> Mismatch | None:
    from alvh_rules.eval.decision import Decision

    assert isinstance(decision, Decision)
    rule, verb = statement.rule.name, statement.verb
    kind = "open" if verb == "opens" else "resize"
    acts = [a for a in decision.actions if a.rule == rule and a.kind == kind]
    if acts and acts[0].contracts == statement.contracts:
        return None
    # the action's words say why the count is what it is (its sizing, or why it has none)
    why = (acts[0].note or acts[0].sizing) if acts else ""
    got = (
        f"{rule} {verb} {acts[0].contracts}" + (f" ({why})" if why else "")
        if acts
        else f"{rule} {verb} nothing ({decision.states.get(rule, 'absent')})"
    )
    return Mismatch(statement.span, f"{rule} {verb} {statement.contracts}", got, rule)
