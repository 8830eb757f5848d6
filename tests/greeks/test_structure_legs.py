"""The one table of structures' legs and the strike placement both paths read."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alvh_rules.greeks.structure_legs import LAYOUTS, POSITION_NAMES, short_rights, spx_strikes
from alvh_rules.lang.builtins import STRUCTURES


def test_every_structure_of_the_language_has_its_legs_and_name() -> None:
    assert set(LAYOUTS) == set(STRUCTURES) == set(POSITION_NAMES)
    for name, layout in LAYOUTS.items():
        assert {leg.instrument for leg in layout} == {STRUCTURES[name].underlying} or (
            name == "vix_future" and layout[0].instrument == "VX"
        )
    assert short_rights("iron_condor") == ("p", "c") and short_rights("short_straddle") == ()
    assert short_rights("put_spread") == ("p",) and short_rights("call_spread") == ("c",)


@given(
    spot=st.floats(1000.0, 6000.0),
    gap=st.integers(1, 80),
    width=st.sampled_from([5.0, 25.0, 50.0]),
    wing_gap=st.one_of(st.none(), st.integers(-5, 60)),
    outside=st.one_of(st.none(), st.floats(0.0, 500.0)),
)
def test_wings_sit_outside_the_shorts_and_outside_moves_shorts_out(
    spot: float, gap: int, width: float, wing_gap: int | None, outside: float | None
) -> None:
    put, call = 5.0 * (round(spot / 5) - gap), 5.0 * (round(spot / 5) + gap)
    wings = {}
    if wing_gap is not None:
        wings = {"wing_put": put - 5.0 * wing_gap, "wing_call": call + 5.0 * wing_gap}
    roles = spx_strikes(
        "iron_condor",
        spot,
        put,
        call,
        width=width,
        outside=math.nan if outside is None else outside,
        **wings,
    )
    short_put, short_call = float(roles["short_put"]), float(roles["short_call"])
    assert short_put <= put and short_call >= call
    if outside is not None:
        assert spot - short_put >= outside - 1e-9 and short_call - spot >= outside - 1e-9
    assert float(roles["long_put"]) <= short_put - (5.0 if wings else width)
    assert float(roles["long_call"]) >= short_call + (5.0 if wings else width)
    if not wings:
        assert float(roles["long_put"]) == short_put - width
    assert np.all(np.asarray([v for v in roles.values()]) % 5 == 0)


@given(st.floats(0.01, 60.0), st.integers(700, 1400))
def test_wings_in_points_snap_yet_stay_a_listing_out(width: float, fives: int) -> None:
    """Wings of any width land on the listed grid, at least one listing beyond the shorts:
    `wings 1pt` must not snap the long put onto the short one (a zero-width wing)."""
    spot = 5.0 * fives
    roles = spx_strikes("iron_condor", spot, spot - 100.0, spot + 100.0, width=width)
    long_put, long_call = float(roles["long_put"]), float(roles["long_call"])
    assert long_put <= spot - 105.0 and long_call >= spot + 105.0
    assert long_put % 5 == 0 and long_call % 5 == 0
    assert abs((spot - 100.0 - width) - long_put) <= 5.0
