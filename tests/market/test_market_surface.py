"""The SSVI surface solved to the VIX term structure, and the expected move."""

from __future__ import annotations

import numpy as np
import pytest

from alvh_rules.greeks.surfaces import VolSurface
from alvh_rules.market.derived import expected_move
from alvh_rules.market.surface import vix_term_surface


def test_atm_vol_at_each_index_tenor_is_under_the_index() -> None:
    surface = vix_term_surface(5000.0, vix=20.0, vix9d=18.0, vix3m=22.0)
    ratio = surface.atm_vol(np.array([9, 30, 93]) / 365) / np.array([0.18, 0.20, 0.22])
    assert np.all((ratio > 0.85) & (ratio < 0.95))


def test_total_variance_is_interpolated_and_atm_vol_flat_outside() -> None:
    surface = vix_term_surface(5000.0, vix=20.0, vix9d=18.0, vix3m=22.0)
    tenors = np.array([9, 30, 93]) / 365
    theta = surface.atm_variance(tenors)
    t = 60 / 365
    assert surface.atm_variance(t) == pytest.approx(np.interp(t, tenors, theta))
    atm = surface.atm_vol(tenors)
    assert surface.atm_vol([2 / 365, 2.0]) == pytest.approx([atm[0], atm[-1]])


def test_missing_term_indexes_leave_vix_alone() -> None:
    surface = vix_term_surface(5000.0, vix=25.0)
    atm = surface.atm_vol([0.01, 0.5])
    assert atm[0] == pytest.approx(atm[1])


def test_skew_puts_over_calls_and_steeper_short_dated() -> None:
    surface = vix_term_surface(5000.0, vix=20.0, vix9d=20.0, vix3m=20.0)
    vols = surface.vol([4500.0, 5000.0, 5500.0], 30 / 365)
    assert vols[0] > vols[1] > vols[2]
    short = surface.vol(4500.0, 9 / 365) - surface.vol(5000.0, 9 / 365)
    long = surface.vol(4500.0, 90 / 365) - surface.vol(5000.0, 90 / 365)
    assert short > long > 0


def test_wings_are_bounded_total_variance_grows_linearly() -> None:
    """Far out, total variance grows linearly in log-moneyness (vol like sqrt|k|), so a put at
    half the spot is far less rich than a linear skew in vol would make it."""
    surface = vix_term_surface(5000.0, vix=20.0)
    t = 30 / 365
    k = np.array([-2.0, -3.0, -4.0])
    w = surface.vol(5000.0 * np.exp(k), t) ** 2 * t
    slopes = np.diff(w) / np.diff(k)
    assert slopes == pytest.approx([slopes[0]] * 2, rel=0.02)
    assert surface.vol(2500.0, t) < 0.2 + 1.0 * np.log(2)  # under the old linear skew


def test_vol_broadcasts_like_the_greeks_core() -> None:
    surface = vix_term_surface(5000.0, vix=20.0)
    strikes = np.array([[4800.0], [5200.0]])
    result = surface.vol(strikes, np.array([0.05, 0.1, 0.2]))
    assert result.shape == (2, 3) and np.all(result >= 0.01)


def test_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="VIX"):
        vix_term_surface(5000.0, vix=float("nan"))
    with pytest.raises(ValueError, match="spot"):
        vix_term_surface(0.0, vix=20.0)


def test_expected_move_is_one_standard_deviation() -> None:
    assert expected_move(5000.0, 20.0, 365.0) == pytest.approx(1000.0)
    assert expected_move(5000.0, 20.0, 30.0) == pytest.approx(5000 * 0.2 * np.sqrt(30 / 365))


def test_it_is_a_greeks_core_vol_surface() -> None:
    assert isinstance(vix_term_surface(5000.0, vix=20.0), VolSurface)
