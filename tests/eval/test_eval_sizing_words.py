"""The sizing words say "1 contract", not "1 contracts" (a new user's first `size contracts
1` printed "sizing: 1 contracts as written")."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from alvh_rules.check import Ruleset
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History


@pytest.mark.parametrize(
    ("count", "words"), [(1, "1 contract as written"), (3, "3 contracts as written")]
)
def test_a_count_as_written_is_worded_for_its_number(
    ruleset: Callable[[str], Ruleset], demo_history: History, count: int, words: str
) -> None:
    rules = ruleset(
        "entry e:\n    when vix > 1vp\n"
        f"    open iron_condor dte 30d delta 16delta wings 25pt\n    size contracts {count}\n"
    )
    snapshot = demo_history.snapshot(demo_history.index[-1].date(), capital=1_000_000)
    (action,) = evaluate(rules, snapshot).actions
    assert (action.contracts, action.sizing) == (count, words)
