"""What `evaluate` refuses before it runs, with a message naming the argument, the field and
the value: a ruleset or snapshot of the wrong type, a snapshot the CLI would refuse
(market/snapshot_checks.py), and overrides that name nothing or are not numbers.

Without these, a typo in an override name was ignored and the rule evaluated on the real
value, an infinite override compared as a number, and reversed dates evaluated another day.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from alvh_rules.check.ruleset import Ruleset
from alvh_rules.check.symbols import did_you_mean
from alvh_rules.lang.catalog import MARKET_FIELDS, PORTFOLIO_FIELDS
from alvh_rules.market.snapshot_checks import account_problem, refusal

if TYPE_CHECKING:
    from alvh_rules.market.snapshot import MarketSnapshot


def check_arguments(ruleset: object, snapshot: object) -> None:
    """TypeError for a ruleset that is neither a Ruleset nor a path, or a snapshot that is
    not a MarketSnapshot (a dict of today's values, say)."""
    from alvh_rules.market.snapshot import MarketSnapshot

    if not isinstance(ruleset, Ruleset | str | Path):
        raise TypeError(
            "evaluate: ruleset must be a Ruleset (alvh_rules.load) or the path of a .alvh "
            f"file, not {type(ruleset).__name__}"
        )
    if not isinstance(snapshot, MarketSnapshot):
        raise TypeError(
            "evaluate: snapshot must be a MarketSnapshot (History.snapshot(day) or "
            f"MarketSnapshot.model_validate_json), not {type(snapshot).__name__}"
        )


def check_snapshot(snapshot: MarketSnapshot) -> None:
    """ValueError naming the first thing in the snapshot no decision may read."""
    problem = refusal(snapshot)
    if problem is not None:
        raise ValueError(f"evaluate: the snapshot is refused: {problem}")


def check_overrides(ruleset: Ruleset, overrides: Mapping[str, object] | None) -> None:
    """ValueError for an override that names no market field, let or account figure, or whose
    value is not a number; NaN stands for unknown (`given roa = unknown`), inf for nothing.
    A portfolio's positions tagged by rules of another ruleset are not refused: a portfolio
    may hold several rulesets' positions (`alvh eval --portfolio` refuses an unknown tag)."""
    if not overrides:
        return
    if not isinstance(overrides, Mapping):
        raise TypeError(f"evaluate: overrides must be a mapping, not {type(overrides).__name__}")
    for name, value in overrides.items():
        _check_override_name(ruleset, str(name))
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isinf(value):
            raise ValueError(
                f"evaluate: overrides[{name!r}] = {value!r}: must be a finite number "
                "(NaN when unknown)"
            )
        number = float(value)
        if name in PORTFOLIO_FIELDS and not math.isnan(number):
            capital, budget = (number, None) if name == "capital" else (None, number)
            problem = account_problem(capital, budget)
            if problem is not None:
                raise ValueError(f"evaluate: overrides: {problem}")


def _check_override_name(ruleset: Ruleset, name: str) -> None:
    lets = ruleset.lets
    if name in MARKET_FIELDS or name in lets or name in PORTFOLIO_FIELDS:
        return
    hint = did_you_mean(name, [*MARKET_FIELDS, *lets, *PORTFOLIO_FIELDS])
    raise ValueError(
        f"evaluate: overrides[{name!r}]: no market field, let or account figure of that name"
        + (f"; {hint}" if hint else "")
    )
