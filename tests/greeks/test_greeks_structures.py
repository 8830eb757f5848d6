"""Builders beyond the condor (verticals, strangles, straddles, diagonals), surfaces, chains,
roll cost: figures checked against payoff arithmetic done by hand."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest

from alvh_rules.greeks import (
    FlatSurface,
    OptionChain,
    OptionQuote,
    SkewSurface,
    ValuationContext,
    bsm,
    diagonal,
    max_profit_and_loss,
    position_fields,
    straddle,
    strangle,
    vertical_spread,
)

AS_OF = date(2025, 1, 2)
EXPIRY = AS_OF + timedelta(days=30)


@pytest.fixture
def ctx() -> ValuationContext:
    return ValuationContext(
        as_of=AS_OF,
        spx=5000.0,
        rate=0.04,
        div_yield=0.013,
        spx_surface=FlatSurface(0.18),
        vix_vega_beta=0.8,
    )


def _credit(position) -> float:  # type: ignore[no-untyped-def]
    return -sum(leg.units * leg.entry_price for leg in position.legs)


def test_put_credit_spread(ctx: ValuationContext) -> None:
    spread = vertical_spread(ctx, "p", 4800.0, 4850.0, EXPIRY)  # long 4800, short 4850
    credit = _credit(spread)
    f = position_fields(spread, ctx)
    assert credit > 0
    assert f["max_profit"] == pytest.approx(credit)
    assert f["max_loss"] == pytest.approx(50 * 100 - credit)
    assert f["breakeven_low"] == pytest.approx(4850 - credit / 100, abs=1e-6)
    assert math.isnan(f["breakeven_high"])


def test_short_strangle_and_straddle_break_evens(ctx: ValuationContext) -> None:
    short = strangle(ctx, 4800.0, 5200.0, EXPIRY)
    credit = _credit(short)
    f = position_fields(short, ctx)
    assert f["max_profit"] == pytest.approx(credit) and math.isinf(f["max_loss"])
    assert (f["breakeven_low"], f["breakeven_high"]) == pytest.approx(
        (4800 - credit / 100, 5200 + credit / 100), abs=1e-6
    )
    assert math.isnan(f["irr"])
    long = straddle(ctx, 5000.0, EXPIRY, quantity=1)
    debit = -_credit(long)
    g = position_fields(long, ctx)
    assert math.isinf(g["max_profit"]) and g["max_loss"] == pytest.approx(debit)
    assert (g["breakeven_low"], g["breakeven_high"]) == pytest.approx(
        (5000 - debit / 100, 5000 + debit / 100), abs=1e-6
    )
    assert math.isnan(g["vol_breakeven"])  # a debit has no credit to wipe out


def test_diagonal_is_valued_at_the_near_expiry(ctx: ValuationContext) -> None:
    no_yield = ctx.model_copy(update={"div_yield": 0.0})
    far = EXPIRY + timedelta(days=30)
    spread = diagonal(no_yield, "c", 5100.0, EXPIRY, 5150.0, far)
    profit, loss = max_profit_and_loss(spread, no_yield)
    debit = -_credit(spread)
    # Best at the short strike on the near expiry, where the far call keeps its model value.
    far_value = float(bsm("c", 5100.0, 5150.0, 30 / 365, 0.18, 0.04, 0.0).price)
    assert profit == pytest.approx(100 * far_value - debit, rel=1e-9)
    # Worst far above: short call at S - 5100, long call at S - 5150 e^{-r 30/365}.
    assert loss == pytest.approx(debit + 100 * (5150 * math.exp(-0.04 * 30 / 365) - 5100))
    # With a dividend yield the far call's delta stays below 1: the loss is unbounded.
    assert math.isinf(max_profit_and_loss(diagonal(ctx, "c", 5100.0, EXPIRY, 5150.0, far), ctx)[1])
    assert position_fields(spread, no_yield)["dte"] == 30


def test_roll_cost_is_the_closing_debit_plus_slippage(ctx: ValuationContext) -> None:
    short = strangle(ctx, 4800.0, 5200.0, EXPIRY)
    later = EXPIRY + timedelta(days=28)
    # Independent: buying back two short options costs their model prices, in dollars.
    t = (EXPIRY - ctx.as_of).days / 365
    put, call = (
        float(
            bsm(r, ctx.spx, k, t, float(ctx.spx_surface.vol(k, t)), ctx.rate, ctx.div_yield).price
        )
        for r, k in (("p", 4800.0), ("c", 5200.0))
    )
    plain = position_fields(short, ctx, roll_to=later)["roll_cost"]
    with_slippage = position_fields(short, ctx, roll_to=later, slippage_per_contract=1.5)
    assert plain == pytest.approx(100 * (put + call), rel=1e-9)
    assert with_slippage["roll_cost"] - plain == pytest.approx(1.5 * 2 * 2)
    assert plain > 0  # closing a short strangle is a debit: the roll costs money
    assert math.isnan(position_fields(short, ctx)["roll_cost"])  # no roll date, no roll


def test_skew_surface_formula_and_sticky_moneyness() -> None:
    surface = SkewSurface(5000.0, (30 / 365, 90 / 365), (0.15, 0.18), skew_30d=-1.0)
    assert float(surface.vol(5000.0, 30 / 365)) == pytest.approx(0.15)
    assert float(surface.vol(4500.0, 30 / 365)) == pytest.approx(0.15 - math.log(0.9))
    t = 60 / 365
    atm = math.sqrt((0.15**2 * 30 / 365 + (0.18**2 * 90 / 365 - 0.15**2 * 30 / 365) * 0.5) / t)
    assert float(surface.vol(5000.0, t)) == pytest.approx(atm)
    moved = surface.moved_to(5500.0)
    assert float(moved.vol(4950.0, t)) == pytest.approx(float(surface.vol(4500.0, t)))
    assert float(surface.vol(1e6, 1 / 365)) == 0.01  # the floor, far up the call wing
    assert float(surface.vol(1.0, 1 / 365)) == 5.0  # the cap, far down the put wing


def test_chain_implies_its_smile_back_from_mids() -> None:
    expiry = AS_OF + timedelta(days=45)
    t = 45 / 365
    strikes = np.arange(4500.0, 5501.0, 50.0)
    smile = 0.18 - 0.9 * np.log(strikes / 5000.0)
    quotes = []
    for k, v in zip(strikes, smile, strict=True):
        for right in ("c", "p"):
            mid = float(bsm(right, 5000.0, k, t, v, 0.04, 0.01).price)
            quotes.append(
                OptionQuote(strike=k, expiry=expiry, right=right, bid=mid - 0.05, ask=mid + 0.05)
            )
    chain = OptionChain(as_of=AS_OF, spot=5000.0, rate=0.04, div_yield=0.01, quotes=tuple(quotes))
    assert np.allclose(chain.vol(strikes, t), smile, atol=1e-12)
    between = float(chain.vol(4525.0, t))
    assert between == pytest.approx(0.5 * (smile[0] + smile[1]))
    assert float(chain.vol(4000.0, t)) == pytest.approx(smile[0])  # flat beyond the strikes


def test_a_vx_future_and_a_short_call_expiring_today() -> None:
    from alvh_rules.greeks import Leg, Position, VixFutures

    vix_expiry = AS_OF + timedelta(days=20)
    ctx = ValuationContext(
        as_of=AS_OF,
        spx=5000.0,
        rate=0.04,
        spx_surface=FlatSurface(0.18),
        vix_futures=VixFutures(settlements={vix_expiry: 17.0}),
        vix_surface=FlatSurface(0.9),
        vix_vega_beta=0.8,
        vix_delta_beta=-0.004,
    )
    future = Leg(instrument="VX", expiry=vix_expiry, quantity=2, entry_price=16.5)
    f = position_fields(Position(name="long VX", legs=(future,)), ctx)
    assert f["value"] == pytest.approx(2 * 1000 * 0.5) and f["credit"] == 0.0
    assert f["vega"] == pytest.approx(2000 * 0.8) and f["delta"] == pytest.approx(2000 * -0.004)
    assert math.isinf(f["max_profit"]) and f["max_loss"] == pytest.approx(16.5 * 2000, rel=1e-6)
    assert math.isnan(f["vol_breakeven"]) and math.isnan(f["breakeven_low"])
    call = Leg(
        instrument="SPX", right="c", strike=4990.0, expiry=AS_OF, quantity=-1, entry_price=12.0
    )
    g = position_fields(Position(name="0DTE call", legs=(call,)), ctx)
    assert g["value"] == pytest.approx(-1000.0) and g["delta"] == -100.0 and g["theta"] == 0
    assert g["breakeven_high"] == pytest.approx(5002.0) and g["dte"] == 0
