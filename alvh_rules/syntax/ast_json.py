"""The AST's JSON form: stable JSON of a parsed ruleset for golden files (with or without
spans) and its JSON Schema."""

from __future__ import annotations

import json
from typing import Any

from alvh_rules.syntax.ast import Ruleset


def ruleset_json_schema() -> dict[str, Any]:
    """The JSON Schema of a parsed ruleset (the AST's JSON form)."""
    return Ruleset.model_json_schema()


def dump_json(ruleset: Ruleset, *, with_spans: bool = True) -> str:
    """Stable JSON of the AST, for golden files; without spans it compares structure only."""
    if with_spans:
        return ruleset.model_dump_json(indent=2)

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "span"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(ruleset.model_dump(mode="json")), indent=2)
