"""`format_text`: the one canonical layout of a ruleset, printed from its AST in source order.

A file that does not parse raises RulesetError; CRLF stays CRLF (when most lines end so);
one final newline.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

from alvh_rules.fmt import layout
from alvh_rules.fmt.comments import Attached, Attachments, attach
from alvh_rules.fmt.shape import TRAILING_GAP, Shape, with_comments
from alvh_rules.syntax import ast
from alvh_rules.syntax.parser import parse, paused_gc

__all__ = ["format_ruleset", "format_text"]

_UNIT_PRINTERS: dict[type, Any] = {
    ast.Header: layout.header,
    ast.Version: layout.version,
    ast.Import: layout.import_decl,
    ast.Param: layout.param,
    ast.Let: layout.let,
}


def format_text(text: str, filename: str = "<string>") -> str:
    """The canonically formatted text of a ruleset; raises RulesetError if it does not parse."""
    crlf = _mostly_crlf(text)
    source = text.replace("\r\n", "\n") if "\r\n" in text else text
    formatted = format_ruleset(parse(source, filename), source)
    return formatted.replace("\n", "\r\n") if crlf else formatted


def _mostly_crlf(text: str) -> bool:
    """CRLF when most line ends are CRLF (a file mixed by an editor keeps its main style)."""
    return text.count("\r\n") * 2 > text.count("\n")


def format_ruleset(ruleset: ast.Ruleset, source: str) -> str:
    """Print a parsed ruleset; `source` (LF line endings) tells where blank lines were."""
    with paused_gc():  # printing makes no cycles: see paused_gc
        lines = _Printer(ruleset, source).print()
    return "\n".join(lines) + "\n" if lines else ""


def _kind(item: Any) -> str:
    """Items of one kind sit together; a change of kind gets a blank line."""
    if isinstance(item, ast.Rule):
        return "regime" if item.rule_kind == "regime" else "block"
    if isinstance(item, ast.TestBlock):
        return "block"
    return "header" if isinstance(item, ast.Header | ast.Version) else str(item.kind)


class _Printer:
    """Prints units with their comments into `lines`, tracking blank lines of the source."""

    def __init__(self, ruleset: ast.Ruleset, source: str) -> None:
        self.ruleset = ruleset
        self.source = source
        self.attachments: Attachments = attach(ruleset)
        self.lines: list[str] = []
        self._blank_counts: list[int] | None = None

    def print(self) -> list[str]:
        previous_kind = ""
        previous_end = 0
        for item in self.ruleset.items:
            kind = _kind(item)
            slot = self.attachments.of(id(item))
            first = slot.leading[0].span.line if slot and slot.leading else item.span.line
            if previous_kind and (
                kind != previous_kind or kind == "block" or self._blank_between(previous_end, first)
            ):
                self.lines.append("")
            previous_end = self._item(item, slot)
            previous_kind = kind
        self._end_of_file(previous_end)
        return self.lines

    def _item(self, item: Any, slot: Attached | None) -> int:
        """Print one top-level item; returns the last source line it covered."""
        if isinstance(item, ast.Rule):
            if item.rule_kind == "regime":
                self._unit(slot, "", layout.regime(item, ""), item.span.line, top=True)
                return item.span.end_line
            self._unit(slot, "", layout.rule_header(item, ""), item.span.line, top=True)
            return self._block(id(item), item.clauses, layout.clause, item.span.end_line)
        if isinstance(item, ast.TestBlock):
            self._unit(slot, "", layout.test_header(item, ""), item.span.line, top=True)
            return self._block(id(item), item.statements, layout.statement, item.span.end_line)
        self._unit(slot, "", _UNIT_PRINTERS[type(item)](item, ""), item.span.line, top=True)
        return int(item.span.end_line)

    def _block(self, key: int, members: list[Any], printer: Any, end_line: int) -> int:
        indent = layout.INDENT
        for member in members:
            slot = self.attachments.of(id(member))
            self._unit(slot, indent, printer(member, indent), member.span.line, top=False)
        dangling = self.attachments.dangling.get(key, [])
        self.lines.extend(indent + comment.text for comment in dangling)
        return max(end_line, dangling[-1].span.line) if dangling else end_line

    def _unit(
        self, slot: Attached | None, indent: str, shape: Shape, code_line: int, *, top: bool
    ) -> None:
        """Leading comments, comments moved out of the unit, its lines, its trailing comment."""
        if slot is None:
            self.lines.extend(shape.lines())
            return
        moved, code = with_comments(shape, slot.inner)
        previous: ast.Comment | None = None
        for comment in slot.leading:
            if top and previous and self._blank_between(previous.span.line, comment.span.line):
                self.lines.append("")
            self.lines.append(indent + comment.text)
            previous = comment
        if top and previous and self._blank_between(previous.span.line, code_line):
            self.lines.append("")
        self.lines.extend(indent + comment.text for comment in moved)
        self.lines.extend(code)
        if slot.trailing is not None:
            self.lines[-1] += TRAILING_GAP + slot.trailing.text

    def _end_of_file(self, previous_end: int) -> None:
        for comment in self.attachments.end_of_file:
            if self.lines and self._blank_between(previous_end, comment.span.line):
                self.lines.append("")
            self.lines.append(comment.text)
            previous_end = comment.span.line

    def _blank_between(self, after_line: int, before_line: int) -> bool:
        """Whether the source has a blank line strictly between the two lines."""
        if before_line - after_line < 2:
            return False
        if self._blank_counts is None:
            blank = (0 if line.strip() else 1 for line in self.source.split("\n"))
            self._blank_counts = [0, *accumulate(blank)]
        counts = self._blank_counts
        return counts[before_line - 1] - counts[after_line] > 0
