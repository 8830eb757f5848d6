"""The results of a sweep on disk: one small Parquet part file per batch of finished points
under `OUT/points/`, combined on read. A part is written under a temporary name and renamed,
so an interrupted sweep leaves whole parts only; the keys of the rows found are what a
resumed sweep skips.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from alvh_rules.sweeping.points import END, ERROR, KEY, START

TEXT_COLUMNS = (KEY, START, END, ERROR)

PARTS = "points"
PART_GLOB = "part-*.parquet"


class StoreError(OSError):
    """The results folder cannot be used: not a folder, not writable, or a part unreadable."""


class ResultStore:
    """Rows of finished points under `folder` (or in memory only when `folder` is None)."""

    def __init__(self, folder: str | Path | None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self._memory: list[dict[str, Any]] = []
        if self.folder is not None:
            if self.folder.exists() and not self.folder.is_dir():
                raise StoreError(f"--out {self.folder}: not a folder")
            parts = self.folder / PARTS
            if parts.is_symlink() or (parts.exists() and not parts.is_dir()):
                # the parts would land wherever the link points: outside the folder named
                raise StoreError(f"--out {self.folder}: {parts} is a symlink or not a folder")
            parts.mkdir(parents=True, exist_ok=True)

    def finished_keys(self) -> set[str]:
        """Keys of the points run without an error: a resumed sweep skips them and runs the
        failed points again (a failure may have been the machine's, not the point's)."""
        frame = self.read()
        if KEY not in frame:
            return set()
        if ERROR not in frame:
            return set(frame[KEY])
        return set(frame.loc[frame[ERROR].isna(), KEY])

    def write(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Add a batch of rows: one new part file (nothing is written for an empty batch)."""
        batch = [dict(row) for row in rows]
        if not batch:
            return
        if self.folder is None:
            self._memory.extend(batch)
            return
        parts = self.folder / PARTS
        name = f"part-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.parquet"
        temporary = parts / f".{name}.tmp"
        _typed(pd.DataFrame(batch)).to_parquet(temporary, index=False)
        os.replace(temporary, parts / name)

    def read(self) -> pd.DataFrame:
        """Every row written so far, each key once: a point run twice (a worker that died
        after finishing it, a failed point run again on resume) counts once, by its first
        row without an error, else its last row."""
        frames = [pd.DataFrame(self._memory)] if self._memory else []
        if self.folder is not None:
            for part in sorted((self.folder / PARTS).glob(PART_GLOB)):
                try:
                    frames.append(pd.read_parquet(part))
                except Exception as error:  # pyarrow raises several types for a bad file
                    raise StoreError(f"{part}: not a readable Parquet part: {error}") from None
        frames = [frame for frame in frames if not frame.empty]
        if not frames:
            return pd.DataFrame()
        combined = pd.concat(frames, ignore_index=True)
        if ERROR in combined:
            failed = combined[ERROR].notna()
            # Successes in the order written, then each still-failing key's latest row.
            combined = pd.concat([combined[~failed], combined[failed].iloc[::-1]])
        unique = combined.drop_duplicates(subset=KEY, keep="first")
        return unique.sort_index().reset_index(drop=True)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as strings and every other column as float64 in every part, so parts
    written by different batches (one with no error, one with only errors) share types."""
    for column in frame.columns:
        if column in TEXT_COLUMNS:
            frame[column] = frame[column].astype("string")
        else:
            frame[column] = frame[column].astype("float64")
    return frame
