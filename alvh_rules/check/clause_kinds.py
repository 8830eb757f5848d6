"""Which clauses each rule kind takes, and which at most once (ALVH402), with a hint that
says what to do instead for each: a second `when` joins the first with `and`/`or`, but a
second `open` is a second rule, not a condition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alvh_rules.check import types as T
from alvh_rules.syntax import ast

if TYPE_CHECKING:
    from alvh_rules.check.context import CheckContext

# Which clause keywords each rule kind accepts.
ALLOWED_CLAUSES: dict[str, frozenset[str]] = {
    "regime": frozenset({"when", "otherwise"}),
    "limit": frozenset({"condition"}),
    "entry": frozenset({"require", "block", "when", "unless", "open", "size"}),
    "layer": frozenset({"require", "block", "when", "unless", "open", "size"}),
    "roll": frozenset({"require", "block", "when", "unless", "roll_action"}),
}
# The clauses a rule takes at most once, and what to write instead of a second one.
ONCE_ONLY: dict[str, str] = {
    "when": "join the conditions with `and` / `or`",
    "open": "a rule opens one structure: open another in a second entry or layer",
    "size": "one clause sizes the position: combine amounts with min(...) or max(...)",
    "roll_action": "a roll takes one action: write a second roll for another",
}


def check_clause_kinds(program: CheckContext, rule: ast.Rule) -> None:
    seen: set[str] = set()
    allowed = ALLOWED_CLAUSES[rule.rule_kind]
    for clause in rule.clauses:
        key = clause.keyword if isinstance(clause, ast.Clause) else clause.kind
        if key not in allowed:
            kind = T.article(rule.rule_kind)
            program.report(
                "ALVH402",
                clause.span,
                f"{kind} cannot have {T.article('`' + clause_word(key) + '`')} clause",
                f"{kind} takes: {', '.join(sorted(clause_word(k) for k in allowed))}",
            )
        elif key in ONCE_ONLY and key in seen:
            program.report(
                "ALVH402",
                clause.span,
                f"a rule takes at most one `{clause_word(key)}` clause",
                ONCE_ONLY[key],
            )
        seen.add(key)
    if "size" in seen and "open" not in seen and "open" in allowed:
        program.report(
            "ALVH402",
            rule.name.span,
            f"'{rule.name.name}' sizes a position but opens none",
            "add an `open` clause",
        )


def clause_word(key: str) -> str:
    return {"roll_action": "roll/close", "condition": "limit condition"}.get(key, key)
