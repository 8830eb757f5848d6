"""Closed-form prices and Greeks against QuantLib (1e-8) and a 50-digit mpmath reference."""

from __future__ import annotations

import numpy as np
import pytest
from greeks_reference import mp_black, quantlib_bsm, random_cases, relative_gap
from hypothesis import given, settings
from hypothesis import strategies as st

from alvh_rules.greeks import FIGURES, black76, bsm
from alvh_rules.greeks.analytic import BLOCK_ROWS
from alvh_rules.greeks.conventions import DAYS_PER_YEAR

CASES = 1000
QL_FIGURES = ("price", "delta", "gamma", "vega", "theta", "rho")
# QuantLib's normal CDF is accurate to about 1e-9, so in the far tails (figures below 1e-4 per
# unit of underlying) it is the reference that is off: there the test asks for 1e-12 absolute,
# and the 50-digit test below checks our tails.
TAIL_FLOOR = 1e-4


def _theta_scale(c: dict[str, np.ndarray], vega: np.ndarray, t: np.ndarray) -> np.ndarray:
    # Theta is a sum of three terms that cancel where it changes sign; measure the error
    # against the largest term there, and against theta itself everywhere else.
    decay = np.abs(vega * c["vol"] / (2 * t))
    carry = c["rate"] * c["strike"] + c["div"] * c["spot"]
    return 1e-3 * (decay + carry)


def _compare(
    ours: dict[str, np.ndarray], ref: dict[str, np.ndarray], scales: dict[str, np.ndarray]
):
    worst = {}
    for name in QL_FIGURES:
        floor = np.maximum(scales.get(name, 0.0), TAIL_FLOOR)
        gap = relative_gap(ours[name], ref[name], floor)
        worst[name] = float(np.max(gap))
    return worst


def _ql_table(c: dict[str, np.ndarray], div: np.ndarray) -> dict[str, np.ndarray]:
    rows = [
        quantlib_bsm(
            bool(c["call"][i]),
            c["spot"][i],
            c["strike"][i],
            int(c["days"][i]),
            c["vol"][i],
            c["rate"][i],
            div[i],
        )
        for i in range(c["spot"].size)
    ]
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


def test_bsm_matches_quantlib_on_1000_random_options() -> None:
    c = random_cases(CASES, seed=11)
    t = c["days"] / DAYS_PER_YEAR
    right = np.where(c["call"], "c", "p")
    g = bsm(right, c["spot"], c["strike"], t, c["vol"], c["rate"], c["div"])
    ref = _ql_table(c, c["div"])
    ours = {name: getattr(g, name) for name in QL_FIGURES}
    worst = _compare(ours, ref, {"theta": _theta_scale(c, g.vega, t)})
    assert all(w < 1e-8 for w in worst.values()), worst


def test_black76_matches_quantlib_with_yield_equal_to_rate() -> None:
    # A future is a stock whose dividend yield equals the rate; with the forward held fixed,
    # Black-76 rho is QuantLib's rho plus its dividend rho.
    c = random_cases(CASES, seed=12)
    c["spot"] = c["spot"] / 200.0  # VIX-like futures 15-35 with strikes 0.7-1.3 of them
    c["strike"] = c["strike"] / 200.0
    t = c["days"] / DAYS_PER_YEAR
    right = np.where(c["call"], "c", "p")
    g = black76(right, c["spot"], c["strike"], t, c["vol"], c["rate"])
    ref = _ql_table(c, c["rate"])
    ref["rho"] = ref["rho"] + ref["dividend_rho"]
    ours = {name: getattr(g, name) for name in QL_FIGURES}
    scales = {
        "theta": _theta_scale({**c, "div": c["rate"]}, g.vega, t),
        "rho": 1e-3 * t * c["strike"],
    }
    worst = _compare(ours, ref, scales)
    assert all(w < 1e-8 for w in worst.values()), worst


@pytest.mark.parametrize("model", ["bsm", "black76"])
def test_prices_vanna_volga_match_50_digit_reference(model: str) -> None:
    c = random_cases(CASES, seed=13)
    rng = np.random.default_rng(14)
    t = rng.uniform(1.0, 3 * DAYS_PER_YEAR, CASES) / DAYS_PER_YEAR  # non-integer days too
    right = np.where(c["call"], "c", "p")
    div = c["div"] if model == "bsm" else c["rate"]
    if model == "bsm":
        g = bsm(right, c["spot"], c["strike"], t, c["vol"], c["rate"], div)
    else:
        g = black76(right, c["spot"], c["strike"], t, c["vol"], c["rate"])
    forward = c["spot"] * np.exp((c["rate"] - div) * t)
    ref = np.array(
        [
            mp_black(
                bool(c["call"][i]),
                forward[i],
                c["strike"][i],
                t[i],
                c["vol"][i],
                float(np.exp(-c["rate"][i] * t[i])),
            )
            for i in range(CASES)
        ]
    )
    # The reference is to the forward: spot vanna is e^{(r-q)t} times forward vanna.
    to_spot = np.exp((c["rate"] - div) * t)
    priced = ref[:, 0] > 1e-6
    assert np.max(np.abs(g.price - ref[:, 0])[priced] / ref[priced, 0]) < 1e-12
    assert np.max(np.abs(g.vanna - ref[:, 1] * to_spot) / np.abs(ref[:, 1] * to_spot)) < 1e-10
    assert np.max(np.abs(g.volga - ref[:, 2]) / np.abs(ref[:, 2])) < 1e-10


@pytest.mark.parametrize("model", ["bsm", "black76"])
def test_rows_do_not_depend_on_their_block(model: str) -> None:
    # Two blocks and a short last one (the work arrays are reused, then cut): every row comes
    # out bit for bit the same wherever it lands, shuffled or evaluated in a small array, with
    # far out-of-the-money rows (priced apart) and invalid rows among the others.
    rng = np.random.default_rng(15)
    n = 2 * BLOCK_ROWS + 123
    spot = rng.uniform(3000.0, 7000.0, n)
    inputs = {
        "right": np.where(rng.random(n) < 0.5, "c", "p"),
        "spot": spot,
        "strike": spot * np.exp(rng.uniform(-0.4, 0.4, n)),
        "t": rng.uniform(1.0, 30.0, n) / DAYS_PER_YEAR,
        "vol": rng.uniform(0.05, 0.4, n),
        "rate": rng.uniform(0.0, 0.06, n),
        "div": rng.uniform(0.0, 0.02, n),
    }
    inputs["vol"][::997] = -0.1
    inputs["strike"][5::1013] = 0.0
    if model == "black76":
        inputs["forward"] = inputs.pop("spot")
        del inputs["div"]
    price = bsm if model == "bsm" else black76
    whole = price(**inputs)
    shuffle = rng.permutation(n)
    shuffled = price(**{k: v[shuffle] for k, v in inputs.items()})
    few = shuffle[:300]
    alone = price(**{k: v[few] for k, v in inputs.items()})
    for name in FIGURES:
        np.testing.assert_array_equal(getattr(shuffled, name), getattr(whole, name)[shuffle])
        np.testing.assert_array_equal(getattr(alone, name), getattr(whole, name)[few])
    invalid = (inputs["vol"] <= 0) | (inputs["strike"] <= 0)
    np.testing.assert_array_equal(np.isnan(whole.price), invalid)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([1.0, -1.0]),
            st.floats(0.3, 3.0),  # strike over spot: deep in and out of the money
            st.floats(1 / 365, 2.0),
            st.floats(0.05, 1.5),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_each_option_is_priced_as_it_would_be_alone(rows: list[tuple[float, ...]]) -> None:
    """Bit for bit: the backtest prices the whole history in one call, `evaluate` one day.
    (tests/backtest/test_backtest_units.py's marks case caught the far out-of-the-money path
    summing one row in another order than several.)"""
    grid = [(s, k, t, v) for s in (1.0, -1.0) for k in (0.5, 0.8, 1.07, 1.3) for t, v in
            ((0.13, 0.14), (0.05, 0.3), (1.0, 0.1))]  # fmt: skip
    for case in (rows, [*rows, *grid]):
        sign, moneyness, t, vol = (np.array(column) for column in zip(*case, strict=True))
        together = bsm(sign, 5000.0, 5000.0 * moneyness, t, vol, 0.04, 0.013)
        for row in range(len(case)):
            one = slice(row, row + 1)
            alone = bsm(sign[one], 5000.0, 5000.0 * moneyness[one], t[one], vol[one], 0.04, 0.013)
            for name in ("price", "delta", "gamma", "vega", "theta"):
                assert getattr(together, name)[row] == getattr(alone, name)[0], (name, case[row])
