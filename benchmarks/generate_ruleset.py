"""A large synthetic ruleset for benchmarks: `generate(lines)` returns its text.

Every construct of a real ruleset appears (params with bounds and comments, lets, entries,
layers, rolls); the output is deterministic, so timings compare across runs and machines.
Run as a script to print one: `python benchmarks/generate_ruleset.py 10000 > big.alvh`.
"""

from __future__ import annotations

import random
import sys


def generate(lines: int, seed: int = 1) -> str:
    """A ruleset of about `lines` lines (never fewer), ending with a newline."""
    chooser = random.Random(seed)
    out = ['ruleset "generated"', "version 1"]
    index = 0
    while len(out) < lines:
        index += 1
        out += _item(index, chooser)
    return "\n".join(out) + "\n"


def _item(index: int, chooser: random.Random) -> list[str]:
    kind = index % 5
    if kind == 0:
        return [f"param p{index} = {chooser.randint(1, 40)}d in 1d .. 45d   # a bound"]
    if kind == 1:
        return [f"let l{index} = rsi(vix, 14) + sma(spx, 20) / 2 - max(vix, 5d)"]
    if kind == 2:
        return [
            f"entry e{index}:",
            "    require pcf < 12x and vix_rsi[1] >= 60 or not (vix > 30)",
            "    block within 1d of fomc, cpi",
            "    when regime == steward or (vix < 60 and max(vix, 5d) >= 60)",
            "    open iron_condor dte 45d delta 16delta"
            " wings (steward: 25pt, promoter: 50pt)[regime]",
            "    size risk 1% of capital",
        ]
    if kind == 3:
        return [
            f"layer h{index} on e{index - 1}:",
            "    when portfolio.vega <= 60% of max_short_vega.bound or quick_ratio_fin < 1.1x",
            "    open long vix_call dte 60d strike atm + 5",
            "    size vega 50% of -portfolio.vega beta 0.8",
        ]
    return [
        f"roll r{index} on e{index - 2}:",
        "    when position.profit >= 50% of position.max_profit",
        f"    unless h{index - 1}.projected_payoff > position.roll_cost",
        "    close",
    ]


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
