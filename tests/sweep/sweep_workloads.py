"""Runners the sweep tests inject through the seam: the signals stand-in (a real replay of
each point) and one that fails on a chosen point. Module-level, so Dask workers import them."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from alvh_rules.check.ruleset import Ruleset
from alvh_rules.market.history import History
from alvh_rules.sweeping.points import Settings
from alvh_rules.sweeping.signals import signal_shares

QUICKSTART = Path(__file__).resolve().parents[2] / "rulesets" / "examples" / "quickstart.alvh"
FAILING_RSI_CAP = 55.0  # the point the failing runner refuses


def failing_at_55(
    ruleset: Ruleset,
    history: History,
    params: Mapping[str, float],
    start: dt.date | None,
    end: dt.date | None,
    settings: Settings,
) -> Mapping[str, Any]:
    """The signals stand-in, except that rsi_cap = 55 raises (a backtest that breaks)."""
    if params.get("rsi_cap") == FAILING_RSI_CAP:
        raise ZeroDivisionError("this point's run divides by zero")
    return signal_shares(ruleset, history, params, start, end, settings)


def crashing_at_55(
    ruleset: Ruleset,
    history: History,
    params: Mapping[str, float],
    start: dt.date | None,
    end: dt.date | None,
    settings: Settings,
) -> Mapping[str, Any]:
    """The signals stand-in, except that rsi_cap = 55 ends its worker process (as a run out
    of memory would): no exception to record, only a dead worker."""
    if params.get("rsi_cap") == FAILING_RSI_CAP:
        os._exit(3)
    return signal_shares(ruleset, history, params, start, end, settings)
