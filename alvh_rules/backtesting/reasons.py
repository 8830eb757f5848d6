"""The reason the trade log gives for a fill: the one line of the rule that acted."""

from __future__ import annotations

from alvh_rules.eval.decision import RuleOutcome

# The clause outcomes that let a rule fire: a trigger or requirement met, an exception
# that does not apply (a block that does not apply is no reason, it is named nowhere).
_DECIDING = {("when", "true"), ("require", "true"), ("unless", "false")}


def acting_reason(outcome: RuleOutcome) -> str:
    """The outcome's summary when it says why (`holds: ...`); for a rule that fires, whose
    summary is the bare state, the clauses that let it fire, in the ruleset's order:
    `fires: when position.dte <= 10d is true; require vix < 30 is true`."""
    if outcome.summary != outcome.state:
        return outcome.summary
    met = [
        f"{c.keyword} {c.reason.text} is {c.outcome}"
        for c in outcome.clauses
        if (c.keyword, c.outcome) in _DECIDING
    ]
    return f"{outcome.state}: {'; '.join(met)}" if met else outcome.summary
