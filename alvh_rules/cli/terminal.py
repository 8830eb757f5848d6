"""The terminal side of `alvh eval` and `alvh replay`: a rich console that keeps a readable
width when piped, and a progress bar over a command's slow steps, shown only on a terminal.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

PIPED_WIDTH = 120  # columns when stdout is a file or a pipe (rich would use 80)


def make_console() -> Console:
    """A console on the current stdout; wider than rich's default when it is not a terminal."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            # rich exits 1 when the reader goes (`alvh backtest ... | head`): the findings
            # code. Raised as BrokenPipeError instead, which `main` ends with exit 0.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise BrokenPipeError

    console = PipeConsole(file=sys.stdout, highlight=False)
    if not console.is_terminal:
        console = PipeConsole(file=sys.stdout, highlight=False, width=PIPED_WIDTH)
    return console


class Steps:
    """Advances a progress bar by named steps; does nothing when the bar is off."""

    def __init__(self, progress: Progress | None = None, task: TaskID | None = None) -> None:
        self._progress = progress
        self._task = task

    def start(self, description: str) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, description=description)

    def done(self, amount: float = 1.0) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, amount)


@contextmanager
def progress_steps(total: int) -> Iterator[Steps]:
    """A transient progress bar on stderr over `total` steps, when stdout is a terminal."""
    if not (sys.stdout.isatty() and sys.stderr.isatty()):
        yield Steps()
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        yield Steps(progress, progress.add_task("starting", total=total))
