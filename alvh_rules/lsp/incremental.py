"""Checking as you type without re-parsing the whole file: only the items an edit touched.

The parser already splits a file into top-level items (to report every syntax error); here
each item's parse is kept by (first line, text), the file's AST is put together from them
and handed to the checker through its parse cache, with unchanged imports parsed once.
Text with any syntax problem goes through `check_text` whole, so its diagnostics are the CLI's.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alvh_rules.check import CheckReport, check_text
from alvh_rules.check.loader import ModuleLoader, ParseCache, display_name
from alvh_rules.check.ruleset import check_loaded
from alvh_rules.lang.diagnostics import Span
from alvh_rules.syntax import ast
from alvh_rules.syntax.parser import MAX_FILE_BYTES, parse_item, split_items
from alvh_rules.syntax.trusted import construct

ItemParse = tuple[list[Any], list[ast.Comment]]
# How many item parses to keep: a few edits' worth beyond the file's own items.
SPARE_ITEMS = 256
StatKey = tuple[int, int]


class IncrementalChecker:
    """One per document: its items' parses and its imports' parses, kept between edits."""

    def __init__(self) -> None:
        self.items: dict[tuple[int, str], ItemParse] = {}
        self.imports: dict[Path, tuple[StatKey, Any]] = {}

    def check(self, text: str, path: Path, root: Path) -> CheckReport:
        name = display_name(path)
        module = self.assemble(text, name)
        if module is None:
            return check_text(text, str(path), root=root)
        entry = path.resolve()
        cache: ParseCache = {entry: (text, module, [])}
        for imported, (stat_key, parsed) in self.imports.items():
            if imported != entry and _stat_key(imported) == stat_key:
                cache[imported] = parsed
        loaded = ModuleLoader(root, cache).load(path)
        self.imports = {
            p: (key, parsed)
            for p, parsed in cache.items()
            if p != entry and (key := _stat_key(p)) is not None
        }
        return check_loaded(path, root, loaded, report_unused=True)

    def assemble(self, text: str, name: str) -> ast.Ruleset | None:
        """The file's AST from its items' parses, or None if any item has a problem."""
        if not text.strip() or (
            len(text) * 4 > MAX_FILE_BYTES  # only then can its UTF-8 be over the limit
            and len(text.encode("utf-8", errors="replace")) > MAX_FILE_BYTES
        ):
            return None
        chunks = list(split_items(text))
        items: list[Any] = []
        comments: list[ast.Comment] = []
        fresh: dict[tuple[int, str], ItemParse] = {}
        for start_line, chunk in chunks:
            key = (start_line, chunk)
            parsed = self.items.get(key) or parse_item(chunk, name, start_line)
            if parsed is None:
                return None
            fresh[key] = parsed
            items += parsed[0]
            comments += parsed[1]
        if len(self.items) > len(fresh) + SPARE_ITEMS:
            self.items = {}
        self.items.update(fresh)
        span = construct(
            Span, file=name, line=1, column=1, end_line=text.count("\n") + 1, end_column=1
        )
        return construct(ast.Ruleset, span=span, file=name, items=items, comments=comments)


def _stat_key(path: Path) -> StatKey | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
