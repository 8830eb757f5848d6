"""Backtest speed: a whole run over real history (days per second, peak memory) against a
plain loop that builds each day's snapshot with the simulated portfolio and calls evaluate.

The loop is timed on a sample of the run's days (every `--loop-every`-th, with the holdings
the backtest had that day) and its whole-run time extrapolated from the mean per day; the
output says so.

Run: `.venv/bin/python benchmarks/bench_backtest.py [--ruleset PATH ...] [--data DIR]
[--start D] [--end D] [--loop-every N]`
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from alvh_rules.backtesting.api import backtest
from alvh_rules.check import load
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.market import History

ROOT = Path(__file__).resolve().parents[1]
RULESETS = [
    ROOT / "rulesets" / "alvh_vega_layering_roa.alvh",
    ROOT / "rulesets" / "examples" / "quickstart.alvh",
]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
CAPITAL, RISK_BUDGET = 1_000_000.0, 100_000.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def bench(path: Path, history: History, start: str, end: str, every: int) -> None:
    ruleset = load(path)
    began, cpu = time.perf_counter(), time.process_time()
    run = backtest(ruleset, history, start, end, capital=CAPITAL, risk_budget=RISK_BUDGET)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    days = len(run.daily)
    print(f"{ruleset.title}: {days} days {start} .. {end}")
    print(
        f"  backtest: {seconds:.1f} s ({cpu:.1f} s of CPU: less than the wall time when "
        f"other processes share the cores), {days / seconds:.0f} days/s, "
        f"{run.summary['trades']} positions opened, {run.summary['fills']} fills, "
        f"{run.summary['not_taken']} actions not taken; peak RSS so far {peak_rss_mb():.0f} MB"
    )
    sample = sorted(run.holdings)[::every]
    per_day, loop_cpu = [], time.process_time()
    for day in sample:
        portfolio, capital = run.holdings[day]
        began = time.perf_counter()
        snapshot = history.snapshot(
            day, portfolio=portfolio, capital=capital, risk_budget=RISK_BUDGET
        )
        evaluate(ruleset, snapshot, explain=False)
        per_day.append(time.perf_counter() - began)
    loop_cpu = (time.process_time() - loop_cpu) / len(per_day) * days
    mean = statistics.fmean(per_day)
    loop = mean * days
    print(
        f"  plain loop (snapshot + evaluate with the simulated portfolio): {1000 * mean:.1f} ms"
        f"/day (mean of {len(per_day)} sampled days), about {loop:.0f} s for the run; "
        f"the backtest is {loop / seconds:.1f}x faster ({loop_cpu / cpu:.1f}x in CPU time)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ruleset", action="append", type=Path, dest="rulesets")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--start", default="2007-01-03")
    parser.add_argument("--end", default="2024-12-31")
    parser.add_argument("--loop-every", type=int, default=25)
    args = parser.parse_args()
    began = time.perf_counter()
    history = History.from_dir(args.data)
    print(f"history loaded in {time.perf_counter() - began:.1f} s")
    for path in args.rulesets or RULESETS:
        bench(path, history, args.start, args.end, args.loop_every)
    print(f"peak RSS of the whole run: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
