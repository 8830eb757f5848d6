"""Indicators: equality with TA-Lib on the real SPX and VIX closes, warm-up lengths, NaN rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import talib

from alvh_rules import indicators as ind
from alvh_rules.lang.builtins import BUILTINS
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


def test_warm_up_lengths_are_the_registry_formulas() -> None:
    """Each built-in's `bars` (what the checker composes) against the computed warm-up: the
    first value of an indicator over a clean input is at bar `bars`."""
    x = pd.Series(np.linspace(100.0, 140.0, 400) + np.sin(np.arange(400)))
    bars = {name: b.bars for name, b in BUILTINS.items()}
    cases: list[tuple[str, pd.Series, dict[str, float]]] = [
        ("sma", ind.sma(x, 20), {"n": 20}),
        ("ema", ind.ema(x, 20), {"n": 20}),
        ("rsi", ind.rsi(x, 14), {"n": 14}),
        ("realized_vol", ind.realized_vol(x, 20), {"n": 20}),
        ("max", ind.rolling_max(x, 7), {"window": 7}),
        ("min", ind.rolling_min(x, 7), {"window": 7}),
        ("median", ind.rolling_median(x, 7), {"window": 7}),
        ("percentile", ind.percentile(x, 7, 80), {"window": 7, "p": 80}),
        ("zscore", ind.zscore(x, 7), {"window": 7}),
        ("crosses_above", ind.crosses_above(x, 110.0), {}),
        ("crosses_below", ind.crosses_below(x, 110.0), {}),
        ("rising", ind.rising(x, 3), {"n": 3}),
        ("falling", ind.falling(x, 3), {"n": 3}),
        ("distance_from_ma", ind.distance_from_ma(x, 30), {"n": 30}),
        ("slope", ind.slope(x, 10), {"n": 10}),
    ]
    for name, series, counts in cases:
        assert _first_valid(series) + 1 == bars[name](counts), name
    members = BUILTINS["macd"].members
    for part in ("macd", "signal", "hist"):
        for slow in (26, 40):
            computed = ind.macd(x, fast=12, slow=slow, signal=9)[part]
            counts = {"fast": 12, "slow": slow, "signal": 9}
            assert _first_valid(computed) + 1 == members[part](counts), part


def test_composed_warm_up_matches_the_composition_rule() -> None:
    x = pd.Series(np.linspace(1.0, 50.0, 200) + np.cos(np.arange(200)))
    composed = ind.rsi(ind.ema(x, 10), 14)
    # the checker's rule: an output needing N bars of an input needing K needs K + N - 1
    assert _first_valid(composed) + 1 == 10 + BUILTINS["rsi"].bars({"n": 14}) - 1


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
