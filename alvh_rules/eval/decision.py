"""The Decision: what every rule says on one day, why, and what to do (JSON-serialisable).

`states` maps each rule's name to its state; `rules` holds each rule's reasons (the tree
of its conditions with every sub-expression's value and unit) and actions; `missing`
lists every value that could not be known and the rules it affected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from alvh_rules.lang.diagnostics import Span

Truth = Literal["true", "false", "unknown"]
RuleStateName = Literal["fires", "holds", "blocked", "unknown", "held", "breached"]


_set = object.__setattr__


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
    # `evaluate` makes clauses with their reason pending: the tree is built on first read,
    # by attribute or by any pydantic way of reading the model (dump, JSON, equality, copy,
    # repr, pickle), so a pending clause reads the same as one built at once. (Comments, not
    # a docstring: a docstring would enter the JSON schema.)
    keyword: str
    outcome: Truth
    effect: str  # what the outcome did to the rule, in words
    reason: Reason  # the last field: a pending one is added last, in the same order
    _build_reason: Callable[[], Reason] | None = PrivateAttr(default=None)

    @classmethod
    def pending(
        cls, keyword: str, outcome: Truth, effect: str, build_reason: Callable[[], Reason]
    ) -> ClauseOutcome:
        """A clause whose reason `build_reason()` makes when first read (values trusted)."""
        clause = cls.__new__(cls)
        _set(clause, "__dict__", {"keyword": keyword, "outcome": outcome, "effect": effect})
        _set(clause, "__pydantic_fields_set__", {"keyword", "outcome", "effect", "reason"})
        _set(clause, "__pydantic_extra__", None)
        _set(clause, "__pydantic_private__", {"_build_reason": build_reason})
        return clause

    def _complete(self) -> None:
        private = self.__pydantic_private__
        if private and private["_build_reason"] is not None:
            self.__dict__["reason"] = private["_build_reason"]()
            private["_build_reason"] = None  # as on a clause built at once

    if not TYPE_CHECKING:  # as BaseModel declares it: mypy would let any name through

        def __getattr__(self, name: str) -> Any:
            if name == "reason":  # only while pending: a built reason is in __dict__
                self._complete()
                return self.__dict__["reason"]
            return super().__getattr__(name)

    def __eq__(self, other: object) -> bool:
        self._complete()
        if isinstance(other, ClauseOutcome):
            other._complete()
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # as before: a reason holds lists

    def __iter__(self) -> Any:
        self._complete()
        return super().__iter__()

    def __repr_args__(self) -> Any:
        self._complete()
        return super().__repr_args__()

    def __copy__(self) -> ClauseOutcome:
        self._complete()
        return super().__copy__()

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> ClauseOutcome:
        self._complete()
        return super().__deepcopy__(memo)

    def __getstate__(self) -> dict[Any, Any]:
        self._complete()
        return super().__getstate__()

    # No return annotation: pydantic then keeps the fields' serialization JSON schema.
    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        self._complete()
        return handler(self)


class Leg(_Model):
    instrument: str
    right: str | None
    strike: float | None
    expiry: str
    quantity: int
    price: float


class Action(_Model):
    """Something to do: open a structure (legs, contracts, Greeks) or roll/close a position;
    a `resize` names its target and the count it is brought to (`contracts`)."""

    rule: str
    kind: Literal["open", "roll_forward", "roll_out", "close", "resize"]
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
    # How the day's modelled prices were made: the SPX surface's fit to VIX9D/VIX/VIX3M
    # (levels, solved ATM, residuals), the VX curve and the VIX option smile.
    market_model: list[str] = Field(default_factory=list)


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
