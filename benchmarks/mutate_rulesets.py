"""Mutation testing of the shipped rulesets: does some ruleset test fail for each small
change of a rule? A mutant that no test kills marks a rule (or a threshold) the tests do
not pin down.

Run on demand from the repository root (minutes, not seconds):
`.venv/bin/python benchmarks/mutate_rulesets.py [--data ../shared/data] [--only FILE]`.
Each mutant changes one token of one non-test file under `rulesets/` (outside comments and
strings): a comparison flipped or loosened (`>` -> `>=`, `<`), `and` <-> `or`, `when` <->
`unless`, a number moved by a fifth, the unit of a percent, basis-point, ratio or money
literal dropped (`12%` -> `12`, which the checker must refuse). The tests of every test
file whose program reads the mutated file run on a copy of the tree. A mutant the checker
rejects counts as killed.
Moving a comparison's boundary (`>` <-> `>=`) changes an outcome only on exact equality of
two computed figures, which no test can aim at, and dropping the `x` of a ratio used only
as a multiplier keeps its value: those survivors are listed apart and do not fail the run.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alvh_rules.testing import run_paths

ROOT = Path(__file__).resolve().parents[1]
# One token the mutant changes, outside comments and strings.
TOKEN = re.compile(
    r'"[^"\n]*"|#[^\n]*|(?P<op>>=|<=|==|!=|>|<)|\b(?P<word>and|or|when|unless)\b'
    r"|(?<![\w.])(?P<num>\d+(?:\.\d+)?)(?=[a-z%$]|\b)"
)
# A unit a bare number may not take (docs/language.md, "Bare numbers"), right after a number.
UNIT_SUFFIX = re.compile(r"(?:%|bp|x|\$/pt|\$/vp|\$/d|\$)(?![\w/])")
OPERATOR_SWAPS = {">": (">=", "<"), ">=": (">", "<="), "<": ("<=", ">"), "<=": ("<", ">=")}
OPERATOR_SWAPS |= {"==": ("!=",), "!=": ("==",)}
WORD_SWAPS = {"and": "or", "or": "and", "when": "unless", "unless": "when"}


@dataclass(frozen=True)
class Mutant:
    file: Path  # relative to the rulesets folder
    line: int
    before: str
    after: str
    start: int
    end: int

    @property
    def boundary(self) -> bool:
        """`>` <-> `>=` or `<` <-> `<=`: the same comparison but for exact equality."""
        return self.before.rstrip("=") == self.after.rstrip("=") and self.before in OPERATOR_SWAPS

    @property
    def same_value(self) -> bool:
        """`2x` -> `2`: a ratio has scale 1, so where it only multiplies (which a bare
        number may) the mutant means the same; the checker refuses it wherever it is
        compared or added."""
        return self.before == self.after + "x"

    @property
    def harmless(self) -> bool:
        return self.boundary or self.same_value

    def describe(self) -> str:
        return f"rulesets/{self.file}:{self.line}: {self.before} -> {self.after}"


def mutants(folder: Path) -> Iterator[Mutant]:
    for path in sorted(folder.rglob("*.alvh")):
        if path.name.endswith(".test.alvh"):
            continue
        text = path.read_text(encoding="utf-8")
        for match in TOKEN.finditer(text):
            token = match.group()
            line = text.count("\n", 0, match.start()) + 1
            if match.group("op"):
                replacements: tuple[str, ...] = OPERATOR_SWAPS[token]
            elif match.group("word"):
                replacements = (WORD_SWAPS[token],)
            elif match.group("num"):
                unit = UNIT_SUFFIX.match(text, match.end())
                if unit:  # the unit dropped: the checker must refuse it (ALVH215)
                    written = token + unit.group()
                    end = unit.end()
                    yield Mutant(path.relative_to(folder), line, written, token, match.start(), end)
                if not _is_rule_number(text, match.start()):
                    continue
                replacements = (_moved(token),)
            else:
                continue
            for after in replacements:
                yield Mutant(path.relative_to(folder), line, token, after, *match.span())


def _is_rule_number(text: str, start: int) -> bool:
    """Numbers in rules and param defaults; not a param's bounds (moving one changes nothing
    unless it excludes the default, which the checker reports) nor the header's version."""
    before = text[text.rfind("\n", 0, start) + 1 : start].lstrip()
    if before.startswith("param"):
        return " in " not in before
    return not before.startswith(("version", "ruleset"))


def _moved(number: str) -> str:
    value = float(number) * 1.2 if float(number) else 1.0
    return f"{value:g}" if "." in number or value != int(value) else str(int(value))


def tests_by_file(folder: Path) -> dict[Path, list[Path]]:
    """For each ruleset file, the test files whose program (imports included) reads it."""
    from alvh_rules.check.loader import ModuleLoader

    found: dict[Path, list[Path]] = {}
    for test_file in sorted(folder.rglob("*.test.alvh")):
        for read in ModuleLoader(folder).load(test_file).paths.values():
            found.setdefault(read, []).append(test_file)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data folder for `on DATE` tests (else they skip)")
    parser.add_argument("--only", help="mutate only this file (relative to rulesets/)")
    parser.add_argument(
        "--tests",
        action="append",
        help="run only this test file (relative to rulesets/; repeatable) instead of every "
        "test file that reads the mutated one: quicker, and stricter (a mutant only another "
        "file would kill counts as survived)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="alvh-mutants-")) / "rulesets"
    shutil.copytree(ROOT / "rulesets", work)
    started = time.perf_counter()
    killed, survived = 0, []
    try:
        tests_of = tests_by_file(work)
        untested = sorted(
            str(p.relative_to(work))
            for p in work.rglob("*.alvh")
            if not p.name.endswith(".test.alvh") and p.resolve() not in tests_of
        )
        if untested:
            print("not mutated (no test reads them):", ", ".join(untested))
        for mutant in mutants(work):
            target = work / mutant.file
            if (args.only and str(mutant.file) != args.only) or target.resolve() not in tests_of:
                continue
            original = target.read_text(encoding="utf-8")
            target.write_text(original[: mutant.start] + mutant.after + original[mutant.end :])
            try:
                tests = [work / t for t in args.tests] if args.tests else tests_of[target.resolve()]
                report = run_paths([str(t) for t in tests], data_dir=args.data)
            finally:
                target.write_text(original, encoding="utf-8")
            if not report.ok:
                killed += 1
            else:
                survived.append(mutant)
                kind = "survived (boundary only)" if mutant.boundary else "survived"
                kind = "survived (same value)" if mutant.same_value else kind
                print(f"{kind}:", mutant.describe(), flush=True)
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)
    total = killed + len(survived)
    real = [m for m in survived if not m.harmless]
    print(
        f"{total} mutants: {killed} killed, {len(real)} survived, "
        f"{len(survived) - len(real)} boundary-only or same-value survived "
        f"({killed / max(total - len(survived) + len(real), 1):.0%} of the others killed) "
        f"in {time.perf_counter() - started:.0f} s"
    )
    sys.exit(1 if real else 0)


if __name__ == "__main__":
    main()
