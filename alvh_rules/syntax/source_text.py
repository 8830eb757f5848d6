"""The source text a span covers, for showing a sub-expression as it was written (the reasons
of `alvh eval --explain`, the editor's hover): one line, comments and line breaks folded."""

from __future__ import annotations

import functools

from alvh_rules.lang.diagnostics import Span


def span_text(source: str, span: Span) -> str:
    """The text of `span` in `source`; a span over several lines is put on one line, without
    the comments that end its lines. Empty when the span is not inside the source."""
    lines = _lines_of(source)
    if span.line < 1 or span.end_line > len(lines):
        return ""
    if span.line == span.end_line:
        return str(lines[span.line - 1][span.column - 1 : span.end_column - 1])
    parts = [lines[span.line - 1][span.column - 1 :], *lines[span.line : span.end_line - 1]]
    parts = [_without_comment(part) for part in parts]  # a comment may end a line within
    parts.append(lines[span.end_line - 1][: span.end_column - 1])
    return " ".join(" ".join(parts).split())  # a clause written over lines, on one line


def _without_comment(line: str) -> str:
    """The line up to a `#` comment (a `#` inside a string literal is text)."""
    in_string = escaped = False
    for i, char in enumerate(line):
        if escaped:
            escaped = False
        elif in_string:
            escaped, in_string = char == "\\", char != '"'
        elif char == '"':
            in_string = True
        elif char == "#":
            return line[:i]
    return line


@functools.lru_cache(maxsize=64)
def _lines_of(source: str) -> list[str]:
    """A ruleset file's lines, split once (the cache hashes the text once: str keeps it)."""
    return source.splitlines()
