"""The checker: names, types, units, imports and history needs of rulesets.

Its names load on first use: `alvh check` reading every result from its cache
(`alvh_rules.check.result_cache`) then imports neither Lark nor pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alvh_rules.lazy import lazy_export

if TYPE_CHECKING:
    from alvh_rules.check.ruleset import (
        CheckReport,
        Ruleset,
        check_file,
        check_paths,
        check_text,
        load,
    )

_LAZY_EXPORTS = dict.fromkeys(
    ("CheckReport", "Ruleset", "check_file", "check_paths", "check_text", "load"),
    "alvh_rules.check.ruleset",
)

__all__ = ["CheckReport", "Ruleset", "check_file", "check_paths", "check_text", "load"]


def __getattr__(name: str) -> Any:
    return lazy_export(__name__, _LAZY_EXPORTS, globals(), name)
