"""An open argument computed on the day that no structure can be built from: wings or a
width of 0 or less, a negative `outside`, a delta that is negative, 0 or 100 and above
(above 50 for a condor or strangle), a `wing_delta` not below the `delta`, a `dte` below
1 day. The checker refuses such constants (ALVH213); computed by a let, they used to build
another structure without a word (a -16delta condor was read as 16delta, a computed `dte 0`
took the nearest listing, wings of -25pt put the long strikes inside the shorts). Now the
action has 0 contracts and a note in the checker's words, on the batch path and the per-day
path alike, and a backtest logs the day's open as "not taken" with that note."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from alvh_rules.backtesting.api import backtest
from alvh_rules.check import Ruleset
from alvh_rules.check.open_ranges import unbuildable
from alvh_rules.eval import positions as pos
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History

# On the demo's last day VIX is above 10: each let takes its unbuildable arm.
RULES = """
let wing_width = if vix > 10vp then -25pt else 25pt
let spread_width = if vix > 10vp then -5vp else 5vp
let floor_distance = if vix > 10vp then -5pt else 5pt
let wide_delta = if vix > 10vp then 55delta else 16delta
let signed_delta = if vix > 10vp then -16delta else 16delta
let huge_delta = if vix > 10vp then 120delta else 30delta
let no_days = if vix > 10vp then 0d else 30d
let inner_wings = if vix > 10vp then 20delta else 5delta
let share = if vix > 10vp then -5% else 5%
let fly_delta = if vix > 10vp then 50delta else 16delta
entry f:
    open iron_condor dte 30d delta 16delta wings wing_width
    size risk 1% of capital
entry g:
    open long vix_call_spread dte 60d strike atm + 2 width spread_width
    size contracts 1
entry h:
    open iron_condor dte 30d delta 16delta wing_delta 5delta outside floor_distance
    size contracts 1
entry k:
    open short_strangle dte 30d delta wide_delta
    size contracts 1
entry m:
    open iron_condor dte 30d delta signed_delta wings 25pt
    size contracts 1
entry p:
    open short put dte 30d delta huge_delta
    size contracts 1
entry q:
    open iron_condor dte no_days delta 16delta wings 25pt
    size contracts 1
entry r:
    open vix_future dte no_days
    size contracts 1
entry s:
    open iron_condor dte 30d delta 16delta wing_delta inner_wings
    size contracts 1
entry t:
    open iron_condor dte 30d delta 16delta wings share
    size contracts 1
entry u:
    open iron_condor dte 30d delta fly_delta wings 25pt outside 10pt
    size contracts 1
entry fine:
    open iron_condor dte 30d delta 16delta wings 25pt outside 5pt
    size contracts 1
"""

WIDER = "the long strike sits that far beyond the short one"
TODAY = "rules run at the close, when an option expiring today has expired: 1d at least"
NOTES = {  # each names the argument, what it is written as, and its value that day
    "f": f"`wings wing_width` is -25pt, which cannot be opened: {WIDER}: above 0pt",
    "g": f"`width spread_width` is -5vp, which cannot be opened: {WIDER}: above 0vp",
    "h": "`outside floor_distance` is -5pt, which cannot be opened: a distance from spot "
    "cannot be negative",
    "k": "`delta 55delta` puts the short put above the short call: a short_strangle sells "
    "out-of-the-money options, at most 50delta (at 50delta both short legs sell the money: "
    "an iron butterfly or a straddle) (`delta` is `wide_delta`)",
    "m": "`delta signed_delta` is -16delta, which cannot be opened: a delta is written by its "
    "size: a 16-delta put is 16delta, not -16delta",
    "p": "`delta huge_delta` is 120delta, which cannot be opened: a delta lies strictly "
    "between 0delta and 100delta",
    "q": f"`dte no_days` is 0d, which cannot be opened: {TODAY}",
    "r": f"`dte no_days` is 0d, which cannot be opened: {TODAY}",
    "s": "`wing_delta 20delta` is not further out than `delta 16delta`: the long wings have "
    "the smaller delta, as in delta 16delta wing_delta 5delta (`wing_delta` is `inner_wings`)",
    "u": "`outside 10pt` moves the one short strike of a 50delta iron_condor apart: at 50delta "
    "both short legs sell the money (an iron butterfly or a straddle); for shorts away from "
    "spot write a delta below 50delta (`delta` is `fly_delta`)",
}


def test_an_unbuildable_value_opens_nothing_and_says_why(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    snapshot = demo_history.snapshot(demo_history.index[-1].date(), capital=1_000_000)
    actions = {a.rule: a for a in evaluate(ruleset(RULES), snapshot).actions}
    for rule, note in NOTES.items():
        assert actions[rule].contracts == 0 and actions[rule].legs == [], rule
        assert actions[rule].note == f"{rule} cannot be built on 2024-08-09: {note}"
    # wings of -5% are read in points of the day's SPX (5344.16): -267.208pt
    assert actions["t"].contracts == 0 and actions["t"].legs == []
    assert actions["t"].note.startswith(
        "t cannot be built on 2024-08-09: `wings share` is -267.208pt, which cannot be opened"
    )
    assert actions["fine"].contracts == 1 and len(actions["fine"].legs) == 4


def test_the_batch_path_refuses_the_days_the_per_day_builder_refuses(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    """A replay-sized batch (many days) and one day agree: every refused day has the note."""
    rules = ruleset(
        "let d = if vix > 15vp then -16delta else 16delta\n"
        "entry e:\n    open iron_condor dte 30d delta d wings 25pt\n    size contracts 1\n"
    )
    days = demo_history.index[-30:]
    vix = demo_history.daily["vix"].loc[days].to_numpy()
    for day, level in zip(days, vix, strict=True):
        (action,) = evaluate(rules, demo_history.snapshot(day.date(), capital=1e6)).actions
        refused = level > 15
        assert (action.legs == []) == refused, day
        assert ("`delta d` is -16delta, which cannot be opened" in action.note) == refused
    assert (vix > 15).any() and (vix <= 15).any()  # both kinds of day are tried


def test_a_backtest_logs_the_refused_open_as_not_taken(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    rules = ruleset(
        "let short_delta = if vix > 13vp then -16delta else 16delta\n"
        "entry e:\n    require not held(e)\n"
        "    open iron_condor dte 30d delta short_delta wings 25pt\n    size contracts 1\n"
    )
    start, end = demo_history.index[-60].date(), demo_history.index[-1].date()
    trades = backtest(rules, demo_history, str(start), str(end), capital=1e6).trades
    refused = trades[trades["status"] == "not taken"]
    assert len(refused) > 0
    named = "`delta short_delta` is -16delta, which cannot be opened"
    assert all(named in reason for reason in refused["reason"])
    vix = demo_history.daily["vix"]
    for day in refused["date"]:
        assert vix.loc[str(day)] > 13
    filled = trades[(trades["status"] == "filled") & (trades["action"] == "open")]
    assert len(filled) > 0 and all(vix.loc[str(d)] <= 13 for d in filled["date"])


@pytest.mark.parametrize(
    ("structure", "args", "message"),
    [
        ("iron_condor", {"wings": 0.0}, "`wings 0pt` cannot be opened"),
        ("put_spread", {"width": -5.0}, "`width -5pt` cannot be opened"),
        ("iron_condor", {"outside": -1.0}, "`outside -1pt` cannot be opened"),
        ("iron_condor", {"delta": 50.5}, "`delta 50.5delta` puts the short put above"),
        ("put", {"delta": -30.0}, "`delta -30delta` cannot be opened"),
        ("call", {"delta": 100.0}, "`delta 100delta` cannot be opened"),
        ("iron_condor", {"dte": 0.5}, "`dte 0.5d` cannot be opened"),
        ("iron_condor", {"delta": 10.0, "wing_delta": 10.0}, "`wing_delta 10delta` is not"),
        ("short_strangle", {"delta": 50.0, "outside": 10.0}, "`outside 10pt` moves the one"),
    ],
)
def test_the_per_day_builder_refuses_the_same_values(
    structure: str, args: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        pos.check_open_args(args, structure)
    assert unbuildable(structure, args) is not None


def test_the_edges_that_build() -> None:
    edges = {"wings": 25.0, "outside": 0.0, "delta": 50.0, "dte": 1.0, "wing_delta": 49.0}
    pos.check_open_args(edges, "iron_condor")  # 50delta: an iron butterfly
    pos.check_open_args({"delta": 99.0, "dte": 1.0}, "put")  # a deep in-the-money put


def test_the_batch_mask_asks_each_distinct_row_once() -> None:
    args = {"delta": np.array([16.0, -16.0, 16.0, np.nan]), "dte": np.array([30.0] * 4)}
    refused = pos.unbuildable_days("iron_condor", args, 4)
    assert refused.tolist() == [False, True, False, False]  # NaN: unknown, said elsewhere


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
