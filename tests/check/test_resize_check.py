"""`resize` in the checker: it needs a `size` clause on every position it may act on
(ALVH404, located at the action), `on shortest(...)` included; a sized target is clean."""

from __future__ import annotations

from alvh_rules.check.ruleset import check_text

SIZED = (
    "entry condor:\n    when vix > 20\n"
    "    open iron_condor dte 45d delta 16delta wings 25pt\n    size contracts 3\n"
)
UNSIZED = (
    "entry strangle:\n    when vix > 25\n"
    "    open iron_condor dte 30d delta 10delta wings 25pt contracts 2\n"
)


def codes(text: str) -> list[tuple[str, int, int]]:
    report = check_text(text, "resize.alvh")
    return [
        (d.code, d.span.line, d.span.column) for d in report.diagnostics if d.severity == "error"
    ]


def test_a_sized_target_can_be_resized() -> None:
    assert codes(SIZED + "roll rebalance on condor:\n    when vix < 15\n    resize\n") == []


def test_an_unsized_target_is_refused_at_the_action() -> None:
    text = UNSIZED + "roll rebalance on strangle:\n    when vix < 15\n    resize\n"
    assert codes(text) == [("ALVH404", 6, 5)]


def test_every_shortest_candidate_must_be_sized() -> None:
    text = SIZED + UNSIZED + "roll rebalance on shortest(condor, strangle):\n    resize\n"
    assert codes(text) == [("ALVH404", 9, 5)]


def test_other_roll_actions_need_no_size_clause() -> None:
    for action in ("close", "roll out", "roll forward 30d"):
        assert codes(UNSIZED + f"roll r on strangle:\n    when vix < 15\n    {action}\n") == []


def test_expect_resizes_names_a_roll() -> None:
    rules = SIZED + "roll rebalance on condor:\n    when vix < 15\n    resize\n"
    good = rules + 'test "t":\n    expect rebalance resizes 3\n'
    assert codes(good) == []
    bad = rules + 'test "t":\n    expect condor resizes 3\n'
    assert codes(bad) == [("ALVH501", 9, 12)]
