"""What is under the cursor: spans as LSP ranges, the word, the declared symbol, the import.

Positions here are 0-based lines and code-point columns; the server converts them to the
client's units (UTF-16 by default) at the edge, with the document's own lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from alvh_rules.check import Ruleset
from alvh_rules.check.symbols import Symbol
from alvh_rules.lang.diagnostics import Span
from alvh_rules.lsp.documents import same_file
from alvh_rules.syntax import source_text

_WORD_CHAR = re.compile(r"[A-Za-z0-9_]")
_IMPORT = re.compile(r'^\s*import\s+"([^"\n]*)"')


def span_range(span: Span) -> types.Range:
    """A 1-based span with an exclusive end column as a 0-based LSP range (code points)."""
    return types.Range(
        start=types.Position(line=max(span.line - 1, 0), character=max(span.column - 1, 0)),
        end=types.Position(line=max(span.end_line - 1, 0), character=max(span.end_column - 1, 0)),
    )


def contains(span: Span, line: int, column: int) -> bool:
    """Whether the 1-based (line, column) lies in the span; the end column counts too,
    so a cursor just after a name still finds it."""
    if line < span.line or line > span.end_line:
        return False
    if line == span.line and column < span.column:
        return False
    return not (line == span.end_line and column > span.end_column)


@dataclass(frozen=True)
class Word:
    """The identifier at the cursor, with what stands right before and after it."""

    text: str
    line: int  # 0-based
    start: int  # 0-based code points
    end: int
    after_dot: bool  # `position.de|lta`
    before_paren: bool  # `rs|i(`
    base: str  # the identifier before the dot, if any

    @property
    def range(self) -> types.Range:
        return types.Range(
            start=types.Position(line=self.line, character=self.start),
            end=types.Position(line=self.line, character=self.end),
        )


def word_at(lines: Sequence[str], line: int, column: int) -> Word | None:
    """The identifier around the 0-based (line, column), or None on blank space."""
    if not 0 <= line < len(lines):
        return None
    text = lines[line].rstrip("\r\n")
    column = min(max(column, 0), len(text))
    start = column
    while start > 0 and _WORD_CHAR.match(text[start - 1]):
        start -= 1
    end = column
    while end < len(text) and _WORD_CHAR.match(text[end]):
        end += 1
    if start == end:
        return None
    before = text[:start].rstrip()
    base = ""
    if before.endswith("."):
        base_match = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*\.$", before)
        base = base_match.group(1) if base_match else ""
    return Word(
        text=text[start:end],
        line=line,
        start=start,
        end=end,
        after_dot=before.endswith("."),
        before_paren=text[end:].lstrip().startswith("("),
        base=base,
    )


def file_names(ruleset: Ruleset, path: Path) -> frozenset[str]:
    """The names the checker gives the file at `path` in this ruleset's spans."""
    return frozenset(name for name in ruleset.sources if same_file(name, path))


def declared_symbols(ruleset: Ruleset) -> Iterator[Symbol]:
    return (s for s in ruleset.program.symbols.values() if s.span is not None)


def symbol_at(ruleset: Ruleset, path: Path, line: int, column: int) -> Symbol | None:
    """The declared symbol whose declaration or one of whose uses covers the 1-based position."""
    names = file_names(ruleset, path)
    for symbol in declared_symbols(ruleset):
        spans = [symbol.span, *symbol.uses] if symbol.span else symbol.uses
        for span in spans:
            if span.file in names and contains(span, line, column):
                return symbol
    return None


def import_at(lines: Sequence[str], line: int, document_path: Path) -> Path | None:
    """The file an `import "..."` on this 0-based line names, resolved from the document."""
    if not 0 <= line < len(lines):
        return None
    match = _IMPORT.match(lines[line])
    if match is None or not match.group(1):
        return None
    return (document_path.parent / match.group(1)).resolve()


def span_text(ruleset: Ruleset, span: Span | None) -> str:
    """The source text a span covers, on one line (newlines folded to spaces)."""
    if span is None:
        return ""
    source = ruleset.sources.get(span.file)
    return "" if source is None else source_text.span_text(source, span)
