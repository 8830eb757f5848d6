"""The checker: names, types, units, imports and history needs of rulesets."""

from alvh_rules.check.ruleset import (
    CheckReport,
    Ruleset,
    check_file,
    check_paths,
    check_text,
    load,
)

__all__ = ["CheckReport", "Ruleset", "check_file", "check_paths", "check_text", "load"]
