"""Reference tables of docs/language.md, generated from the registries so they cannot drift.

`python -m alvh_rules.lang.reference` prints them; a test checks that docs/language.md holds
exactly this text between its `<!-- reference:start -->` and `<!-- reference:end -->` marks.
"""

from __future__ import annotations

from alvh_rules.lang import builtins, catalog
from alvh_rules.lang.units import SUFFIXES

# How many bars each function's output needs of its input, as written in the registry.
NEEDS_TEXT: dict[str, str] = {f.name: f.needs for f in builtins.BUILTINS.values()}

UNIT_TEXT = {
    "arg0": "unit of the first argument",
    "arg0/d": "first argument's unit per day",
    "1": "plain number",
    "%": "percent",
    "vp": "vol points",
    "pt": "SPX points",
    "d": "days",
    "bool": "condition",
}


def reference_markdown() -> str:
    lines = ["### Units", "", "| suffix | meaning |", "|---|---|"]
    lines += [f"| `{s.text}` | {s.meaning} |" for s in SUFFIXES.values()]
    lines += [
        "",
        "### Built-in functions",
        "",
        "| function | result | bars of history needed | what it computes |",
        "|---|---|---|---|",
    ]
    for function in builtins.BUILTINS.values():
        lines.append(
            f"| `{function.signature}` | {UNIT_TEXT[function.unit]} | "
            f"{function.needs} | {function.description} |"
        )
    lines += [
        "",
        "### Structures for `open`",
        "",
        "| structure | underlying | arguments (required first) | what it opens |",
        "|---|---|---|---|",
    ]
    for structure in builtins.STRUCTURES.values():
        either = {a for group in structure.one_of for a in group}
        optional = [a for a in structure.args if a not in structure.required and a not in either]
        args = ", ".join(
            [f"`{a}`" for a in structure.required]
            + [" or ".join(f"`{a}`" for a in group) for group in structure.one_of]
        )
        if optional:
            args += " (optional: " + ", ".join(f"`{a}`" for a in optional) + ")"
        lines.append(
            f"| `{structure.name}` | {structure.underlying} | {args} | {structure.description} |"
        )
    lines += [
        "",
        "### Market fields",
        "",
        "| name | unit | what | known from |",
        "|---|---|---|---|",
    ]
    for field in catalog.MARKET_FIELDS.values():
        lines.append(
            f"| `{field.name}` | `{field.unit_name}` | {field.description} | {field.as_of} |"
        )
    lines += [
        "",
        "### Position, layer and portfolio fields",
        "",
        "| name | unit | what |",
        "|---|---|---|",
    ]
    for figure in (*catalog.POSITION_FIELDS.values(), *catalog.PORTFOLIO_FIELDS.values()):
        lines.append(f"| `{figure.name}` | `{figure.unit_name}` | {figure.description} |")
    lines += ["", "### Calendar events", "", "| name | what |", "|---|---|"]
    lines += [f"| `{name}` | {what} |" for name, what in catalog.EVENT_KINDS.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference_markdown(), end="")
