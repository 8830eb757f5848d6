"""Trader-level validation: clear errors naming the field, for every kind of bad input."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from alvh_rules.greeks import (
    FlatSurface,
    Leg,
    OptionChain,
    OptionQuote,
    Portfolio,
    Position,
    SkewSurface,
    ValuationContext,
    iron_condor,
    position_fields,
    strike_for_delta,
)

AS_OF = date(2025, 1, 2)
GOOD_LEG = {
    "instrument": "SPX",
    "right": "p",
    "strike": 4800.0,
    "expiry": date(2025, 2, 16),
    "quantity": -1,
    "entry_price": 12.5,
}


def _field_errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {".".join(str(p) for p in e["loc"]) for e in excinfo.value.errors()}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"strike": -4800.0}, "strike"),
        ({"strike": 0.0}, "strike"),
        ({"strike": math.nan}, "strike"),
        ({"strike": math.inf}, "strike"),
        ({"quantity": 0}, "quantity"),
        ({"entry_price": math.nan}, "entry_price"),
        ({"entry_price": -1.0}, "entry_price"),
        ({"right": "x"}, "right"),
        ({"right": None}, "right"),
        ({"instrument": "VX"}, "right"),
        ({"instrument": "ES"}, "instrument"),
    ],
)
def test_bad_leg_fields_are_named(change: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        Leg(**{**GOOD_LEG, **change})
    assert field in _field_errors(excinfo)


def test_defaults_and_futures() -> None:
    assert Leg(**GOOD_LEG).multiplier == 100
    future = Leg(instrument="VX", expiry=date(2025, 2, 19), quantity=1, entry_price=18.0)
    assert future.multiplier == 1000 and future.units == 1000
    with pytest.raises(ValidationError, match="entry_price"):
        Leg(instrument="VX", expiry=date(2025, 2, 19), quantity=1)


def test_expiry_in_the_past_is_named() -> None:
    with pytest.raises(ValidationError) as excinfo:
        Leg.model_validate(GOOD_LEG, context={"as_of": date(2025, 3, 1)})
    assert "expiry" in _field_errors(excinfo)
    ctx = ValuationContext(
        as_of=date(2025, 3, 1),
        spx=5000.0,
        rate=0.04,
        spx_surface=FlatSurface(0.2),
        vix_vega_beta=0.8,
    )
    position = Position(name="old put", legs=(Leg(**GOOD_LEG),))
    with pytest.raises(ValidationError) as excinfo:
        position_fields(position, ctx)
    assert "legs.0.expiry" in _field_errors(excinfo)


def test_bad_context_and_portfolio_fields_are_named() -> None:
    with pytest.raises(ValidationError) as excinfo:
        ValuationContext(
            as_of=AS_OF, spx=math.nan, rate=4.5, spx_surface="flat", vix_vega_beta=math.inf
        )
    assert {"spx", "rate", "spx_surface", "vix_vega_beta"} <= _field_errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        Portfolio(positions=(), capital=-1.0, risk_budget=math.nan)
    assert {"capital", "risk_budget"} <= _field_errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        Position(name="empty", legs=())
    assert "legs" in _field_errors(excinfo)


def test_bad_quotes_and_surfaces() -> None:
    with pytest.raises(ValidationError, match="below bid"):
        OptionQuote(strike=5000.0, expiry=date(2025, 2, 16), right="c", bid=2.0, ask=1.0)
    with pytest.raises(ValidationError) as excinfo:
        OptionQuote(strike=5000.0, expiry=date(2025, 2, 16), right="c", bid=1.0, ask=2.0, iv=-0.2)
    assert "iv" in _field_errors(excinfo)
    with pytest.raises(ValueError, match="flat_vol"):
        FlatSurface(0.0)
    with pytest.raises(ValueError, match="atm_vols"):
        SkewSurface(5000.0, (0.1,), (math.nan,))
    with pytest.raises(ValueError, match="strictly increasing"):
        SkewSurface(5000.0, (0.2, 0.1), (0.2, 0.2))


def test_strike_selection_rejects_bad_requests() -> None:
    kwargs = {"as_of": AS_OF, "spot": 5000.0, "rate": 0.04, "surface": FlatSurface(0.2)}
    with pytest.raises(ValueError, match="fraction"):
        strike_for_delta(16, "p", date(2025, 2, 16), **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="after as_of"):
        strike_for_delta(0.16, "p", AS_OF, **kwargs)  # type: ignore[arg-type]


def test_builder_rejects_an_expiry_in_the_past() -> None:
    ctx = ValuationContext(
        as_of=AS_OF, spx=5000.0, rate=0.04, spx_surface=FlatSurface(0.2), vix_vega_beta=0.8
    )
    with pytest.raises(ValueError):
        iron_condor(ctx, AS_OF - timedelta(days=1))


def test_strike_by_delta_on_a_chain_is_the_nearest_listed() -> None:
    expiry = AS_OF + timedelta(days=45)
    quotes = [
        OptionQuote(strike=k, expiry=expiry, right="p", bid=0.0, ask=1.0, iv=0.2)
        for k in (4500.0, 4600.0, 4700.0, 4800.0, 4900.0, 5000.0)
    ]
    chain = OptionChain(as_of=AS_OF, spot=5000.0, rate=0.04, quotes=tuple(quotes))
    on_surface = strike_for_delta(
        0.16,
        "p",
        expiry,
        as_of=AS_OF,
        spot=5000.0,
        rate=0.04,
        surface=FlatSurface(0.2),
        increment=1.0,
    )
    on_chain = strike_for_delta(0.16, "p", expiry, as_of=AS_OF, spot=5000.0, rate=0.04, chain=chain)
    assert on_chain == min((q.strike for q in quotes), key=lambda k: abs(k - on_surface))
