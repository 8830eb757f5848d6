"""The shipped rulesets' results on real data, for docs/rulesets.md: a summary row and an
equity curve (PNG in docs/img/) per backtest output folder.

Run the backtests first (each writes its folder), then this script, from the repository root:

    alvh backtest rulesets/alvh_vega_layering_roa.alvh --data ../shared/data \
        --start 2007-01-03 --end 2024-12-31 --capital 1000000 --risk-budget 200000 \
        --out build/results/alvh_vega_layering_roa
    ... (the same for each seed ruleset)
    .venv/bin/python benchmarks/ruleset_results.py build/results/*

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


def main(folders: list[str]) -> int:
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
