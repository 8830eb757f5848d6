"""The summary of a replay timeline: days in each state per rule, regime spans, and the spans
of days with unknown states together with why (from a Decision on each span's first day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

STATE_ORDER: tuple[str, ...] = ("fires", "holds", "blocked", "held", "breached", "unknown")
MAX_SAMPLED_SPANS = 10
FAILED_DAY = "could not evaluate"  # how a reason for a day that failed to evaluate starts


@dataclass(frozen=True)
class Span:
    """Consecutive trading days of the timeline with the same label."""

    start: dt.date
    end: dt.date
    label: str
    days: int


@dataclass
class UnknownSpan:
    """Consecutive days where some rule is unknown, and why on the first of them."""

    span: Span
    rules: list[str]
    reasons: list[str] = field(default_factory=list)


@dataclass
class ReplaySummary:
    first: dt.date
    last: dt.date
    days: int
    kinds: dict[str, str]
    counts: dict[str, dict[str, int]]
    regime_spans: list[Span]
    unknown_days: int
    unknown_spans: list[UnknownSpan]
    unsampled_spans: int = 0


def summarize(timeline: pd.DataFrame, kinds: dict[str, str]) -> ReplaySummary:
    """Counts and spans of a replay timeline (a `regime` column and a column per rule)."""
    rules = [name for name in timeline.columns if name != "regime"]
    counts = {
        rule: {state: int((timeline[rule] == state).sum()) for state in STATE_ORDER}
        for rule in rules
    }
    unknown = timeline[rules] == "unknown"
    any_unknown = unknown.any(axis=1)
    flags = ["unknown" if flag else "" for flag in any_unknown]
    unknown_spans = []
    for span in collapse(timeline.index, flags):
        if span.label:
            inside = unknown.loc[str(span.start) : str(span.end)].any(axis=0)
            unknown_spans.append(UnknownSpan(span, [r for r in rules if bool(inside[r])]))
    return ReplaySummary(
        first=timeline.index[0].date(),
        last=timeline.index[-1].date(),
        days=len(timeline),
        kinds=kinds,
        counts=counts,
        regime_spans=collapse(timeline.index, list(timeline["regime"])),
        unknown_days=int(any_unknown.sum()),
        unknown_spans=unknown_spans,
    )


def collapse(index: pd.Index[Any], labels: Sequence[str]) -> list[Span]:
    """Runs of equal labels over consecutive rows, as (start, end, label, days)."""
    spans: list[Span] = []
    start = 0
    for position in range(1, len(labels) + 1):
        if position == len(labels) or labels[position] != labels[start]:
            spans.append(
                Span(
                    index[start].date(),
                    index[position - 1].date(),
                    labels[start],
                    position - start,
                )
            )
            start = position
    return spans


def sample_unknown_reasons(
    summary: ReplaySummary, reasons_on: Callable[[dt.date], list[str]]
) -> None:
    """Fill in why for the longest unknown spans (at most MAX_SAMPLED_SPANS), from the day
    each starts; the others are counted in `unsampled_spans`."""
    by_length = sorted(summary.unknown_spans, key=lambda u: (-u.span.days, u.span.start))
    sampled = by_length[:MAX_SAMPLED_SPANS]
    for unknown in sampled:
        unknown.reasons = reasons_on(unknown.span.start)
        failed = unknown.reasons[0].startswith(FAILED_DAY)
        if failed and unknown.span.end != unknown.span.start:
            # still say why the span is unknown, from its last day
            unknown.reasons += [f"on {unknown.span.end}: {r}" for r in reasons_on(unknown.span.end)]
    summary.unknown_spans = sorted(sampled, key=lambda u: u.span.start)
    summary.unsampled_spans = len(by_length) - len(sampled)
