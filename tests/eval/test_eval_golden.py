"""Golden decisions: the shipped top-level rulesets on real days, as stable JSON summaries
(regime, every rule's state, the actions with their legs, the names of missing values).

Run with UPDATE_GOLDEN=1 to rewrite `golden/*.json` after an intended change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from alvh_rules.check import load
from alvh_rules.eval.decision import Decision
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
RULESETS = ["alvh_vega_layering_roa", "alvh_scaling_risk_high_roe", "alvh_vix_hedge_sizing"]
DAYS = ["2008-10-10", "2017-11-03", "2020-03-16", "2024-08-05"]
ACCOUNT = {"capital": 1_000_000.0, "risk_budget": 100_000.0}


def summary(decision: Decision) -> dict[str, Any]:
    return {
        "as_of": decision.as_of,
        "regime": decision.regime,
        "states": dict(sorted(decision.states.items())),
        "actions": [
            {
                "rule": a.rule,
                "kind": a.kind,
                "structure": a.structure,
                "contracts": a.contracts,
                "legs": [[g.instrument, g.right, g.strike, g.expiry, g.quantity] for g in a.legs],
            }
            for a in decision.actions
        ],
        "missing": sorted(m.name for m in decision.missing),
    }


@pytest.mark.parametrize("name", RULESETS)
def test_golden_decisions_on_real_days(name: str, real_history: History) -> None:
    ruleset = load(ROOT / "rulesets" / f"{name}.alvh", root=ROOT / "rulesets")
    got = {day: summary(evaluate(ruleset, real_history.snapshot(day, **ACCOUNT))) for day in DAYS}
    path = GOLDEN / f"{name}.json"
    text = json.dumps(got, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
