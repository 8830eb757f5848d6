"""The validated AST: frozen pydantic models, every node with its source span.

Expressions and items are discriminated unions on `kind`, so the AST dumps to stable
JSON (for golden tests) and loads back validated; `ruleset_json_schema()` exports the
schema. The checker's results live in side tables keyed by node, never in these models.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from alvh_rules.lang.diagnostics import Span


class Node(BaseModel):
    # Schemas are built on first validation, not at import: `alvh check` never validates
    # (the parser constructs nodes it has typed itself), so it skips that cost entirely.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    span: Span


class Identifier(Node):
    """A name as written at a declaration or reference site."""

    name: str


# ---- expressions --------------------------------------------------------------------


class Number(Node):
    """A number literal; `value` is in base units (`5%` is 0.05), `unit` the suffix or ""."""

    kind: Literal["number"] = "number"
    value: float
    unit: str = ""
    text: str


class String(Node):
    kind: Literal["string"] = "string"
    value: str


class Bool(Node):
    kind: Literal["bool"] = "bool"
    value: bool


class Name(Node):
    """A bare name: a param, let, regime, rule, market field or portfolio figure."""

    kind: Literal["name"] = "name"
    name: str


class CurrentRegime(Node):
    """The `regime` keyword in an expression: the regime in force today."""

    kind: Literal["regime"] = "regime"


UnaryOp = Literal["-", "not"]
BinaryOp = Literal["+", "-", "*", "/", "of", "and", "or"]
CompareOp = Literal["<", "<=", ">", ">=", "==", "!="]


class Unary(Node):
    kind: Literal["unary"] = "unary"
    op: UnaryOp
    operand: Expr


class Binary(Node):
    kind: Literal["binary"] = "binary"
    op: BinaryOp
    left: Expr
    right: Expr


class Compare(Node):
    kind: Literal["compare"] = "compare"
    op: CompareOp
    left: Expr
    right: Expr


class InRange(Node):
    """`value in low .. high`, both ends included."""

    kind: Literal["in_range"] = "in_range"
    value: Expr
    low: Expr
    high: Expr


class Within(Node):
    """`within 2d of fomc, cpi`: an event of one of the kinds is at most N trading days away."""

    kind: Literal["within"] = "within"
    distance: Number | Name
    events: list[Identifier]


class Call(Node):
    kind: Literal["call"] = "call"
    function: Identifier
    args: list[Expr]


class Member(Node):
    """`target.member`: a position figure, a MACD component, a limit's bound."""

    kind: Literal["member"] = "member"
    target: Expr
    member: Identifier


class Lookback(Node):
    """`series[n]`: the value n trading days ago."""

    kind: Literal["lookback"] = "lookback"
    target: Expr
    offset: Expr


class ChoiceArm(Node):
    """One arm of a choice; the label `otherwise` matches any regime not listed."""

    label: Identifier
    value: Expr


class Choice(Node):
    """`(steward: 25pt, promoter: 50pt)[regime]`: a value chosen by a selector."""

    kind: Literal["choice"] = "choice"
    arms: list[ChoiceArm]
    selector: Expr


class Conditional(Node):
    """`if test then if_true else if_false`: a value chosen by a condition."""

    kind: Literal["conditional"] = "conditional"
    test: Expr
    if_true: Expr
    if_false: Expr


Expr = Annotated[
    Number
    | String
    | Bool
    | Name
    | CurrentRegime
    | Unary
    | Binary
    | Compare
    | InRange
    | Within
    | Call
    | Member
    | Lookback
    | Choice
    | Conditional,
    Field(discriminator="kind"),
]

# ---- clauses of rules ---------------------------------------------------------------

ClauseKeyword = Literal["when", "require", "block", "unless", "otherwise", "condition"]


class Clause(Node):
    """A condition clause. `condition` is the body of a limit; `otherwise` has none."""

    kind: Literal["clause"] = "clause"
    keyword: ClauseKeyword
    condition: Expr | None = None


OpenArgName = Literal[
    "dte", "delta", "wings", "wing_delta", "outside", "strike", "width", "contracts"
]


class OpenArg(Node):
    name: OpenArgName
    value: Expr


class OpenExpiry(Node):
    """`expiry monthly|weekly`: the listed expiries an `open` picks its `dte` from."""

    listing: Literal["monthly", "weekly"]


class OpenSpec(Node):
    """What to open: an optional side, a structure name, its arguments and the listing
    its expiry comes from (None: the default, monthly)."""

    side: Literal["long", "short"] | None = None
    structure: Identifier
    args: list[OpenArg]
    expiry: OpenExpiry | None = None


class OpenClause(Node):
    kind: Literal["open"] = "open"
    spec: OpenSpec


class SizeClause(Node):
    """How many contracts: `size risk 1% of capital`, `size vega 35% of base_condor.vega beta 0.8`,
    or `size contracts 2`."""

    kind: Literal["size"] = "size"
    mode: Literal["risk", "vega", "contracts"]
    amount: Expr
    beta: Expr | None = None
    # `costing at most 2,000$`: no more structures than the amount pays for at entry
    costing: Expr | None = None
    # `within max_short_vega`: limits the count may not breach once the position is added
    within: list[Identifier] = Field(default_factory=list)


class RollAction(Node):
    """`roll forward 30d` (same strikes, later expiry), `roll out` (reopen fresh), `close`,
    `resize` (trade the difference to the count the target's `size` clause asks today)."""

    kind: Literal["roll_action"] = "roll_action"
    action: Literal["forward", "out", "close", "resize"]
    amount: Expr | None = None


RuleClause = Annotated[Clause | OpenClause | SizeClause | RollAction, Field(discriminator="kind")]

RuleKind = Literal["regime", "limit", "entry", "layer", "roll"]


class Rule(Node):
    """A regime, limit, entry, layer or roll; `target` is the position a layer or roll acts on.

    A roll `on shortest(a, b, c)` lists its `candidates` and acts on the held one with the
    fewest days to expiry (the first listed on a tie); `target` is then the first of them."""

    kind: Literal["rule"] = "rule"
    rule_kind: RuleKind
    name: Identifier
    target: Identifier | None = None
    candidates: list[Identifier] = Field(default_factory=list)
    clauses: list[RuleClause]


# ---- declarations -------------------------------------------------------------------


class Header(Node):
    kind: Literal["header"] = "header"
    title: str


class Version(Node):
    kind: Literal["version"] = "version"
    number: int


class Import(Node):
    kind: Literal["import"] = "import"
    path: str


class Param(Node):
    kind: Literal["param"] = "param"
    name: Identifier
    default: Expr
    low: Expr | None = None
    high: Expr | None = None


class Let(Node):
    kind: Literal["let"] = "let"
    name: Identifier
    value: Expr


# ---- ruleset tests ------------------------------------------------------------------


class Assignment(Node):
    """`name = value`; in a test's `given`, `name = unknown` (value None) makes it missing."""

    name: Identifier
    value: Expr | None


class TestOn(Node):
    """`on 2020-03-16` (a day of the data folder) or `on builtin` (the built-in demo history)."""

    kind: Literal["on"] = "on"
    date: dt.date | None = None


class TestGiven(Node):
    """`given vix = 35, vix_rsi = 62`: override today's market values or lets."""

    kind: Literal["given"] = "given"
    assignments: list[Assignment]


class TestSet(Node):
    """`set short_delta = 18delta`: override params for this test."""

    kind: Literal["set"] = "set"
    assignments: list[Assignment]


class LegSpec(Node):
    """`leg -1 spx put strike 4300 expiring 2024-09-20 at 12.5$`."""

    quantity: int
    instrument: Identifier
    right: Literal["call", "put"] | None = None
    strike: Expr | None = None
    expiry_date: dt.date | None = None
    expiry_days: Number | None = None
    price: Expr | None = None


class TestHolding(Node):
    """A position in the test portfolio: `holding NAME: <open spec>` or `holding NAME: leg ...`,
    opened on the test's day or `held` days before it (`held 17d`)."""

    kind: Literal["holding"] = "holding"
    name: Identifier
    spec: OpenSpec | None = None
    legs: list[LegSpec] = []
    held: Expr | None = None


RuleState = Literal["fires", "holds", "blocked", "unknown", "breached", "held"]


class ExpectState(Node):
    kind: Literal["expect_state"] = "expect_state"
    rule: Identifier
    state: RuleState


class ExpectRegime(Node):
    kind: Literal["expect_regime"] = "expect_regime"
    regime: Identifier


class ExpectContracts(Node):
    """`expect NAME opens N` (an entry or layer's count) or `expect NAME resizes N` (the
    count a roll's `resize` brings its target to)."""

    kind: Literal["expect_contracts"] = "expect_contracts"
    rule: Identifier
    contracts: int
    verb: Literal["opens", "resizes"] = "opens"


TestStatement = Annotated[
    TestOn | TestGiven | TestSet | TestHolding | ExpectState | ExpectRegime | ExpectContracts,
    Field(discriminator="kind"),
]


class TestBlock(Node):
    kind: Literal["test"] = "test"
    name: str
    statements: list[TestStatement]


Item = Annotated[
    Header | Version | Import | Param | Let | Rule | TestBlock, Field(discriminator="kind")
]


class Comment(Node):
    """A `#` comment; kept beside the tree and put back by position when formatting."""

    text: str


class Ruleset(Node):
    """The root: one parsed file."""

    kind: Literal["ruleset"] = "ruleset"
    file: str
    items: list[Item]
    comments: list[Comment] = []
