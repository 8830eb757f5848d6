"""Find the data files of a folder: the folder's own names and the original public ones.

A file matches a source when its stem (case-insensitive, `.csv` or `.parquet`) is one of
the source's spellings; files no source claims are reported as ignored, not skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from alvh_rules.market.daily_sources import DAILY_SOURCES
from alvh_rules.market.report import LoadReport
from alvh_rules.market.slow_sources import SLOW_SOURCES, TBILL_MONTHLY_STEMS, USER_FIELDS

DATA_SUFFIXES = (".csv", ".parquet")
# Files of the shared folder that feed nothing directly, and why (reported once each).
KNOWN_UNUSED: dict[str, str] = {
    "vx_vivek_transcribed": "already merged into vix_futures_f1_f2.csv",
    "fomc_meetings": "FOMC dates ship in the package calendar; add others in events.csv",
    "provenance": "documentation",
    "readme": "documentation",
}


def _all_stems() -> dict[str, tuple[str, ...]]:
    stems: dict[str, tuple[str, ...]] = {s.key: s.file_stems for s in DAILY_SOURCES}
    stems.update({s.key: s.file_stems for s in SLOW_SOURCES})
    stems["tbill_monthly"] = TBILL_MONTHLY_STEMS
    stems["cpi"] = ("us_cpi_releases", "cpi_releases")
    stems["ppi"] = ("us_ppi_releases", "ppi_releases")
    stems["vix_expiries"] = ("vix_futures_monthly_expirations",)
    stems["events"] = ("events", "calendar_events")
    for name in USER_FIELDS:
        stems[name] = (name,)
    return stems


def locate(folder: Path, report: LoadReport) -> dict[str, Path]:
    """Map each source key to its file in `folder`; report the files nothing reads."""
    if not folder.is_dir():
        raise FileNotFoundError(f"data folder not found: {folder}")
    by_stem = {stem.lower(): key for key, stems in _all_stems().items() for stem in stems}
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        stem = path.stem.lower()
        key = by_stem.get(stem) if path.suffix.lower() in DATA_SUFFIXES else None
        if key is None:
            why = KNOWN_UNUSED.get(stem, "not a known data file (see docs/data.md)")
            report.add(path.name, None, None, "ignored", why)
        elif key in found:
            report.add(
                path.name, None, None, "ignored", f"{found[key].name} already supplies this source"
            )
        else:
            found[key] = path
    return found


def stems_of(keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """File spellings accepted for each key (for messages and docs)."""
    table = _all_stems()
    return {key: table[key] for key in keys}
