"""The Decision: what every rule says on one day, why, and what to do (JSON-serialisable).

`states` maps each rule's name to its state; `rules` holds each rule's reasons (the tree
of its conditions with every sub-expression's value and unit) and actions; `missing`
lists every value that could not be known and the rules it affected.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from alvh_rules.diagnostics import Span

Truth = Literal["true", "false", "unknown"]
RuleStateName = Literal["fires", "holds", "blocked", "unknown", "held", "breached"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reason(_Model):
    """One sub-expression on the day: its source text, value, unit, and where it came from."""

    text: str
    span: Span | None = None
    value: float | str | None = None
    unit: str = ""
    truth: Truth | None = None
    why: str = ""
    children: list[Reason] = Field(default_factory=list)


class ClauseOutcome(_Model):
    keyword: str
    outcome: Truth
    effect: str  # what the outcome did to the rule, in words
    reason: Reason


class Leg(_Model):
    instrument: str
    right: str | None
    strike: float | None
    expiry: str
    quantity: int
    price: float


class Action(_Model):
    """Something to do: open a structure (legs, contracts, Greeks) or roll/close a position."""

    rule: str
    kind: Literal["open", "roll_forward", "roll_out", "close"]
    structure: str = ""
    target: str = ""
    contracts: int = 0
    sizing: str = ""
    legs: list[Leg] = Field(default_factory=list)
    figures: dict[str, float | None] = Field(default_factory=dict)
    note: str = ""


class LimitReport(_Model):
    value: float | None
    bound: float | None
    margin: float | None
    unit: str
    state: RuleStateName
    after_actions: RuleStateName | None = None
    margin_after_actions: float | None = None


class RuleOutcome(_Model):
    name: str
    kind: str
    state: RuleStateName
    summary: str
    clauses: list[ClauseOutcome] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    limit: LimitReport | None = None


class Missing(_Model):
    """A value that could not be known, why, and the rules whose state it left unknown."""

    name: str
    reason: str
    rules: list[str]


class Provenance(_Model):
    ruleset: str
    ruleset_hash: str
    snapshot_hash: str
    package_version: str
    params: dict[str, float]


class Decision(_Model):
    as_of: str
    regime: str | None
    states: dict[str, RuleStateName]
    actions: list[Action]
    rules: list[RuleOutcome]
    missing: list[Missing]
    provenance: Provenance

    def to_json(self) -> str:
        """Byte-stable JSON: the same inputs give the same text."""
        return self.model_dump_json(indent=2)
