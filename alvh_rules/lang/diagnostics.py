"""Source spans and diagnostics: the one error type every phase reports.

A `Span` is 1-based with an exclusive end column. A `Diagnostic` carries a stable code
(documented in docs/errors.md), a severity, a span, a message and an optional hint.
`RulesetError` carries every diagnostic of a run, sorted by location.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable, Sized
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]


class Span(BaseModel):
    """Where a piece of source text is: file, 1-based line and column, exclusive end column."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def to(self, other: Span) -> Span:
        """The span from the start of `self` to the end of `other`."""
        return span_at(self.file, self.line, self.column, other.end_line, other.end_column)


_new_span = Span.__new__
_set = object.__setattr__


def span_at(file: str, line: int, column: int, end_line: int, end_column: int) -> Span:
    """A Span from trusted integers, without validation: the parser makes one per token,
    so this is `construct` unrolled for the one model made most often."""
    span = _new_span(Span)
    _set(
        span,
        "__dict__",
        {
            "file": file,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
        },
    )
    _set(span, "__pydantic_fields_set__", {"file", "line", "column", "end_line", "end_column"})
    _set(span, "__pydantic_extra__", None)
    _set(span, "__pydantic_private__", None)
    return span


class Diagnostic(BaseModel):
    """One finding of the parser or checker, with a stable code such as ALVH101."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Severity
    span: Span
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.span.file, self.span.line, self.span.column, self.code)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file, line, column order, without exact duplicates."""
    unique = {(d.sort_key(), d.message): d for d in diagnostics}
    return [unique[key] for key in sorted(unique)]


class RulesetError(Exception):
    """Raised by `parse` and `load` when a ruleset has errors; carries every diagnostic."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted_diagnostics(diagnostics)
        errors = [d for d in self.diagnostics if d.is_error]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        summary = f"{first.span}: {first.code}: {first.message}" if first else "ruleset error"
        more = len(errors) - 1
        if more > 0:
            summary += f" (and {more} more error{'s' if more > 1 else ''})"
        super().__init__(summary)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest known names or keywords, or "" (every phase uses it)."""
    pool = _nearby(name, candidates)
    # `VIX`, `FOMC`: difflib scores case as spelling, and finds nothing close in three letters
    same = [c for c in pool if c.lower() == name.lower() and c != name]
    if same:
        return f"did you mean '{same[0]}'? case matters in names"
    close = difflib.get_close_matches(name, pool, n=3, cutoff=0.6)
    if not close:
        return ""
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


# Past this many names (only machine-made files have them) a hint compares the unknown name
# with the nearest ones by length and spelling, not the whole table: N unknown names against
# M known ones cost N x M comparisons (6,847 against 13,700 took 93 s of CPU in a 256 KiB file).
HINT_POOL = 200
_ordered_pool: list[Any] = [None, -1, []]  # the last large table, its size, its names sorted


def _nearby(name: str, candidates: Iterable[str]) -> list[str]:
    if isinstance(candidates, Sized) and len(candidates) <= HINT_POOL:
        return list(candidates)
    table, size, ordered = _ordered_pool
    if table is not candidates or not isinstance(candidates, Sized) or size != len(candidates):
        ordered = sorted(candidates, key=_length_then_spelling)
        _ordered_pool[:] = [candidates, len(ordered), ordered]
    if len(ordered) <= HINT_POOL:
        return list(ordered)
    at = bisect.bisect_left(ordered, (len(name), name), key=_length_then_spelling)
    start = max(0, at - HINT_POOL // 2)
    return list(ordered[start : start + HINT_POOL])


def _length_then_spelling(name: str) -> tuple[int, str]:
    return len(name), name


def error_in_one_line(error: Exception) -> str:
    """An exception's message in one line: a pydantic ValidationError by its fields and
    messages (`strike: must be a finite number`), without the model's name, the input's
    repr and the link to pydantic's docs that its own text runs over several lines with."""
    details = getattr(error, "errors", None)
    if not callable(details):
        return str(error)
    parts = []
    for detail in details():
        message = str(detail.get("msg", "")).removeprefix("Value error, ")
        field = ".".join(str(part) for part in detail.get("loc", ()))
        named = not field or message.startswith(field.rsplit(".", 1)[-1])
        parts.append(message if named else f"{field}: {message}")
    return "; ".join(parts)
