"""docs/rulesets.md maps every SEED_RULES id to the file and line that implements it; the
table is generated here from the `# ID` marks in the rulesets, so it cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

from ruleset_paths import REPO, RULESETS

SEED_IDS = [f"R{i}" for i in range(1, 4)]
SEED_IDS += [f"E{i}" for i in range(1, 8)]
SEED_IDS += [f"L{i}" for i in range(1, 13)]
SEED_IDS += [f"O{i}" for i in range(1, 8)]
# Where to look first: the module a trader would open for each family of rules.
FILE_ORDER = [
    "modules/condor.alvh",
    "modules/vega_layers.alvh",
    "modules/vix_hedges.alvh",
    "modules/rolls.alvh",
    "alvh_scaling_risk_high_roe.alvh",
    "fixed_rr.alvh",
    "common/market.alvh",
]
ROW = re.compile(r"^\| (?P<id>[RELO]\d+) \| `(?P<where>[^`]+)` \|", re.MULTILINE)


def _marked_lines(path: Path, *, inline: bool) -> list[tuple[int, str]]:
    """(line number, comment) of every comment after the file's header block that is not
    a section rule (`# ----`); with `inline`, only comments that follow code on a line."""
    out = []
    in_header = True
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        stripped = line.strip()
        if in_header and stripped and not stripped.startswith("#"):
            in_header = False
        if in_header or "#" not in line or stripped.startswith("# ----"):
            continue
        if inline and stripped.startswith("#"):
            continue
        out.append((number, line[line.index("#") :]))
    return out


def seed_rule_locations() -> dict[str, str]:
    """Each id's first marked line, as `rulesets/FILE:LINE`, in FILE_ORDER: a mark on a line
    of code (the clause that implements it) first, else a comment line above the code."""
    found: dict[str, str] = {}
    for inline in (True, False):
        for name in FILE_ORDER:
            for number, comment in _marked_lines(RULESETS / name, inline=inline):
                for seed_id in SEED_IDS:
                    if seed_id not in found and re.search(rf"\b{seed_id}\b", comment):
                        found[seed_id] = f"rulesets/{name}:{number}"
    return found


def test_every_seed_rule_has_a_marked_line() -> None:
    assert sorted(seed_rule_locations()) == sorted(SEED_IDS)


def test_the_doc_table_matches_the_rulesets() -> None:
    expected = seed_rule_locations()
    doc = (REPO / "docs" / "rulesets.md").read_text()
    table = {m["id"]: m["where"] for m in ROW.finditer(doc)}
    wanted = "\n".join(f"| {i} | `{expected[i]}` |" for i in SEED_IDS)
    assert table == expected, f"update the table in docs/rulesets.md:\n{wanted}"


def test_each_mapped_line_mentions_its_id() -> None:
    for seed_id, where in seed_rule_locations().items():
        file, line = where.rsplit(":", 1)
        text = (REPO / file).read_text().splitlines()[int(line) - 1]
        assert re.search(rf"#.*\b{seed_id}\b", text), (seed_id, text)
