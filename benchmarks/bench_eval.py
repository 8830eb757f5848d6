"""Interpreter speed: hot evaluate, replay against per-day evaluate, and conditions alone
against cel-python, rule-engine and a plain Python lambda (all in one run).

Run: `.venv/bin/python benchmarks/bench_eval.py [--ruleset PATH] [--data DIR]`
(needs the bench extra for the comparisons: `pip install -e ".[bench]"`).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alvh_rules.check import load
from alvh_rules.eval.interpreter import evaluate
from alvh_rules.eval.replay import replay
from alvh_rules.eval.scalar import compile_condition
from alvh_rules.market import History

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RULESET = ROOT / "rulesets" / "alvh_vega_layering_roa.alvh"
DEFAULT_DATA = ROOT.parent / "shared" / "data"
CONDITION = "regime == steward or (vix_rsi < 60 and max_rsi_5d >= 60 and pcf < 12x)"
INPUTS: dict[str, float | str] = {
    "regime": "promoter",
    "vix_rsi": 55.0,
    "max_rsi_5d": 62.0,
    "pcf": 11.0,
}


def per_call_us(function: Callable[[], Any], number: int = 20_000) -> float:
    runs = timeit.repeat(function, number=number, repeat=5)
    return min(runs) / number * 1e6


def conditions() -> None:
    ours = compile_condition(
        CONDITION,
        declarations="let vix_rsi = rsi(vix, 14)\nlet max_rsi_5d = max(vix_rsi, 5d)",
        regimes=("steward", "promoter"),
    )
    rows: list[tuple[str, float]] = [
        ("alvh scalar plan (Kleene)", per_call_us(lambda: ours(INPUTS)))
    ]

    def floor(v: dict[str, Any]) -> bool:
        return bool(
            v["regime"] == "steward"
            or (v["vix_rsi"] < 60 and v["max_rsi_5d"] >= 60 and v["pcf"] < 12)
        )

    rows.append(("python lambda (two-valued)", per_call_us(lambda: floor(INPUTS))))
    try:
        import rule_engine  # type: ignore[import-untyped]

        rule = rule_engine.Rule(
            'regime == "steward" or (vix_rsi < 60 and max_rsi_5d >= 60 and pcf < 12x)'
        )
        rows.append(("rule-engine", per_call_us(lambda: rule.matches(INPUTS), 2_000)))
    except ImportError:
        print("rule-engine not installed (pip install -e '.[bench]')")
    try:
        import celpy
        from celpy.adapter import json_to_cel

        env = celpy.Environment()
        program = env.program(
            env.compile(
                'regime == "steward" || (vix_rsi < 60.0 && max_rsi_5d >= 60.0 && pcf < 12.0)'
            )
        )
        activation = {k: json_to_cel(v) for k, v in INPUTS.items()}
        rows.append(("cel-python", per_call_us(lambda: program.evaluate(activation), 200)))
    except ImportError:
        print("cel-python not installed (pip install -e '.[bench]')")
    base = rows[0][1]
    print(f"\nconditions alone: {CONDITION}")
    for name, micros in rows:
        print(f"  {name:<28} {micros:10.2f} us per evaluation   ({micros / base:6.2f}x ours)")


def interpreter(ruleset_path: Path, data: Path) -> None:
    ruleset = load(ruleset_path)
    history = History.from_dir(data) if data.is_dir() else History.builtin()
    source = str(data) if data.is_dir() else "built-in demo history"
    snapshot = history.snapshot(history.index[-1].date(), capital=1_000_000, risk_budget=100_000)
    cold_start = time.perf_counter()
    evaluate(ruleset, snapshot)
    cold = time.perf_counter() - cold_start
    hot = [_timed(lambda: evaluate(ruleset, snapshot)) for _ in range(30)]
    lean = [_timed(lambda: evaluate(ruleset, snapshot, explain=False)) for _ in range(30)]
    hot_cpu = [_cpu_timed(lambda: evaluate(ruleset, snapshot)) for _ in range(30)]
    print(f"\nruleset {ruleset_path.relative_to(ROOT)} on {source}, {history.index[-1].date()}")
    print(
        f"  evaluate: first call {cold * 1000:.1f} ms; "
        f"hot median {statistics.median(hot) * 1000:.2f} ms "
        f"(explain=False {statistics.median(lean) * 1000:.2f} ms; "
        f"CPU median {statistics.median(hot_cpu) * 1000:.2f} ms)"
    )
    start = "1990-01-02" if data.is_dir() else None
    replay_start = time.perf_counter()
    timeline = replay(ruleset, history, start=start, capital=1_000_000, risk_budget=100_000)
    replay_s = time.perf_counter() - replay_start
    sample = random.Random(7).sample(list(timeline.index), 40)
    per_day = statistics.mean(
        _timed(
            lambda day=day: evaluate(  # type: ignore[misc]
                ruleset, history.snapshot(day.date(), capital=1_000_000, risk_budget=100_000)
            )
        )
        for day in sample
    )
    estimate = per_day * len(timeline)
    print(
        f"  replay of {len(timeline)} days: {replay_s:.2f} s; evaluate per day (snapshot + "
        f"evaluate, mean of 40) {per_day * 1000:.1f} ms, so {estimate:.0f} s for every day: "
        f"replay is {estimate / replay_s:.0f}x faster"
    )
    if data.is_dir():
        demo = History.builtin()
        demo_s = _timed(lambda: replay(ruleset, demo, capital=1_000_000, risk_budget=100_000))
        print(f"  replay of the built-in demo history ({len(demo.index)} days): {demo_s:.2f} s")


def _timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _cpu_timed(action: Callable[[], Any]) -> float:
    """CPU time of the process: on a busy machine, closer to the quiet wall time."""
    start = time.process_time()
    action()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ruleset", type=Path, default=DEFAULT_RULESET)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    conditions()
    interpreter(args.ruleset.resolve(), args.data)


if __name__ == "__main__":
    main()
