"""Rates and dividends as pricing takes them (alvh_rules.market.rates), against mpmath."""

from __future__ import annotations

import math

import mpmath
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alvh_rules.market.rates import (
    bill_price_from_discount,
    continuous_dividend_yield,
    continuous_rate_from_discount,
)


def _mp_rate(discount: float, days: int) -> float:
    # Independent: solve exp(-r days/365) = 1 - d days/360 for r with mpmath's root finder.
    mpmath.mp.dps = 30
    price = 1 - mpmath.mpf(discount) * days / 360
    root = mpmath.findroot(lambda r: mpmath.exp(-r * days / 365) - price, 0.05)
    return float(root)


def test_known_value_five_percent_91_days() -> None:
    # d = 5%: P = 1 - 0.05 * 91/360 = 0.98736111; r = -ln(P) * 365/91 = 0.0510175...
    assert (
        abs(continuous_rate_from_discount(0.05) - math.log(1 / 0.987361111111111) * 365 / 91)
        < 1e-15
    )
    assert abs(continuous_rate_from_discount(0.05) - 0.0510175) < 1e-7
    assert abs(continuous_rate_from_discount(0.05) - _mp_rate(0.05, 91)) < 1e-12


def test_known_value_matches_treasury_investment_rate() -> None:
    # Treasury's coupon-equivalent (investment) rate of a 91-day bill is 365 d / (360 - d 91);
    # compounding it over 91 days must give the same growth as the continuous rate.
    d = 0.0525
    investment = 365 * d / (360 - d * 91)
    growth = 1 + investment * 91 / 365
    assert abs(math.exp(continuous_rate_from_discount(d) * 91 / 365) - growth) < 1e-12


@given(st.floats(min_value=-0.01, max_value=0.2))
def test_round_trip_reprices_the_bill(discount: float) -> None:
    rate = continuous_rate_from_discount(discount)
    assert abs(math.exp(-rate * 91 / 365) - bill_price_from_discount(discount)) < 1e-13
    assert abs(rate - _mp_rate(discount, 91)) < 1e-10
    # The continuous rate is above the discount quote whenever the quote is positive.
    assert rate >= discount * (1 - 1e-12) - 1e-300 or discount <= 0


def test_arrays_and_bad_quotes() -> None:
    quotes = np.array([0.05, math.nan, 4.0, 0.0])
    rates = continuous_rate_from_discount(quotes)
    assert isinstance(rates, np.ndarray)
    assert rates[0] == continuous_rate_from_discount(0.05)
    assert math.isnan(rates[1]) and math.isnan(rates[2]) and rates[3] == 0.0


def test_dividend_yield_continuous() -> None:
    assert abs(continuous_dividend_yield(0.02) - math.log(1.02)) < 1e-16
    assert abs(continuous_dividend_yield(0.02) - 0.0198026) < 1e-7
    assert math.isnan(continuous_dividend_yield(math.nan))
    assert math.isnan(continuous_dividend_yield(-1.5))
    yields = continuous_dividend_yield(np.array([0.0, 0.02]))
    assert isinstance(yields, np.ndarray) and yields[0] == 0.0


@given(st.floats(min_value=0.0, max_value=0.2))
def test_dividend_compounds_back(simple: float) -> None:
    assert abs(math.exp(continuous_dividend_yield(simple)) - (1 + simple)) < 1e-13
