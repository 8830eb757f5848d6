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
from alvh_rules.market.snapshot_checks import account_problem, expired_leg, snapshot_problem

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
    problem = snapshot_problem(snapshot)
    if problem is None and snapshot.portfolio is not None:
        problem = expired_leg(snapshot.portfolio, snapshot.today)
        problem = problem and f"portfolio: {problem}"
    if problem is not None:
        raise ValueError(f"evaluate: the snapshot is refused: {problem}")


def check_overrides(ruleset: Ruleset, overrides: Mapping[str, object] | None) -> None:
    """ValueError for an override that names no market field, let or account figure, or whose
    value is not a number; NaN stands for unknown (`given roa = unknown`), inf for nothing."""
    if not overrides:
        return
    if not isinstance(overrides, Mapping):
        raise TypeError(f"evaluate: overrides must be a mapping, not {type(overrides).__name__}")
    names = [*MARKET_FIELDS, *ruleset.lets, *PORTFOLIO_FIELDS]
    for name, value in overrides.items():
        if name not in MARKET_FIELDS and name not in ruleset.lets and name not in PORTFOLIO_FIELDS:
            hint = did_you_mean(str(name), names)
            raise ValueError(
                f"evaluate: overrides[{name!r}]: no market field, let or account figure of "
                f"that name" + (f"; {hint}" if hint else "")
            )
        is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
        if not is_number or math.isinf(float(value)):  # type: ignore[arg-type]
            raise ValueError(
                f"evaluate: overrides[{name!r}] = {value!r}: must be a finite number "
                "(NaN when unknown)"
            )
        if name in PORTFOLIO_FIELDS and not math.isnan(float(value)):  # type: ignore[arg-type]
            capital = float(value) if name == "capital" else None  # type: ignore[arg-type]
            budget = float(value) if name == "risk_budget" else None  # type: ignore[arg-type]
            problem = account_problem(capital, budget)
            if problem is not None:
                raise ValueError(f"evaluate: overrides: {problem}")


def check_call(
    ruleset: Ruleset, snapshot: MarketSnapshot, overrides: Mapping[str, object] | None
) -> None:
    """What depends on the ruleset. A position tagged by a rule of another ruleset is not
    refused here: a portfolio may hold several rulesets' positions (`alvh eval --portfolio`
    refuses a tag its ruleset does not declare, cli/portfolio_file.py)."""
    check_overrides(ruleset, overrides)
