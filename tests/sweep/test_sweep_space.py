"""The search space: grids with units, the declared bounds, did-you-mean, whole numbers for
counts of days, and random draws that stay inside the bounds and repeat with their seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.check.ruleset import Ruleset, load
from alvh_rules.eval.params import declared_bounds
from alvh_rules.sweeping.space import (
    SpaceError,
    grid_space,
    grid_values,
    random_space,
    split_grid_option,
)


def test_grid_with_units_is_every_combination(quickstart: Ruleset) -> None:
    space = grid_space(quickstart, {"roe_floor": "10%..20%:3", "rsi_cap": "50..70:5"})
    assert space.names == ("roe_floor", "rsi_cap")
    assert len(space.points) == 15
    assert space.points[0] == {"roe_floor": 0.10, "rsi_cap": 50.0}
    assert space.points[-1] == {"roe_floor": 0.20, "rsi_cap": 70.0}
    assert sorted({p["roe_floor"] for p in space.points}) == [0.10, 0.15, 0.20]


def test_comma_lists_and_sequences(quickstart: Ruleset) -> None:
    assert grid_values(quickstart, "rsi_cap", "55, 60,60") == [55.0, 60.0]
    assert grid_values(quickstart, "roe_floor", ["9%", 0.1]) == [0.09, 0.1]


def test_counts_of_days_are_whole_numbers(quickstart: Ruleset) -> None:
    assert grid_values(quickstart, "event_buffer", "0d..10d:4") == [0.0, 3.0, 7.0, 10.0]
    with pytest.raises(SpaceError, match="whole number"):
        grid_values(quickstart, "event_buffer", "1.5d")


def test_a_value_outside_the_bounds_names_them(quickstart: Ruleset) -> None:
    with pytest.raises(SpaceError, match=r"outside its bounds 8% \.\. 20%"):
        grid_space(quickstart, {"roe_floor": "5%..20%:4"})


def test_an_unknown_param_suggests_the_near_one(quickstart: Ruleset) -> None:
    with pytest.raises(SpaceError, match="no param named 'rsi_capp'; did you mean 'rsi_cap'"):
        grid_space(quickstart, {"rsi_capp": "50..60:2"})


def test_the_wrong_unit_is_refused(quickstart: Ruleset) -> None:
    with pytest.raises(SpaceError, match="roe_floor is in %, not delta"):
        grid_values(quickstart, "roe_floor", "10delta..12delta:2")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("50..70", "LOW..HIGH:COUNT"),
        ("50..70:x", "COUNT 'x' is not a whole number"),
        ("50..70:1", "at least 2"),
        ("70..50:3", "LOW is above HIGH"),
        ("..70:3", "LOW..HIGH:COUNT"),
    ],
)
def test_malformed_ranges(quickstart: Ruleset, spec: str, message: str) -> None:
    with pytest.raises(SpaceError, match=message):
        grid_values(quickstart, "rsi_cap", spec)


def test_grid_option_needs_a_name_and_a_spec() -> None:
    assert split_grid_option(" rsi_cap = 50..70:3") == ("rsi_cap", "50..70:3")
    with pytest.raises(SpaceError, match=r"NAME=LOW\.\.HIGH:COUNT"):
        split_grid_option("rsi_cap")


def test_an_enormous_grid_is_refused(quickstart: Ruleset) -> None:
    with pytest.raises(SpaceError, match="at most 100,000"):
        grid_space(quickstart, {"rsi_cap": "50..70:1000", "profit_take": "30%..70%:1000"})


def test_random_needs_params_with_declared_bounds(tmp_path: Path, quickstart: Ruleset) -> None:
    with pytest.raises(SpaceError, match="needs the params"):
        random_space(quickstart, [], 3, 0)
    with pytest.raises(SpaceError, match="at least 1"):
        random_space(quickstart, ["rsi_cap"], 0, 0)
    path = tmp_path / "unbounded.alvh"
    path.write_text(
        "param cap = 25\n\nentry calm:\n    when vix < cap\n"
        "    open iron_condor dte 45d delta 16delta wings 25pt\n"
    )
    with pytest.raises(SpaceError, match="cap declares no bounds"):
        random_space(load(path), ["cap"], 3, 0)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(1, 30))
def test_random_draws_stay_inside_the_bounds_and_repeat(
    quickstart: Ruleset, seed: int, count: int
) -> None:
    names = ["roe_floor", "event_buffer", "profit_take"]
    space = random_space(quickstart, names, count, seed)
    assert space == random_space(quickstart, names, count, seed)
    assert len(space.points) == count
    for point in space.points:
        for name in names:
            bounds = declared_bounds(quickstart.params[name])
            assert bounds is not None
            assert bounds[0] <= point[name] <= bounds[1]
        assert point["event_buffer"] == int(point["event_buffer"])
