"""Syntax errors in a trader's words, built on Lark's error machinery.

Known mistakes are recognised by parser state with `match_examples` (each given in
several positions); anything else is described from `accepts`, the set of tokens the
parser could take at that point, grouped into words (a value, an operator, a clause).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from alvh_rules.lang.diagnostics import Diagnostic, Span, did_you_mean
from alvh_rules.syntax.grammar import bare_parser

# Message -> (code, hint, example inputs that end in that mistake).
KNOWN_MISTAKES: dict[str, tuple[str, str, list[str]]] = {
    "expected ':' after the rule name": (
        "ALVH012",
        "write `entry base_condor:` then its clauses",
        [
            "entry a when x",
            "entry a require x",
            "entry a open x",
            "regime a when x",
            "regime a otherwise",
            "limit a x > 1",
            "layer a on b when x",
            "roll a on b when x",
            "entry a",
            "layer a on b",
            "roll a on b close",
        ],
    ),
    "expected 'on' and the position this rule acts on": (
        "ALVH013",
        "write `layer vix_hedge on base_condor:`",
        [
            "layer a:",
            "layer a b:",
            "roll a:",
            "roll a b:",
            "layer a when x",
            "roll a close",
        ],
    ),
    "expected '=' after the name": (
        "ALVH014",
        "write `param name = value` or `let name = expression`",
        [
            "param a 1",
            "param a",
            "let a rsi(vix)",
            "let a",
            "param a: 1",
            "let a: 1",
        ],
    ),
    "a roll needs one action: `roll forward 30d`, `roll out`, `close` or `resize`": (
        "ALVH015",
        "",
        [
            "roll a on b: when x",
            "roll a on b:",
            "roll a on b: when x entry c: when y",
            "roll a on b: when x param c = 1",
            "roll a on b: when x roll c on d: close",
            "roll a on b: unless x require y",
        ],
    ),
    "a regime needs `when <condition>` or `otherwise`": (
        "ALVH016",
        "",
        [
            "regime a:",
            "regime a: require x",
            "regime a: x > 1",
            "regime a: entry b:",
        ],
    ),
    "expected ')' to close the parenthesis": (
        "ALVH017",
        "",
        [
            "let a = (1 + 2",
            "let a = (1 + 2 entry b:",
            "let a = f(1, 2",
            "let a = f(1 entry b:",
            "let a = f(1, 2 param b = 1",
            "entry a: when (x > 1 open y",
            "let a = (1 + (2 * 3)",
        ],
    ),
    "expected ']' to close the lookback": (
        "ALVH018",
        "write `vix[1]` for yesterday's VIX",
        [
            "let a = vix[1",
            "let a = vix[1 + 2",
            "let a = vix[1 entry b:",
        ],
    ),
    "expected a value here": (
        "ALVH019",
        "a value is a number such as 45d, a name, or a call such as rsi(vix, 14)",
        [
            "let a =",
            "param a =",
            "entry a: when",
            "entry a: require",
            "let a = 1 +",
            "let a = 1 *",
            "let a = 1 >",
            "entry a: when x >",
            "entry a: when x <",
            "entry a: require x >=",
            "entry a: when x +",
            "entry a: when x and",
            "entry a: when x or",
            "let a = not",
            "let a = -",
            "limit a:",
            "entry a: block",
            "entry a: unless",
            "let a = (",
            "let a = f(",
        ],
    ),
}


def describe_syntax_error(
    error: UnexpectedInput,
    text: str,
    filename: str,
    line_offset: int,
    parse_fn: Callable[[str], Any],
    *,
    ends_file: bool = True,
) -> Diagnostic:
    """One diagnostic for a Lark error, located in the original file. `parse_fn` must be the
    parse function of the parser that raised it: parser states are numbered per parser."""
    line = (getattr(error, "line", None) or 1) + line_offset
    column = getattr(error, "column", None) or 1
    if line < 1 + line_offset:  # Lark reports -1 for an error at the very end
        line, column = _end_position(text, line_offset)
    if isinstance(error, UnexpectedCharacters):
        return _lexical_error(error, text, filename, line, column)
    token = error.token if isinstance(error, UnexpectedToken) else None
    if isinstance(error, UnexpectedEOF) or (token is not None and token.type == "$END"):
        line, column = _end_position(text, line_offset)
    width = len(str(token)) if token is not None and token.type != "$END" else 1
    span = Span(
        file=filename, line=line, column=column, end_line=line, end_column=column + max(width, 1)
    )
    found = _describe_token(
        error, "the end of the file" if ends_file else "the start of the next item"
    )
    if token is not None and _negative_window(token, text):
        message = f"`within` needs a count of days of 0 or more, found {token}"
        hint = "`within 1d of fomc` counts trading days either side of the event"
        return Diagnostic(code="ALVH011", severity="error", span=span, message=message, hint=hint)
    label = _known_mistake(error, parse_fn)
    if label is not None:
        code, hint, _ = KNOWN_MISTAKES[label]
        hint = hint or _typo_hint(token, _accepts(error))
        return Diagnostic(
            code=code, severity="error", span=span, message=f"{label}, found {found}", hint=hint
        )
    expected = _describe_expected(_accepts(error))
    return Diagnostic(
        code="ALVH011",
        severity="error",
        span=span,
        message=f"expected {expected}, found {found}",
        hint=_typo_hint(token, _accepts(error)),
    )


def _negative_window(token: Any, text: str) -> bool:
    """`within -1d of fomc`: a minus sign where the window's count of days goes."""
    start = getattr(token, "start_pos", None)
    if not str(token).startswith("-") or not isinstance(start, int) or start > len(text):
        return False
    return text[:start].rstrip().endswith("within")


def _typo_hint(token: Any, accepts: set[str]) -> str:
    """A did-you-mean for a misspelt keyword (`wehn` -> `when`) or an operator from
    another language (`=` where `==` compares, `//` for a comment, `a < x < b`)."""
    if token is None:
        return ""
    if str(token) == "/" and "/" not in "".join(_word(name) for name in accepts):
        return "comments start with `#`, as in # my note"
    if str(token) in ("<", "<=", ">", ">=", "==", "!=") and not _comparison_allowed(accepts):
        return "comparisons do not chain: write x in low .. high, or low < x and x < high"
    if token.type == "NAME":
        keywords = [_keyword(name) for name in accepts]
        found = did_you_mean(str(token), [k for k in keywords if k])
        return found or ("write x in low .. high" if str(token) == "between" else "")
    if str(token) == "=" and _comparison_allowed(accepts):
        return "did you mean '=='? `=` gives a param or let its value; `==` compares"
    return ""


def _comparison_allowed(accepts: set[str]) -> bool:
    return any(_word(name) == "'=='" for name in accepts)


def _keyword(terminal: str) -> str:
    """The keyword a terminal stands for (`WHEN` -> `when`), or "" for other terminals."""
    try:
        pattern = bare_parser().get_terminal(terminal).pattern
    except KeyError:
        return ""
    value = str(pattern.value)
    return value if value.isalpha() and pattern.type == "str" else ""


def _end_position(text: str, line_offset: int) -> tuple[int, int]:
    lines = text.split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return len(lines) + line_offset, len(lines[-1]) + 1


def _lexical_error(
    error: UnexpectedCharacters, text: str, filename: str, line: int, column: int
) -> Diagnostic:
    char = error.char
    span = Span(file=filename, line=line, column=column, end_line=line, end_column=column + 1)
    if char == '"':
        return Diagnostic(
            code="ALVH010",
            severity="error",
            span=span,
            message='unterminated string: a string must end with " on the same line',
        )
    if char == "\x00" or (not char.isprintable() and char not in "\t\r\n"):
        return Diagnostic(
            code="ALVH010",
            severity="error",
            span=span,
            message=f"unexpected control character {char!r}: is this a binary file?",
        )
    if char in _FOREIGN_OPERATORS:
        word = _FOREIGN_OPERATORS[char]
        return Diagnostic(
            code="ALVH010",
            severity="error",
            span=span,
            message=f"unexpected character {char!r}",
            hint=f"did you mean `{word}`? conditions join with `and`, `or` and `not`",
        )
    if not char.isascii() and (char.isalnum() or char in "\u2212\u2013\u2014"):
        # a letter such as 'é' is a letter to the trader, and a pasted minus sign a minus
        return Diagnostic(
            code="ALVH010",
            severity="error",
            span=span,
            message=f"unexpected character {char!r} (U+{ord(char):04X}): not ASCII",
            hint="names use the ASCII letters a-z and A-Z, digits and _"
            if char.isalnum()
            else "a minus sign is the ASCII '-' (a word processor may have replaced it)",
        )
    return Diagnostic(
        code="ALVH010",
        severity="error",
        span=span,
        message=f"unexpected character {char!r}",
        hint="names use letters, digits and _; units follow numbers directly, as in 45d or 1%",
    )


# Operators a newcomer brings from C or Python's bitwise set, and the word ALVH uses.
_FOREIGN_OPERATORS = {"&": "and", "|": "or", "!": "not"}


def _describe_token(error: UnexpectedInput, end_words: str) -> str:
    if not isinstance(error, UnexpectedToken) or error.token.type == "$END":
        return end_words
    token = error.token
    if token.type == "NAME":
        return f"the name '{token}'"
    if token.type in ("NUMBER", "NUMBER_UNIT", "INT", "SIGNED_INT"):
        return f"the number {token}"
    if token.type == "STRING":
        return f"the string {token}"
    if token.type == "DATE":
        return f"the date {token}"
    if str(token).isalpha():
        return f"the keyword '{token}'"
    return f"'{token}'"


def _known_mistake(error: UnexpectedInput, parse_fn: Callable[[str], Any]) -> str | None:
    examples = {label: entry[2] for label, entry in KNOWN_MISTAKES.items()}
    try:
        label = error.match_examples(
            parse_fn, examples, token_type_match_fallback=True, use_accepts=True
        )
    except Exception:  # an example that parses cleanly must never hide the real error
        return None
    return label


def _accepts(error: UnexpectedInput) -> set[str]:
    accepts = getattr(error, "accepts", None) or getattr(error, "expected", None) or set()
    return set(accepts)


_WORDS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "NUMBER_UNIT": "a number with a unit",
    "INT": "a whole number",
    "SIGNED_INT": "a signed whole number such as +2 or -1",
    "STRING": 'a string in "double quotes"',
    "DATE": "a date such as 2020-03-16",
    "$END": "the end of the file",
}
_VALUE_STARTS = {
    "NAME",
    "NUMBER",
    "NUMBER_UNIT",
    "STRING",
    "LPAR",
    "MINUS",
    "NOT",
    "TRUE",
    "FALSE",
    "REGIME",
    "WITHIN",
}
_OPERATORS = {
    "PLUS",
    "MINUS",
    "STAR",
    "SLASH",
    "OF",
    "AND",
    "OR",
    "LESSTHAN",
    "MORETHAN",
    "__ANON_1",
    "__ANON_2",
    "__ANON_3",
    "__ANON_4",
    "IN",
    "LPAR",
    "DOT",
    "LSQB",
}
_CLAUSES = {"REQUIRE", "BLOCK", "WHEN", "UNLESS", "OPEN", "SIZE"}
_ITEMS = {
    "RULESET",
    "VERSION",
    "IMPORT",
    "PARAM",
    "LET",
    "REGIME",
    "LIMIT",
    "ENTRY",
    "LAYER",
    "ROLL",
    "TEST",
}


def _describe_expected(accepts: set[str]) -> str:
    parts: list[str] = []
    rest = set(accepts)
    if "NAME" in rest and len(rest & _VALUE_STARTS) >= 3:
        parts.append("a value (a number, a name or a parenthesised expression)")
        rest -= _VALUE_STARTS
    if len(rest & _OPERATORS) >= 4:
        parts.append("an operator")
        rest -= _OPERATORS
    if len(rest & _CLAUSES) >= 4:
        parts.append("a clause (require, block, when, unless, open, size)")
        rest -= _CLAUSES
    if len(rest & _ITEMS) >= 5:
        parts.append("a new item (param, let, regime, limit, entry, layer, roll, test)")
        rest -= _ITEMS
    parts.extend(sorted(_word(name) for name in rest))
    if not parts:
        return "something else"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def _word(terminal: str) -> str:
    if terminal in _WORDS:
        return _WORDS[terminal]
    try:
        pattern = bare_parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal.lower()
    return f"'{pattern.value}'"
