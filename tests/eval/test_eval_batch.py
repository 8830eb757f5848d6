"""The batch path of the Greeks core agrees with the per-day path (`build_position` +
`position_fields`) on every figure and leg, on random days and on real ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.eval import market_days as md
from alvh_rules.eval import positions as pos
from alvh_rules.eval import sizing as sz
from alvh_rules.greeks.batch import BatchPositions, build_structures
from alvh_rules.greeks.figures import position_fields
from alvh_rules.lang.builtins import STRUCTURES
from alvh_rules.lang.catalog import MARKET_FIELDS, POSITION_FIELDS
from alvh_rules.market import History

TODAY = dt.date(2024, 3, 1)
SIDES = {
    "vix_call": ("long", "short"),
    "vix_future": ("long", "short"),
    "put": ("short", "long"),
    "call": ("long", "short"),
}


def _close(batch: float, per_day: float) -> bool:
    if math.isnan(per_day) or math.isinf(per_day):
        return batch == per_day or (math.isnan(batch) and math.isnan(per_day))
    return math.isclose(batch, per_day, rel_tol=1e-9, abs_tol=1e-9)


def _args(structure: str, draw: Any) -> dict[str, float]:
    args = {"dte": float(draw(st.integers(1, 120)))}
    if "delta" in STRUCTURES[structure].args:
        args["delta"] = draw(st.floats(5.0, 45.0))
    if structure == "iron_condor":
        if draw(st.booleans()):
            args["wings"] = float(draw(st.sampled_from([10, 25, 50, 100])))
        else:
            args["wing_delta"] = args["delta"] * draw(st.floats(0.1, 0.8))
    if "width" in STRUCTURES[structure].args:
        args["width"] = float(draw(st.sampled_from([1, 2, 5, 25, 50])))
    return args


@st.composite
def _day(draw: Any) -> tuple[str, str | None, dict[str, float], dict[str, float]]:
    structure = draw(st.sampled_from(sorted(STRUCTURES)))
    side = draw(st.sampled_from(SIDES.get(structure, (None,))))
    vix = draw(st.floats(9.0, 80.0))
    maybe = st.one_of(st.just(math.nan), st.floats(0.7, 1.4))
    values = {name: math.nan for name in MARKET_FIELDS}
    values.update(
        spx=draw(st.floats(300.0, 7000.0)),
        vix=vix,
        vix9d=vix * draw(maybe),
        vix3m=vix * draw(maybe),
        risk_free=draw(st.floats(0.0, 0.08)),
        vix_f1=vix * draw(st.floats(0.8, 1.3)),
        vix_f2=vix * draw(maybe),
        vix_f1_dte=float(draw(st.integers(0, 35))),
        vvix=draw(st.floats(60.0, 180.0)),
        spx_rv20=draw(st.one_of(st.just(math.nan), st.floats(3.0, 90.0))),
    )
    args = _args(structure, draw)
    if STRUCTURES[structure].underlying == "VIX":
        forward = pos.vix_future_at(values, round(args["dte"]))
        args["strike"] = forward + draw(st.sampled_from([-2.0, 0.0, 3.0, 5.0]))
    return structure, side, args, values


def _batch(
    structure: str,
    side: str | None,
    days: list[tuple[dict[str, float], dict[str, float]]],
    quantity: int,
    beta: float,
    today: list[dt.date] | None = None,
) -> BatchPositions:
    values = {name: np.array([v[name] for _, v in days]) for name in MARKET_FIELDS}
    names = sorted({name for a, _ in days for name in a})  # wings or wing_delta per day
    args = {name: np.array([a.get(name, math.nan) for a, _ in days]) for name in names}
    betas = np.full(len(days), beta)
    request = pos.OpenRequest("rule", structure, side, {})
    dates = np.array(today or [TODAY] * len(days), dtype="datetime64[D]")
    terms = pos.terms_for_days(request, args, values, dates)
    terms = dataclasses.replace(terms, quantity=np.full(len(days), float(quantity)))
    return build_structures(structure, md.markets_for_days(values, betas), terms)


def _agree(
    structure: str,
    side: str | None,
    days: list[tuple[dict[str, float], dict[str, float]]],
    quantity: int = 1,
    beta: float = pos.DEFAULT_VIX_BETA,
    today: list[dt.date] | None = None,
) -> int:
    """Compare every day; return how many were compared (the rest the per-day path refuses)."""
    batch = _batch(structure, side, days, quantity, beta, today)
    figures = batch.all_figures()
    compared = 0
    for row, (args, values) in enumerate(days):
        as_of = today[row] if today else TODAY
        ctx = pos.valuation_context(values, as_of, None, beta)
        if isinstance(ctx, str):
            continue
        request = pos.OpenRequest("rule", structure, side, args)
        try:
            position = pos.build_position(request, ctx, as_of, values, quantity)
            expected = position_fields(position, ctx)
        except ValueError:
            continue
        assert batch.buildable[row], (structure, args, values)
        compared += 1
        for name in POSITION_FIELDS:
            got = float(figures[name][row])
            assert _close(got, expected[name]), (name, got, expected[name], structure, args)
        legs = batch.position(row, 1, as_of, "rule").legs  # quantities hold `quantity`
        assert [(g.instrument, g.right, g.strike, g.quantity) for g in legs] == [
            (g.instrument, g.right, g.strike, g.quantity) for g in position.legs
        ]
        for mine, theirs in zip(legs, position.legs, strict=True):
            assert _close(mine.entry_price, theirs.entry_price)
    return compared


@settings(max_examples=60, deadline=None)
@given(st.lists(_day(), min_size=1, max_size=4), st.integers(1, 7), st.floats(0.5, 1.0))
def test_batch_equals_per_day_on_random_days(
    days: list[tuple[str, str | None, dict[str, float], dict[str, float]]],
    quantity: int,
    beta: float,
) -> None:
    structure, side = days[0][0], days[0][1]
    same = [(args, values) for s, d, args, values in days if (s, d) == (structure, side)]
    if STRUCTURES[structure].underlying == "VIX":
        same = [(a, v) for a, v in same if a.get("strike", 1.0) > 0]
    if same:
        _agree(structure, side, same, quantity, beta)


@pytest.mark.parametrize("structure", sorted(STRUCTURES))
def test_batch_equals_per_day_on_real_days(structure: str, real_history: History) -> None:
    frame = real_history.daily
    rng = np.random.default_rng(sum(map(ord, structure)))
    recent = np.flatnonzero(np.asarray(frame.index >= "2008-01-01"))
    rows = rng.choice(recent, size=25, replace=False)
    days, dates = [], []
    for row in rows:
        values = {
            name: float(frame[name].iloc[row]) if name in frame else math.nan
            for name in MARKET_FIELDS
        }
        args = {"dte": 30.0, "delta": 16.0, "wings": 50.0, "width": 25.0}
        if STRUCTURES[structure].underlying == "VIX":
            args.update(width=5.0, strike=pos.vix_future_at(values, 30.0) + 5.0)
        days.append(({k: args[k] for k in STRUCTURES[structure].args if k in args}, values))
        dates.append(frame.index[row].date())
    compared = _agree(structure, SIDES.get(structure, (None,))[0], days, 3, today=dates)
    assert compared >= 20


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from([math.nan, math.inf, 0.0, 150.0, 2500.0]), min_size=1, max_size=3),
    st.lists(st.sampled_from([math.nan, math.inf, 0.0, 150.0, 2500.0]), min_size=1, max_size=3),
    st.sampled_from([math.nan, 0.0, 35.0]),
)
def test_stack_per_day_equals_stack_figures(
    profits: list[float], losses: list[float], dte: float
) -> None:
    """`stack` read for many days at once equals `positions.stack_figures` day by day."""
    from alvh_rules.eval.frame import PositionFigures
    from alvh_rules.eval.rule_days import RuleDays, stack_days

    days = min(len(profits), len(losses))
    proposed = {name: np.linspace(-3.0, 3.0, days) for name in POSITION_FIELDS}
    proposed.update(
        max_profit=np.array(profits[:days]),
        max_loss=np.array(losses[:days]),
        dte=np.full(days, dte),
    )
    codes = np.zeros(days, dtype=np.intp)
    chunk = RuleDays("rule", np.arange(days), np.arange(days), None, codes, codes)
    chunk._figures = dict(proposed)
    portfolio = {"vega": -120.0, "delta": 3.0}
    positions = {"core": {"max_profit": 900.0, "max_loss": profits[0], "expected_profit": 40.0}}
    held = PositionFigures()
    held.portfolio, held.held = dict(portfolio), {k: dict(v) for k, v in positions.items()}
    for name in POSITION_FIELDS:
        vectorized = stack_days(chunk, name, held)
        for day in range(days):
            one = {k: float(v[day]) for k, v in proposed.items()}
            expected = sz.stack_figures(portfolio, positions, one)[name]
            assert _close(float(vectorized[day]), expected), (name, day)
