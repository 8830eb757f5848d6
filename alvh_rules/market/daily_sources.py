"""Loaders for the daily market files: SPX, VIX, VVIX, VIX9D, VIX3M, VX futures, NYSE breadth.

Each source names the file spellings it accepts (the folder's own and the original public
layouts: Cboe `VIX_History.csv`, Stooq, Yahoo, FRED) and the checks its prices get.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from alvh_rules.market import checks
from alvh_rules.market.readers import OnBadCell, Table, read_table
from alvh_rules.market.report import LoadReport

OHLC = {
    "open": ("open",),
    "high": ("high",),
    "low": ("low",),
}


@dataclass(frozen=True, slots=True)
class DailySource:
    """A daily file: where to find it, its columns, and which catalog field each feeds."""

    key: str
    file_stems: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    fields: dict[str, str]
    ignored: tuple[str, ...] = ()
    text_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    required: tuple[str, ...] = ("close",)
    prices: tuple[str, ...] = ("open", "high", "low", "close")
    ohlc: bool = False
    usable_from: str | None = None
    usable_reason: str = ""


_VOLUME = ("volume", "adj_close", "wap", "count")

SPX = DailySource(
    "spx",
    ("spx_daily", "^spx_d", "spx_d", "spx", "^spx", "^gspc", "gspc", "sp500"),
    {**OHLC, "close": ("close", "sp500", "spx", "price")},
    {"open": "spx_open", "high": "spx_high", "low": "spx_low", "close": "spx"},
    ignored=_VOLUME,
    text_columns={"source": ("source",)},
    ohlc=True,
    # Stooq's original ^spx_d.csv starts in 1789: monthly before 1885, daily only from
    # 1914-12-12 with gaps; the History starts where the daily record is sound.
    usable_from="1928-01-01",
    usable_reason="SPX before 1928 is not a daily series in Stooq's file (PROVENANCE.md)",
)
VIX = DailySource(
    "vix",
    ("vix_daily", "vix_history", "vixcls", "vix", "^vix"),
    {**OHLC, "close": ("close", "vixcls", "vix", "value")},
    {"open": "vix_open", "high": "vix_high", "low": "vix_low", "close": "vix"},
    ignored=_VOLUME,
    ohlc=True,
)
VVIX = DailySource(
    "vvix",
    ("vvix_daily", "vvix_history", "vvix"),
    {"close": ("close", "vvix", "value")},
    {"close": "vvix"},
    ignored=("open", "high", "low", *_VOLUME),
    usable_from="2007-01-01",
    usable_reason="VVIX before 2007 is sparse with implausible prints (PROVENANCE.md)",
)
VIX9D = DailySource(
    "vix9d",
    ("vix9d_daily", "vix9d_history", "vix9d"),
    {"close": ("close", "vix9d", "value")},
    {"close": "vix9d"},
    ignored=("open", "high", "low", *_VOLUME),
)
VIX3M = DailySource(
    "vix3m",
    ("vix3m_daily", "vix3m_history", "vix3m", "vxv_history"),
    {"close": ("close", "vix3m", "vxv", "value")},
    {"close": "vix3m"},
    ignored=("open", "high", "low", *_VOLUME),
)
VX_FUTURES = DailySource(
    "vx",
    ("vix_futures_f1_f2",),
    {"f1": ("f1_settle",), "f2": ("f2_settle",)},
    {"f1": "vix_f1", "f2": "vix_f2"},
    text_columns={
        "f1_expiry": ("f1_expiry",),
        "f2_expiry": ("f2_expiry",),
        "source": ("source",),
    },
    required=("f1",),
    prices=("f1", "f2"),
)
BREADTH_UNICORN = DailySource(
    "breadth",
    ("nyse_breadth_daily_unicorn", "nyse_breadth"),
    {"advances": ("advances", "advn"), "declines": ("declines", "decln")},
    {"advances": "advances", "declines": "declines"},
    ignored=(
        "unchanged",
        "advancing_volume_shares",
        "declining_volume_shares",
        "unchanged_volume_shares",
        "new_52w_highs",
        "new_52w_lows",
        "net_advances",
    ),
    required=("advances", "declines"),
    prices=(),
)
BREADTH_SHOPPAFUND = DailySource(
    "breadth_proxy",
    ("nyse_breadth_daily_computed_shoppafund",),
    {"advances": ("nyse_advancers",), "declines": ("nyse_decliners",)},
    {"advances": "advances", "declines": "declines"},
    ignored=("nyse_common_advancers", "nyse_common_decliners"),
    required=("advances", "declines"),
    prices=(),
)

DAILY_SOURCES: tuple[DailySource, ...] = (
    SPX,
    VIX,
    VVIX,
    VIX9D,
    VIX3M,
    VX_FUTURES,
    BREADTH_UNICORN,
    BREADTH_SHOPPAFUND,
)


def read_daily(
    source: DailySource, path: Path, report: LoadReport, on_bad_cell: OnBadCell = "raise"
) -> Table:
    """Read a daily file and apply the value policies that do not need the trading days."""
    table = read_table(
        path,
        source.columns,
        report=report,
        text_columns=source.text_columns,
        ignored=source.ignored,
        required=source.required,
        on_bad_cell=on_bad_cell,
    )
    if source.usable_from is not None:
        table = checks.keep_from(
            table, pd.Timestamp(source.usable_from), source.usable_reason, report
        )
    checks.non_positive_prices(table, source.prices, report)
    checks.implausible_cells(table, dict(source.fields), report)
    if source.ohlc:
        checks.ohlc_ranges(table, report)
    if source.key.startswith("breadth"):
        _incomplete_breadth(table, report)
    if "source" in table.text:
        _flag_low_quality(table, report)
    return table


# Source labels PROVENANCE.md calls lower quality: kept, flagged once per file.
LOW_QUALITY_SOURCES: dict[str, str] = {
    "quandl_CHRIS_CBOE_VX1_VX2": "Quandl continuous VX1/VX2 (undocumented roll, known bad "
    "prints 2018-04-23..05-04 and 2018-07-16..24 in the later part not used here)",
}


def _flag_low_quality(table: Table, report: LoadReport) -> None:
    labels = table.text["source"]
    for label, why in LOW_QUALITY_SOURCES.items():
        rows = labels == label
        if rows.any():
            days = table.dates[rows.to_numpy()]
            report.add(
                table.file,
                None,
                "source",
                "flagged",
                f"{int(rows.sum())} rows {days[0].date()}..{days[-1].date()} from {why}: "
                "lower quality than the raw Cboe contracts",
            )


def _incomplete_breadth(table: Table, report: LoadReport) -> None:
    """A day whose issue count is under half the file's median is a partial count."""
    values = table.values
    for column in ("advances", "declines"):
        checks.set_aside(table, (values[column] < 0).to_numpy(), [column], "negative count", report)
    total = (values["advances"] + values["declines"]).to_numpy()
    median = float(np.nanmedian(total)) if np.isfinite(total).any() else np.nan
    with np.errstate(invalid="ignore"):
        partial = total < 0.5 * median
    checks.set_aside(
        table,
        partial,
        ["advances", "declines"],
        f"incomplete count: advances+declines under half the file's median ({median:.0f})",
        report,
    )


def futures_expiries(
    table: Table, vix_expiries: pd.DatetimeIndex, report: LoadReport
) -> tuple[pd.Series, pd.Series]:
    """Front and second expiry per row: the file's own, else the next listed monthly expiries.

    The pre-2013 Quandl rows have no expiry column; for them F1 is taken to be the first
    monthly expiry on or after the date (approximate on expiry days, when Quandl may roll).
    """
    dates = table.dates
    own1 = pd.to_datetime(table.text["f1_expiry"].replace("", None), errors="coerce")
    own2 = pd.to_datetime(table.text["f2_expiry"].replace("", None), errors="coerce")
    expiries = vix_expiries.sort_values()
    position = expiries.searchsorted(dates, side="left")
    inferred1 = _pick(expiries, position)
    inferred2 = _pick(expiries, position + 1)
    inferred = np.asarray(own1.isna())
    if inferred.any():
        report.add(
            table.file,
            None,
            "f1_expiry",
            "flagged",
            f"{int(inferred.sum())} rows without expiry: inferred as the next listed monthly "
            "VIX expiry on or after the date (approximate on roll days)",
        )
    front = pd.Series(np.where(inferred, inferred1, own1.to_numpy()), index=dates)
    second = pd.Series(np.where(own2.isna(), inferred2, own2.to_numpy()), index=dates)
    stale = np.asarray(front, dtype="datetime64[ns]") < dates.to_numpy(dtype="datetime64[ns]")
    checks.set_aside(table, stale, ["f1", "f2"], "front expiry before the trade date", report)
    return front, second


def _pick(expiries: pd.DatetimeIndex, position: np.ndarray) -> np.ndarray:
    values = expiries.to_numpy(dtype="datetime64[ns]")
    padded: np.ndarray = np.append(values, np.datetime64("NaT", "ns"))
    picked: np.ndarray = padded[np.minimum(position, len(values))]
    return picked
