"""Where a backtest's day goes: wall time of its parts, summed over a whole run, without a
profiler (cProfile triples the cost of small calls and moves the shares).

Each part is timed by wrapping the method that does it; a part's time includes the parts
called inside it (the held figures are inside the decision, the decision inside
`decide_and_act`). The valuation context and the marks are what any daily marked table
needs before a rule is read: their sum is a floor for a backtest that values its book day
by day.

Run: `.venv/bin/python benchmarks/backtest_parts.py [--ruleset PATH] [--data DIR]
[--start D] [--end D]`
"""

from __future__ import annotations

import argparse
import functools
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alvh_rules.backtesting import engine
from alvh_rules.backtesting.api import backtest
from alvh_rules.check import load
from alvh_rules.eval import session
from alvh_rules.market import History

ROOT = Path(__file__).resolve().parents[1]
PARTS = [  # (class, method, label), outermost first
    (engine.Simulation, "day", "whole day"),
    (session.EvaluationSession, "day_context", "valuation context (surfaces solved to VIX)"),
    (engine.Simulation, "mark_all", "marks of the book (one valuation a day)"),
    (engine.Simulation, "decide_and_act", "decide and take actions"),
    (session.EvaluationSession, "decide", "  decision (plan runs, outcomes)"),
    (session.EvaluationSession, "_held", "    held positions' figures"),
]


def timed(method: Callable[..., Any], label: str, seconds: dict[str, float]) -> Any:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            seconds[label] += time.perf_counter() - began

    return wrapper


def split_decisions(seconds: dict[str, float], counts: dict[str, int]) -> None:
    """Time the decisions apart by kind: the days the quick pass rules every action out
    (no decision built) and the days a full decision is made (proposals, outcomes)."""
    method = session.EvaluationSession.decide

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        result = method(*args, **kwargs)
        kind = "quick days (no action possible)" if result.decision is None else "decision days"
        seconds[kind] += time.perf_counter() - began
        counts[kind] += 1
        return result

    session.EvaluationSession.decide = wrapper  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--ruleset", type=Path, default=ROOT / "rulesets/alvh_vega_layering_roa.alvh"
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--start", default="2007-01-03")
    parser.add_argument("--end", default="2024-12-31")
    args = parser.parse_args()
    seconds: dict[str, float] = defaultdict(float)
    for owner, name, label in PARTS:
        setattr(owner, name, timed(getattr(owner, name), label, seconds))
    counts: dict[str, int] = defaultdict(int)
    split_decisions(seconds, counts)
    history = History.from_dir(args.data)
    ruleset = load(args.ruleset)
    began, cpu = time.perf_counter(), time.process_time()
    run = backtest(ruleset, history, args.start, args.end, capital=1e6, risk_budget=1e5)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    days = len(run.daily)
    print(f"{ruleset.title}: {days} days, {wall:.2f} s ({cpu:.2f} s of CPU)")
    for _, _, label in PARTS:
        print(f"  {label:45s} {seconds[label]:7.2f} s {1000 * seconds[label] / days:7.3f} ms/day")
    for kind, n in sorted(counts.items()):
        each = 1000 * seconds[kind] / n
        print(f"  {kind:33s} {n:5d} days {seconds[kind]:7.2f} s {each:7.3f} ms each")
    floor = seconds[PARTS[1][2]] + seconds[PARTS[2][2]]
    print(f"  context + marks (a floor for day-by-day valuation): {floor:.2f} s")


if __name__ == "__main__":
    main()
