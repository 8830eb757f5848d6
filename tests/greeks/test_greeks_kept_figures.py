"""Figures kept across calls are those computed afresh, bit for bit: the stress revaluation
of a day's book in one call (`scenario_values`), and a one-expiry position's max profit and
loss kept by (position, grid top) across days (`payoff.max_profit_and_loss`)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.eval.positions import valuation_context
from alvh_rules.greeks import expected, payoff, scenario_values
from alvh_rules.greeks.context import ValuationContext
from alvh_rules.greeks.conventions import annualised_return
from alvh_rules.greeks.legs import Leg, Position
from alvh_rules.greeks.valuation import RISK_FIELDS, Scenario, leg_table, leg_tables, leg_values
from tests.greeks.test_greeks_positions_together import (
    DAY,
    EXPIRIES,
    VALUES,
    future_leg,
    position,
    spx_leg,
    vix_leg,
)

STRESS = Scenario(spx_move=-0.10, spx_vol_shift_vp=15.0)


def _ctx(**changes: float) -> ValuationContext:
    ctx = valuation_context({**VALUES, **changes}, DAY)
    assert not isinstance(ctx, str)
    return ctx


def _same(a: float, b: float) -> bool:
    """Equal bit for bit (NaN equal to NaN, 0.0 not equal to -0.0)."""
    return np.array(a).tobytes() == np.array(b).tobytes()


@settings(max_examples=60, deadline=None)
@given(st.lists(position, min_size=2, max_size=8), st.sampled_from([STRESS, Scenario()]))
def test_a_book_valued_together_under_a_scenario_is_valued_as_one_by_one(
    book: list[Position], scenario: Scenario
) -> None:
    ctx = _ctx()
    alone = [float(leg_values(p.legs, ctx, scenario).sum()) for p in book]
    scenario_values.value_together_under(book, ctx, scenario)
    together = [scenario_values.value_under(p, ctx, scenario) for p in book]
    assert all(_same(a, b) for a, b in zip(alone, together, strict=True))


def test_kept_values_are_per_context_and_scenario() -> None:
    legs = (Leg(instrument="SPX", right="p", strike=4800.0, expiry=EXPIRIES[1], quantity=-1),)
    put = Position(name="p", legs=legs)
    ctx, lower = _ctx(), _ctx(spx=4900.0)
    base = scenario_values.value_under(put, ctx, Scenario())
    assert scenario_values.value_under(put, ctx, STRESS) < base  # a short put loses on a fall
    assert scenario_values.value_under(put, lower, Scenario()) < base
    assert scenario_values.value_under(put, ctx, Scenario()) == base


def test_a_book_with_a_leg_that_cannot_be_valued_keeps_nothing() -> None:
    """Without VVIX a VIX leg cannot be valued: nothing is kept for the book, and the
    position that can be valued is valued alone on request."""
    ctx = valuation_context({k: v for k, v in VALUES.items() if k != "vvix"}, DAY)
    assert not isinstance(ctx, str)
    spx = Position(
        name="a",
        legs=(Leg(instrument="SPX", right="p", strike=4800.0, expiry=EXPIRIES[1], quantity=-1),),
    )
    vix = Position(
        name="b",
        legs=(
            Leg(instrument="VIX", right="c", strike=20.0, expiry=dt.date(2024, 4, 17), quantity=2),
        ),
    )
    scenario_values.value_together_under([spx, vix], ctx, STRESS)
    assert math.isfinite(scenario_values.value_under(spx, ctx, STRESS))
    with pytest.raises(ValueError, match="VIX option smile"):
        scenario_values.value_under(vix, ctx, STRESS)


one_expiry_position = st.builds(
    lambda strikes, quantities, rights, expiry: Position(
        name="p",
        legs=tuple(
            Leg(instrument="SPX", right=r, strike=k, expiry=expiry, quantity=q)
            for k, q, r in zip(strikes, quantities, rights, strict=False)
        ),
    ),
    st.lists(st.floats(3000.0, 7000.0), min_size=1, max_size=4),
    st.lists(st.integers(-5, 5).filter(bool), min_size=4, max_size=4),
    st.lists(st.sampled_from(["c", "p"]), min_size=4, max_size=4),
    st.sampled_from(EXPIRIES),
)


@settings(max_examples=80, deadline=None)
@given(one_expiry_position, st.lists(st.floats(2000.0, 8000.0), min_size=1, max_size=4))
def test_bounds_kept_across_days_are_those_solved_afresh(
    spread: Position, levels: list[float]
) -> None:
    """Day after day (SPX moving, so the grid's top moves only when SPX tops the strikes),
    the kept bounds are those a fresh copy of the position solves on that day."""
    for spx in levels:
        ctx = _ctx(spx=spx)
        kept = payoff.max_profit_and_loss(spread, ctx)
        fresh = payoff.max_profit_and_loss(spread.model_copy(), ctx)
        assert all(_same(a, b) for a, b in zip(kept, fresh, strict=True))


@settings(max_examples=40, deadline=None)
@given(one_expiry_position, st.floats(5.0, 60.0))
def test_expected_profit_kept_by_context_is_the_one_computed_afresh(
    spread: Position, realized: float
) -> None:
    """`expected_profit` keeps an SPX position's result by (position, context): a second
    read is the first, and another day's context (another realized vol) is solved again."""
    ctx, other = _ctx(spx_rv20=realized), _ctx(spx_rv20=realized * 1.5)
    first = expected.expected_profit(spread, ctx, 0.0)
    assert math.isfinite(first)
    assert _same(first, expected.expected_profit(spread, ctx, 0.0))
    assert _same(first, expected.expected_profit(spread.model_copy(), ctx, 0.0))
    assert _same(
        expected.expected_profit(spread, other, 0.0),
        expected.expected_profit(spread.model_copy(), other, 0.0),
    )


scenario = st.builds(
    Scenario,
    spx_move=st.floats(-0.5, 0.5),
    spx_vol_shift_vp=st.floats(-20.0, 40.0),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(spx_leg, vix_leg, future_leg), min_size=1, max_size=8),
    st.lists(scenario, min_size=1, max_size=3),
    st.floats(3000.0, 7000.0),
)
def test_scenarios_valued_together_are_each_valued_alone(
    legs: list[Leg], scenarios: list[Scenario], spx: float
) -> None:
    """`leg_tables` (the backtest's marks and stress payoff in one call) gives each
    scenario the table `leg_table` gives it alone, every figure bit for bit."""
    ctx = _ctx(spx=spx)
    together = leg_tables(legs, ctx, [Scenario(), *scenarios])
    for alone_scenario, table in zip([Scenario(), *scenarios], together, strict=True):
        alone = leg_table(legs, ctx, alone_scenario)
        for name in RISK_FIELDS:
            assert table[name].shape == alone[name].shape
            assert table[name].tobytes() == alone[name].tobytes(), name


def test_scenarios_that_move_time_or_set_the_vix_shift_are_refused() -> None:
    legs = [Leg(instrument="SPX", right="p", strike=4800.0, expiry=EXPIRIES[1], quantity=-1)]
    with pytest.raises(ValueError, match="days_forward"):
        leg_tables(legs, _ctx(), [Scenario(), Scenario(days_forward=5.0)])
    with pytest.raises(ValueError, match="days_forward"):
        leg_tables(legs, _ctx(), [Scenario(), Scenario(vix_future_shift=1.0)])


@settings(max_examples=30, deadline=None)
@given(st.lists(position, min_size=1, max_size=6))
def test_values_remembered_from_a_table_are_those_valued_alone(book: list[Position]) -> None:
    ctx = _ctx()
    legs = [leg for p in book for leg in p.legs]
    _, stressed = leg_tables(legs, ctx, [Scenario(), STRESS])
    scenario_values.remember_values(book, ctx, STRESS, stressed["value"])
    fresh = _ctx()  # a context nothing was kept for: each position valued alone
    for member in book:
        kept = scenario_values.value_under(member, ctx, STRESS)
        assert _same(kept, float(leg_values(member.legs, fresh, STRESS).sum()))


any_float = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-300, 1e300, -1.0]),
)


@given(any_float, any_float, any_float)
def test_annualised_return_on_floats_is_the_array_formula(
    profit: float, loss: float, dte: float
) -> None:
    """The Python-float path of `annualised_return` (a position's figures) gives what the
    array path gives for the same values, bit for bit."""
    on_floats = annualised_return(profit, loss, dte)
    on_arrays = annualised_return(np.array([profit]), np.array([loss]), np.array([dte]))
    assert isinstance(on_floats, float)
    assert _same(on_floats, float(on_arrays[0]))


@settings(max_examples=60, deadline=None)
@given(one_expiry_position, st.lists(st.floats(2000.0, 8000.0), min_size=1, max_size=4))
def test_breakevens_kept_across_days_are_those_solved_afresh(
    spread: Position, levels: list[float]
) -> None:
    for spx in levels:
        ctx = _ctx(spx=spx)
        kept = payoff.breakevens(spread, ctx, at_expiry=True)
        fresh = payoff.breakevens(spread.model_copy(), ctx, at_expiry=True)
        assert all(_same(a, b) for a, b in zip(kept, fresh, strict=True))
