"""Reasons built on first read: a clause whose reason is pending reads exactly as one built
at once, however it is read, and a decision's reasons read late are those it had when made."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from alvh_rules.check import load
from alvh_rules.eval.decision import ClauseOutcome, Reason
from alvh_rules.eval.interpreter import evaluate, plan_for
from alvh_rules.eval.reason_children import MAX_DEPTH, explained_children
from alvh_rules.market import History

ROOT = Path(__file__).resolve().parents[2]


def _reason() -> Reason:
    return Reason(
        text="vix < 20",
        value="true",
        truth="true",
        children=[Reason(text="vix", value=14.2, unit="pt", why="vix on 2026-08-21")],
    )


def _built() -> ClauseOutcome:
    return ClauseOutcome(keyword="when", outcome="true", effect="trigger met", reason=_reason())


def _pending() -> ClauseOutcome:
    return ClauseOutcome.pending("when", "true", "trigger met", _reason)


READS: list[tuple[str, Callable[[ClauseOutcome], Any]]] = [
    ("attribute", lambda c: c.reason),
    ("model_dump", lambda c: c.model_dump()),
    ("json", lambda c: c.model_dump_json(indent=2)),
    ("dict", dict),
    ("repr", repr),
    ("copy", lambda c: copy.copy(c).model_dump()),
    ("deepcopy", lambda c: copy.deepcopy(c).model_dump()),
    ("model_copy", lambda c: c.model_copy().model_dump()),
    ("pickle", lambda c: pickle.loads(pickle.dumps(c)).model_dump()),
    ("fields_set", lambda c: c.model_fields_set),
]


@pytest.mark.parametrize(("how", "read"), READS, ids=[name for name, _ in READS])
def test_a_pending_reason_reads_as_one_built_at_once(
    how: str, read: Callable[[ClauseOutcome], Any]
) -> None:
    assert read(_pending()) == read(_built()), how


def test_pending_clauses_compare_equal_and_stay_unhashable() -> None:
    assert _pending() == _built()
    assert _built() == _pending()
    assert _pending() != _built().model_copy(update={"outcome": "false"})
    with pytest.raises(TypeError):
        hash(_pending())


def test_a_pending_reason_is_built_once() -> None:
    calls: list[int] = []

    def build() -> Reason:
        calls.append(1)
        return _reason()

    clause = ClauseOutcome.pending("when", "true", "trigger met", build)
    assert clause.reason is clause.reason
    clause.model_dump_json()
    assert calls == [1]


def test_reasons_read_late_are_those_of_the_day(demo_history: History) -> None:
    """Reasons read after other snapshots and params were evaluated (the per-snapshot caches
    moved on) equal those of a decision read at once."""
    ruleset = load(ROOT / "tests" / "eval" / "fixtures" / "layered.alvh")
    days = [day.date() for day in demo_history.index[-8:]]
    account = {"capital": 1_000_000, "risk_budget": 100_000}
    late = evaluate(ruleset, demo_history.snapshot(days[0], **account))
    for day in days[1:]:
        evaluate(ruleset, demo_history.snapshot(day, **account))
    now = evaluate(ruleset, demo_history.snapshot(days[0], **account)).model_dump_json(indent=2)
    assert late.model_dump_json(indent=2) == now


@pytest.mark.parametrize(
    "path",
    [
        *sorted((ROOT / "rulesets").glob("*.alvh")),
        *sorted((ROOT / "tests" / "eval" / "fixtures").glob("*.alvh")),
    ],
    ids=lambda p: p.stem,
)
def test_what_a_market_only_reason_shows_is_market_only(path: Path) -> None:
    """The facts of a market-only node's whole reason are kept per snapshot and params
    (explain.MarketFacts): that needs every sub-expression it shows to be market-only."""
    ruleset = load(path, root=path.parent)
    plan = plan_for(ruleset)
    stack = [(c.condition, 0) for rule in plan.rules for c, _ in rule.conditions]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, depth = stack.pop()
        if (id(node), depth) in seen or depth >= MAX_DEPTH:
            continue
        seen.add((id(node), depth))
        children = explained_children(ruleset, node, depth)
        if id(node) in plan.market_only:
            assert all(id(child) in plan.market_only for child in children), node.span
        stack.extend((child, depth + 1) for child in children)
