"""Building AST nodes during the LALR parse (Lark calls these methods as it reduces).

The parser keeps every token (`keep_all_tokens`), so each node's span runs from its
first token to its last, keywords included. Expressions nested deeper than MAX_DEPTH, or
with trees taller than MAX_HEIGHT (a bound on flat chains), are cut off with a diagnostic
so that no later phase can recurse without bound.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Any, cast

from lark import Token, Transformer

from alvh_rules.diagnostics import Diagnostic, Span, span_at
from alvh_rules.syntax import ast
from alvh_rules.trusted import construct
from alvh_rules.units import SUFFIXES

MAX_DEPTH = 100
# Levels of the tree itself: a flat chain (`a + b + c`, `x and y`) leans left, one level per
# term, and the checker, interpreter and formatter walk the tree recursively. 250 leaves them
# a wide margin below Python's recursion limit (a 399-term chain overflowed it).
MAX_HEIGHT = 250
# Whole numbers (`version`, a leg's quantity, `opens N`): more digits than this is no count
# anyone means, and Python refuses to convert more than 4,300.
MAX_WHOLE_DIGITS = 9
# Operators of one precedence level: a chain of them is one flat list, not nesting.
_LEVEL = {"or": 0, "and": 1, "+": 2, "-": 2, "*": 3, "/": 3, "of": 3}

_NUMBER_WITH_UNIT = re.compile(r"^([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)(.*)$")
_STRING_ESCAPES = {'\\"': '"', "\\\\": "\\", "\\n": "\n", "\\t": "\t"}


class AstBuilder(Transformer[Token, Any]):
    """Lark callbacks turning rule matches into AST nodes. One instance per parser.

    Nodes are made with `model_construct`: the grammar already fixes every field's type,
    so validating each node again would only cost time (a test validates parsed trees)."""

    def __init__(self) -> None:
        super().__init__(visit_tokens=False)
        self.file = "<string>"
        self.line_offset = 0
        self.diagnostics: list[Diagnostic] = []
        self._depth: dict[int, int] = {}
        self._height: dict[int, int] = {}

    def reset(self, file: str, line_offset: int = 0) -> None:
        self.file = file
        self.line_offset = line_offset
        self.diagnostics = []
        self._depth = {}
        self._height = {}

    # ---- spans -----------------------------------------------------------------------

    def token_span(self, token: Token) -> Span:
        # Lark types the positions Optional; the lexer always sets them. No `cast` calls:
        # this runs once per token.
        offset = self.line_offset
        return span_at(
            self.file,
            token.line + offset,  # type: ignore[operator]
            token.column,  # type: ignore[arg-type]
            token.end_line + offset,  # type: ignore[operator]
            token.end_column,  # type: ignore[arg-type]
        )

    def span_of(self, first: Any, last: Any) -> Span:
        start = first.span if isinstance(first, ast.Node) else self.token_span(first)
        end = last.span if isinstance(last, ast.Node) else self.token_span(last)
        return start.to(end)

    def ident(self, token: Token) -> ast.Identifier:
        return construct(ast.Identifier, span=self.token_span(token), name=str(token))

    def _expr(self, node: Any, *children: Any) -> Any:
        """Record the nesting depth of an expression node; cut off trees that are too deep."""
        depth = 1 + max((self._depth.get(id(c), 1) for c in children), default=0)
        return self._measured(node, depth, children)

    def _measured(self, node: Any, depth: int, children: Sequence[Any]) -> Any:
        height = 1 + max((self._height.get(id(c), 1) for c in children), default=0)
        if depth > MAX_DEPTH or height > MAX_HEIGHT:
            message = (
                f"expression nests deeper than {MAX_DEPTH} levels"
                if depth > MAX_DEPTH
                else f"expression is too long: a chain more than {MAX_HEIGHT} levels tall"
            )
            self.error("ALVH003", node.span, message, "split it into named `let` expressions")
            return construct(ast.Name, span=node.span, name="<too deep>")
        self._depth[id(node)] = depth
        self._height[id(node)] = height
        return node

    def _whole(self, token: Token, what: str) -> int:
        """A whole number of at most MAX_WHOLE_DIGITS digits; more is ALVH007 (and 0)."""
        text = str(token)
        if len(text.lstrip("0")) > MAX_WHOLE_DIGITS:
            shown = text if len(text) <= 20 else f"{text[:8]}...{text[-4:]} ({len(text)} digits)"
            self.error(
                "ALVH007",
                self.token_span(token),
                f"{shown} is too large for {what}",
                f"write a whole number below {10**MAX_WHOLE_DIGITS:,}",
            )
            return 0
        return int(text)

    def error(self, code: str, span: Span, message: str, hint: str = "") -> None:
        self.diagnostics.append(
            Diagnostic(code=code, severity="error", span=span, message=message, hint=hint)
        )

    # ---- top level -------------------------------------------------------------------

    def start(self, children: list[Any]) -> list[Any]:
        return children

    def header(self, c: list[Any]) -> ast.Header:
        return construct(ast.Header, span=self.span_of(c[0], c[-1]), title=unquote(c[1]))

    def version(self, c: list[Any]) -> ast.Version:
        return construct(
            ast.Version, span=self.span_of(c[0], c[-1]), number=self._whole(c[1], "a version")
        )

    def import_decl(self, c: list[Any]) -> ast.Import:
        return construct(ast.Import, span=self.span_of(c[0], c[-1]), path=unquote(c[1]))

    def param_decl(self, c: list[Any]) -> ast.Param:
        low = high = None
        if len(c) > 4:
            low, high = c[4][1], c[4][3]
        return construct(
            ast.Param,
            span=self.span_of(c[0], c[-1][-1] if len(c) > 4 else c[-1]),
            name=self.ident(c[1]),
            default=c[3],
            low=low,
            high=high,
        )

    def bounds(self, c: list[Any]) -> list[Any]:
        return c

    def let_decl(self, c: list[Any]) -> ast.Let:
        return construct(ast.Let, span=self.span_of(c[0], c[-1]), name=self.ident(c[1]), value=c[3])

    # ---- rules -----------------------------------------------------------------------

    def _rule(
        self, kind: ast.RuleKind, c: list[Any], target: Token | None, clauses: list[Any]
    ) -> ast.Rule:
        return construct(
            ast.Rule,
            span=self.span_of(c[0], c[-1]),
            rule_kind=kind,
            name=self.ident(c[1]),
            target=self.ident(target) if target is not None else None,
            clauses=clauses,
        )

    def regime_rule(self, c: list[Any]) -> ast.Rule:
        return self._rule("regime", c, None, c[3:])

    def otherwise_clause(self, c: list[Any]) -> ast.Clause:
        return construct(ast.Clause, span=self.token_span(c[0]), keyword="otherwise")

    def limit_rule(self, c: list[Any]) -> ast.Rule:
        body = construct(ast.Clause, span=c[3].span, keyword="condition", condition=c[3])
        return self._rule("limit", c, None, [body])

    def entry_rule(self, c: list[Any]) -> ast.Rule:
        return self._rule("entry", c, None, c[3:])

    def layer_rule(self, c: list[Any]) -> ast.Rule:
        return self._rule("layer", c, c[3], c[5:])

    def roll_rule(self, c: list[Any]) -> ast.Rule:
        if not isinstance(c[3], list):
            return self._rule("roll", c, c[3], c[5:])
        candidates: list[ast.Identifier] = c[3]
        return construct(
            ast.Rule,
            span=self.span_of(c[0], c[-1]),
            rule_kind="roll",
            name=self.ident(c[1]),
            target=candidates[0],
            candidates=candidates,
            clauses=c[5:],
        )

    def shortest_of(self, c: list[Any]) -> list[ast.Identifier]:
        # c: SHORTEST ( NAME , NAME ... )
        return [self.ident(token) for token in c[2:-1:2]]

    def _clause(self, keyword: ast.ClauseKeyword, c: list[Any]) -> ast.Clause:
        return construct(
            ast.Clause, span=self.span_of(c[0], c[-1]), keyword=keyword, condition=c[1]
        )

    def require_clause(self, c: list[Any]) -> ast.Clause:
        return self._clause("require", c)

    def block_clause(self, c: list[Any]) -> ast.Clause:
        return self._clause("block", c)

    def when_clause(self, c: list[Any]) -> ast.Clause:
        return self._clause("when", c)

    def unless_clause(self, c: list[Any]) -> ast.Clause:
        return self._clause("unless", c)

    def open_clause(self, c: list[Any]) -> ast.OpenClause:
        return construct(ast.OpenClause, span=self.span_of(c[0], c[-1]), spec=c[1])

    def open_spec(self, c: list[Any]) -> ast.OpenSpec:
        side = None
        if isinstance(c[0], Token) and c[0].type in ("LONG", "SHORT"):
            side = cast(Any, str(c[0]))
            rest = c[1:]
        else:
            rest = c
        expiry = rest[-1] if isinstance(rest[-1], ast.OpenExpiry) else None
        return construct(
            ast.OpenSpec,
            span=self.span_of(c[0], c[-1]),
            side=side,
            structure=self.ident(rest[0]),
            args=rest[1:-1] if expiry is not None else rest[1:],
            expiry=expiry,
        )

    def open_expiry(self, c: list[Any]) -> ast.OpenExpiry:
        return construct(
            ast.OpenExpiry, span=self.span_of(c[0], c[-1]), listing=cast(Any, str(c[-1]))
        )

    def expiry_listing(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    def side(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    def open_arg(self, c: list[Any]) -> ast.OpenArg:
        return construct(
            ast.OpenArg, span=self.span_of(c[0], c[-1]), name=cast(Any, str(c[0])), value=c[1]
        )

    def open_arg_name(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    def size_clause(self, c: list[Any]) -> ast.SizeClause:
        extras = c[3:]
        beta = next((e[1] for e in extras if e and e[0] == "beta"), None)
        within: list[ast.Identifier] = next((e[1] for e in extras if e and e[0] == "within"), [])
        last = within[-1] if within else beta if beta is not None else c[2]
        return construct(
            ast.SizeClause,
            span=self.span_of(c[0], last),
            mode=cast(Any, str(c[1])),
            amount=c[2],
            beta=beta,
            within=within,
        )

    def size_mode(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    def beta(self, c: list[Any]) -> list[Any]:
        return c

    def size_cap(self, c: list[Any]) -> list[Any]:
        # c: WITHIN NAME , NAME ...
        return ["within", [self.ident(token) for token in c[1::2]]]

    def roll_forward(self, c: list[Any]) -> ast.RollAction:
        return construct(
            ast.RollAction, span=self.span_of(c[0], c[-1]), action="forward", amount=c[2]
        )

    def roll_out(self, c: list[Any]) -> ast.RollAction:
        return construct(ast.RollAction, span=self.span_of(c[0], c[-1]), action="out")

    def roll_close(self, c: list[Any]) -> ast.RollAction:
        return construct(ast.RollAction, span=self.span_of(c[0], c[-1]), action="close")

    # ---- ruleset tests ---------------------------------------------------------------

    def test_block(self, c: list[Any]) -> ast.TestBlock:
        return construct(
            ast.TestBlock, span=self.span_of(c[0], c[-1]), name=unquote(c[1]), statements=c[3:]
        )

    def test_on(self, c: list[Any]) -> ast.TestOn:
        span = self.span_of(c[0], c[-1])
        if c[1].type == "DATE":
            return construct(ast.TestOn, span=span, date=self.date(c[1]))
        return construct(ast.TestOn, span=span, date=None)

    def date(self, token: Token) -> dt.date | None:
        try:
            return dt.date.fromisoformat(str(token))
        except ValueError:
            self.error(
                "ALVH004",
                self.token_span(token),
                f"{token} is not a calendar date",
                "write dates as YYYY-MM-DD",
            )
            return None

    def test_given(self, c: list[Any]) -> ast.TestGiven:
        return construct(ast.TestGiven, span=self.span_of(c[0], c[-1]), assignments=_nodes(c[1:]))

    def test_set(self, c: list[Any]) -> ast.TestSet:
        return construct(ast.TestSet, span=self.span_of(c[0], c[-1]), assignments=_nodes(c[1:]))

    def unknown_assignment(self, c: list[Any]) -> ast.Assignment:
        return construct(
            ast.Assignment, span=self.span_of(c[0], c[-1]), name=self.ident(c[0]), value=None
        )

    def assignment(self, c: list[Any]) -> ast.Assignment:
        return construct(
            ast.Assignment, span=self.span_of(c[0], c[-1]), name=self.ident(c[0]), value=c[2]
        )

    def test_holding(self, c: list[Any]) -> ast.TestHolding:
        body = c[3:]
        span = self.span_of(c[0], c[-1])
        if body and isinstance(body[0], ast.OpenSpec):
            return construct(ast.TestHolding, span=span, name=self.ident(c[1]), spec=body[0])
        return construct(ast.TestHolding, span=span, name=self.ident(c[1]), legs=body)

    def leg(self, c: list[Any]) -> ast.LegSpec:
        fields: dict[str, Any] = {}
        for part in c[3:]:
            if isinstance(part, Token):
                fields["right"] = str(part)
            else:
                fields[part[0]] = part[1]
        last = c[-1] if isinstance(c[-1], Token) else c[-1][2]
        return construct(
            ast.LegSpec,
            span=self.span_of(c[0], last),
            quantity=self._whole(c[1], "a leg's quantity"),
            instrument=self.ident(c[2]),
            **fields,
        )

    def option_right(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    def strike(self, c: list[Any]) -> tuple[str, Any, Any]:
        return ("strike", c[1], c[1])

    def price(self, c: list[Any]) -> tuple[str, Any, Any]:
        return ("price", c[1], c[1])

    def expiry(self, c: list[Any]) -> tuple[str, Any, Any]:
        token = c[1]
        if token.type == "DATE":
            return ("expiry_date", self.date(token), token)
        return ("expiry_days", self.number([token]), token)

    def expect_state(self, c: list[Any]) -> ast.ExpectState:
        return construct(
            ast.ExpectState,
            span=self.span_of(c[0], c[-1]),
            rule=self.ident(c[1]),
            state=cast(Any, str(c[2])),
        )

    def state(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    def expect_regime(self, c: list[Any]) -> ast.ExpectRegime:
        return construct(ast.ExpectRegime, span=self.span_of(c[0], c[-1]), regime=self.ident(c[2]))

    def expect_contracts(self, c: list[Any]) -> ast.ExpectContracts:
        return construct(
            ast.ExpectContracts,
            span=self.span_of(c[0], c[-1]),
            rule=self.ident(c[1]),
            contracts=self._whole(c[3], "a number of contracts"),
        )

    # ---- expressions -----------------------------------------------------------------

    def _fold(self, op: ast.BinaryOp, c: list[Any]) -> Any:
        node = c[0]
        for right in c[2::2]:
            node = self._chain(
                construct(ast.Binary, span=node.span.to(right.span), op=op, left=node, right=right)
            )
        return node

    def _chain(self, node: ast.Binary) -> Any:
        """A link of a flat chain (`a + b - c`, `x and y and z`) nests no deeper than its
        first link: the depth limit counts nesting, not length (the height limit bounds the
        length, for the phases that walk the tree recursively)."""
        left, right = node.left, node.right
        if isinstance(left, ast.Binary) and _LEVEL[left.op] == _LEVEL[node.op]:
            depth = max(self._depth.get(id(left), 1), 1 + self._depth.get(id(right), 1))
            return self._measured(node, depth, (left, right))
        return self._expr(node, left, right)

    def or_expr(self, c: list[Any]) -> Any:
        return self._fold("or", c)

    def and_expr(self, c: list[Any]) -> Any:
        return self._fold("and", c)

    arg_or = or_expr
    arg_and = and_expr

    def not_(self, c: list[Any]) -> Any:
        return self._expr(
            construct(ast.Unary, span=self.span_of(c[0], c[1]), op="not", operand=c[1]), c[1]
        )

    def neg(self, c: list[Any]) -> Any:
        return self._expr(
            construct(ast.Unary, span=self.span_of(c[0], c[1]), op="-", operand=c[1]), c[1]
        )

    def within(self, c: list[Any]) -> Any:
        events: list[ast.Identifier] = c[3]
        return self._expr(
            construct(
                ast.Within, span=self.span_of(c[0], events[-1]), distance=c[1], events=events
            ),
            c[1],
        )

    def event_list(self, c: list[Any]) -> list[ast.Identifier]:
        return [self.ident(t) for t in c if t.type == "NAME"]

    def compare(self, c: list[Any]) -> Any:
        node = construct(
            ast.Compare,
            span=c[0].span.to(c[2].span),
            op=cast(Any, str(c[1])),
            left=c[0],
            right=c[2],
        )
        return self._expr(node, c[0], c[2])

    def compare_op(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    add_op = compare_op
    mul_op = compare_op

    def in_range(self, c: list[Any]) -> Any:
        node = construct(ast.InRange, span=c[0].span.to(c[4].span), value=c[0], low=c[2], high=c[4])
        return self._expr(node, c[0], c[2], c[4])

    def conditional(self, c: list[Any]) -> Any:
        # c: IF test THEN if_true ELSE if_false
        node = construct(
            ast.Conditional,
            span=self.span_of(c[0], c[5]),
            test=c[1],
            if_true=c[3],
            if_false=c[5],
        )
        return self._expr(node, c[1], c[3], c[5])

    def binary(self, c: list[Any]) -> Any:
        node = construct(
            ast.Binary, span=c[0].span.to(c[2].span), op=cast(Any, str(c[1])), left=c[0], right=c[2]
        )
        return self._chain(node)

    def call(self, c: list[Any]) -> Any:
        target, args = c[0], _nodes(c[2:-1])
        span = self.span_of(target, c[-1])
        if not isinstance(target, ast.Name):
            self.error(
                "ALVH005",
                target.span,
                "only a function name can be called",
                "call a built-in by name, such as rsi(vix, 14)",
            )
            return construct(ast.Name, span=span, name="<invalid call>")
        function = construct(ast.Identifier, span=target.span, name=target.name)
        return self._expr(construct(ast.Call, span=span, function=function, args=args), *args)

    def member(self, c: list[Any]) -> Any:
        node = construct(
            ast.Member, span=self.span_of(c[0], c[2]), target=c[0], member=self.ident(c[2])
        )
        return self._expr(node, c[0])

    def lookback(self, c: list[Any]) -> Any:
        node = construct(ast.Lookback, span=self.span_of(c[0], c[3]), target=c[0], offset=c[2])
        return self._expr(node, c[0], c[2])

    def atom(self, c: list[Any]) -> Any:
        # A parenthesised expression leaves no node behind; its span grows to cover the
        # parentheses, so that a parent's span always ends at its last character.
        inner = c[1]
        widened = inner.model_copy(update={"span": self.span_of(c[0], c[-1])})
        self._depth[id(widened)] = self._depth.get(id(inner), 1)
        self._height[id(widened)] = self._height.get(id(inner), 1)
        return widened

    def choice(self, c: list[Any]) -> Any:
        arms = [x for x in c if isinstance(x, ast.ChoiceArm)]
        selector = c[-2]
        node = construct(ast.Choice, span=self.span_of(c[0], c[-1]), arms=arms, selector=selector)
        return self._expr(node, selector, *(arm.value for arm in arms))

    def choice_arm(self, c: list[Any]) -> ast.ChoiceArm:
        return construct(
            ast.ChoiceArm, span=self.span_of(c[0], c[-1]), label=self.ident(c[0]), value=c[2]
        )

    def number(self, c: list[Any]) -> ast.Number:
        token = c[0]
        text = str(token)
        match = _NUMBER_WITH_UNIT.match(text)
        digits, suffix = (match.group(1), match.group(2)) if match else (text, "")
        scale = SUFFIXES[suffix].scale if suffix else 1.0
        span = self.token_span(token)
        value = float(digits) * scale
        if not math.isfinite(value):  # float() turns 1e400 into inf, which no rule means
            self.error(
                "ALVH007",
                span,
                f"{text} is too large for a number",
                "numbers must be below 1.8e308; write a smaller value",
            )
        return construct(ast.Number, span=span, value=value, unit=suffix, text=text)

    def string(self, c: list[Any]) -> ast.String:
        return construct(ast.String, span=self.token_span(c[0]), value=unquote(c[0]))

    def true(self, c: list[Any]) -> ast.Bool:
        return construct(ast.Bool, span=self.token_span(c[0]), value=True)

    def false(self, c: list[Any]) -> ast.Bool:
        return construct(ast.Bool, span=self.token_span(c[0]), value=False)

    def name(self, c: list[Any]) -> ast.Name:
        return construct(ast.Name, span=self.token_span(c[0]), name=str(c[0]))

    def current_regime(self, c: list[Any]) -> ast.CurrentRegime:
        return construct(ast.CurrentRegime, span=self.token_span(c[0]))


def _nodes(children: Sequence[Any]) -> list[Any]:
    """The AST nodes among children, without separator tokens."""
    return [c for c in children if not isinstance(c, Token)]


def unquote(token: str) -> str:
    """The text of a string literal without its quotes, escapes resolved."""
    return re.sub(r'\\["\\nt]', lambda m: _STRING_ESCAPES[m.group(0)], str(token)[1:-1])
