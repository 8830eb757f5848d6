"""Derived daily fields, computed from the loaded columns: basis, ratios, RV, A/D line, P/E.

Each derived value is known when the last of its inputs is, so its publication time is
the latest of theirs; a missing input gives NaN, never a substitute.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from alvh_rules import indicators
from alvh_rules.greeks.conventions import VOL_POINT
from alvh_rules.greeks.strikes import expected_move as core_move
from alvh_rules.market.calendar import session_ordinals

EXPECTED_MOVE_DAYS = 30.0
# The A/D line starts again from 0 after a hole of more than this many trading days.
AD_LINE_MAX_GAP_SESSIONS = 5


@dataclass(frozen=True, slots=True)
class Derived:
    """A derived field: the fields it reads and how (over whole columns)."""

    inputs: tuple[str, ...]
    compute: Callable[[pd.DataFrame], pd.Series]
    tail_bars: int = 1  # bars of history needed to recompute today's value
    cumulative: bool = False  # today's value sums every earlier day (since a restart)


def _ratio(top: str, bottom: str) -> Callable[[pd.DataFrame], pd.Series]:
    def compute(frame: pd.DataFrame) -> pd.Series:
        with np.errstate(divide="ignore", invalid="ignore"):
            result = frame[top] / frame[bottom].where(frame[bottom] != 0)
        return result

    return compute


def _difference(left: str, right: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda frame: frame[left] - frame[right]


def expected_move(
    spot: float | pd.Series, iv_vol_points: float | pd.Series, days: float
) -> float | pd.Series:
    """One-standard-deviation move in points for an IV in vol points (VIX 20 is 20): the
    Greeks core's `expected_move` (the one formula), keeping a Series' index."""
    move = core_move(spot, np.asarray(iv_vol_points, dtype=np.float64) * VOL_POINT, days)
    if isinstance(spot, pd.Series):
        return pd.Series(move, index=spot.index)
    return float(move)


def _expected_move_30d(frame: pd.DataFrame) -> pd.Series:
    result = expected_move(frame["spx"], frame["vix"], EXPECTED_MOVE_DAYS)
    assert isinstance(result, pd.Series)
    return result


def ad_line(advances: pd.Series, declines: pd.Series) -> pd.Series:
    """Cumulative net advances, restarting at 0 after a hole of more than 5 trading days.

    A single missing day is NaN on that day and adds nothing to the line; a longer hole
    (the 2015-2016 gap, the switch to the proxy file) starts a new segment at 0.
    """
    net = advances - declines
    valid = net.notna().to_numpy()
    if not valid.any():
        return pd.Series(np.nan, index=advances.index)
    days = pd.DatetimeIndex(net.index[valid])
    ordinals = session_ordinals(days)
    jumps = np.diff(ordinals, prepend=ordinals[0]) > AD_LINE_MAX_GAP_SESSIONS + 1
    segment = np.cumsum(jumps)
    line = net[valid].groupby(segment).cumsum()
    return pd.Series(line.to_numpy(), index=days).reindex(advances.index)


DERIVED: dict[str, Derived] = {
    "vix_basis": Derived(("vix_f1", "vix"), _difference("vix_f1", "vix")),
    "vix_term_slope": Derived(("vix_f2", "vix_f1"), _difference("vix_f2", "vix_f1")),
    "vvix_vix_ratio": Derived(("vvix", "vix"), _ratio("vvix", "vix")),
    "spx_rv20": Derived(("spx",), lambda f: indicators.realized_vol(f["spx"], 20), 21),
    "iv_rv_ratio": Derived(("vix", "spx_rv20"), _ratio("vix", "spx_rv20")),
    "ad_line": Derived(
        ("advances", "declines"), lambda f: ad_line(f["advances"], f["declines"]), cumulative=True
    ),
    "cpi_surprise": Derived(("cpi", "cpi_consensus"), _difference("cpi", "cpi_consensus")),
    "ppi_surprise": Derived(("ppi", "ppi_consensus"), _difference("ppi", "ppi_consensus")),
    "pe": Derived(("spx", "eps_ttm"), _ratio("spx", "eps_ttm")),
    "dividend_yield": Derived(("dividends_ttm", "spx"), _ratio("dividends_ttm", "spx")),
    "expected_move_30d": Derived(("spx", "vix"), _expected_move_30d),
}


def add_derived(daily: pd.DataFrame, stamps: dict[str, npt.NDArray[np.int64]]) -> None:
    """Fill the derived columns of `daily`, in place, and their publication times in
    `stamps` (int64 UTC ns; the minimum int64 is NaT): the latest of the inputs'."""
    nat = np.iinfo(np.int64).min
    for name, rule in DERIVED.items():
        daily[name] = rule.compute(daily).astype(np.float64)
        inputs = np.vstack([stamps[i] for i in rule.inputs])
        stamps[name] = np.where((inputs == nat).any(axis=0), nat, inputs.max(axis=0))


def recompute_today(
    before: dict[str, np.ndarray], after: dict[str, np.ndarray], overridden: set[str]
) -> dict[str, float]:
    """Today's derived values after some inputs of today were overridden.

    `before` and `after` are the series before and after the override (last element is
    today). Derived fields the caller overrode keep the caller's value; derived fields
    read by other derived fields (spx_rv20 by iv_rv_ratio) are updated first.
    """
    updates: dict[str, float] = {}
    changed = set(overridden)
    for name, rule in DERIVED.items():
        if name in overridden or not changed & set(rule.inputs):
            continue
        if name == "ad_line":
            # The line moves by the change in today's net advances.
            old_net = before["advances"][-1] - before["declines"][-1]
            new_net = after["advances"][-1] - after["declines"][-1]
            updates[name] = float(before[name][-1] - old_net + new_net)
        else:
            frame = pd.DataFrame({k: after[k][-rule.tail_bars :] for k in rule.inputs})
            updates[name] = float(rule.compute(frame).iloc[-1])
        after[name] = np.append(after[name][:-1], updates[name])
        changed.add(name)
    return updates
