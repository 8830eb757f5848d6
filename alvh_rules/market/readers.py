"""Read one CSV or Parquet file into a dated numeric table, with the structural checks.

Handles header aliases of the public layouts (Cboe, Stooq, Yahoo, FRED), the three date
spellings they use, row order, duplicate dates, unknown columns and non-numeric cells.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from alvh_rules.lang.files import MAX_DATA_FILE_BYTES, read_regular_file
from alvh_rules.market.calendar import midnight
from alvh_rules.market.report import DataError, LoadReport

OnBadCell = Literal["raise", "set_aside"]

# Spellings of "no value" in the public files (FRED writes ".", Excel exports "#N/A").
MISSING_MARKERS = frozenset({"", ".", "na", "n/a", "#n/a", "nan", "null", "none", "-"})
DATE_ALIASES = ("date", "observation_date", "trade_date", "datetime", "expiry")
# Label columns a file may carry beside its data (the demo set marks synthetic rows).
ALWAYS_IGNORED = ("source", "note")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True, slots=True)
class Table:
    """A file's rows as numbers: `values` indexed by date, `rows` the 1-based file rows."""

    file: str
    values: pd.DataFrame
    rows: npt.NDArray[np.int64]
    text: pd.DataFrame  # the non-numeric columns asked for (e.g. `source`), as strings

    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self.values.index)

    @property
    def labels(self) -> npt.NDArray[np.object_] | None:
        """Each row's `source` label ('' for none); None when the file has no such column."""
        if "source" not in self.text:
            return None
        labels: npt.NDArray[np.object_] = self.text["source"].str.strip().to_numpy(dtype=object)
        return labels


def normalise_header(name: object) -> str:
    """`Adj Close` -> `adj_close`, ` DATE ` -> `date`: one spelling per column."""
    return str(name).strip().lower().replace(" ", "_").replace(".", "_").replace("-", "_")


def read_table(
    path: Path,
    columns: Mapping[str, Sequence[str]],
    *,
    report: LoadReport,
    text_columns: Mapping[str, Sequence[str]] | None = None,
    ignored: Sequence[str] = (),
    required: Sequence[str] = (),
    on_bad_cell: OnBadCell = "raise",
) -> Table:
    """Read `path`; `columns` maps each output column to the header spellings it accepts.

    Columns in `ignored` are known but unused (e.g. `volume`); any other header is an
    unknown column and raises. A missing `required` column raises.
    """
    file = path.name
    raw, data = _read_raw(path)
    if path.suffix.lower() != ".parquet":
        _note_short_file(data, raw, file, report)
    headers = {normalise_header(c): c for c in raw.columns}
    date_header = next((headers[a] for a in DATE_ALIASES if a in headers), None)
    if date_header is None:
        raise DataError(file, None, None, f"no date column (expected one of {DATE_ALIASES})")
    # A `source` column is always kept as text: it labels rows (the demo's synthetic ones).
    wanted = {**columns, "source": ("source",), **(text_columns or {})}
    chosen: dict[str, str] = {}
    for out, aliases in wanted.items():
        found = next((headers[a] for a in aliases if a in headers), None)
        if found is not None:
            chosen[out] = found
        elif out in required:
            raise DataError(file, None, out, f"missing column (accepted spellings: {aliases})")
    skip = (*ignored, *ALWAYS_IGNORED)
    known = {date_header, *chosen.values()} | {headers[i] for i in skip if i in headers}
    for original in raw.columns:
        if original not in known:
            raise DataError(file, None, str(original), "unknown column")
    dates = _parse_dates(raw[date_header], file, str(date_header))
    rows = np.arange(1, len(raw) + 1, dtype=np.int64)
    values = pd.DataFrame(
        {
            out: _parse_numbers(raw[col], file, out, rows, report, on_bad_cell)
            for out, col in chosen.items()
            if out in columns
        },
        index=dates,
    )
    text = pd.DataFrame(
        {
            out: raw[col].fillna("").astype(str).to_numpy()
            for out, col in chosen.items()
            if out not in columns
        },
        index=dates,
    )
    return _order_and_dedupe(Table(file, values, rows, text), report)


def _read_raw(path: Path) -> tuple[pd.DataFrame, bytes]:
    """The file as pandas reads it, and its bytes; every failure a DataError naming the file
    (and the row, where the bytes tell it)."""
    if not path.exists():
        raise DataError(path.name, None, None, f"file not found: {path}")
    try:
        data = read_regular_file(path, MAX_DATA_FILE_BYTES)
    except OSError as error:
        reason = error.strerror or str(error)
        raise DataError(path.name, None, None, f"cannot read the file: {reason}") from None
    parquet = path.suffix.lower() == ".parquet"
    if not parquet:
        _require_utf8(data, path.name)
    try:
        return _parse_raw(data, parquet=parquet), data
    except (ValueError, OSError) as error:  # pandas' EmptyDataError and ParserError among them
        reason = " ".join(str(error).split()) or type(error).__name__
        raise DataError(path.name, None, None, f"not a readable table: {reason}") from None


def _note_short_file(data: bytes, raw: pd.DataFrame, file: str, report: LoadReport) -> None:
    """Flag what a partial download leaves: a header without rows, or a last line without
    its newline (every file the sources publish ends with one), whose cells may be cut
    (`17.27` read as `17`). Kept as read: the value may be right, but it is said."""
    if len(raw) == 0:
        report.add(file, None, None, "flagged", "a header and no data rows: the file is empty")
        return
    if data.endswith(b"\n") or data.endswith(b"\r"):
        return
    last = data.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")
    fields = last.count(",") + 1
    short = (
        f"; it has {fields} of the header's {len(raw.columns)} fields"
        if fields < len(raw.columns)
        else ""
    )
    report.add(
        file,
        len(raw),
        None,
        "flagged",
        "the file does not end with a newline: its last row may be cut short (a partial "
        f"download?){short}",
    )


def _require_utf8(data: bytes, file: str) -> None:
    """Checked here, not left to pandas, whose decode error counts bytes of its own buffer."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n")  # the header is row 0
        byte = f"0x{data[error.start]:02x}"
        raise DataError(file, row, None, f"not UTF-8 text (byte {byte})") from None


def _parse_raw(data: bytes, *, parquet: bool) -> pd.DataFrame:
    if parquet:
        return pd.read_parquet(io.BytesIO(data))
    # Stooq/Unicorn raw files have no header: `YYYYMMDD, value`.
    # Numeric columns parse as float in C; a column with any other text stays a string
    # column and is checked cell by cell in _parse_numbers.
    options: dict[str, object] = {
        "na_values": sorted(MISSING_MARKERS | {m.upper() for m in MISSING_MARKERS}),
        "keep_default_na": False,
        "skipinitialspace": True,
    }
    frame = pd.read_csv(io.BytesIO(data), **options)  # type: ignore[call-overload]
    if len(frame.columns) and str(frame.columns[0]).strip().isdigit():
        frame = pd.read_csv(io.BytesIO(data), header=None, **options)  # type: ignore[call-overload]
        frame.columns = ["date", *[f"value{i}" for i in range(1, len(frame.columns))]]
        frame = frame.rename(columns={"value1": "value"})
    result: pd.DataFrame = frame
    return result


def _parse_dates(column: pd.Series, file: str, name: str) -> pd.DatetimeIndex:
    if pd.api.types.is_datetime64_any_dtype(column):
        parsed = pd.DatetimeIndex(column)
        if parsed.tz is not None:
            parsed = parsed.tz_localize(None)
        return midnight(parsed)
    text = column.astype(str).str.strip().str.removesuffix(".0")
    best: pd.Series | None = None
    for fmt in DATE_FORMATS:
        attempt = pd.to_datetime(text, format=fmt, errors="coerce")
        if not attempt.isna().any():
            return midnight(pd.DatetimeIndex(attempt))
        if best is None or attempt.isna().sum() < best.isna().sum():
            best = attempt
    assert best is not None
    bad = int(np.flatnonzero(best.isna().to_numpy())[0])
    raise DataError(file, bad + 1, name, f"unreadable date {text.iloc[bad]!r}")


def _parse_numbers(
    column: pd.Series,
    file: str,
    name: str,
    rows: npt.NDArray[np.int64],
    report: LoadReport,
    on_bad_cell: OnBadCell,
) -> npt.NDArray[np.float64]:
    if pd.api.types.is_numeric_dtype(column):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    text = column.astype(str).str.strip()
    text = text.where(column.notna(), "")
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    unreadable = np.isnan(numbers) & ~text.str.lower().isin(MISSING_MARKERS).to_numpy()
    unreadable &= text.str.lower().to_numpy() != "nan"
    for position in np.flatnonzero(unreadable):
        reason = f"not a number: {text.iloc[position]!r}"
        if on_bad_cell == "raise":
            raise DataError(file, int(rows[position]), name, reason)
        report.add(file, int(rows[position]), name, "set_aside", reason)
    return numbers


def _order_and_dedupe(table: Table, report: LoadReport) -> Table:
    values, rows, text = table.values, table.rows, table.text
    index = values.index
    if not index.is_monotonic_increasing:
        # Stable sort keeps the file order of equal dates, so duplicates are judged in order.
        order = np.argsort(index.to_numpy(), kind="stable")
        report.add(table.file, None, "date", "flagged", "rows not in date order; sorted by date")
        values, rows, text = values.iloc[order], rows[order], text.iloc[order]
    duplicated = values.index.duplicated(keep="first")
    if duplicated.any():
        for position in np.flatnonzero(duplicated):
            _judge_duplicate(table.file, values, rows, int(position), report)
        keep = ~duplicated
        values, rows, text = values[keep], rows[keep], text[keep]
    return Table(table.file, values, rows, text)


def _judge_duplicate(
    file: str,
    values: pd.DataFrame,
    rows: npt.NDArray[np.int64],
    position: int,
    report: LoadReport,
) -> None:
    day = values.index[position]
    first = int(np.flatnonzero(values.index == day)[0])
    for name in values.columns:
        a, b = values.iloc[first][name], values.iloc[position][name]
        if not (a == b or (np.isnan(a) and np.isnan(b))):
            raise DataError(
                file,
                int(rows[position]),
                str(name),
                f"duplicate date {day.date()} with a different value than row {rows[first]}"
                f" ({b!r} vs {a!r})",
            )
    report.add(
        file,
        int(rows[position]),
        "date",
        "dropped",
        f"duplicate of row {rows[first]} ({day.date()}), identical values",
    )
