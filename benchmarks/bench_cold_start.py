"""Start-up of `alvh check rulesets/` as a new process, against `import lark, pydantic`.

Run from the repository root: `.venv/bin/python benchmarks/bench_cold_start.py [--repeat N]`.
Times, interleaved so that load hits each alike (medians of N):
- `alvh check rulesets/` with an empty result cache (every file parsed and checked);
- the same with the cache filled by a previous run (nothing changed since, as in a
  pre-commit hook or an editor's save hook);
- Lark's own parse of the same files in a new process (`import lark, pydantic`, the
  parser from Lark's cache, a bare parse tree of every file, no AST, no check): the floor
  of any checker built on Lark, so the ratio of the check to it is printed too;
- `python -c "import lark, pydantic"`, the issue's yardstick, and `python -c pass`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The floor: what Lark alone needs to read the shipped rulesets in a new process.
LARK_ALONE = """
import os
import lark, pydantic
from alvh_rules.syntax.grammar import bare_parser
parser = bare_parser()
for folder, _, names in os.walk("rulesets"):
    for name in names:
        if name.endswith(".alvh"):
            with open(os.path.join(folder, name), encoding="utf-8") as file:
                parser.parse(file.read())
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed:\n{done.stdout.decode()}{done.stderr.decode()}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    alvh = str(Path(sys.executable).with_name("alvh"))
    check = [alvh, "check", "rulesets/"]
    scratch = Path(tempfile.mkdtemp(prefix="alvh-bench-cache-"))
    warm_env = {**os.environ, "ALVH_CACHE_DIR": str(scratch / "warm")}
    runs = {
        "alvh check rulesets/, empty cache": (check, None),
        "alvh check rulesets/, filled cache": (check, warm_env),
        "Lark's bare parse of the same files": ([sys.executable, "-c", LARK_ALONE], None),
        "python -c 'import lark, pydantic'": (
            [sys.executable, "-c", "import lark, pydantic"],
            None,
        ),
        "python -c pass": ([sys.executable, "-c", "pass"], None),
    }
    timed(check, warm_env)  # fill the cache (and Lark's parser cache, the .pyc files)
    times: dict[str, list[float]] = {name: [] for name in runs}
    try:
        for i in range(args.repeat):
            for name, (command, env) in runs.items():
                if env is None:
                    env = {**os.environ, "ALVH_CACHE_DIR": str(scratch / f"empty-{i}")}
                times[name].append(timed(command, env))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"command: .venv/bin/python benchmarks/bench_cold_start.py --repeat {args.repeat}")
    print(f"load average at the end: {load:.2f}; medians of {args.repeat} interleaved runs")
    baseline = statistics.median(times["python -c 'import lark, pydantic'"])
    floor = statistics.median(times["Lark's bare parse of the same files"])
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name:<36} {median * 1000:7.0f} ms  (min {min(values) * 1000:4.0f})"
            f"  {median / baseline:5.2f}x the yardstick  {median / floor:5.2f}x Lark alone"
        )


if __name__ == "__main__":
    main()
