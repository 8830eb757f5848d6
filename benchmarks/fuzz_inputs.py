"""Fuzzing of every input the tools read: rulesets, snapshot JSON, data CSV files.

Run from the repository root (about a minute per thousand cases on the 2-core machine):
`.venv/bin/python benchmarks/fuzz_inputs.py [--cases 1000] [--seed 1]`.
Each case is one seeded random damage of a shipped ruleset, of the demo snapshot or of a
small CSV folder. A case is a finding when it raises anything but the tool's own error
(RulesetError, CliError, DataError) or takes longer than `--slow` seconds. The findings
and the slowest cases are printed; the exit status is 1 when there is a finding.
Results are in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alvh_rules.check import check_text
from alvh_rules.cli.inputs import CliError
from alvh_rules.fmt.formatter import format_text
from alvh_rules.lang.diagnostics import RulesetError
from alvh_rules.market import DataError, History

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "rulesets").rglob("*.alvh"))
PIECES = [
    *"():,[]%$.#\"-+*/\n\t ",
    "..", "pt", "d", "delta", "when", "unless", "block", "open", "size", "roll", "entry",
    "layer", "on", "regime", "limit", "param", "let", "import", "==", ">=", "not", "and", "or",
    "within", "of", "fomc", "otherwise", "test", "expect", "given", "holding", "unknown",
    "position", "1e309", "1e300", "-0", "99999999999999999999", "9" * 5000, "nan", "inf",
    "\x00", "é", "\r\n", "\u2028", "\x1b[2J", "version ", "leg ", "opens ", "resize", "resizes ",
    " + ".join(["vix"] * 300), "(" * 120, "sma(vix, 1e300)", 'import "a\x00.alvh"\n',
    'import "' + "a" * 300 + '.alvh"\n', "size contracts 1e300", "dte 99999999999999999999d",
    " costing at most ", "costing at most 99999999999999999999$",
    "costing at most -99999999999999999999$",
]  # fmt: skip
SNAPSHOT_VALUES: list[Any] = [
    None, 5, "x", {"a": 1}, [], [True], [[1]], 1e300, -1e6, 1e308 * 10, "2099-01-01",
]  # fmt: skip


def damaged_ruleset(chooser: random.Random) -> str:
    text = chooser.choice(SHIPPED).read_text(encoding="utf-8")
    for _ in range(chooser.randint(1, 4)):
        at = chooser.randint(0, len(text))
        edit = chooser.choice(["insert", "delete", "copy"])
        if edit == "insert":
            text = text[:at] + chooser.choice(PIECES) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + chooser.randint(1, 20) :]
        else:
            start = chooser.randint(0, len(text))
            text = text[:at] + text[start : start + chooser.randint(1, 30)] + text[at:]
    return text


def ruleset_case(chooser: random.Random) -> None:
    text = damaged_ruleset(chooser)
    check_text(text, "fuzz.alvh")
    with contextlib.suppress(RulesetError):
        format_text(text, "fuzz.alvh")


def damaged_snapshot(base: dict[str, Any], chooser: random.Random) -> dict[str, Any]:
    payload = copy.deepcopy(base)
    series = payload["series_values"]
    name = chooser.choice(sorted(series))
    damage = chooser.randrange(6)
    if damage == 0:
        del series[name]
    elif damage == 1:
        series[name] = chooser.choice(SNAPSHOT_VALUES)
    elif damage == 2:
        series[name][chooser.randrange(len(series[name]))] = chooser.choice(SNAPSHOT_VALUES)
    elif damage == 3:
        payload["dates"] = payload["dates"][::-1]
    elif damage == 4:
        at = chooser.randrange(1, len(payload["dates"]))
        payload["dates"][at] = payload["dates"][at - 1]
    else:
        payload["dates"] = chooser.choice(SNAPSHOT_VALUES)
    return payload


def snapshot_case(base: dict[str, Any], folder: Path, chooser: random.Random) -> None:
    from alvh_rules.cli.snapshot_files import read_snapshot

    path = folder / "snapshot.json"
    text = json.dumps(damaged_snapshot(base, chooser))
    if chooser.random() < 0.05:
        text = '{"as_of": ' + "[" * 50_000 + "]" * 50_000 + "}"
    path.write_text(text, encoding="utf-8")
    read_snapshot(str(path))


CSV_ROWS = [
    "2024-07-01,12,13,11,12.5",
    "2024-07-02,12.5,13,12,12.2",
    "2024-07-03,12.2,13,12,12.8",
    "2024-07-05,12.8,14,12,13.1",
]
CSV_DAMAGE = ["inf", "1e400", "1e300", "-1", "", "abc", "2099-01-01", '"', "\xff", ",,,,,,"]


def csv_case(folder: Path, chooser: random.Random) -> None:
    rows = [row.split(",") for row in CSV_ROWS]
    for _ in range(chooser.randint(1, 3)):
        row = chooser.choice(rows)
        row[chooser.randrange(len(row))] = chooser.choice(CSV_DAMAGE)
    text = "date,open,high,low,close\n" + "\n".join(",".join(r) for r in rows) + "\n"
    if chooser.random() < 0.1:
        text = chooser.choice(["", "date\n", "\n\n\n", text[: chooser.randrange(len(text))]])
    for old in folder.glob("*.csv"):
        old.unlink()
    (folder / "vix_daily.csv").write_bytes(text.encode("utf-8", "surrogateescape"))
    History.from_dir(folder)


EXPECTED = (RulesetError, CliError, DataError)


def run(cases: int, seed: int, slow: float) -> int:
    chooser = random.Random(seed)
    base = json.loads(History.builtin().snapshot("2024-08-09", lookback=40).model_dump_json())
    findings: Counter[str] = Counter()
    examples: dict[str, str] = {}
    timings: list[tuple[float, str]] = []
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        kinds: dict[str, Callable[[random.Random], None]] = {
            "ruleset": ruleset_case,
            "snapshot": lambda c: snapshot_case(base, folder, c),
            "csv": lambda c: csv_case(folder, c),
        }
        started = time.perf_counter()
        for index in range(cases):
            kind = ("ruleset", "ruleset", "snapshot", "csv")[index % 4]
            case_seed = chooser.getrandbits(32)
            counts[kind] += 1
            begin = time.perf_counter()
            try:
                kinds[kind](random.Random(case_seed))
            except EXPECTED:
                pass
            except Exception as error:  # a finding: the tool's own errors are expected
                key = f"{kind}: {type(error).__name__}: {str(error)[:80]}"
                findings[key] += 1
                examples.setdefault(key, f"seed {case_seed}")
            took = time.perf_counter() - begin
            timings.append((took, f"{kind} seed {case_seed}"))
            if took > slow:
                findings[f"{kind}: slower than {slow} s"] += 1
                examples.setdefault(f"{kind}: slower than {slow} s", f"seed {case_seed}")
        total = time.perf_counter() - started
    print(f"{cases} cases ({dict(counts)}) in {total:.1f} s, seed {seed}")
    print("slowest: " + ", ".join(f"{t:.2f} s ({what})" for t, what in sorted(timings)[-3:]))
    for key, count in findings.most_common():
        print(f"FINDING x{count}: {key} (first: {examples[key]})")
    if not findings:
        print("no findings")
    return 1 if findings else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slow", type=float, default=5.0, help="seconds that make a finding")
    args = parser.parse_args()
    sys.exit(run(args.cases, args.seed, args.slow))


if __name__ == "__main__":
    main()
