"""Indicators: equality with TA-Lib on the real SPX and VIX closes, warm-up lengths, NaN rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import talib

from alvh_rules import indicators as ind
from alvh_rules.market import History


@pytest.fixture(scope="module")
def closes(real_history: History) -> dict[str, pd.Series]:
    # The real closes as rows of their files (missing days dropped): TA-Lib has no NaN rule.
    return {name: real_history.daily[name].dropna() for name in ("spx", "vix")}


def _agree(
    ours: pd.Series | np.ndarray, theirs: np.ndarray, tolerance: float, skip: int = 0
) -> None:
    ours = np.asarray(ours, dtype=float)[skip:]
    theirs = np.asarray(theirs, dtype=float)[skip:]
    both = ~np.isnan(ours) & ~np.isnan(theirs)
    assert both.sum() > 1000
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    assert np.max(np.abs(ours[both] - theirs[both])) <= tolerance


@pytest.mark.parametrize("name", ["spx", "vix"])
@pytest.mark.parametrize("n", [5, 14, 50, 200])
def test_sma_ema_rsi_equal_talib(closes: dict[str, pd.Series], name: str, n: int) -> None:
    x = closes[name]
    _agree(ind.sma(x, n), talib.SMA(x.to_numpy(), n), 1e-9)
    _agree(ind.ema(x, n), talib.EMA(x.to_numpy(), n), 1e-9)
    _agree(ind.rsi(x, n), talib.RSI(x.to_numpy(), n), 1e-9)


@pytest.mark.parametrize("name", ["spx", "vix"])
def test_macd_matches_talib_after_300_bars(closes: dict[str, pd.Series], name: str) -> None:
    x = closes[name]
    ours = ind.macd(x)
    line, signal, hist = talib.MACD(x.to_numpy(), 12, 26, 9)
    for column, theirs in (("macd", line), ("signal", signal), ("hist", hist)):
        diff = np.abs(ours[column].to_numpy()[300:] - theirs[300:])
        assert np.nanmax(diff) <= 1e-6


def _first_valid(series: pd.Series) -> int:
    return int(np.flatnonzero(series.notna().to_numpy())[0])


def test_warm_up_lengths_are_the_declared_formulas() -> None:
    x = pd.Series(np.linspace(100.0, 140.0, 400) + np.sin(np.arange(400)))
    needs = ind.HISTORY_NEEDS
    cases: list[tuple[str, pd.Series, dict[str, int]]] = [
        ("sma", ind.sma(x, 20), {"n": 20}),
        ("ema", ind.ema(x, 20), {"n": 20}),
        ("rsi", ind.rsi(x, 14), {"n": 14}),
        ("macd.macd", ind.macd(x)["macd"], {}),
        ("macd.signal", ind.macd(x)["signal"], {}),
        ("macd.hist", ind.macd(x)["hist"], {}),
        ("realized_vol", ind.realized_vol(x, 20), {"n": 20}),
        ("rolling_max", ind.rolling_max(x, 7), {"w": 7}),
        ("rolling_min", ind.rolling_min(x, 7), {"w": 7}),
        ("rolling_median", ind.rolling_median(x, 7), {"w": 7}),
        ("percentile", ind.percentile(x, 7, 80), {"w": 7}),
        ("zscore", ind.zscore(x, 7), {"w": 7}),
        ("crosses_above", ind.crosses_above(x, 110.0), {}),
        ("crosses_below", ind.crosses_below(x, 110.0), {}),
        ("rising", ind.rising(x, 3), {"n": 3}),
        ("falling", ind.falling(x, 3), {"n": 3}),
        ("distance_from_ma", ind.distance_from_ma(x, 30), {"n": 30}),
        ("slope", ind.slope(x, 10), {"n": 10}),
    ]
    assert {name for name, _, _ in cases} == set(needs)
    for name, series, params in cases:
        assert _first_valid(series) + 1 == needs[name].bars(**params), name
    assert needs["macd.signal"].bars() == 34
    assert ind.history_needed("rsi", input_need=ind.history_needed("ema", n=10), n=14) == 24


def test_composed_warm_up_matches_the_composition_rule() -> None:
    x = pd.Series(np.linspace(1.0, 50.0, 200) + np.cos(np.arange(200)))
    composed = ind.rsi(ind.ema(x, 10), 14)
    assert _first_valid(composed) + 1 == ind.history_needed("rsi", input_need=10, n=14)


def test_nan_inside_the_input_restarts_the_warm_up() -> None:
    x = pd.Series(np.arange(1.0, 41.0))
    x[20] = np.nan
    for result in (ind.sma(x, 5), ind.ema(x, 5)):
        assert result[:4].isna().all() and result[4:20].notna().all()
        assert result[20:25].isna().all(), "no value made up across the hole"
        assert result[25:].notna().all()
    assert ind.ema(x, 5)[25] == pytest.approx(np.mean(x[21:26]))
    # rsi(3) needs 4 bars: the first value after the hole is at 21 + 4 - 1 = 24.
    assert ind.rsi(x, 3)[20:24].isna().all() and ind.rsi(x, 3)[24:].notna().all()


def test_realized_vol_is_annualised_sample_std_in_vol_points() -> None:
    x = pd.Series(100.0 * np.exp(np.cumsum(np.random.default_rng(1).normal(0, 0.01, 60))))
    returns = np.diff(np.log(x.to_numpy()))
    expected = np.std(returns[-20:], ddof=1) * np.sqrt(252) * 100
    assert ind.realized_vol(x, 20).iloc[-1] == pytest.approx(expected, rel=1e-12)


def test_rolling_statistics_match_numpy() -> None:
    x = pd.Series(np.random.default_rng(2).normal(size=50))
    window = x.to_numpy()[-10:]
    assert ind.percentile(x, 10, 80).iloc[-1] == pytest.approx(np.percentile(window, 80))
    assert ind.rolling_median(x, 10).iloc[-1] == pytest.approx(np.median(window))
    z = (window[-1] - window.mean()) / window.std(ddof=1)
    assert ind.zscore(x, 10).iloc[-1] == pytest.approx(z)
    assert ind.slope(x, 10).iloc[-1] == pytest.approx(np.polyfit(np.arange(10), window, 1)[0])
    sma = window[-5:].mean()
    assert ind.distance_from_ma(x, 5).iloc[-1] == pytest.approx((window[-1] - sma) / sma)


def test_crosses_and_direction_are_three_valued() -> None:
    a = pd.Series([1.0, 2.0, 3.0, 1.0, np.nan, 4.0])
    assert ind.crosses_above(a, 2.0).tolist() == [pd.NA, False, True, False, pd.NA, pd.NA]
    assert ind.crosses_below(a, 2.0).tolist() == [pd.NA, False, False, True, pd.NA, pd.NA]
    assert ind.rising(a, 2).tolist() == [pd.NA, pd.NA, True, False, pd.NA, pd.NA]
    assert ind.falling(a, 1).tolist() == [pd.NA, False, False, True, pd.NA, pd.NA]
    # Equality is not a cross: a[t-1] == b[t-1] then a[t] > b[t] is one.
    assert ind.crosses_above(pd.Series([2.0, 2.0, 3.0]), 2.0).tolist() == [pd.NA, False, True]


def test_output_keeps_the_input_index() -> None:
    index = pd.date_range("2024-01-01", periods=40, freq="B")
    x = pd.Series(np.arange(40.0) + 1, index=index)
    for result in (ind.sma(x, 3), ind.ema(x, 3), ind.rsi(x), ind.realized_vol(x), ind.slope(x, 3)):
        assert result.index.equals(index)
    assert ind.macd(x).index.equals(index)


@pytest.mark.parametrize(
    "call",
    [
        lambda x: ind.sma(x, 0),
        lambda x: ind.ema(x, -1),
        lambda x: ind.macd(x, fast=26, slow=12),
        lambda x: ind.percentile(x, 5, 101),
        lambda x: ind.zscore(x, 1),
        lambda x: ind.slope(x, 1),
    ],
)
def test_bad_parameters_raise(call: object) -> None:
    x = pd.Series(np.arange(10.0))
    with pytest.raises(ValueError):
        call(x)  # type: ignore[operator]


# The checker's built-ins (alvh_rules.builtins) -> the indicator and parameter names here.
CHECKER_NAMES: dict[str, tuple[str, dict[str, str]]] = {
    "sma": ("sma", {"n": "n"}),
    "ema": ("ema", {"n": "n"}),
    "rsi": ("rsi", {"n": "n"}),
    "realized_vol": ("realized_vol", {"n": "n"}),
    "max": ("rolling_max", {"window": "w"}),
    "min": ("rolling_min", {"window": "w"}),
    "median": ("rolling_median", {"window": "w"}),
    "percentile": ("percentile", {"window": "w"}),
    "zscore": ("zscore", {"window": "w"}),
    "crosses_above": ("crosses_above", {}),
    "crosses_below": ("crosses_below", {}),
    "rising": ("rising", {"n": "n"}),
    "falling": ("falling", {"n": "n"}),
    "distance_from_ma": ("distance_from_ma", {"n": "n"}),
    "slope": ("slope", {"n": "n"}),
}


@pytest.mark.parametrize("size", [2, 5, 14, 200])
def test_the_checkers_warm_up_formulas_agree_with_history_needs(size: int) -> None:
    builtins = pytest.importorskip("alvh_rules.builtins")
    for checker_name, (name, renames) in CHECKER_NAMES.items():
        counts = {"n": size, "window": size, "p": 80.0}
        ours = ind.HISTORY_NEEDS[name].bars(**{ours: size for ours in renames.values()})
        assert builtins.BUILTINS[checker_name].bars(counts) == ours, checker_name
    macd_counts = {"fast": 12, "slow": 26 + size, "signal": 9}
    members = builtins.BUILTINS["macd"].members
    for part in ("macd", "signal", "hist"):
        expected = ind.HISTORY_NEEDS[f"macd.{part}"].bars(fast=12, slow=26 + size, signal=9)
        assert members[part](macd_counts) == expected, part


def test_empty_and_short_inputs_give_nan_not_errors() -> None:
    empty = pd.Series([], dtype=float)
    short = pd.Series([1.0, 2.0])
    for x in (empty, short):
        for result in (
            ind.sma(x, 5),
            ind.ema(x, 5),
            ind.rsi(x),
            ind.realized_vol(x),
            ind.slope(x, 3),
            ind.zscore(x, 3),
            ind.percentile(x, 3, 50),
            ind.rising(x, 3),
            ind.distance_from_ma(x, 3),
        ):
            assert len(result) == len(x) and result.isna().all()
        assert ind.macd(x).isna().all().all()
