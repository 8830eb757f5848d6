"""A Decision as rich tables for `alvh eval`: actions first (legs, contracts, sizing, key
figures), then every rule's state and summary, the regime, missing values, and with
`--explain` each rule's reasons tree (sub-expression, value, unit, why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, Group
    from rich.table import Table
    from rich.tree import Tree

    from alvh_rules.eval.decision import Action, Decision, Reason, RuleOutcome

STATE_STYLES: dict[str, str] = {
    "fires": "bold green",
    "held": "green",
    "holds": "dim",
    "blocked": "yellow",
    "unknown": "magenta",
    "breached": "bold red",
}

# The figures of a proposed structure a trader reads first, in this order.
KEY_FIGURES: tuple[str, ...] = (
    "credit",
    "max_profit",
    "max_loss",
    "breakeven_low",
    "breakeven_high",
    "delta",
    "vega",
    "theta",
    "dte",
)


def show_value(value: float | str | None, unit: str = "") -> str:
    """A value with its unit as a trader reads it: 17.14%, -180 $/vp, 45 d, unknown."""
    if value is None:
        return "unknown"
    if isinstance(value, str):
        return value
    if value != value:  # NaN
        return "unknown"
    if unit == "1":
        unit = ""
    if unit == "%":
        return f"{value * 100:,.4g}%"
    if unit == "bp":  # stored as a fraction, like percent: 400bp is 0.04
        return f"{value * 10_000:,.4g}bp"
    if unit == "x":  # a ratio reads as written: a P/CF of 13.4x
        return f"{value:,.4g}x"
    number = f"{value:,.2f}" if abs(value) >= 1000 else f"{value:.6g}"
    return f"{number} {unit}".rstrip()


def state_text(state: str) -> str:
    return f"[{STATE_STYLES.get(state, '')}]{state}[/]"


def print_decision(console: Console, decision: Decision, context: list[str], explain: bool) -> None:
    """The decision as tables; `context` lines (data, account, params) follow the heading."""
    from rich.markup import escape

    provenance = decision.provenance
    title = f"{provenance.ruleset} on {decision.as_of}"
    versions = (
        f"(ruleset {provenance.ruleset_hash[:12]}, snapshot {provenance.snapshot_hash[:12]}, "
        f"alvh-rules {provenance.package_version})"
    )
    if len(title) + 1 + len(versions) <= console.width:
        console.print(f"[bold]{escape(title)}[/] {versions}")
    else:  # a long ruleset name: the versions on their own line rather than wrapped anyhow
        console.print(f"[bold]{escape(title)}[/]")
        console.print(versions)
    for line in context:
        console.print(f"[dim]{escape(line)}[/]")
    console.print()
    _print_actions(console, decision)
    console.print(_rules_table(decision.rules))
    if decision.regime:
        regime = decision.regime
    elif any(outcome.kind == "regime" for outcome in decision.rules):
        regime = "[magenta]unknown[/] (no regime's condition is known to hold)"
    else:
        regime = "[dim]none[/] (the ruleset declares no regime)"
    console.print(f"Regime: [bold]{regime}[/]")
    console.print()
    _print_missing(console, decision)
    if explain:
        console.print()
        if provenance.market_model:
            console.print("[bold]Market model[/] (modelled prices, not traded quotes)")
            for note in provenance.market_model:
                console.print(f"  {escape(note)}")
            console.print()
        for outcome in decision.rules:
            console.print(reasons_tree(outcome))
    if context:
        console.print(f"[dim]{escape(context[0])}[/]")


def params_line(values: dict[str, float], units: dict[str, str]) -> str:
    """`params: roe_floor=12%, rsi_cap=60` with each value in its param's unit."""
    shown = [
        f"{name}={show_value(value, units.get(name, '')).replace(' ', '')}"
        for name, value in sorted(values.items())
    ]
    return "params: " + ", ".join(shown) if shown else "params: none"


def _print_actions(console: Console, decision: Decision) -> None:
    actions = decision.actions
    if not actions:
        console.print("[bold]Actions:[/] none (no entry, layer or roll fires)")
        console.print()
        return
    console.print(f"[bold]Actions[/] ({len(actions)})")
    without_capital = {rule for m in decision.missing if m.name == "capital" for rule in m.rules}
    for action in actions:
        console.print(_action_table(action, needs_capital=action.rule in without_capital))
        console.print()
    for line in _breach_lines(decision.rules):
        console.print(line)
    if any(o.limit and o.limit.after_actions == "breached" for o in decision.rules):
        console.print()


def _breach_lines(rules: list[RuleOutcome]) -> list[str]:
    """A line in the Actions section for each limit the actions together would breach."""
    from rich.markup import escape

    lines = []
    for outcome in rules:
        limit = outcome.limit
        if limit is None or limit.after_actions != "breached":
            continue
        already = " (it is breached already)" if limit.state == "breached" else ""
        margin = show_value(limit.margin_after_actions, limit.unit)
        lines.append(
            f"[bold red]breach:[/] these actions would breach the limit "
            f"{escape(outcome.name)}: margin after them {escape(margin)}, "
            f"bound {escape(show_value(limit.bound, limit.unit))}{already}"
        )
    return lines


def _action_table(action: Action, *, needs_capital: bool = False) -> Group:
    """The action's title, legs and notes (sizing, modelled figures); the title and notes
    print beside the table, not as its caption, so that they use the console's width."""
    from rich.console import Group
    from rich.markup import escape
    from rich.table import Table

    what = " ".join(part for part in (action.kind, action.structure, action.target) if part)
    size = f"{action.contracts} contract(s)"
    if needs_capital and not action.contracts:
        size = "size unknown (sizing needs capital: give --capital USD)"
    table = Table(show_edge=False)
    # Leg prices come from the pricing model on the day's surface, not from quotes.
    for header in ("instrument", "right", "strike", "expiry", "quantity", "model price"):
        table.add_column(header, justify="right" if header != "instrument" else "left")
    for leg in action.legs:
        table.add_row(
            leg.instrument,
            leg.right or "",
            show_value(leg.strike),
            leg.expiry,
            f"{leg.quantity:+d}",
            show_value(leg.price),
        )
    if not action.legs:
        empty = "(no legs: capital not given)" if needs_capital else "(no legs: 0 contracts)"
        if action.kind == "resize":  # it trades the held legs: the note says how many
            empty = "(the held legs: see the note)"
        table.add_row(empty, "", "", "", "", "")
    notes = [f"sizing: {action.sizing}"] if action.sizing else []
    if needs_capital:
        notes = ["sizing: by risk, a share of the capital: give --capital USD"]
    figures = _key_figures(action.figures)
    if figures:
        notes.append(f"figures (modelled): {figures}")
    if action.note and action.note != action.sizing:
        notes.append(f"note: {action.note}")
    title = escape(f"{action.rule}: {what}, {size}")
    return Group(title, table, *(escape(note) for note in notes))


def _key_figures(figures: dict[str, float | None]) -> str:
    shown = [(name, figures[name]) for name in KEY_FIGURES if figures.get(name) is not None]
    return ", ".join(f"{name} {_figure(value, _figure_unit(name))}" for name, value in shown)


def _figure_unit(name: str) -> str:
    """The unit a figure is in, from the catalogue of position fields (its one owner)."""
    from alvh_rules.lang.catalog import POSITION_FIELDS
    from alvh_rules.lang.units import NUMBER, format_unit

    field = POSITION_FIELDS.get(name)
    return "" if field is None or field.unit == NUMBER else format_unit(field.unit)


def _figure(value: float | None, unit: str = "") -> str:
    """Dollars and Greeks of a structure to the cent; whole numbers (days) as they are;
    each with its unit (`3,746.13 $`, `-327.58 $/vp`, `45 d`)."""
    if value is None or value != value:
        return "unknown"
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{number} {unit}".rstrip()


def _rules_table(rules: list[RuleOutcome]) -> Table:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Rules", title_justify="left", show_edge=False)
    table.add_column("rule")
    table.add_column("kind")
    table.add_column("state")
    table.add_column("summary", overflow="fold")
    for outcome in rules:
        table.add_row(
            escape(outcome.name), outcome.kind, state_text(outcome.state), _summary(outcome)
        )
    return table


def _summary(outcome: RuleOutcome) -> str:
    """The rule's one-line summary as markup; a limit adds its value, bound and margin,
    before and (when actions are proposed) after the actions, a breach after them in red."""
    from rich.markup import escape

    limit = outcome.limit
    if limit is None:
        return escape(outcome.summary)
    text = escape(
        f"{outcome.summary}: value {show_value(limit.value, limit.unit)}, "
        f"bound {show_value(limit.bound, limit.unit)}, "
        f"margin {show_value(limit.margin, limit.unit)}"
    )
    if limit.after_actions is not None:
        margin = escape(show_value(limit.margin_after_actions, limit.unit))
        text += f"; after the actions {state_text(limit.after_actions)}, margin {margin}"
    return text


def _print_missing(console: Console, decision: Decision) -> None:
    """Missing values that left some rule unknown or blocked, in a table; the others (such
    as the figures of a position that is not open) on one line after it."""
    from rich.markup import escape
    from rich.table import Table

    affecting = [m for m in decision.missing if m.rules]
    idle = [m for m in decision.missing if not m.rules]
    if not affecting:
        console.print("Missing values: none that affect a rule")
    else:
        table = Table(title="Missing values", title_justify="left", show_edge=False)
        table.add_column("value")
        table.add_column("why", overflow="fold")
        table.add_column("rules affected")
        for missing in affecting:
            table.add_row(
                escape(missing.name), escape(missing.reason), escape(", ".join(missing.rules))
            )
        console.print(table)
    if idle:
        by_reason: dict[str, list[str]] = {}
        for missing in idle:
            by_reason.setdefault(missing.reason, []).append(missing.name)
        shown = "; ".join(f"{', '.join(names)} ({reason})" for reason, names in by_reason.items())
        console.print(f"[dim]also unknown, no rule's state depends on it: {escape(shown)}[/]")


def reasons_tree(outcome: RuleOutcome) -> Tree:
    """One rule's reasons: each clause, then each sub-expression with value, unit and why."""
    from rich.markup import escape
    from rich.tree import Tree

    detail = outcome.summary.removeprefix(outcome.state).removeprefix(":").strip()
    tree = Tree(
        f"[bold]{escape(outcome.name)}[/] ({outcome.kind}): {state_text(outcome.state)}"
        + (f": {escape(detail)}" if detail else "")
    )
    if not outcome.clauses:
        tree.add("[dim]no conditions[/]")
    for clause in outcome.clauses:
        branch = tree.add(f"{clause.keyword}: {_truth(clause.outcome)} ({escape(clause.effect)})")
        _add_reason(branch, clause.reason)
    return tree


def _add_reason(parent: Any, reason: Reason) -> None:
    from rich.markup import escape

    label = f"[cyan]{escape(reason.text)}[/]"
    if reason.truth is not None:
        label += f" is {_truth(reason.truth)}"
    elif reason.value is not None or reason.children or reason.why:
        # a leaf without value or why is a namespace (`portfolio` in `portfolio.vega`)
        label += f" = {escape(show_value(reason.value, reason.unit))}"
    if reason.why:
        label += f"  [dim]{escape(reason.why)}[/]"
    node = parent.add(label)
    for child in reason.children:
        _add_reason(node, child)


def _truth(truth: str) -> str:
    style = {"true": "green", "false": "red", "unknown": "magenta"}.get(truth, "")
    return f"[{style}]{truth}[/]"
