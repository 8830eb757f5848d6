"""What a load set aside: one `LoadIssue` per row or cell dropped or flagged, and `DataError`.

Nothing is dropped silently: every loader appends to a `LoadReport`, and a problem that has
no safe policy raises `DataError` naming the file, the 1-based data row and the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Action = Literal["dropped", "set_aside", "flagged", "ignored"]


@dataclass(frozen=True, slots=True)
class LoadIssue:
    """One row, cell or file the load did not take as it was.

    `row` is the 1-based data row (the header is row 0), or None for whole-file notes;
    `action` says what happened: the row `dropped`, the cell `set_aside` (made NaN),
    the value `flagged` (kept, but suspicious), or the file `ignored`.
    """

    file: str
    row: int | None
    column: str | None
    action: Action
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f" [{self.column}]"
        return f"{where}: {self.action}: {self.reason}"


class DataError(ValueError):
    """A data problem with no safe policy; the message names file, row and column."""

    def __init__(self, file: str, row: int | None, column: str | None, reason: str) -> None:
        self.issue = LoadIssue(file, row, column, "dropped", reason)
        where = file + (f", row {row}" if row is not None else "")
        where += f", column {column!r}" if column else ""
        super().__init__(f"{where}: {reason}")


@dataclass(slots=True)
class LoadReport:
    """Everything a load set aside, in the order it was found."""

    issues: list[LoadIssue] = field(default_factory=list)

    def add(
        self, file: str, row: int | None, column: str | None, action: Action, reason: str
    ) -> None:
        self.issues.append(LoadIssue(file, row, column, action, reason))

    def extend(self, other: LoadReport) -> None:
        self.issues.extend(other.issues)

    def for_file(self, file: str) -> list[LoadIssue]:
        return [issue for issue in self.issues if issue.file == file]

    def count(self, file: str | None = None, reason_contains: str = "") -> int:
        return sum(
            1
            for issue in self.issues
            if (file is None or issue.file == file) and reason_contains in issue.reason
        )

    def rows(self) -> list[dict[str, object]]:
        """The issues as plain dicts (file, row, column, action, reason), e.g. for a table."""
        return [
            {
                "file": i.file,
                "row": i.row,
                "column": i.column,
                "action": i.action,
                "reason": i.reason,
            }
            for i in self.issues
        ]

    def summary(self) -> str:
        """One line per (file, column, action, kind of reason), with how many rows it covers
        and the first example; dates inside reasons are folded so holidays group together."""
        groups: dict[tuple[str, str, str, str], list[LoadIssue]] = {}
        for issue in self.issues:
            kind = _DATE.sub("<date>", issue.reason)
            groups.setdefault((issue.file, issue.column or "", issue.action, kind), []).append(
                issue
            )
        lines = []
        for (file, column, action, _), members in sorted(groups.items()):
            where = f"{file} [{column}]" if column else file
            example = members[0]
            row = f" (first: row {example.row})" if example.row is not None else ""
            lines.append(f"{where} {action} x{len(members)}: {example.reason}{row}")
        return "\n".join(lines) if lines else "nothing set aside"

    def __len__(self) -> int:
        return len(self.issues)
