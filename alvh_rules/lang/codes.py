"""Every diagnostic code with its one-line title: the registry behind SARIF rule metadata.

docs/errors.md explains each code with an example and a fix; a test keeps the two in
step, and another keeps a golden test case for every code under tests/check/cases/.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # 0xx: reading and parsing
    "ALVH001": "file is not UTF-8 text",
    "ALVH002": "file too large",
    "ALVH003": "expression nests too deeply",
    "ALVH004": "invalid calendar date",
    "ALVH005": "only a function name can be called",
    "ALVH006": "empty file",
    "ALVH007": "number too large",
    "ALVH010": "unexpected character or unterminated string",
    "ALVH011": "unexpected token",
    "ALVH012": "missing ':' after a rule name",
    "ALVH013": "missing 'on' in a layer or roll",
    "ALVH014": "missing '=' in a param or let",
    "ALVH015": "roll without an action",
    "ALVH016": "regime without a condition",
    "ALVH017": "unclosed parenthesis",
    "ALVH018": "unclosed lookback bracket",
    "ALVH019": "missing value",
    # 1xx: names
    "ALVH101": "unknown name",
    "ALVH102": "duplicate name",
    "ALVH103": "unused param",
    "ALVH104": "unused let",
    "ALVH105": "a let or regime refers to itself",
    "ALVH106": "keyword used as a name",
    "ALVH107": "unknown function",
    "ALVH108": "unknown field or part",
    "ALVH109": "unknown calendar event",
    "ALVH110": "layer or roll acts on something that is not a position",
    "ALVH111": "context name used outside its context",
    # 2xx: types and units
    "ALVH201": "adding or subtracting different units",
    "ALVH202": "comparing different units or types",
    "ALVH203": "wrong kind of value",
    "ALVH204": "wrong number of arguments",
    "ALVH205": "argument must be a constant",
    "ALVH206": "window or lookback length must be a whole number",
    "ALVH207": "lookback on a value without history",
    "ALVH208": "invalid choice by regime",
    "ALVH209": "condition is not true or false",
    "ALVH210": "param default outside its bounds, or bounds of another unit",
    "ALVH211": "param default or bound is not a constant",
    "ALVH212": "left side of `of` is not a share",
    "ALVH213": "invalid open or size clause",
    "ALVH214": "roll forward by something other than days",
    "ALVH215": "bare number where a percent, ratio or money unit is needed",
    "ALVH216": "bare whole number after a series in max or min",
    # 3xx: imports
    "ALVH301": "import not found",
    "ALVH302": "import outside the ruleset root",
    "ALVH303": "import cycle",
    "ALVH304": "import of a file that is not .alvh",
    # 4xx: rule structure
    "ALVH401": "regime order or missing regimes",
    "ALVH402": "clause not allowed in this rule",
    "ALVH403": "ruleset without rules",
    "ALVH404": "resize of a position its rule does not size",
    "ALVH405": "regimes without an `otherwise` fallback",
    "ALVH406": "condition that reads nothing that changes",
    "ALVH407": "limit breached with no position open",
    "ALVH408": "figure of a position not yet open",
    # 5xx: ruleset tests
    "ALVH501": "test names an unknown rule or regime",
    "ALVH502": "test expects a state the rule cannot have",
    "ALVH503": "test overrides an unknown field",
    "ALVH504": "test override of the wrong unit",
    "ALVH505": "test sets an unknown param",
    "ALVH506": "test sets a param outside its bounds",
    "ALVH507": "invalid leg in a test position",
    "ALVH508": "test with more than one day",
    "ALVH509": "test position held for other than whole days",
}

# Unused params and lets: reported only in a file that no other checked file imports (an
# imported module is a library: what one importer leaves unused, another may use).
# The same holds for a file without rules (ALVH403): a library of params and lets.
UNUSED_CODES = frozenset({"ALVH103", "ALVH104", "ALVH403"})
