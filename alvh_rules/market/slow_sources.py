"""Loaders for slow and macro files: rates, S&P fundamentals, Shiller, GDP, CPI/PPI, user files.

Each value gets its real publication moment (observations.py); `%` values are divided by
100 here, once, because every source writes percent and the catalog stores fractions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from alvh_rules.lang.catalog import MARKET_FIELDS
from alvh_rules.market import observations as obs
from alvh_rules.market.calendar import ET
from alvh_rules.market.readers import OnBadCell, Table, read_table
from alvh_rules.market.report import DataError, LoadReport

Publisher = Callable[[pd.DatetimeIndex], pd.DatetimeIndex]


@dataclass(frozen=True, slots=True)
class SlowSource:
    """A slow file: its spellings, columns -> catalog fields, publication rule and max age."""

    key: str
    file_stems: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    fields: dict[str, str]
    publish: Publisher
    max_age: str
    ignored: tuple[str, ...] = ()
    scale: dict[str, float] | None = None  # extra scaling beyond percent -> fraction


def _unit_scale(field: str) -> float:
    return 0.01 if MARKET_FIELDS[field].unit_name == "%" else 1.0


SLOW_SOURCES: tuple[SlowSource, ...] = (
    SlowSource(
        "tbill_daily",
        ("us_tbill_3m_daily_fred_dtb3", "dtb3"),
        {"rate": ("tbill_3m_secondary_discount_pct", "dtb3", "value")},
        {"rate": "risk_free"},
        obs.after_next_session_close,
        "daily_rate",
    ),
    SlowSource(
        "treasury_10y",
        ("us_treasury_10y_daily_fred_dgs10", "dgs10"),
        {"rate": ("treasury_10y_cmt_yield_pct", "dgs10", "value")},
        {"rate": "treasury_10y"},
        obs.after_next_session_close,
        "daily_rate",
    ),
    SlowSource(
        "shiller",
        ("shiller_sp500_monthly_ie_data",),
        {"cape": ("cape_pe10",)},
        {"cape": "cape"},
        lambda d: obs.monthly_after(d, obs.SHILLER_LAG_DAYS_AFTER_MONTH_END),
        "monthly",
        ignored=(
            "sp500_price_monthly_avg",
            "dividend_ttm_usd",
            "earnings_ttm_usd",
            "cpi_u",
            "gs10_long_rate_pct",
            "real_price",
            "real_dividend",
            "real_total_return_price",
            "real_earnings",
            "real_tr_scaled_earnings",
            "tr_cape",
            "excess_cape_yield_frac",
            "dividend_yield_pct",
        ),
    ),
    SlowSource(
        "spdji",
        ("sp500_quarterly_fundamentals_spdji",),
        {
            "roe": ("roe_ttm_asreported_pct",),
            "eps": ("as_reported_eps_ttm",),
            "dividends": ("dividends_ps_ttm",),
        },
        {"roe": "roe", "eps": "eps_ttm", "dividends": "dividends_ttm"},
        obs.quarterly_report,
        "quarterly",
        ignored=(
            "price",
            "operating_eps_q",
            "as_reported_eps_q",
            "dividends_ps_q",
            "sales_ps_q",
            "book_value_ps",
            "capex_ps_q",
            "divisor",
            "operating_eps_ttm",
            "sales_ps_ttm",
            "dividend_yield_ttm_pct",
            "operating_margin_ttm_pct",
        ),
    ),
    SlowSource(
        "buffett",
        ("buffett_indicator_wilshire5000_to_gdp_quarterly",),
        {"ratio": ("wilshire5000_to_gdp_pct", "value")},
        {"ratio": "mcap_gdp"},
        obs.gdp_release,
        "quarterly",
    ),
    SlowSource(
        "gdp",
        ("us_gdp_nominal_quarterly_fred_gdp", "gdp"),
        {"gdp": ("gdp_nominal_saar_usd_bn", "gdp", "value")},
        {"gdp": "gdp"},
        obs.gdp_release,
        "quarterly",
        scale={"gdp": 1e9},  # billions of dollars -> dollars
    ),
)

# Fields with no public series: a user's own file `<field>.csv` with `date,value[,published]`.
USER_FIELDS: tuple[str, ...] = ("roa", "pcf", "wacc", "quick_ratio_fin")
TBILL_MONTHLY_STEMS = ("us_tbill_3m_monthly_fred_tb3ms", "tb3ms")


def load_slow(
    source: SlowSource, path: Path, report: LoadReport, on_bad_cell: OnBadCell = "raise"
) -> list[obs.Observations]:
    table = read_table(
        path,
        source.columns,
        report=report,
        ignored=source.ignored,
        required=tuple(source.columns),
        on_bad_cell=on_bad_cell,
    )
    published = source.publish(table.dates)
    result = []
    for column, field in source.fields.items():
        factor = _unit_scale(field) * (source.scale or {}).get(column, 1.0)
        values = table.values[column].to_numpy() * factor
        result.append(
            obs.carried(
                field,
                table.dates,
                published,
                values,
                table.file,
                source.max_age,
                labels=table.labels,
            )
        )
    return result


def load_tbill_monthly(
    path: Path, before: pd.Timestamp | None, report: LoadReport, on_bad_cell: OnBadCell = "raise"
) -> obs.Observations:
    """TB3MS fills `risk_free` only where the daily DTB3 series has not started (1934-1953)."""
    table = read_table(
        path,
        {"rate": ("tbill_3m_secondary_monthly_avg_pct", "tb3ms", "value")},
        report=report,
        required=("rate",),
        on_bad_cell=on_bad_cell,
    )
    values = table.values
    if before is not None:
        values = values[values.index < before]
        report.add(
            table.file,
            None,
            None,
            "flagged",
            f"used only before {before.date()}, where the daily DTB3 series is absent",
        )
    dates = pd.DatetimeIndex(values.index)
    published = obs.monthly_after(dates, 1)
    return obs.carried(
        "risk_free",
        dates,
        published,
        values["rate"].to_numpy() * 0.01,
        table.file,
        "monthly",
    )


def load_releases(
    path: Path, kind: str, report: LoadReport, on_bad_cell: OnBadCell = "raise"
) -> list[obs.Observations]:
    """CPI or PPI releases: print and consensus, known at the release time (08:30 ET)."""
    columns = {
        "actual": (f"{kind}_mom_actual",),
        "forecast_a": (f"{kind}_mom_forecast_a",),
        "forecast_b": (f"{kind}_mom_forecast_b",),
    }
    ignored = (
        "ref_month",
        "date_source",
        f"{kind}_mom_previous_a",
        f"{kind}_mom_previous_b",
        "cpi_yoy_actual",
        "cpi_yoy_forecast_b",
        "cpi_yoy_previous_b",
        "core_cpi_mom_actual",
        "core_cpi_mom_forecast_b",
        "core_cpi_mom_previous_b",
    )
    table = read_table(
        path,
        columns,
        report=report,
        text_columns={"time": ("release_time_utc",)},
        ignored=ignored,
        required=("actual",),
        on_bad_cell=on_bad_cell,
    )
    published = _release_moments(table)
    values = table.values
    consensus = values["forecast_a"] if "forecast_a" in values else values["forecast_b"]
    if "forecast_a" in values and "forecast_b" in values:
        consensus = values["forecast_a"].fillna(values["forecast_b"])
    dates = table.dates
    return [
        obs.carried(
            kind,
            dates,
            published,
            values["actual"].to_numpy() * 0.01,
            table.file,
            "event",
            keep_nan=True,
        ),
        obs.carried(
            f"{kind}_consensus",
            dates,
            published,
            consensus.to_numpy() * 0.01,
            table.file,
            "event",
            keep_nan=True,
        ),
    ]


def _release_moments(table: Table) -> pd.DatetimeIndex:
    dates = table.dates
    default = obs.at_time(dates, obs.RELEASE_TIME)
    if "time" not in table.text:
        return default
    text = table.text["time"].str.strip()
    stamps = pd.Series(dates.strftime("%Y-%m-%d"), index=text.index) + " " + text
    utc = pd.to_datetime(stamps, format="%Y-%m-%d %H:%M", errors="coerce", utc=True)
    moments = pd.Series(pd.DatetimeIndex(utc).tz_convert(ET), index=text.index)
    # A release without a time in the file is taken at 08:30 ET, the BLS release time.
    filled = moments.where(moments.notna(), pd.Series(default, index=text.index))
    return pd.DatetimeIndex(filled)


def load_user_field(
    field: str, path: Path, report: LoadReport, on_bad_cell: OnBadCell = "raise"
) -> obs.Observations:
    """A user's own series: `date,value[,published]`, `%` fields written in percent.

    Without `published`, a value is taken as known QUARTERLY_REPORT_LAG_DAYS after `date`.
    """
    table = read_table(
        path,
        {"value": ("value", field)},
        report=report,
        text_columns={"published": ("published", "published_at")},
        required=("value",),
        on_bad_cell=on_bad_cell,
    )
    dates = table.dates
    published = obs.quarterly_report(dates)
    if "published" in table.text:
        published = _user_published(table, published)
    values = table.values["value"].to_numpy() * _unit_scale(field)
    return obs.carried(
        field, dates, published, values, table.file, "quarterly", labels=table.labels
    )


def _user_published(table: Table, default: pd.DatetimeIndex) -> pd.DatetimeIndex:
    moments = []
    for position, text in enumerate(table.text["published"].str.strip()):
        if not text:
            moments.append(default[position])
            continue
        try:
            stamp = pd.Timestamp(text)
        except ValueError:
            raise DataError(
                table.file,
                int(table.rows[position]),
                "published",
                f"unreadable publication time {text!r}",
            ) from None
        if stamp.tzinfo is None:
            # A bare date means the close of that day; a bare time is New York time.
            stamp = stamp + obs.CLOSE_TIME if stamp == stamp.normalize() else stamp
            stamp = stamp.tz_localize(ET)
        if stamp.tz_convert(ET).normalize().tz_localize(None) < table.dates[position]:
            raise DataError(
                table.file,
                int(table.rows[position]),
                "published",
                "published before the date it describes",
            )
        moments.append(stamp.tz_convert(ET))
    return pd.DatetimeIndex(moments)
