"""Attaching `#` comments by source position to the units the formatter prints: leading
(own line before), trailing (end of its last line), inner (inside it) or dangling (end of
a block or file). No comment is ever dropped, and comments never change their order.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from alvh_rules.lang.diagnostics import Span
from alvh_rules.syntax import ast

Position = tuple[int, int]


@dataclass(slots=True)
class Unit:
    """A stretch of source printed as one logical line (that may wrap)."""

    key: int  # id() of the node the printer asks about
    start: Position
    end: Position
    block: int | None  # key of the rule or test the unit sits in; None at top level
    opens_block: bool = False  # a rule or test header: its clauses follow, indented


@dataclass(slots=True)
class Attached:
    """The comments of one unit."""

    leading: list[ast.Comment] = field(default_factory=list)
    inner: list[ast.Comment] = field(default_factory=list)
    trailing: ast.Comment | None = None


@dataclass(slots=True)
class Attachments:
    """Every comment of a file, keyed by the unit (or block) it is printed with."""

    units: dict[int, Attached] = field(default_factory=dict)
    dangling: dict[int, list[ast.Comment]] = field(default_factory=dict)
    end_of_file: list[ast.Comment] = field(default_factory=list)

    def of(self, key: int) -> Attached | None:
        return self.units.get(key)

    def _slot(self, key: int) -> Attached:
        slot = self.units.get(key)
        if slot is None:
            slot = self.units[key] = Attached()
        return slot


def _start(span: Span) -> Position:
    return (span.line, span.column)


def _end(span: Span) -> Position:
    return (span.end_line, span.end_column)


def units_of(ruleset: ast.Ruleset) -> list[Unit]:
    """The units of a ruleset in source order."""
    units: list[Unit] = []
    for item in ruleset.items:
        key, span = id(item), item.span
        if isinstance(item, ast.Rule) and item.rule_kind != "regime":
            header_end = (item.candidates[-1] if item.candidates else item.target or item.name).span
            units.append(Unit(key, _start(span), _end(header_end), None, True))
            units.extend(Unit(id(c), _start(c.span), _end(c.span), key) for c in item.clauses)
        elif isinstance(item, ast.TestBlock):
            # The test name has no span of its own: the header is the `test` keyword.
            units.append(Unit(key, _start(span), (span.line, span.column + 4), None, True))
            units.extend(Unit(id(s), _start(s.span), _end(s.span), key) for s in item.statements)
        else:
            units.append(Unit(key, _start(span), _end(span), None))
    return units


def attach(ruleset: ast.Ruleset) -> Attachments:
    """Give every comment of the ruleset a place next to a unit."""
    attachments = Attachments()
    if not ruleset.comments:
        return attachments
    units = units_of(ruleset)
    starts = [unit.start for unit in units]
    closed_gap = -2  # the gap between two units where a comment already went to the next unit
    for comment in ruleset.comments:
        position = _start(comment.span)
        index = bisect_right(starts, position) - 1
        before = units[index] if index >= 0 else None
        after = units[index + 1] if index + 1 < len(units) else None
        if _place(attachments, comment, position, before, after, closed_gap == index):
            closed_gap = index
    return attachments


def _place(
    attachments: Attachments,
    comment: ast.Comment,
    position: Position,
    before: Unit | None,
    after: Unit | None,
    gap_closed: bool,
) -> bool:
    """Attach one comment; True when it went forward (to the next unit or the file's end)."""
    if before is not None and position < before.end:
        attachments._slot(before.key).inner.append(comment)
        return False
    if before is not None and position[0] == before.end[0]:
        slot = attachments._slot(before.key)
        if slot.trailing is None:
            slot.trailing = comment
        else:  # cannot happen (one comment per line), but a comment is never dropped
            slot.inner.append(comment)
        return False
    block = _open_block(before)
    # An indented comment after a block's last unit dangles in it, unless an earlier
    # comment of the same gap went forward: comments never change their order.
    indented = position[1] > 1
    if (
        block is not None
        and indented
        and not gap_closed
        and (after is None or after.block != block)
    ):
        attachments.dangling.setdefault(block, []).append(comment)
        return False
    if after is not None:
        attachments._slot(after.key).leading.append(comment)
    else:
        attachments.end_of_file.append(comment)
    return True


def _open_block(unit: Unit | None) -> int | None:
    """The block a comment after `unit` could still belong to (by indentation)."""
    if unit is None:
        return None
    if unit.block is not None:
        return unit.block
    return unit.key if unit.opens_block else None
