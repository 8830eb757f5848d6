"""`parse(text, filename)`: source text to a validated AST, or a RulesetError.

The AST is built during the LALR parse. When a file has syntax errors it is parsed
again item by item (an item starts at a line beginning with a top-level keyword), so
every broken item is reported in one run, each with its location.
"""

from __future__ import annotations

import gc
import itertools
import re
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, cast

from lark import Lark, Token
from lark.exceptions import UnexpectedInput
from lark.lexer import TerminalDef

from alvh_rules.lang.diagnostics import Diagnostic, RulesetError, Span
from alvh_rules.lang.files import MAX_FILE_BYTES as MAX_FILE_BYTES  # re-exported
from alvh_rules.syntax import ast
from alvh_rules.syntax.builder import AstBuilder
from alvh_rules.syntax.grammar import build_parser, parser_cache_file
from alvh_rules.syntax.syntax_errors import describe_syntax_error
from alvh_rules.syntax.trusted import construct

TOP_LEVEL_KEYWORDS = (
    "ruleset",
    "version",
    "import",
    "param",
    "let",
    "regime",
    "limit",
    "entry",
    "layer",
    "roll",
    "test",
)
_ITEM_START = re.compile(r"^(?:" + "|".join(TOP_LEVEL_KEYWORDS) + r")\b", re.MULTILINE)

_lock = threading.Lock()


class _Parsers:
    """The AST-building parser and its per-parse state (comments, builder)."""

    def __init__(self) -> None:
        self.builder = AstBuilder()
        self.comments: list[Token] = []
        self.lark: Lark = build_parser(
            transformer=self.builder,
            lexer_callbacks={"COMMENT": self.comments.append},
            cache=parser_cache_file(),
        )
        # How each example of a known mistake fails: describing a syntax error matches the
        # error against these examples, and parsing them again for each of 4,000 broken items
        # took 55 parses per item (9 s); they are fixed strings, so each is parsed once.
        self._example_errors: dict[str, UnexpectedInput | None] = {}

    def parse_example(self, text: str) -> None:
        """`lark.parse` for the known-mistake examples, remembered: raises what it raised."""
        if text not in self._example_errors:
            try:
                self.lark.parse(text)
                self._example_errors[text] = None
            except UnexpectedInput as error:
                self._example_errors[text] = error
        failure = self._example_errors[text]
        if failure is not None:
            raise failure.with_traceback(None)


@lru_cache(maxsize=1)
def _parsers() -> _Parsers:
    return _Parsers()


def grammar_terminals() -> Collection[TerminalDef]:
    """The grammar's terminals (keywords among them), from the parser `parse` uses."""
    return _parsers().lark.terminals


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the AST has no cycles and a big file makes
    millions of short-lived objects, whose collection would cost a third of the parse.

    Only a pause: the collector is re-enabled as it was and left to its own schedule. An
    earlier `gc.freeze(); gc.unfreeze()` here moved each parse's survivors straight to the
    oldest generation without counting them, so full collections stopped and every
    checker cycle stayed alive (600 checks of one file grew a process from 35 to 940 MB)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse(text: str, filename: str = "<string>") -> ast.Ruleset:
    """Parse one ruleset file. Raises RulesetError carrying every syntax diagnostic."""
    too_big = _check_size(text, filename)
    if too_big:
        raise RulesetError([too_big])
    with _lock, paused_gc():
        parsers = _parsers()
        items, comments, diagnostics = _parse_whole(parsers, text, filename)
        if items is None:
            diagnostics = _parse_items_one_by_one(parsers, text, filename)
    if any(d.is_error for d in diagnostics):
        raise RulesetError(diagnostics)
    assert items is not None
    span = construct(
        Span, file=filename, line=1, column=1, end_line=text.count("\n") + 1, end_column=1
    )
    return construct(ast.Ruleset, span=span, file=filename, items=items, comments=comments)


def parse_with_diagnostics(
    text: str, filename: str = "<string>"
) -> tuple[ast.Ruleset | None, list[Diagnostic]]:
    """Like `parse`, but returns (ruleset or None, diagnostics) instead of raising."""
    try:
        return parse(text, filename), []
    except RulesetError as error:
        return None, error.diagnostics


def _check_size(text: str, filename: str) -> Diagnostic | None:
    size = (
        len(text.encode("utf-8", errors="replace")) if len(text) * 4 > MAX_FILE_BYTES else len(text)
    )
    return too_large(size, filename) if size > MAX_FILE_BYTES else None


def too_large(size: int, filename: str) -> Diagnostic:
    """ALVH002: a file over MAX_FILE_BYTES (the loader checks the size before reading)."""
    limit_kib = MAX_FILE_BYTES // 1024
    return Diagnostic(
        code="ALVH002",
        severity="error",
        span=Span(file=filename, line=1, column=1, end_line=1, end_column=1),
        message=f"the file is {size / 1024:,.1f} KiB; a ruleset may be at most {limit_kib} KiB",
        hint="split it into modules joined by `import`",
    )


def _parse_whole(
    parsers: _Parsers, text: str, filename: str, line_offset: int = 0
) -> tuple[list[Any] | None, list[ast.Comment], list[Diagnostic]]:
    parsers.builder.reset(filename, line_offset=line_offset)
    parsers.comments.clear()
    try:
        items = cast(list[Any], parsers.lark.parse(text))
    except UnexpectedInput:
        return None, [], []
    comments = [
        construct(ast.Comment, span=parsers.builder.token_span(token), text=str(token))
        for token in parsers.comments
    ]
    return items, comments, list(parsers.builder.diagnostics)


def parse_item(
    chunk: str, filename: str, start_line: int
) -> tuple[list[Any], list[ast.Comment]] | None:
    """One top-level item (a chunk of `split_items`) parsed at its place in the file: its
    AST items and comments, or None on any syntax problem (the editor's incremental check)."""
    with _lock, paused_gc():
        items, comments, diagnostics = _parse_whole(
            _parsers(), chunk, filename, line_offset=start_line - 1
        )
    return None if items is None or diagnostics else (items, comments)


def _parse_items_one_by_one(parsers: _Parsers, text: str, filename: str) -> list[Diagnostic]:
    """Parse each top-level item alone, so one broken item does not hide the others."""
    diagnostics: list[Diagnostic] = []
    chunks = list(split_items(text))
    for index, (start_line, chunk) in enumerate(chunks):
        parsers.builder.reset(filename, line_offset=start_line - 1)
        try:
            parsers.lark.parse(chunk)
        except UnexpectedInput as error:
            diagnostics.append(
                describe_syntax_error(
                    error,
                    chunk,
                    filename,
                    start_line - 1,
                    parsers.parse_example,
                    ends_file=index == len(chunks) - 1,
                )
            )
            continue
        diagnostics.extend(parsers.builder.diagnostics)
    if not diagnostics:  # the items parse alone but not together: report it at the file start
        parsers.builder.reset(filename)
        try:
            parsers.lark.parse(text)
        except UnexpectedInput as error:
            diagnostics.append(
                describe_syntax_error(error, text, filename, 0, parsers.parse_example)
            )
    return diagnostics


def split_items(text: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of each top-level item; comments before the first item go with it."""
    starts = [m.start() for m in _ITEM_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    line = 1
    for begin, end in itertools.pairwise(starts):
        if begin < end:
            yield line, text[begin:end]
            line += text.count("\n", begin, end)
