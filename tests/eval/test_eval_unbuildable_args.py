"""An open argument computed on the day that no structure can be built from: wings or a
width of 0 or less, a negative `outside`, a condor or strangle above 50 delta. The
checker refuses such constants (ALVH213); computed by a let, they used to build another
structure without a word (wings of -25pt put the long strikes inside the shorts, a debit
spread; a 55-delta strangle crossed its shorts). Now the action has 0 contracts and a note
saying why, on the batch path and the per-day path alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from alvh_rules.check import Ruleset
from alvh_rules.eval import positions as pos
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History

RULES = """
let wing_width = if vix > 10vp then -25pt else 25pt
let spread_width = if vix > 10vp then -5vp else 5vp
let floor_distance = if vix > 10vp then -5pt else 5pt
entry f:
    open iron_condor dte 30d delta 16delta wings wing_width
    size risk 1% of capital
entry g:
    open long vix_call_spread dte 60d strike atm + 2 width spread_width
    size contracts 1
entry h:
    open iron_condor dte 30d delta 16delta wing_delta 5delta outside floor_distance
    size contracts 1
let wide_delta = if vix > 10vp then 55delta else 16delta
entry k:
    open short_strangle dte 30d delta wide_delta
    size contracts 1
entry fine:
    open iron_condor dte 30d delta 16delta wings 25pt outside 5pt
    size contracts 1
"""


def test_an_unbuildable_value_opens_nothing_and_says_why(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    snapshot = demo_history.snapshot(demo_history.index[-1].date(), capital=1_000_000)
    actions = {a.rule: a for a in evaluate(ruleset(RULES), snapshot).actions}
    notes = {
        "f": "`wings` must be above 0, got -25",
        "g": "`width` must be above 0, got -5",
        "h": "`outside` cannot be negative, got -5",
        "k": "`delta` 55 crosses the short_strangle's short strikes",
    }
    for rule, note in notes.items():
        assert actions[rule].contracts == 0 and actions[rule].legs == []
        assert actions[rule].note == f"{rule} cannot be built on 2024-08-09: {note}"
    assert actions["fine"].contracts == 1 and len(actions["fine"].legs) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"wings": 0.0}, "`wings` must be above 0, got 0"),
        ({"width": -5.0}, "`width` must be above 0, got -5"),
        ({"outside": -1.0}, "`outside` cannot be negative, got -1"),
        ({"delta": 50.5}, "`delta` 50.5 crosses the iron_condor's short strikes"),
    ],
)
def test_the_per_day_builder_refuses_the_same_values(args: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pos.check_widths(args, "iron_condor")
    edges = {"wings": 25.0, "width": 5.0, "outside": 0.0, "delta": 50.0}  # 50: a fly
    pos.check_widths(edges, "iron_condor")  # the edges that build


def test_a_structure_the_model_refuses_says_why_in_one_line(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    # a VIX call 50 points under the future has no listed strike: the note was pydantic's
    # four lines ("1 validation error for Leg", the input's repr, a link)
    rules = ruleset(
        "entry e:\n    open long vix_call dte 30d strike atm - 50\n    size contracts 1\n"
    )
    snapshot = demo_history.snapshot(demo_history.index[-1].date(), capital=1_000_000)
    (action,) = evaluate(rules, snapshot).actions
    assert action.note == (
        "e cannot be built on 2024-08-09: strike: must be a finite number, not NaN or infinite"
    )
