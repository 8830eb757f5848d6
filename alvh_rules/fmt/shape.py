"""A unit before line breaking: a head and pieces, on one line of at most 100 columns or
one piece per continuation line. A comment between two pieces keeps its place there;
one inside a piece moves before the unit.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from alvh_rules.lang.diagnostics import Span
from alvh_rules.syntax import ast

MAX_WIDTH = 100
INDENT = "    "
TRAILING_GAP = "  "  # before a comment that ends a line of code

Position = tuple[int, int]


@dataclass(slots=True)
class Shape:
    """`head` then `pieces` (text and source span each); `head_end` is where the head's
    source ends. When the unit breaks, each piece starts a line, or with `fill` pieces
    share lines while they fit. `force` breaks the unit even when it fits."""

    indent: str
    head: str
    head_end: Span | None = None
    pieces: list[tuple[str, Span]] = field(default_factory=list)
    force: bool = False
    fill: bool = False

    def lines(self) -> list[str]:
        if not self.pieces:
            return [self.indent + self.head]
        line = self.indent + self.head + " " + " ".join(text for text, _ in self.pieces)
        if not self.force and len(line) <= MAX_WIDTH:
            return [line]
        return _broken(self, {}, {})


def with_comments(shape: Shape, inner: list[ast.Comment]) -> tuple[list[ast.Comment], list[str]]:
    """(comments to print before the unit, the unit's lines with the other comments in place).

    Comments between pieces stay there: on a piece's line as a trailing comment, or on
    their own line before the next piece. Comments inside the head or a piece move before
    the unit, unless that would change their order; then all of them do.
    """
    if not inner or not shape.pieces or shape.head_end is None:
        return inner, shape.lines()
    starts = [(span.line, span.column) for _, span in shape.pieces]
    ends = [shape.head_end, *(span for _, span in shape.pieces)]
    moved: list[ast.Comment] = []
    trailing: dict[int, ast.Comment] = {}  # line index (0 = head) -> comment
    leading: dict[int, list[ast.Comment]] = {}  # piece index -> comments
    for comment in inner:
        position = (comment.span.line, comment.span.column)
        before = bisect_right(starts, position)  # pieces starting at or before the comment
        end = ends[before]
        if position < (end.end_line, end.end_column) or before == len(starts):
            moved.append(comment)
        elif position[0] == end.end_line and before not in trailing:
            trailing[before] = comment
        else:
            leading.setdefault(before, []).append(comment)
    in_place = [*trailing.values(), *(c for group in leading.values() for c in group)]
    if not in_place:
        return moved, shape.lines()
    if moved and _position(moved[-1]) > min(_position(c) for c in in_place):
        return inner, shape.lines()  # keep comments in source order
    return moved, _broken(shape, trailing, leading)


def _position(comment: ast.Comment) -> Position:
    return (comment.span.line, comment.span.column)


def _broken(
    shape: Shape, trailing: dict[int, ast.Comment], leading: dict[int, list[ast.Comment]]
) -> list[str]:
    """The unit over several lines; `trailing` is keyed by line piece (0 = head), `leading`
    by the piece the comments stand before. A comment always ends the line it is on."""
    continued = shape.indent + INDENT
    lines = [shape.indent + shape.head]
    open_line = shape.fill  # may the next piece join the last line?
    if 0 in trailing:
        lines[-1] += TRAILING_GAP + trailing[0].text
        open_line = False
    for index, (text, _) in enumerate(shape.pieces):
        if index in leading:
            lines.extend(continued + comment.text for comment in leading[index])
            open_line = False
        if open_line and len(lines[-1]) + 1 + len(text) <= MAX_WIDTH:
            lines[-1] += " " + text
        else:
            lines.append(continued + text)
        open_line = shape.fill
        if index + 1 in trailing:
            lines[-1] += TRAILING_GAP + trailing[index + 1].text
            open_line = False
    return lines
