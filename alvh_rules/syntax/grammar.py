"""Finding `alvh.lark` and building the LALR parser once per process.

The grammar ships inside the wheel as `alvh_rules/grammar/alvh.lark`; in a source
checkout (editable install) it is read from the top-level `grammar/` folder.
The built parser is cached on disk by Lark (keyed by the grammar's hash).
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Any

from lark import Lark

GRAMMAR_NAME = "alvh.lark"


def grammar_path() -> Path:
    """The grammar file: inside the installed package, else in the source tree."""
    package_dir = Path(__file__).resolve().parent.parent
    for candidate in (
        package_dir / "grammar" / GRAMMAR_NAME,
        package_dir.parent / "grammar" / GRAMMAR_NAME,
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{GRAMMAR_NAME} not found next to the alvh_rules package")


def grammar_text() -> str:
    return grammar_path().read_text(encoding="utf-8")


def parser_cache_file() -> str | bool:
    """A per-user cache path for Lark's serialized parser; False disables caching."""
    if os.environ.get("ALVH_NO_PARSER_CACHE"):
        return False
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        tempfile.gettempdir(), f"alvh-{os.getuid()}"
    )
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        return False
    # Lark checks the grammar hash stored in the file, so a stale cache is rebuilt, not misused.
    return os.path.join(base, "alvh-lark-parser.cache")


def build_parser(**options: Any) -> Lark:
    """A fresh LALR parser over the grammar; `options` override the defaults (tests use strict)."""
    settings: dict[str, Any] = {
        "parser": "lalr",
        "lexer": "contextual",
        "keep_all_tokens": True,
        "maybe_placeholders": False,
        "propagate_positions": False,
    }
    settings.update(options)
    return Lark(grammar_text(), **settings)


@functools.lru_cache(maxsize=1)
def bare_parser() -> Lark:
    """The parser without a transformer: it returns Lark trees (for errors and benchmarks)."""
    return build_parser(cache=parser_cache_file())
