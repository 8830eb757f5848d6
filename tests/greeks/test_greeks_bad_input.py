"""The array API on bad rows: NaN in every figure, no exception, no warning, others untouched."""

from __future__ import annotations

import warnings

import mpmath as mp
import numpy as np
import pytest

from alvh_rules.greeks import FIGURES, black76, bsm
from alvh_rules.greeks.analytic import BLOCK_ROWS

GOOD = {"spot": 5000.0, "strike": 4800.0, "t": 45 / 365, "vol": 0.2, "rate": 0.04, "div": 0.01}
BAD_VALUES = {
    "spot": [0.0, -5000.0, np.nan, np.inf],
    "strike": [0.0, -4800.0, np.nan, np.inf],
    "t": [0.0, -0.1, np.nan, np.inf],
    "vol": [0.0, -0.2, np.nan, np.inf],
    "rate": [np.nan, np.inf, -np.inf],
    "div": [np.nan, np.inf, -np.inf],
}


@pytest.mark.parametrize("field", list(BAD_VALUES))
def test_each_bad_input_gives_nan_rows_and_leaves_good_rows_alone(field: str) -> None:
    bad = BAD_VALUES[field]
    column = np.array([GOOD[field], *bad, GOOD[field]])
    inputs = {k: (column if k == field else v) for k, v in GOOD.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = bsm("p", **inputs)
    reference = bsm("p", **GOOD)
    for name in FIGURES:
        values = getattr(g, name)
        assert np.isnan(values[1:-1]).all(), (field, name, values)
        assert values[0] == values[-1] == getattr(reference, name)


def test_bad_rights_give_nan() -> None:
    g = bsm(np.array(["c", "x", "p", "", "call", "put"]), 100.0, 100.0, 0.5, 0.2, 0.0)
    assert np.isfinite(g.price[[0, 2, 4, 5]]).all()
    assert np.isnan(g.price[[1, 3]]).all()
    assert np.isnan(bsm(0.5, 100.0, 100.0, 0.5, 0.2, 0.0).price)


def test_one_letter_rights_over_several_blocks() -> None:
    # One-letter rights become signs block by block from their code points: the same figures
    # as the rights spelt out, NaN for any other letter, whatever block a row lands in.
    letters = np.array(["c", "C", "p", "P", "x", "", "\u0163", "q"])
    rights = np.tile(letters, 2 * BLOCK_ROWS // letters.size + 3)
    spelt = np.where(
        np.isin(rights, ["c", "C"]), "call", np.where(np.isin(rights, ["p", "P"]), "put", "none")
    )
    strike = np.linspace(80.0, 120.0, rights.size)
    g, reference = (
        bsm(rights, 100.0, strike, 0.5, 0.2, 0.03),
        bsm(spelt, 100.0, strike, 0.5, 0.2, 0.03),
    )
    for name in FIGURES:
        np.testing.assert_array_equal(getattr(g, name), getattr(reference, name))
    assert np.isnan(g.price).sum() == rights.size // 2
    one_right = bsm("p", 100.0, strike, 0.5, 0.2, 0.03)
    each_row = bsm(np.full(strike.size, "p"), 100.0, strike, 0.5, 0.2, 0.03)
    for name in FIGURES:
        np.testing.assert_array_equal(getattr(one_right, name), getattr(each_row, name))


def test_black76_bad_rows_are_nan() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = black76("c", [20.0, 0.0, 20.0], [22.0, 22.0, 22.0], [0.1, 0.1, 0.0], 0.9, 0.04)
    assert np.isfinite(g.price[0]) and np.isnan(g.price[1:]).all()


def test_scalar_inputs_give_zero_dimensional_arrays_and_broadcast() -> None:
    assert bsm("c", 100.0, 100.0, 1.0, 0.2, 0.0).price.shape == ()
    grid = bsm("c", 100.0, np.array([[90.0], [110.0]]), np.array([0.1, 0.5, 1.0]), 0.2, 0.0)
    assert grid.price.shape == (2, 3)
    assert grid.price[0, 2] == bsm("c", 100.0, 90.0, 1.0, 0.2, 0.0).price


@pytest.mark.parametrize("log_strike", [0.12, 0.145, 0.15])
def test_deep_out_of_the_money_prices_are_not_rounded_to_zero(log_strike: float) -> None:
    # One day at 8% vol: d2 from -29 to -36; near -35 N(d2) and K N(d2) lose digits to underflow.
    spot, t, vol = 5000.0, 1 / 365, 0.08
    strike = spot * float(np.exp(log_strike))
    ours = float(bsm("c", spot, strike, t, vol, 0.0).price)
    with mp.workdps(60):
        s = mp.mpf(vol) * mp.sqrt(mp.mpf(t))
        d1 = mp.log(mp.mpf(spot) / mp.mpf(strike)) / s + s / 2
        exact = spot * mp.ncdf(d1) - strike * mp.ncdf(d1 - s)
    assert exact > 1e-300
    assert abs(ours - float(exact)) <= 1e-9 * float(exact)
