"""The iron butterfly (`iron_condor ... delta 50delta`) and wings as a share of spot
(`wings 5%`) on a real day, 2024-08-09 (SPX 5344.16), legs recomputed with QuantLib's Black
calculator, not the Greeks core.

At 50delta a trader means ONE short strike: both shorts are the listed strike whose call
delta is nearest 50 (the strike the 50-delta call solve lands on). Before, the put and the
call were solved apart and sat a strike apart (5380 put / 5375 call on this day).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import pytest
import QuantLib as ql

from alvh_rules.check import Ruleset
from alvh_rules.eval import positions as pos
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import History

DAY = dt.date(2024, 8, 9)
EXPIRY = dt.date(2024, 9, 20)  # the listed monthly nearest 30 days (42 out)


@pytest.fixture(scope="module")
def day(real_history: History) -> tuple[dict[str, float], Any]:
    row = real_history.daily.loc[str(DAY)]
    values = {n: float(row[n]) if n in real_history.daily else math.nan for n in MARKET_FIELDS}
    ctx = pos.valuation_context(values, DAY)
    assert not isinstance(ctx, str)
    return values, ctx


def _black(ctx: Any, right: str, strike: float) -> ql.BlackCalculator:
    """Black on the forward to the 09:30 open of the AM-settled expiry (datetimes here)."""
    gap = dt.datetime.combine(EXPIRY, dt.time(9, 30)) - dt.datetime.combine(DAY, dt.time(16))
    t = gap.total_seconds() / 86_400 / 365.0
    vol = float(ctx.spx_surface.vol(strike, t))
    forward = ctx.spx * math.exp((ctx.rate - ctx.div_yield) * t)
    kind = ql.Option.Call if right == "c" else ql.Option.Put
    payoff = ql.PlainVanillaPayoff(kind, strike)
    return ql.BlackCalculator(payoff, forward, vol * math.sqrt(t), math.exp(-ctx.rate * t))


def _call_delta(ctx: Any, strike: float) -> float:
    return float(_black(ctx, "c", strike).delta(ctx.spx))


def test_the_iron_butterfly_sells_one_strike_the_50_delta_call(
    day: tuple[dict[str, float], Any],
) -> None:
    values, ctx = day
    args = {"dte": 30.0, "delta": 50.0, "wings": 250.0}
    position = pos.build_position(
        pos.OpenRequest("fly", "iron_condor", None, args), ctx, DAY, values
    )
    long_put, short_put, short_call, long_call = position.legs
    assert {leg.expiry for leg in position.legs} == {EXPIRY}
    assert short_put.strike == short_call.strike == 5375.0
    # no listed neighbour's call delta is nearer 0.50 (QuantLib, on the day's surface)
    gaps = [abs(_call_delta(ctx, k) - 0.5) for k in (5370.0, 5375.0, 5380.0)]
    assert gaps[1] < min(gaps[0], gaps[2])
    assert (long_put.strike, long_call.strike) == (5125.0, 5625.0)
    for leg in position.legs:
        assert leg.entry_price == pytest.approx(_black(ctx, leg.right, leg.strike).value())
    credit = sum(-leg.quantity * leg.entry_price for leg in position.legs)
    figures = pos.figures_of(position, ctx)
    # a butterfly's worst case is a wing less the credit; its best the whole credit
    assert figures["max_loss"] == pytest.approx(100 * (250.0 - credit), rel=1e-9)
    assert figures["max_profit"] == pytest.approx(100 * credit, rel=1e-9)


def test_a_50_delta_strangle_is_a_straddle_at_the_same_strike(
    day: tuple[dict[str, float], Any],
) -> None:
    values, ctx = day
    request = pos.OpenRequest("s", "short_strangle", None, {"dte": 30.0, "delta": 50.0})
    put, call = pos.build_position(request, ctx, DAY, values).legs
    assert put.strike == call.strike == 5375.0 and put.quantity == call.quantity == -1


def test_wings_as_a_share_of_spot_on_the_real_day(
    ruleset: Callable[[str], Ruleset], real_history: History, day: tuple[dict[str, float], Any]
) -> None:
    """`wings 5%`: 5% of 5344.16 is 267.208 points beyond 5375, snapped to the listed
    5110 and 5640; the same through `evaluate` (the batch path) and the per-day builder."""
    _, ctx = day
    rules = ruleset(
        "entry fly:\n    open iron_condor dte 30d delta 50delta wings 5%\n    size contracts 1\n"
    )
    (action,) = evaluate(rules, real_history.snapshot(DAY)).actions
    strikes = [leg.strike for leg in action.legs]
    assert strikes == [5110.0, 5375.0, 5375.0, 5640.0]
    assert 5375 - 0.05 * ctx.spx == pytest.approx(5107.792)
    for leg in action.legs:
        assert leg.price == pytest.approx(_black(ctx, leg.right, leg.strike).value(), abs=1e-4)


def test_a_percent_wing_in_a_test_holding_is_read_the_same_way(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    """`holding fly: ... wings 5%` builds the legs `evaluate` proposes on the same day."""
    from alvh_rules.syntax import ast
    from alvh_rules.testing.snapshots import MarketSource, build_inputs

    rules = ruleset(
        "entry fly:\n    open iron_condor dte 30d delta 50delta wings 5%\n    size contracts 1\n"
        'test "held":\n    on builtin\n'
        "    holding fly: iron_condor dte 30d delta 50delta wings 5%\n    expect fly fires\n"
    )
    (block,) = [i for m in rules.program.modules for i in m.items if isinstance(i, ast.TestBlock)]
    inputs = build_inputs(block, rules, MarketSource(None))
    (held,) = inputs.snapshot.portfolio.positions
    proposed = evaluate(rules, demo_history.snapshot(demo_history.index[-1].date())).actions
    assert [leg.strike for leg in held.legs] == [leg.strike for leg in proposed[0].legs]
    short_put, short_call = held.legs[1], held.legs[2]
    assert short_put.strike == short_call.strike
    wing = held.legs[3].strike - short_call.strike
    assert abs(wing - 0.05 * demo_history.daily["spx"].iloc[-1]) <= 2.5  # snapped to the grid


def test_the_batch_and_the_per_day_builder_place_the_same_butterfly(
    ruleset: Callable[[str], Ruleset], demo_history: History
) -> None:
    """`evaluate` builds through the batch (many days at once); the per-day builder serves
    holdings and chains: on each of 20 days both give one short strike and the same wings."""
    rules = ruleset(
        "entry fly:\n    open iron_condor dte 30d delta 50delta wings 5%\n    size contracts 1\n"
    )
    for stamp in demo_history.index[-20:]:
        today = stamp.date()
        snapshot = demo_history.snapshot(today)
        (action,) = evaluate(rules, snapshot).actions
        values = {name: snapshot.value(name) for name in MARKET_FIELDS}
        ctx = pos.valuation_context(values, today)
        assert not isinstance(ctx, str)
        wings = 0.05 * values["spx"]
        request = pos.OpenRequest(
            "fly", "iron_condor", None, {"dte": 30, "delta": 50, "wings": wings}
        )
        built = pos.build_position(request, ctx, today, values)
        assert [leg.strike for leg in action.legs] == [leg.strike for leg in built.legs], today
        assert action.legs[1].strike == action.legs[2].strike


def test_a_pickled_ruleset_still_reads_percent_wings(demo_history: History) -> None:
    """Sweeps send a checked ruleset to worker processes by pickle: the checker's node types
    (which say `wings 5%` is a percent) are re-keyed there, so the legs are the same."""
    import pickle
    from pathlib import Path

    from alvh_rules.check import load

    path = Path(__file__).resolve().parents[2] / "rulesets/examples/cboe_bfly_index.alvh"
    rules = load(path)
    snapshot = demo_history.snapshot(demo_history.index[-1].date(), capital=1e6)
    here = evaluate(rules, snapshot).actions[0]
    there = evaluate(pickle.loads(pickle.dumps(rules)), snapshot).actions[0]
    assert [leg.strike for leg in there.legs] == [leg.strike for leg in here.legs]
    assert here.legs[3].strike - here.legs[2].strike == 265.0  # 5% of 5344.16, snapped
