"""Writing a run's outputs into a folder: the trade log (CSV and Parquet), the daily table,
the attribution tables, the marks, the closed positions, summary.json and report.html.
Byte-stable: the same run writes the same bytes (fixed column order, no timestamps).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alvh_rules.backtesting.run_view import RunView


def write_outputs(run: RunView, folder: Path, *, report: bool = True) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    tables = {
        "trades": run.trades,
        "daily": run.daily,
        "attribution": run.attribution,
        "attribution_by_rule": run.attribution_by_rule,
        "marks": run.marks,
        "closed": run.closed,
    }
    for name, table in tables.items():
        path = folder / f"{name}.csv"
        table.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    parquet = _parquet(run, folder / "trades.parquet")
    if parquet is not None:
        written.append(parquet)
    summary = folder / "summary.json"
    summary.write_text(run.summary_json() + "\n", encoding="utf-8")
    written.append(summary)
    if report:
        from alvh_rules.backtesting.report import write_report

        page = folder / "report.html"
        write_report([run], page)
        written.append(page)
    return written


def _parquet(run: RunView, path: Path) -> Path | None:
    """The trade log as Parquet; None without pyarrow (the demo's install has none: the CSV
    holds the same rows; `pip install 'alvh-rules[parquet]'` adds it)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None

    table = pa.Table.from_pandas(run.trades, preserve_index=False)
    table = table.replace_schema_metadata(None)  # pandas metadata would vary with versions
    pq.write_table(table, path, compression="zstd")
    return path
