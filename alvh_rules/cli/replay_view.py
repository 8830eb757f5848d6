"""A replay's summary for `alvh replay` (rich tables): days in each state per rule, the
regime spans, and the unknown spans with why; the summary itself is
`alvh_rules.eval.replay_summary`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from alvh_rules.eval.replay_summary import STATE_ORDER, ReplaySummary, Span

if TYPE_CHECKING:
    from rich.console import Console

SHOWN_REGIME_SPANS = 15


def print_summary(console: Console, summary: ReplaySummary) -> None:
    from rich.table import Table

    console.print(f"[bold]Replay[/] {summary.first} to {summary.last}: {summary.days} trading days")
    if not summary.counts:
        console.print("Days in each state: none (the ruleset has no rules)")
    else:
        table = Table(title="Days in each state", title_justify="left", show_edge=False)
        table.add_column("rule")
        table.add_column("kind")
        for state in STATE_ORDER:
            table.add_column(state, justify="right")
        for rule, counts in summary.counts.items():
            cells = (_count(counts[s]) for s in STATE_ORDER)
            table.add_row(rule, summary.kinds.get(rule, ""), *cells)
        console.print(table)
    if any(kind == "regime" for kind in summary.kinds.values()):
        _print_regime_spans(console, summary.regime_spans)
    else:  # as `alvh eval` says it: no regime is declared, so no day's regime is unknown
        console.print("Regime: none (the ruleset declares no regime)")
    _print_unknown(console, summary)


def _count(days: int) -> str:
    return str(days) if days else "[dim]-[/]"


def _print_regime_spans(console: Console, spans: list[Span]) -> None:
    from rich.table import Table

    shown = spans[-SHOWN_REGIME_SPANS:]
    title = f"Regime spans ({len(spans)}"
    title += f"; the last {len(shown)} shown)" if len(shown) < len(spans) else ")"
    table = Table(title=title, title_justify="left", show_edge=False)
    for header in ("start", "end", "regime", "days"):
        table.add_column(header, justify="right" if header == "days" else "left")
    for span in shown:
        table.add_row(str(span.start), str(span.end), span.label, str(span.days))
    console.print(table)


def _print_unknown(console: Console, summary: ReplaySummary) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not summary.unknown_days:
        console.print("Unknown days: none")
        return
    title = f"Unknown days: {summary.unknown_days}, why on the first day of each span"
    if summary.unsampled_spans:
        title += f" ({summary.unsampled_spans} shorter span(s) not sampled)"
    table = Table(title=title, title_justify="left", show_edge=False)
    for header in ("from", "to", "days", "rules unknown", "why (first day)"):
        table.add_column(header, overflow="fold")
    for unknown in summary.unknown_spans:
        table.add_row(
            str(unknown.span.start),
            str(unknown.span.end),
            str(unknown.span.days),
            ", ".join(unknown.rules),
            escape("\n".join(unknown.reasons) or "-"),
        )
    console.print(table)
