"""Trader-level figures on hand-checked positions: a 45-DTE 16-delta SPX iron condor and a
VIX call spread, layers and the portfolio, and the catalogue's field names."""

from __future__ import annotations

import math
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np
import pytest
from flat_market import VIX_EXPIRY, flat_context
from greeks_reference import quantlib_bsm

from alvh_rules.greeks import (
    FlatSurface,
    Leg,
    Portfolio,
    Position,
    Scenario,
    ValuationContext,
    breakevens,
    expected_move,
    iron_condor,
    layer_fields,
    portfolio_fields,
    position_fields,
    position_risk,
    vix_call_spread,
    vol_breakeven,
)
from alvh_rules.greeks.conventions import annualised_return
from alvh_rules.greeks.figures import group_fields
from alvh_rules.lang.catalog import PORTFOLIO_FIELDS, POSITION_FIELDS

AS_OF = date(2025, 1, 2)
EXPIRY = AS_OF + timedelta(days=45)
N = NormalDist()


@pytest.fixture
def ctx() -> ValuationContext:
    return flat_context(AS_OF)


def _sixteen_delta_strike(right: str, ctx: ValuationContext, t: float) -> float:
    """Closed form under a flat vol: N(d1) = 0.16 e^{qt} (call) or N(-d1) = that (put)."""
    forward = ctx.spx * math.exp((ctx.rate - ctx.div_yield) * t)
    s = 0.16 * math.sqrt(t)
    d1 = N.inv_cdf(0.16 * math.exp(ctx.div_yield * t))
    d1 = d1 if right == "c" else -d1
    return forward * math.exp(-(d1 - 0.5 * s) * s)


def test_iron_condor_strikes_greeks_and_payoff_by_hand(ctx: ValuationContext) -> None:
    ic = iron_condor(ctx, EXPIRY, short_delta=0.16, wing_width=50.0)
    t = 45 / 365
    put_k = round(_sixteen_delta_strike("p", ctx, t) / 5) * 5
    call_k = round(_sixteen_delta_strike("c", ctx, t) / 5) * 5
    assert [(leg.right, leg.strike, leg.quantity) for leg in ic.legs] == [
        ("p", put_k - 50, 1),
        ("p", put_k, -1),
        ("c", call_k, -1),
        ("c", call_k + 50, 1),
    ]
    # Dollar Greeks from QuantLib, leg by leg: units * raw Greek, per vp, per day.
    ql = [
        quantlib_bsm(leg.right == "c", 5000.0, leg.strike, 45, 0.16, 0.04, 0.013) for leg in ic.legs
    ]
    units = [leg.quantity * 100 for leg in ic.legs]
    risk = position_risk(ic, ctx)
    expected = {
        "delta": sum(u * q["delta"] for u, q in zip(units, ql, strict=True)),
        "gamma": sum(u * q["gamma"] for u, q in zip(units, ql, strict=True)),
        "vega": sum(u * q["vega"] / 100 for u, q in zip(units, ql, strict=True)),
        "theta": sum(u * q["theta"] / 365 for u, q in zip(units, ql, strict=True)),
        "value": sum(u * q["price"] for u, q in zip(units, ql, strict=True)),
    }
    for name, value in expected.items():
        assert getattr(risk, name) == pytest.approx(value, rel=1e-8, abs=1e-9), name
    # A short condor collects a credit, earns theta and is short vega.
    credit = -sum(u * leg.entry_price for u, leg in zip(units, ic.legs, strict=True))
    assert credit > 0 and risk.theta > 0 and risk.vega < 0
    f = position_fields(ic, ctx)
    assert f["credit"] == pytest.approx(credit)
    assert f["max_profit"] == pytest.approx(credit)
    assert f["max_loss"] == pytest.approx(50 * 100 - credit)
    assert f["breakeven_low"] == pytest.approx(put_k - credit / 100, abs=1e-6)
    assert f["breakeven_high"] == pytest.approx(call_k + credit / 100, abs=1e-6)
    assert f["dte"] == 45 and f["contracts"] == 1 and f["profit"] == pytest.approx(0, abs=1e-9)
    assert f["irr"] == pytest.approx(credit / (5000 - credit) * 365 / 45)


def test_vix_call_spread_by_hand(ctx: ValuationContext) -> None:
    spread = vix_call_spread(ctx, 20.0, 30.0, VIX_EXPIRY, quantity=10, layer="hedge")
    t = ((VIX_EXPIRY - AS_OF).days - 6.5 / 24) / 365  # VIX settles at the expiry day's open
    s = 0.9 * math.sqrt(t)
    df = math.exp(-0.04 * t)

    def black(k: float) -> tuple[float, float]:
        d1 = math.log(17.0 / k) / s + s / 2
        return df * (17.0 * N.cdf(d1) - k * N.cdf(d1 - s)), df * N.cdf(d1)

    (p20, d20), (p30, d30) = black(20.0), black(30.0)
    assert [leg.entry_price for leg in spread.legs] == pytest.approx([p20, p30], rel=1e-12)
    debit = 1000 * (p20 - p30)
    f = position_fields(spread, ctx)
    assert f["credit"] == pytest.approx(-debit)
    assert f["max_loss"] == pytest.approx(debit)
    assert f["max_profit"] == pytest.approx(10 * 100 * 10 - debit)
    # SPX-equivalent vega and delta go through the explicit betas.
    assert f["vega"] == pytest.approx(1000 * (d20 - d30) * 0.8, rel=1e-12)
    assert f["delta"] == pytest.approx(1000 * (d20 - d30) * -0.004, rel=1e-12)
    for name in ("breakeven_low", "breakeven_high", "vol_breakeven", "roll_cost"):
        assert math.isnan(f[name]), name
    # A VIX spike of 10 points pays: the projection is a full revaluation.
    up = position_fields(spread, ctx, scenario=Scenario(vix_future_shift=10.0))
    assert 0 < up["projected_payoff"] < f["max_profit"] + debit


def test_fields_are_exactly_the_catalogue(ctx: ValuationContext) -> None:
    ic = iron_condor(ctx, EXPIRY)
    assert list(position_fields(ic, ctx)) == list(POSITION_FIELDS)
    portfolio = Portfolio(positions=(ic,), capital=100_000.0, risk_budget=10_000.0)
    assert list(portfolio_fields(portfolio, ctx)) == [*POSITION_FIELDS, *PORTFOLIO_FIELDS]


def test_layers_and_portfolio_add_up(ctx: ValuationContext) -> None:
    core = iron_condor(ctx, EXPIRY, layer="core", quantity=2)
    hedge = vix_call_spread(ctx, 20.0, 30.0, VIX_EXPIRY, quantity=10, layer="hedge")
    loose = iron_condor(ctx, EXPIRY, short_delta=0.10)
    portfolio = Portfolio(positions=(core, hedge, loose), capital=1e6, risk_budget=5e4)
    layers = layer_fields(portfolio, ctx)
    assert set(layers) == {"core", "hedge", "untagged"}
    whole = portfolio_fields(portfolio, ctx)
    for name in ("delta", "gamma", "vega", "theta", "vanna", "volga", "value", "credit"):
        parts = [position_fields(p, ctx)[name] for p in (core, hedge, loose)]
        assert whole[name] == pytest.approx(sum(parts), rel=1e-12, abs=1e-9)
        assert layers["hedge"][name] == pytest.approx(parts[1], rel=1e-12, abs=1e-12)
    assert whole["dte"] == 45 and whole["capital"] == 1e6
    assert math.isnan(whole["breakeven_low"]) and math.isnan(whole["roll_cost"])


def test_group_bounds_are_the_positions_summed(ctx: ValuationContext) -> None:
    """A group's max profit, max loss and expected profit are its positions' summed (every
    position at its best or worst at once, the stack's bound); irr follows from the sums."""
    first = iron_condor(ctx, EXPIRY, quantity=2)
    second = iron_condor(ctx, EXPIRY, short_delta=0.10)
    hedge = vix_call_spread(ctx, 20.0, 30.0, VIX_EXPIRY, quantity=10)
    lived = ctx.model_copy(update={"realized_vol": 0.12})
    parts = [position_fields(p, lived) for p in (first, second, hedge)]
    group = group_fields([first, second, hedge], lived)
    for name in ("max_profit", "max_loss", "expected_profit"):
        assert math.isfinite(group[name])
        assert group[name] == pytest.approx(sum(f[name] for f in parts), rel=1e-12)
    # irr and expected_irr follow from the sums, to the nearest expiry
    pair = group_fields([first, second], lived)
    assert pair["irr"] == pytest.approx(
        annualised_return(pair["max_profit"], pair["max_loss"], pair["dte"])
    )
    assert pair["expected_irr"] == pytest.approx(
        annualised_return(pair["expected_profit"], pair["max_loss"], pair["dte"])
    )
    assert math.isnan(group_fields([first, second], ctx)["expected_profit"])  # no realized vol


def test_vol_breakeven_costs_exactly_the_credit(ctx: ValuationContext) -> None:
    ic = iron_condor(ctx, EXPIRY)
    shift = vol_breakeven(ic, ctx)
    credit = position_fields(ic, ctx)["credit"]
    vega = position_risk(ic, ctx).vega
    assert shift > 0 and shift == pytest.approx(credit / -vega, rel=0.6)
    shocked = ctx.model_copy(update={"spx_surface": FlatSurface(0.16 + shift / 100)})
    drop = position_risk(ic, ctx).value - position_risk(ic, shocked).value
    assert drop == pytest.approx(credit, rel=1e-9)


def test_breakevens_today_after_time_has_passed(ctx: ValuationContext) -> None:
    ic = iron_condor(ctx, EXPIRY)
    later = ctx.model_copy(update={"as_of": AS_OF + timedelta(days=20)})
    low, high = breakevens(ic, later, at_expiry=False)
    assert low < 5000 < high
    from alvh_rules.greeks.payoff import pnl_curve

    edges = pnl_curve(ic, later, np.array([low, high]), at_expiry=False)
    assert np.abs(edges).max() < 1e-6
    assert pnl_curve(ic, later, np.array([5000.0]), at_expiry=False)[0] > 0


def test_expected_move_in_points() -> None:
    assert float(expected_move(5000.0, 0.16, 45)) == pytest.approx(
        5000 * 0.16 * math.sqrt(45 / 365)
    )
    assert expected_move(np.array([4000.0, 5000.0]), 0.2, 365).tolist() == [800.0, 1000.0]


def test_a_leg_expiring_today_is_worth_its_intrinsic_value(ctx: ValuationContext) -> None:
    leg = Leg(instrument="SPX", right="p", strike=5100.0, expiry=AS_OF, quantity=-2)
    risk = position_risk(Position(name="expiring put", legs=(leg,)), ctx)
    assert risk.value == pytest.approx(-2 * 100 * 100.0)
    assert risk.delta == pytest.approx(200.0) and risk.gamma == 0 and risk.vega == 0


def test_the_core_vocabulary_is_the_catalogue_vocabulary() -> None:
    """The Greeks core names its figures itself; the eval side maps them onto the
    catalogue one to one (a figure added on one side only shows up here)."""
    from alvh_rules.greeks.figures import ACCOUNT, FIGURES, SUMMED
    from alvh_rules.lang.catalog import PORTFOLIO_FIELDS, PORTFOLIO_SUMS, POSITION_FIELDS

    assert set(FIGURES) == set(POSITION_FIELDS)
    assert set(SUMMED) == set(PORTFOLIO_SUMS)
    assert set(ACCOUNT) == set(PORTFOLIO_FIELDS)


def test_figures_left_unread_are_nan_only_within_the_block(ctx: ValuationContext) -> None:
    """An evaluation session leaves a held position's figures no rule reads unsolved; the
    others are those of a full valuation, and the block leaves no trace."""
    from alvh_rules.greeks.figures import figures_unread

    ic = iron_condor(ctx, EXPIRY)
    full = position_fields(ic, ctx)
    with figures_unread({"vol_breakeven", "breakeven_low", "delta"}):
        partial = position_fields(ic, ctx)
    assert math.isnan(partial["vol_breakeven"]) and math.isfinite(full["vol_breakeven"])
    # a break-even is solved while either side is read; delta is never skipped
    assert partial["breakeven_low"] == full["breakeven_low"]
    for name, value in full.items():
        if name != "vol_breakeven":
            assert partial[name] == value or (math.isnan(value) and math.isnan(partial[name]))
    again = position_fields(ic, ctx)  # NaN-aware: NaN figures are not all one object
    assert again.keys() == full.keys()
    assert all(again[n] == v or (math.isnan(v) and math.isnan(again[n])) for n, v in full.items())


def test_a_position_valued_again_on_another_context_is_revalued(ctx: ValuationContext) -> None:
    """Risks are kept per (position, context) identity: the same legs on a moved market, or
    an equal but distinct context, never read a kept risk."""
    ic = iron_condor(ctx, EXPIRY)
    before = position_fields(ic, ctx)
    moved = ctx.model_copy(update={"spx": 5100.0})
    after = position_fields(ic, moved)
    assert after["delta"] != before["delta"] and after["value"] != before["value"]
    assert after["delta"] == position_risk(ic, moved).delta
    again = position_fields(ic, ctx.model_copy())
    assert again["value"] == before["value"] == position_risk(ic, ctx).value


def test_the_stress_payoff_and_expected_figures_are_skipped_only_when_unread(
    ctx: ValuationContext,
) -> None:
    """`projected_payoff` (a revaluation under the scenario) is NaN when unread; the expected
    profit is solved while either it or the expected IRR (which needs it) is read."""
    from alvh_rules.greeks.figures import figures_unread

    ic = iron_condor(ctx, EXPIRY)
    stress = Scenario(spx_move=-0.1, spx_vol_shift_vp=15.0)
    full = position_fields(ic, ctx, scenario=stress)
    assert math.isfinite(full["projected_payoff"])
    with figures_unread({"projected_payoff", "expected_profit"}):
        partial = position_fields(ic, ctx, scenario=stress)
    assert math.isnan(partial["projected_payoff"])
    for name in ("expected_profit", "expected_irr", "value", "max_loss"):
        same = partial[name] == full[name]
        assert same or (math.isnan(full[name]) and math.isnan(partial[name])), name
    with figures_unread({"expected_profit", "expected_irr"}):
        neither = position_fields(ic, ctx, scenario=stress)
    assert math.isnan(neither["expected_profit"]) and math.isnan(neither["expected_irr"])
    assert neither["projected_payoff"] == full["projected_payoff"]
