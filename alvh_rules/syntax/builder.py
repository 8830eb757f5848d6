"""Building AST nodes during the LALR parse (Lark calls these methods as it reduces).

The parser keeps every token (`keep_all_tokens`), so each node's span runs from its
first token to its last, keywords included. Spans, the depth limits and number literals are
in `build_base.py`, the callbacks of ruleset tests in `build_tests.py`.
"""

from __future__ import annotations

from typing import Any, cast

from lark import Token

from alvh_rules.syntax import ast
from alvh_rules.syntax.build_base import nodes, unquote
from alvh_rules.syntax.build_tests import TestBlockBuilder
from alvh_rules.syntax.trusted import construct

# Operators of one precedence level: a chain of them is one flat list, not nesting.
_LEVEL = {"or": 0, "and": 1, "+": 2, "-": 2, "*": 3, "/": 3, "of": 3}


class AstBuilder(TestBlockBuilder):
    """Lark callbacks turning rule matches into AST nodes. One instance per parser.

    Nodes are made with `model_construct`: the grammar already fixes every field's type,
    so validating each node again would only cost time (a test validates parsed trees)."""

    # ---- top level -------------------------------------------------------------------

    def start(self, children: list[Any]) -> list[Any]:
        return children

    def header(self, c: list[Any]) -> ast.Header:
        return construct(ast.Header, span=self.span_of(c[0], c[-1]), title=unquote(c[1]))

    def version(self, c: list[Any]) -> ast.Version:
        return construct(
            ast.Version, span=self.span_of(c[0], c[-1]), number=self.whole_number(c[1], "a version")
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
        costing = next((e[1] for e in extras if e and e[0] == "costing"), None)
        within: list[ast.Identifier] = next((e[1] for e in extras if e and e[0] == "within"), [])
        ends = (within[-1] if within else None, costing, beta, c[2])
        last = next(node for node in ends if node is not None)
        return construct(
            ast.SizeClause,
            span=self.span_of(c[0], last),
            mode=cast(Any, str(c[1])),
            amount=c[2],
            beta=beta,
            costing=costing,
            within=within,
        )

    def size_mode(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    def beta(self, c: list[Any]) -> list[Any]:
        return c

    def size_cost(self, c: list[Any]) -> list[Any]:
        # c: COSTING AT MOST expr
        return ["costing", c[3]]

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

    def roll_resize(self, c: list[Any]) -> ast.RollAction:
        return construct(ast.RollAction, span=self.span_of(c[0], c[-1]), action="resize")

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
        return self.expression_node(node, left, right)

    def or_expr(self, c: list[Any]) -> Any:
        return self._fold("or", c)

    def and_expr(self, c: list[Any]) -> Any:
        return self._fold("and", c)

    arg_or = or_expr
    arg_and = and_expr

    def not_(self, c: list[Any]) -> Any:
        return self.expression_node(
            construct(ast.Unary, span=self.span_of(c[0], c[1]), op="not", operand=c[1]), c[1]
        )

    def neg(self, c: list[Any]) -> Any:
        return self.expression_node(
            construct(ast.Unary, span=self.span_of(c[0], c[1]), op="-", operand=c[1]), c[1]
        )

    def within(self, c: list[Any]) -> Any:
        events: list[ast.Identifier] = c[3]
        return self.expression_node(
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
        return self.expression_node(node, c[0], c[2])

    def compare_op(self, c: list[Any]) -> Token:
        return cast(Token, c[0])

    add_op = compare_op
    mul_op = compare_op

    def in_range(self, c: list[Any]) -> Any:
        node = construct(ast.InRange, span=c[0].span.to(c[4].span), value=c[0], low=c[2], high=c[4])
        return self.expression_node(node, c[0], c[2], c[4])

    def conditional(self, c: list[Any]) -> Any:
        # c: IF test THEN if_true ELSE if_false
        node = construct(
            ast.Conditional,
            span=self.span_of(c[0], c[5]),
            test=c[1],
            if_true=c[3],
            if_false=c[5],
        )
        return self.expression_node(node, c[1], c[3], c[5])

    def binary(self, c: list[Any]) -> Any:
        node = construct(
            ast.Binary, span=c[0].span.to(c[2].span), op=cast(Any, str(c[1])), left=c[0], right=c[2]
        )
        return self._chain(node)

    def call(self, c: list[Any]) -> Any:
        target, args = c[0], nodes(c[2:-1])
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
        return self.expression_node(
            construct(ast.Call, span=span, function=function, args=args), *args
        )

    def member(self, c: list[Any]) -> Any:
        node = construct(
            ast.Member, span=self.span_of(c[0], c[2]), target=c[0], member=self.ident(c[2])
        )
        return self.expression_node(node, c[0])

    def lookback(self, c: list[Any]) -> Any:
        node = construct(ast.Lookback, span=self.span_of(c[0], c[3]), target=c[0], offset=c[2])
        return self.expression_node(node, c[0], c[2])

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
        return self.expression_node(node, selector, *(arm.value for arm in arms))

    def choice_arm(self, c: list[Any]) -> ast.ChoiceArm:
        return construct(
            ast.ChoiceArm, span=self.span_of(c[0], c[-1]), label=self.ident(c[0]), value=c[2]
        )

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
