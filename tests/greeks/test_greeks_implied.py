"""Implied volatility: round trips over the issue's ranges, accuracy sets, and bad rows."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alvh_rules.greeks import REASONS, black76, bsm, implied_vol

TINY = float(np.finfo(np.float64).tiny)


def _well_conditioned(price: np.ndarray, vega: np.ndarray) -> np.ndarray:
    """Rows where 4 ulp of the price move the vol by less than 1e-8 (normal floats only)."""
    with np.errstate(all="ignore"):
        return (4 * np.spacing(price) / vega < 1e-8) & (price > TINY)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["c", "p"]),
    st.sampled_from(["bsm", "black76"]),
    st.floats(1.0, 3 * 365.0),
    st.floats(-0.5, 0.5),
    st.floats(0.03, 3.0),
    st.floats(0.0, 0.08),
)
# Short-dated deep out-of-the-money options, priced far in the normal tail.
@example("c", "bsm", 1.0, 0.12, 0.5, 0.05)
@example("p", "bsm", 1.0, -0.25, 0.9, 0.0)
@example("c", "black76", 2.0, 0.5, 1.5, 0.03)
@example("p", "bsm", 1.0, -0.02, 0.03, 0.0)
def test_round_trip(right: str, model: str, days: float, x: float, vol: float, r: float) -> None:
    spot, t = 5000.0, days / 365.0
    strike = spot * math.exp(x)
    if model == "bsm":
        g = bsm(right, spot, strike, t, vol, r, 0.01)
    else:
        g = black76(right, spot, strike, t, vol, r)
    iv, why = implied_vol(g.price, right, spot, strike, t, r, 0.01, model=model, return_reason=True)
    if _well_conditioned(g.price, g.vega):
        assert abs(float(iv) - vol) <= 2e-9, (float(iv), str(why))
    elif np.isfinite(iv):
        # Badly conditioned: any vol that reprices the option to within rounding will do.
        again = (
            bsm(right, spot, strike, t, float(iv), r, 0.01)
            if model == "bsm"
            else (black76(right, spot, strike, t, float(iv), r))
        )
        assert abs(float(again.price - g.price)) <= 1e-12 * spot + 8 * np.spacing(g.price)


def _issue_sets(n: int, seed: int) -> list[tuple[str, dict[str, np.ndarray]]]:
    rng = np.random.default_rng(seed)
    out = []
    for name in ("random", "one day", "one week"):
        spot = rng.uniform(3000.0, 7000.0, n)
        if name == "one week":
            strike = spot * np.exp(rng.uniform(-0.3, 0.3, n))
        else:
            strike = spot * rng.uniform(0.7, 1.3, n)
        days = {"random": rng.uniform(1, 365, n), "one day": np.ones(n)}.get(
            name, rng.uniform(1, 7, n)
        )
        out.append(
            (
                name,
                {
                    "right": np.where(rng.random(n) < 0.5, "c", "p"),
                    "spot": spot,
                    "strike": strike,
                    "t": days / 365.0,
                    "vol": rng.uniform(0.08, 1.0, n),
                    "rate": rng.uniform(0.0, 0.06, n),
                    "div": rng.uniform(0.0, 0.02, n),
                },
            )
        )
    return out


@pytest.mark.parametrize(("name", "c"), _issue_sets(20_000, seed=5))
def test_issue_sets_accuracy_and_no_failures_where_well_conditioned(
    name: str, c: dict[str, np.ndarray]
) -> None:
    g = bsm(c["right"], c["spot"], c["strike"], c["t"], c["vol"], c["rate"], c["div"])
    iv, why = implied_vol(
        g.price,
        c["right"],
        c["spot"],
        c["strike"],
        c["t"],
        c["rate"],
        c["div"],
        return_reason=True,
    )
    well = _well_conditioned(g.price, g.vega)
    assert well.sum() > 0.5 * well.size
    assert np.isfinite(iv[well]).all(), name
    assert np.max(np.abs(iv[well] - c["vol"][well])) <= 2e-9, name
    # Every row priced strictly above its (two-word) intrinsic value gets a finite vol.
    assert set(why[~np.isfinite(iv)]) <= {REASONS[3], REASONS[4]}


def test_bad_rows_get_nan_and_a_reason_and_spoil_nothing() -> None:
    good = float(bsm("c", 100.0, 100.0, 0.5, 0.2, 0.01).price)
    cases = [
        (good, "c", 100.0, 100.0, 0.5, "ok"),
        (good, "c", 100.0, 100.0, 0.0, REASONS[2]),
        (0.5, "c", 110.0, 100.0, 0.5, REASONS[4]),  # below the 9.95 intrinsic value
        (100.0, "c", 100.0, 100.0, 0.5, REASONS[5]),  # a call is worth less than the spot
        (-1.0, "c", 100.0, 100.0, 0.5, REASONS[3]),
        (np.nan, "c", 100.0, 100.0, 0.5, REASONS[3]),
        (good, "c", -100.0, 100.0, 0.5, REASONS[1]),
        (good, "x", 100.0, 100.0, 0.5, REASONS[1]),
        (good, "c", 100.0, np.inf, 0.5, REASONS[1]),
        (good, "c", 100.0, 100.0, 0.5, "ok"),
    ]
    price, right, spot, strike, t, expected = (list(col) for col in zip(*cases, strict=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        iv, why = implied_vol(price, right, spot, strike, t, 0.01, return_reason=True)
    assert list(why) == expected
    assert np.isnan(iv[1:-1]).all()
    assert iv[0] == iv[-1] and abs(iv[0] - 0.2) < 1e-12


def test_unknown_model_is_an_error() -> None:
    with pytest.raises(ValueError, match="model"):
        implied_vol(1.0, "c", 100.0, 100.0, 1.0, 0.0, model="heston")  # type: ignore[call-overload]
