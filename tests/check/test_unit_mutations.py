"""Mutation test of units: dropping the unit of any percent, basis-point, ratio or money
literal in the shipped rulesets must be caught by the checker (ALVH215), never accepted
with a bare number that silently means something else (issue 14, part 2).

The literals are found from the parsed tree (not a regular expression over the text), so
a literal the parser sees is a literal this test mutates, test files included.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from alvh_rules.check import check_file, check_text
from alvh_rules.check.loader import ModuleLoader
from alvh_rules.syntax import ast
from alvh_rules.syntax.parser import parse

RULESETS = Path(__file__).resolve().parents[2] / "rulesets"
# Suffixes whose unit a bare number may never take (docs/language.md, "Bare numbers").
NEVER_BARE = ("%", "bp", "x", "$", "$/pt", "$/vp", "$/d")


def unit_literals(node: object) -> Iterator[ast.Number]:
    """Every number literal under `node` written with a percent, ratio or money suffix."""
    if isinstance(node, ast.Number):
        if node.unit in NEVER_BARE:
            yield node
        return
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from unit_literals(getattr(node, name))
    elif isinstance(node, list | tuple):
        for item in node:
            yield from unit_literals(item)


def without_unit(text: str, literal: ast.Number) -> str:
    """`text` with the unit suffix of `literal` removed (`12%` -> `12`)."""
    lines = text.split("\n")
    span = literal.span
    assert span.line == span.end_line
    row = lines[span.line - 1]
    written = row[span.column - 1 : span.end_column - 1]
    assert written == literal.text and written.endswith(literal.unit), (written, literal)
    bare = written[: -len(literal.unit)]
    lines[span.line - 1] = row[: span.column - 1] + bare + row[span.end_column - 1 :]
    return "\n".join(lines)


def shipped_mutants() -> list[tuple[str, int, ast.Number]]:
    found = []
    for path in sorted(RULESETS.rglob("*.alvh")):
        relative = str(path.relative_to(RULESETS))
        tree = parse(path.read_text(encoding="utf-8"), relative)
        for index, literal in enumerate(unit_literals(tree)):
            found.append((relative, index, literal))
    return found


# A mutant that keeps the meaning: `2x` has scale 1 and is only ever a multiplier
# (`fixed_stop_loss_multiple * position.credit`), and a bare number may scale by `*`.
SAME_MEANING = {("fixed_rr.alvh", "param fixed_stop_loss_multiple = 2x")}


def readers(tree: Path) -> dict[Path, list[Path]]:
    """For each file of `tree`, the files no other file imports whose program (imports
    included) reads it: a param's bare default is only wrong where it is used, maybe in an
    importer, and a program's check reports the errors of the files it imports."""
    programs = {
        entry: {Path(read).resolve() for read in ModuleLoader(tree).load(entry).paths.values()}
        for entry in sorted(tree.rglob("*.alvh"))
    }
    imported = {read for entry, reads in programs.items() for read in reads - {entry.resolve()}}
    found: dict[Path, list[Path]] = {}
    for entry, reads in programs.items():
        if entry.resolve() not in imported:
            for read in reads:
                found.setdefault(read, []).append(entry)
    return found


@pytest.mark.slow
def test_removing_any_unit_in_the_shipped_rulesets_is_caught(tmp_path: Path) -> None:
    tree = tmp_path / "rulesets"
    shutil.copytree(RULESETS, tree)
    mutants = shipped_mutants()
    # The shipped rulesets write over a hundred such literals; none would prove nothing.
    assert len(mutants) >= 100, len(mutants)
    assert {m[2].unit for m in mutants} >= {"%", "x", "$", "$/vp"}
    read_by = readers(tree)
    missed, kept = [], set()
    for relative, _, literal in mutants:
        target = tree / relative
        original = target.read_text(encoding="utf-8")
        target.write_text(without_unit(original, literal), encoding="utf-8")
        try:
            errors = [
                d
                for entry in read_by[target.resolve()]
                for d in check_file(entry, root=tree).diagnostics
                if d.is_error
            ]
        finally:
            target.write_text(original, encoding="utf-8")
        line = original.split("\n")[literal.span.line - 1].split("#")[0].strip()
        if (relative, line) in SAME_MEANING:
            kept.add((relative, line))
        elif not errors:
            missed.append(f"{relative}:{literal.span.line}:{literal.span.column} {literal.text}")
        else:  # caught, and (nearly always) by the rule itself, or where the unit lands:
            # a bare number may scale by `*`, so `spx * 5% * 100` is a price in $/pt, which
            # `size contracts` refuses for its unit (cboe_bfly_index's `100$/pt`)
            assert any(
                d.code in ("ALVH215", "ALVH202")
                or (d.code == "ALVH213" and "not a number in" in d.message)
                for d in errors
            ), errors
    assert not missed, "unit removed and the checker accepted it:\n" + "\n".join(missed)
    assert kept == SAME_MEANING  # the exemption names a real literal, and only that one


def test_the_shipped_rulesets_are_clean_before_mutation() -> None:
    for path in sorted(RULESETS.rglob("*.alvh")):
        report = check_file(path, root=RULESETS)
        assert not [d for d in report.diagnostics if d.is_error], path


def test_without_unit_drops_only_the_suffix() -> None:
    text = "param roe_floor = 12% in 8% .. 20%\n"
    literal = next(unit_literals(parse(text)))
    assert without_unit(text, literal) == "param roe_floor = 12 in 8% .. 20%\n"


SITES = [  # where a literal meets a field of its unit, as a ruleset writes it
    "regime r: when {field} > {value}\nregime s: otherwise\n",
    "regime r: when {field} in {value} .. {value}\nregime s: otherwise\n",
    "regime r: when max({field}, {value}) > {field}\nregime s: otherwise\n",
    "regime r: when {field} - {value} > {field}\nregime s: otherwise\n",
    "param p = {value}\nregime r: when {field} > p\nregime s: otherwise\n",
]
FIELDS = {"%": "roe", "bp": "roe", "x": "pcf", "$/vp": "portfolio.vega", "$": "capital"}


@settings(max_examples=60, deadline=None)
@given(
    site=st.sampled_from(SITES),
    unit=st.sampled_from(sorted(FIELDS)),
    value=st.decimals(min_value=0, max_value=500, places=2, allow_nan=False),
)
def test_a_literal_checks_with_its_unit_and_is_refused_without(
    site: str, unit: str, value: Decimal
) -> None:
    """The invariant behind the mutation test, on generated rulesets: the literal with
    its unit is clean; the same literal bare is ALVH215 with a hint that writes it out."""
    written = f"{value.normalize():f}"
    with_unit = site.format(field=FIELDS[unit], value=written + unit)
    bare = site.format(field=FIELDS[unit], value=written)
    assert not [d for d in check_text(with_unit, "u.alvh").diagnostics if d.is_error]
    errors = [d for d in check_text(bare, "u.alvh").diagnostics if d.is_error]
    assert errors and {d.code for d in errors} == {"ALVH215"}
    suffix = "%" if unit == "bp" else unit  # bp is a percent: the hint writes percent
    assert all(f"{suffix}" in d.hint for d in errors)
