"""Hypothesis strategies for the formatter's properties: expression trees and whole rulesets.

Expressions are generated as AST nodes (so a printed-and-parsed tree can be compared
with the one generated); rulesets as token lists, printed with random redundant
parentheses and random line breaks, indentation and `#` comments between any two tokens.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from alvh_rules.fmt.expressions import (
    AND,
    ATOM,
    COND,
    NEGATE,
    NOT,
    OR,
    POSTFIX,
    PRODUCT,
    SUM,
    level,
)
from alvh_rules.lang.diagnostics import Span
from alvh_rules.lang.units import SUFFIXES
from alvh_rules.syntax import ast
from alvh_rules.syntax.grammar import grammar_text

SPAN = Span(file="<generated>", line=1, column=1, end_line=1, end_column=1)

# Every quoted word of the grammar is a keyword; generated names avoid them all.
KEYWORDS = frozenset(re.findall(r'"([a-z]+)"', grammar_text())) | {"otherwise", "long", "short"}

names = st.from_regex(r"[a-z_][a-z0-9_]{0,7}", fullmatch=True).filter(lambda n: n not in KEYWORDS)
identifiers = names.map(lambda n: ast.Identifier(span=SPAN, name=n))

# Inside expressions most keywords are soft: where the keyword cannot stand, the word is a
# name (`portfolio.vega`, a param called `risk`). Six always mean themselves; `otherwise`
# is a name except right after `(`, where it starts a choice arm, so it is left out.
SOFT_KEYWORDS = sorted(KEYWORDS - {"within", "not", "true", "false", "regime", "if", "otherwise"})
expression_names = st.one_of(names, names, st.sampled_from(SOFT_KEYWORDS))
expression_identifiers = expression_names.map(lambda n: ast.Identifier(span=SPAN, name=n))
labels = st.one_of(expression_identifiers, st.just(ast.Identifier(span=SPAN, name="otherwise")))

_digits = st.one_of(
    st.from_regex(r"[0-9]{1,4}", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}\.[0-9]{1,3}", fullmatch=True),
)
_exponent = st.from_regex(r"[0-9]{1,2}(\.[0-9]{1,2})?[eE][+-]?[0-9]{1,2}", fullmatch=True)


def _number(digits: str, unit: str = "") -> ast.Number:
    scale = SUFFIXES[unit].scale if unit else 1.0
    return ast.Number(span=SPAN, value=float(digits) * scale, unit=unit, text=digits + unit)


plain_numbers = st.one_of(_digits, _exponent).map(_number)
unit_numbers = st.builds(_number, _digits, st.sampled_from(sorted(SUFFIXES)))
numbers = st.one_of(plain_numbers, unit_numbers)
strings = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
    ),
    max_size=12,
).map(lambda v: ast.String(span=SPAN, value=v))

atoms = st.one_of(
    numbers,
    strings,
    st.booleans().map(lambda v: ast.Bool(span=SPAN, value=v)),
    expression_names.map(lambda n: ast.Name(span=SPAN, name=n)),
    st.just(ast.CurrentRegime(span=SPAN)),
)


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    pair = st.tuples(children, children)
    return st.one_of(
        st.builds(
            lambda op, lr: ast.Binary(span=SPAN, op=op, left=lr[0], right=lr[1]),
            st.sampled_from(["+", "-", "*", "/", "of", "and", "or"]),
            pair,
        ),
        st.builds(
            lambda op, lr: ast.Compare(span=SPAN, op=op, left=lr[0], right=lr[1]),
            st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
            pair,
        ),
        st.builds(
            lambda op, x: ast.Unary(span=SPAN, op=op, operand=x),
            st.sampled_from(["-", "not"]),
            children,
        ),
        st.builds(
            lambda v, lo, hi: ast.InRange(span=SPAN, value=v, low=lo, high=hi),
            children,
            children,
            children,
        ),
        st.builds(
            lambda d, ev: ast.Within(span=SPAN, distance=d, events=ev),
            st.one_of(
                unit_numbers,
                st.from_regex(r"[0-9]{1,2}", fullmatch=True).map(_number),
                expression_names.map(lambda n: ast.Name(span=SPAN, name=n)),
            ),
            st.lists(expression_identifiers, min_size=1, max_size=3),
        ),
        st.builds(
            lambda f, a: ast.Call(span=SPAN, function=f, args=a),
            expression_identifiers,
            st.lists(children, max_size=3),
        ),
        st.builds(
            lambda t, m: ast.Member(span=SPAN, target=t, member=m), children, expression_identifiers
        ),
        st.builds(lambda t, o: ast.Lookback(span=SPAN, target=t, offset=o), children, children),
        st.builds(
            lambda t, a, b: ast.Conditional(span=SPAN, test=t, if_true=a, if_false=b),
            children,
            children,
            children,
        ),
        st.builds(
            lambda arms, sel: ast.Choice(span=SPAN, arms=arms, selector=sel),
            st.lists(
                st.builds(
                    lambda label, value: ast.ChoiceArm(span=SPAN, label=label, value=value),
                    labels,
                    children,
                ),
                min_size=1,
                max_size=3,
            ),
            children,
        ),
    )


expressions: st.SearchStrategy[Any] = st.recursive(atoms, _extend, max_leaves=12)


# ---- printing with random redundant parentheses -----------------------------------------

_BINARY = {"or": OR, "and": AND, "+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT, "of": PRODUCT}


def tokens(node: Any, rnd: random.Random, at_least: int = COND, in_list: bool = False) -> list[str]:
    """Tokens of `node`, parenthesised where needed and sometimes where not."""
    needs = level(node) < at_least or (in_list and isinstance(node, ast.Within))
    if needs or (level(node) < ATOM and rnd.random() < 0.15):
        return ["(", *_bare(node, rnd, False), ")"]
    return _bare(node, rnd, in_list)


def _bare(node: Any, rnd: random.Random, in_list: bool) -> list[str]:
    t = tokens
    if isinstance(node, ast.Binary):
        own = _BINARY[node.op]
        keep = in_list and own <= AND
        return [*t(node.left, rnd, own, keep), node.op, *t(node.right, rnd, own + 1, keep)]
    if isinstance(node, ast.Unary):
        if node.op == "not":
            return ["not", *t(node.operand, rnd, NOT, in_list)]
        return ["-", *t(node.operand, rnd, NEGATE)]
    if isinstance(node, ast.Compare):
        return [*t(node.left, rnd, SUM), node.op, *t(node.right, rnd, SUM)]
    if isinstance(node, ast.InRange):
        return [
            *t(node.value, rnd, SUM),
            "in",
            *t(node.low, rnd, SUM),
            "..",
            *t(node.high, rnd, SUM),
        ]
    if isinstance(node, ast.Within):
        distance = (
            node.distance.text if isinstance(node.distance, ast.Number) else node.distance.name
        )
        events = [x for e in node.events for x in (",", e.name)][1:]
        return ["within", distance, "of", *events]
    if isinstance(node, ast.Call):
        return [node.function.name, "(", *_listed([t(a, rnd, COND, True) for a in node.args]), ")"]
    if isinstance(node, ast.Member):
        return [*t(node.target, rnd, POSTFIX), ".", node.member.name]
    if isinstance(node, ast.Lookback):
        return [*t(node.target, rnd, POSTFIX), "[", *t(node.offset, rnd), "]"]
    if isinstance(node, ast.Choice):
        arms = [[a.label.name, ":", *t(a.value, rnd, COND, True)] for a in node.arms]
        comma = [","] if rnd.random() < 0.2 else []
        return ["(", *_listed(arms), *comma, ")", "[", *t(node.selector, rnd), "]"]
    if isinstance(node, ast.Conditional):
        return [
            "if",
            *t(node.test, rnd),
            "then",
            *t(node.if_true, rnd),
            "else",
            *t(node.if_false, rnd, COND, in_list),
        ]
    return [_atom(node)]


def _atom(node: Any) -> str:
    from alvh_rules.fmt.expressions import expr

    return expr(node)


def _listed(groups: list[list[str]]) -> list[str]:
    out: list[str] = []
    for i, group in enumerate(groups):
        out += ([","] if i else []) + group
    return out


# ---- whole rulesets as token lists ------------------------------------------------------

Tokens = Callable[[random.Random], list[str]]


def _expr_item(draw: Any, at_least: int = COND, in_list: bool = False) -> Tokens:
    node = draw(expressions)
    return lambda rnd: tokens(node, rnd, at_least, in_list)


def _clause(draw: Any) -> Tokens:
    kind = draw(st.sampled_from(["require", "block", "when", "unless", "open", "size"]))
    if kind == "open":
        return _open_spec(draw, ["open"])
    if kind == "size":
        mode = draw(st.sampled_from(["risk", "vega", "contracts"]))
        amount = _expr_item(draw)
        beta = _expr_item(draw) if draw(st.booleans()) else None
        cost = _expr_item(draw) if draw(st.booleans()) else None
        return lambda rnd: [
            "size",
            mode,
            *amount(rnd),
            *(["beta", *beta(rnd)] if beta else []),
            *(["costing", "at", "most", *cost(rnd)] if cost else []),
        ]
    condition = _expr_item(draw)
    return lambda rnd: [kind, *condition(rnd)]


def _open_spec(draw: Any, head: list[str]) -> Tokens:
    side = draw(st.sampled_from([[], ["long"], ["short"]]))
    structure = draw(names)
    arg_names = draw(
        st.lists(
            st.sampled_from(["dte", "delta", "wings", "strike", "width", "contracts"]), max_size=3
        )
    )
    values = [_expr_item(draw) for _ in arg_names]
    listing = draw(st.sampled_from([[], ["expiry", "monthly"], ["expiry", "weekly"]]))
    return lambda rnd: [
        *head,
        *side,
        structure,
        *[x for n, v in zip(arg_names, values, strict=True) for x in (n, *v(rnd))],
        *listing,
    ]


def _rule(draw: Any) -> Tokens:
    kind = draw(st.sampled_from(["regime", "limit", "entry", "layer", "roll"]))
    name = draw(names)
    if kind == "regime":
        condition = _expr_item(draw) if draw(st.booleans()) else None
        return lambda rnd: [
            "regime",
            name,
            ":",
            *(["when", *condition(rnd)] if condition else ["otherwise"]),
        ]
    if kind == "limit":
        body = _expr_item(draw)
        return lambda rnd: ["limit", name, ":", *body(rnd)]
    target = [draw(names)]
    if kind == "roll" and draw(st.booleans()):  # `on shortest(a, b, ...)`
        listed = draw(st.lists(names, min_size=2, max_size=3))
        target = ["shortest", "(", *_listed([[n] for n in listed]), ")"]
    head = [kind, name] + (["on", *target] if kind != "entry" else []) + [":"]
    clauses = [_clause(draw) for _ in range(draw(st.integers(0, 4)))]
    split = draw(st.integers(0, len(clauses)))
    action = draw(st.sampled_from([["roll", "forward"], ["roll", "out"], ["close"], ["resize"]]))
    amount = _expr_item(draw)

    def rule_tokens(rnd: random.Random) -> list[str]:
        body = [x for clause in clauses for x in clause(rnd)]
        if kind != "roll":
            return head + body
        roll = action + (amount(rnd) if action[-1] == "forward" else [])
        before = [x for clause in clauses[:split] for x in clause(rnd)]
        after = [x for clause in clauses[split:] for x in clause(rnd)]
        return head + before + roll + after

    return rule_tokens


def _declaration(draw: Any) -> Tokens:
    kind = draw(st.sampled_from(["header", "version", "import", "param", "let"]))
    if kind in ("header", "import"):
        text = _atom(draw(strings))
        return lambda rnd: ["ruleset" if kind == "header" else "import", text]
    if kind == "version":
        number = str(draw(st.integers(0, 99)))
        return lambda rnd: ["version", number]
    name = draw(names)
    if kind == "let":
        value = _expr_item(draw)
        return lambda rnd: ["let", name, "=", *value(rnd)]
    default, low, high = (_expr_item(draw, SUM) for _ in range(3))
    bounded = draw(st.booleans())
    return lambda rnd: [
        "param",
        name,
        "=",
        *default(rnd),
        *(["in", *low(rnd), "..", *high(rnd)] if bounded else []),
    ]


def _test_block(draw: Any) -> Tokens:
    title = _atom(draw(strings))
    statements = [_statement(draw) for _ in range(draw(st.integers(0, 4)))]
    return lambda rnd: ["test", title, ":", *[x for s in statements for x in s(rnd)]]


def _assigned(tokens: list[str]) -> list[str]:
    """`x = unknown ...` would declare the value missing: an expression that starts with the
    name `unknown` is written in parentheses, as a trader would have to."""
    return ["(", *tokens, ")"] if tokens[0] == "unknown" else tokens


def _statement(draw: Any) -> Tokens:
    kind = draw(st.sampled_from(["on", "given", "set", "holding", "expect"]))
    if kind == "on":
        day = draw(
            st.one_of(
                st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31)).map(str), st.just("builtin")
            )
        )
        return lambda rnd: ["on", day]
    if kind in ("given", "set"):
        pairs = [
            (draw(names), _expr_item(draw, COND, True)) for _ in range(draw(st.integers(1, 3)))
        ]
        return lambda rnd: [kind, *_listed([[n, "=", *_assigned(v(rnd))] for n, v in pairs])]
    if kind == "holding":
        name = draw(names)
        held = _expr_item(draw, SUM) if draw(st.booleans()) else None  # `held 17d`

        def held_tokens(rnd: Any) -> list[str]:
            return [] if held is None else ["held", *held(rnd)]

        if draw(st.booleans()):
            spec = _open_spec(draw, ["holding", name, ":"])
            return lambda rnd: [*spec(rnd), *held_tokens(rnd)]
        legs = [_leg(draw) for _ in range(draw(st.integers(1, 3)))]
        return lambda rnd: [
            "holding",
            name,
            ":",
            *[x for leg in legs for x in leg(rnd)],
            *held_tokens(rnd),
        ]
    shape = draw(st.sampled_from(["state", "regime", "opens", "resizes"]))
    name = draw(names)
    if shape == "regime":
        return lambda rnd: ["expect", "regime", name]
    if shape in ("opens", "resizes"):
        count = str(draw(st.integers(0, 50)))
        return lambda rnd: ["expect", name, shape, count]
    state = draw(st.sampled_from(["fires", "holds", "blocked", "unknown", "breached", "held"]))
    return lambda rnd: ["expect", name, state]


def _leg(draw: Any) -> Tokens:
    quantity = draw(st.integers(-20, 20))
    sign = draw(st.sampled_from(["+", ""])) if quantity >= 0 else ""
    head = [
        "leg",
        f"{sign}{quantity}",
        draw(names),
        *draw(st.sampled_from([[], ["call"], ["put"]])),
    ]
    strike = _expr_item(draw, SUM) if draw(st.booleans()) else None
    expiry = draw(
        st.one_of(
            st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31)).map(str),
            unit_numbers.map(lambda n: n.text),
        )
    )
    price = _expr_item(draw, SUM) if draw(st.booleans()) else None
    return lambda rnd: [
        *head,
        *(["strike", *strike(rnd)] if strike else []),
        "expiring",
        expiry,
        *(["at", *price(rnd)] if price else []),
    ]


comment_texts = st.text(
    alphabet=st.characters(
        whitelist_categories=("L", "N", "P", "S", "Zs"), blacklist_characters="\x85"
    ),
    max_size=10,
).map(lambda t: "#" + t)


@st.composite
def rulesets(draw: Any) -> str:
    """The text of a ruleset that parses, laid out at random, with comments anywhere."""
    makers = [
        draw(st.sampled_from([_declaration, _rule, _test_block]))
        for _ in range(draw(st.integers(0, 6)))
    ]
    items = [make(draw) for make in makers]
    rnd = draw(st.randoms(use_true_random=False))
    comments = draw(st.lists(comment_texts, max_size=30))
    words = [w for item in items for w in item(rnd)]
    return _lay_out(words, comments, rnd)


def _lay_out(words: list[str], comments: list[str], rnd: random.Random) -> str:
    """Join tokens with random whitespace; each comment lands in some gap, ending its line."""
    gaps: list[list[str]] = [[] for _ in range(len(words) + 1)]
    for comment in comments:
        gaps[rnd.randrange(len(gaps))].append(comment)
    out: list[str] = []
    for index, gap in enumerate(gaps):
        if index:
            out.append(words[index - 1])
        out.append(rnd.choice([" ", " ", " ", "\n", "\n    ", "  \n\n", "\t"]) if index else "")
        for comment in gap:
            out.append(comment + rnd.choice(["\n", "\n\n", "\n        "]))
    text = "".join(out)
    return text if rnd.random() < 0.5 else text.rstrip(" \t\n")
