"""`fetch(dir)`: download the public source files (Cboe, FRED, Stooq) into a data folder.

The files keep their original public layouts, which `History.from_dir` reads. The CLI's
`alvh data fetch DIR` calls this; tests pass a fake `opener` and never touch the network.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CBOE = "https://cdn.cboe.com/api/global/us_indices/daily_prices/{name}_History.csv"
FRED = "https://fred.stlouisfed.org/graph/fredgraph.csv?id={series}"

# File name in the folder -> public URL. Names are ones discovery.py recognises.
PUBLIC_FILES: dict[str, str] = {
    "VIX_History.csv": CBOE.format(name="VIX"),
    "VVIX_History.csv": CBOE.format(name="VVIX"),
    "VIX9D_History.csv": CBOE.format(name="VIX9D"),
    "VIX3M_History.csv": CBOE.format(name="VIX3M"),
    "DTB3.csv": FRED.format(series="DTB3"),
    "TB3MS.csv": FRED.format(series="TB3MS"),
    "DGS10.csv": FRED.format(series="DGS10"),
    "GDP.csv": FRED.format(series="GDP"),
    "^spx_d.csv": "https://stooq.com/q/d/l/?s=^spx&i=d",
}

Opener = Callable[[str, float], bytes]


def _urlopen(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "alvh-rules data fetch"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read()
        return body


@dataclass(slots=True)
class FetchReport:
    """Which files were written and which failed (with the reason)."""

    written: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def fetch(
    folder: str | Path,
    *,
    files: dict[str, str] | None = None,
    opener: Opener = _urlopen,
    timeout: float = 30.0,
) -> FetchReport:
    """Download each public file into `folder` (created if needed); never raises per file.

    A file is written only when its download succeeded and looks like CSV text, through a
    temporary name, so a failed fetch leaves any older copy in place.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    report = FetchReport()
    for name, url in (files or PUBLIC_FILES).items():
        try:
            body = opener(url, timeout)
        except Exception as error:  # network errors differ by platform; report them all
            report.failed[name] = f"{type(error).__name__}: {error}"
            continue
        text = body.decode("utf-8", errors="replace")
        first_line = text.lstrip("\ufeff").split("\n", 1)[0]
        if "," not in first_line or "<" in first_line:
            report.failed[name] = f"not CSV (starts with {first_line[:60]!r})"
            continue
        partial = target / (name + ".part")
        partial.write_bytes(body)
        partial.replace(target / name)
        report.written.append(target / name)
    return report
