"""The shipped rulesets' results on real data, for docs/rulesets.md: a summary row and an
equity curve (PNG in docs/img/) per backtest output folder.

Run the backtests first (each writes its folder), then this script, from the repository root:

    alvh backtest rulesets/alvh_vega_layering_roa.alvh --data ../shared/data \
        --start 2007-01-03 --end 2024-12-31 --capital 1000000 --risk-budget 200000 \
        --out build/results/alvh_vega_layering_roa
    ... (the same for each seed ruleset)
    .venv/bin/python benchmarks/ruleset_results.py build/results/*

What acted in one backtest, counted from its trades.csv (filled legs by rule and effect), and
the months the core condor opened against the months in which the event calendar left it at
least one day (the `core_condor` column of an `alvh replay --out FILE.csv` over the same span:
the entry has no `when`, so its `block` decides first and `blocked` is the calendar's alone,
whatever the book holds):

    .venv/bin/python benchmarks/ruleset_results.py --acts build/results/alvh_vega_layering_roa \
        REPLAY.csv

What stops an entry on each day of a backtest (not a replay on an empty book): the backtest
is run again keeping each day's decision, and each day the calendar leaves open is counted
by the entry's state and its clauses that are not true (about a minute over 2007-2024):

    .venv/bin/python benchmarks/ruleset_results.py --why rulesets/alvh_vega_layering_roa.alvh \
        2007-01-03 2024-12-31

Prices are modelled (the Greeks core on each close), not traded quotes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "img"
FIGURES = ("cagr", "ann_vol", "sharpe", "max_drawdown", "win_rate", "profit_factor", "trades")


def row(folder: Path) -> str:
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    strategy = summary["final_equity"] - summary["capital"] - summary["interest"]
    cells = [
        folder.name,
        f"{summary['final_equity']:,.0f} $",
        f"{summary['interest']:,.0f} $",
        f"{strategy:,.0f} $",
        f"{summary['cagr']:.2%}",
        f"{summary['ann_vol']:.2%}",
        f"{summary['sharpe']:.2f}",
        f"{summary['max_drawdown']:.2%} ({summary['max_drawdown_trough']})",
        f"{summary['win_rate']:.1%}",
        f"{summary['profit_factor']:.2f}",
        str(summary["trades"]),
        f"{summary['time_in_market']:.0%}",
    ]
    return "| " + " | ".join(cells) + " |"


def curve(folder: Path) -> Path:
    daily = pd.read_csv(folder / "daily.csv", parse_dates=["date"]).set_index("date")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 4.5), sharex=True, height_ratios=[3, 1])
    top.plot(daily.index, daily["equity"] / 1e6, label="equity (modelled prices)")
    cash_only = daily["equity"].iloc[0] * (1 + daily["tbill_return"].fillna(0)).cumprod()
    top.plot(daily.index, cash_only / 1e6, label="T-bills alone", linestyle="--")
    top.set_ylabel("$ million")
    top.legend(loc="upper left")
    top.set_title(f"{folder.name}: 2007-2024, \\$1M, \\$200k risk budget")
    bottom.fill_between(daily.index, daily["drawdown"] * 100, 0, color="tab:red")
    bottom.set_ylabel("drawdown %")
    fig.tight_layout()
    IMAGES.mkdir(parents=True, exist_ok=True)
    path = IMAGES / f"{folder.name}_equity.png"
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def acts(folder: Path, replay: Path, entry: str = "core_condor") -> str:
    """Filled legs by rule and effect, actions not taken, and the entry's months."""
    trades = pd.read_csv(folder / "trades.csv", dtype={"date": str})
    filled = trades[trades["status"] == "filled"]
    legs = filled.groupby(["rule", "effect"]).size().unstack(fill_value=0)
    refused = trades[trades["status"] == "not taken"].groupby("rule").size()
    timeline = pd.read_csv(replay, dtype={"date": str})
    open_months = set(timeline.loc[timeline[entry] != "blocked", "date"].str[:7])
    opens = filled[(filled["rule"] == entry) & (filled["effect"] == "open")]
    opened_months = set(opens["date"].str[:7]) & open_months
    lines = [legs.to_string(), "", "not taken by rule:", refused.to_string(), ""]
    share = len(opened_months) / len(open_months) if open_months else float("nan")
    lines.append(
        f"{entry} opened on {opens['date'].nunique()} days, in {len(opened_months)} of the "
        f"{len(open_months)} months with a day the calendar leaves open ({share:.1%})"
    )
    reopened = filled[filled["position"].str.startswith(f"{entry}#") & (filled["effect"] == "open")]
    any_months = set(reopened["date"].str[:7]) & open_months
    lines.append(
        f"a {entry} position opened (the entry, or a roll reopening one) in {len(any_months)} "
        f"of those months ({len(any_months) / max(len(open_months), 1):.1%})"
    )
    return "\n".join(lines)


def why(ruleset: str, start: str, end: str, entry: str = "core_condor") -> str:
    """Days by what the entry said in the backtest ($1M, $200k risk budget, default costs)."""
    from collections import Counter

    from alvh_rules.backtesting.api import backtest

    run = backtest(
        ruleset,
        ROOT.parent / "shared" / "data",
        start,
        end,
        capital=1_000_000,
        risk_budget=200_000,
        keep_decisions=True,
    )
    trades = run.trades
    mask = (trades["rule"] == entry) & (trades["status"] == "filled")
    filled = trades[mask & (trades["effect"] == "open")]
    opened = {str(day)[:10] for day in filled["date"]}
    days: Counter[str] = Counter()
    for day, (decision, _, _) in run.decisions.items():
        outcome = next(r for r in decision.rules if r.name == entry)
        if outcome.state == "blocked":
            days["blocked by the calendar"] += 1
            continue
        if day.isoformat() in opened:
            days["opened"] += 1
            continue
        failed = [
            f"{c.reason.text[:48]}: {c.outcome}"
            for c in outcome.clauses
            if c.keyword == "require" and c.outcome != "true"
        ]
        days[f"{outcome.state}: " + " | ".join(failed or ["not taken (limit or margin)"])] += 1
    return "\n".join(f"{count:6d}  {what}" for what, count in days.most_common())


def main(folders: list[str]) -> int:
    if folders[:1] == ["--why"] and len(folders) == 4:
        print(why(*folders[1:]))
        return 0
    if folders[:1] == ["--acts"] and len(folders) == 3:
        print(acts(Path(folders[1]), Path(folders[2])))
        return 0
    print(
        "| ruleset | final equity | T-bill interest | strategy P&L | CAGR | vol | Sharpe "
        "| max drawdown (trough) | win rate | profit factor | trades | in market |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in folders:
        folder = Path(name)
        print(row(folder))
        curve(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
