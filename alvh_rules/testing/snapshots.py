"""The market state of one test: the day (`on DATE` from `--data`, `on builtin` or no
`on`: the built-in demo history's last day), `given` overrides, and `holding` positions
built by the interpreter's position builder or from explicit legs.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from alvh_rules.lang.catalog import MARKET_FIELDS, PORTFOLIO_FIELDS
from alvh_rules.syntax import ast
from alvh_rules.testing.values import TestInputError, constant, finite


class NeedsData(Exception):
    """The test reads a day of a data folder and none was given: it is skipped."""


@dataclass
class Inputs:
    """What one evaluation takes: the snapshot, param values and today's overrides."""

    snapshot: Any
    params: dict[str, float]
    overrides: dict[str, float]


@dataclass
class MarketSource:
    """Histories, loaded once per run: the built-in demo set and the `--data` folder."""

    data_dir: Path | None = None
    _histories: dict[str, Any] = field(default_factory=dict)
    _snapshots: dict[tuple[str, dt.date], Any] = field(default_factory=dict)

    def history(self, key: str) -> Any:
        if key not in self._histories:
            if key == "builtin":
                self._histories[key] = _builtin_history()
            else:
                assert self.data_dir is not None
                self._histories[key] = _folder_history(str(self.data_dir.resolve()))
        return self._histories[key]

    def base_snapshot(self, on: ast.TestOn | None) -> Any:
        if on is None or on.date is None:
            history = self.history("builtin")
            return self._snapshot("builtin", history.index[-1].date())
        if self.data_dir is None:
            raise NeedsData(f"`on {on.date}` reads a data folder: run with --data DIR")
        history = self.history("data")
        if pd.Timestamp(on.date) not in history.index:
            raise TestInputError(
                on.span, f"{on.date} is not a trading day of the data folder {self.data_dir}"
            )
        return self._snapshot("data", on.date)

    def _snapshot(self, key: str, day: dt.date) -> Any:
        if (key, day) not in self._snapshots:
            self._snapshots[(key, day)] = self.history(key).snapshot(day)
        return self._snapshots[(key, day)]


@functools.cache
def _builtin_history() -> Any:
    """The demo history, loaded once per process (it never changes)."""
    from alvh_rules.market import History

    return History.builtin()


@functools.lru_cache(maxsize=2)
def _folder_history(folder: str) -> Any:
    from alvh_rules.market import History

    return History.from_dir(folder)


def build_inputs(block: ast.TestBlock, ruleset: Any, source: MarketSource) -> Inputs:
    """The snapshot, params and overrides a test block describes."""
    on = next((s for s in block.statements if isinstance(s, ast.TestOn)), None)
    snapshot = source.base_snapshot(on)
    params = dict(ruleset.program.param_values)
    for statement in block.statements:
        if isinstance(statement, ast.TestSet):
            for assignment in statement.assignments:
                if assignment.value is not None:  # the checker refuses an unknown param
                    params[assignment.name.name] = constant(assignment.value, params)
    today = _today_values(snapshot)
    market: dict[str, float] = {}
    lets: dict[str, float] = {}
    account: dict[str, float] = {}
    unknown: dict[str, float] = {}  # made missing: only through the overrides, never the snapshot
    for statement in block.statements:
        if not isinstance(statement, ast.TestGiven):
            continue
        for assignment in statement.assignments:
            name = assignment.name.name
            if assignment.value is None:  # `given name = unknown`
                unknown[name] = math.nan
                continue
            value = finite(assignment.value, constant(assignment.value, {**today, **params}), name)
            if name in MARKET_FIELDS:
                market[name] = value
            elif name in PORTFOLIO_FIELDS:
                account[name] = value
            else:
                lets[name] = value
    # Holdings are opened at the day's own close; `given` then moves today's market, so
    # `given vix = 12` after `holding core_condor: ...` marks the condor at VIX 12.
    holdings = [s for s in block.statements if isinstance(s, ast.TestHolding)]
    positions = _positions(holdings, snapshot, params, ruleset.program.types)
    if market:
        snapshot = snapshot.with_values(market)
    snapshot = _with_account(snapshot, positions, account)
    return Inputs(snapshot=snapshot, params=params, overrides={**market, **lets, **unknown})


def _today_values(snapshot: Any) -> dict[str, float]:
    return {name: snapshot.value(name) for name in MARKET_FIELDS}


def _positions(
    holdings: list[ast.TestHolding], snapshot: Any, params: dict[str, float], types: Any
) -> Any:
    from alvh_rules.testing.holdings import build_holding

    return tuple(build_holding(h, snapshot, params, types) for h in holdings)


def _with_account(snapshot: Any, positions: tuple[Any, ...], account: dict[str, float]) -> Any:
    capital = account.get("capital")
    risk_budget = account.get("risk_budget")
    update: dict[str, Any] = {"capital": capital, "risk_budget": risk_budget}
    if positions:
        from alvh_rules.greeks.legs import Portfolio

        # Without `given capital` the account is unknown: rules sized by it are unknown.
        update["portfolio"] = Portfolio.model_construct(
            positions=positions,
            capital=capital if capital is not None else math.nan,
            risk_budget=risk_budget if risk_budget is not None else math.nan,
        )
    return snapshot.model_copy(update=update)
