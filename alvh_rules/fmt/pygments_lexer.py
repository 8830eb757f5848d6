"""A Pygments lexer for ALVH rulesets, registered as the `alvh` entry point.

After `pip install alvh-rules`, `pygmentize -l alvh FILE` and Sphinx/MkDocs code blocks
marked `alvh` are highlighted. The token rules follow `grammar/alvh.lark`.
"""

from __future__ import annotations

from typing import Any, ClassVar

# Pygments ships no type information (types-Pygments is not a dependency).
from pygments.lexer import RegexLexer, bygroups, words  # type: ignore[import-untyped]
from pygments.token import (  # type: ignore[import-untyped]
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

__all__ = ["AlvhLexer"]

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_UNITS = r"(\$/pt|\$/vp|\$/d|\$|%|bp|pt|vp|delta|d|x)(?![A-Za-z0-9_])"

_DECLARATIONS = ("ruleset", "version", "import", "param", "let", "test")
_RULES = ("regime", "limit", "entry", "layer", "roll")
_CLAUSES = (
    "require", "block", "when", "unless", "open", "size", "beta", "close", "forward", "out",
    "on", "given", "set", "holding", "leg", "expect", "opens", "expiring", "at", "strike",
    "dte", "delta", "wings", "width", "contracts", "risk", "vega", "call", "put", "long",
    "short", "within", "otherwise", "builtin", "if", "then", "else", "shortest", "expiry",
    "monthly", "weekly", "costing", "most", "resize", "resizes",
)  # fmt: skip
_STATES = ("fires", "holds", "blocked", "unknown", "breached", "held")


class AlvhLexer(RegexLexer):  # type: ignore[misc]
    """Lexer for `.alvh` rule files (SPX iron condors hedged with VIX options)."""

    name = "ALVH"
    aliases: ClassVar[list[str]] = ["alvh"]
    filenames: ClassVar[list[str]] = ["*.alvh"]
    mimetypes: ClassVar[list[str]] = ["text/x-alvh"]
    url = "https://github.com/alvh-rules/alvh-rules"

    tokens: ClassVar[dict[str, list[tuple[Any, ...]]]] = {
        "root": [
            (r"\s+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"([^"\\\n]|\\["\\nt])*"', String.Double),
            (r'"', String.Double, "unterminated"),
            (r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])", Literal.Date),
            (r"([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)" + _UNITS, bygroups(Number, Keyword.Type)),
            (r"[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+", Number.Float),
            (r"[0-9]+", Number.Integer),
            # A rule's own name; `roll forward` and `roll out` are actions, not rules.
            (
                r"(regime|limit|entry|layer|roll)([ \t]+)(?!forward\b|out\b)(" + _NAME + ")",
                bygroups(Keyword.Declaration, Whitespace, Name.Function),
            ),
            (
                r"(param|let)([ \t]+)(" + _NAME + ")",
                bygroups(Keyword.Declaration, Whitespace, Name.Variable),
            ),
            (r"(\.)(\s*)(" + _NAME + ")", bygroups(Punctuation, Whitespace, Name.Attribute)),
            (words(_DECLARATIONS + _RULES, suffix=r"\b"), Keyword.Declaration),
            (words(("and", "or", "not", "of", "in"), suffix=r"\b"), Operator.Word),
            (words(("true", "false"), suffix=r"\b"), Keyword.Constant),
            (words(_STATES, suffix=r"\b"), Keyword.Pseudo),
            (words(_CLAUSES, suffix=r"\b"), Keyword),
            (r"(" + _NAME + r")(\s*)(\()", bygroups(Name.Builtin, Whitespace, Punctuation)),
            (_NAME, Name),
            (r"<=|>=|==|!=|\.\.|[<>=+\-*/]", Operator),
            (r"[()\[\]:,.]", Punctuation),
        ],
        # A string left open at the end of a line (a file being typed): plain text, not an error.
        "unterminated": [
            (r"[^\n]+", String.Double),
            (r"\n", Text, "#pop"),
        ],
    }
