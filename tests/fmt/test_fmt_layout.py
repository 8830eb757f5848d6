"""Formatter rules one at a time: spacing, blank lines, line breaking, comments, bad input.

Each test states one rule of the canonical layout with the smallest input showing it.
"""

from __future__ import annotations

import pytest

from alvh_rules.fmt.formatter import format_text
from alvh_rules.fmt.shape import MAX_WIDTH
from alvh_rules.lang.diagnostics import RulesetError


def test_spacing_is_normalised() -> None:
    assert format_text("param   a=1   in 0 ..2\nlet b=a*2+-a") == (
        "param a = 1 in 0 .. 2\n\nlet b = a * 2 + -a\n"
    )


def test_clauses_go_on_their_own_indented_lines() -> None:
    assert format_text("entry e: require a > 1 when b size risk 1% of capital") == (
        "entry e:\n    require a > 1\n    when b\n    size risk 1% of capital\n"
    )


def test_limit_body_goes_on_the_next_line() -> None:
    assert format_text("limit cap: portfolio.vega > -5") == "limit cap:\n    portfolio.vega > -5\n"


def test_blank_line_between_kinds_and_between_rules() -> None:
    text = "param a = 1\nparam b = 2\nlet c = a\nentry e:\n when c\nentry f:\n when c\n"
    assert format_text(text) == (
        "param a = 1\nparam b = 2\n\nlet c = a\n\nentry e:\n    when c\n\nentry f:\n    when c\n"
    )


def test_one_blank_line_kept_between_items_of_one_kind() -> None:
    assert format_text("param a = 1\n\n\n\nparam b = 2\n") == "param a = 1\n\nparam b = 2\n"


def test_blank_lines_inside_a_rule_are_dropped() -> None:
    assert (
        format_text("entry e:\n\n    when a\n\n    when b\n")
        == "entry e:\n    when a\n    when b\n"
    )


def test_numbers_keep_their_spelling() -> None:
    assert format_text("let x = 1.50 + 2E-2 + 007 + 0.5%") == "let x = 1.50 + 2E-2 + 007 + 0.5%\n"


def test_minimal_parentheses() -> None:
    assert format_text("let x = ((a)) + (b * c) - (d - e)") == "let x = a + b * c - (d - e)\n"


def test_long_clause_breaks_before_top_level_operators() -> None:
    operands = [f"indicator_{i} > {i}" for i in range(8)]
    formatted = format_text("entry e:\n    when " + " and ".join(operands) + "\n")
    lines = formatted.splitlines()
    assert lines[1] == "    when indicator_0 > 0"
    assert lines[2:] == [f"        and indicator_{i} > {i}" for i in range(1, 8)]


def test_clause_of_exactly_max_width_stays_on_one_line() -> None:
    head = "    when a and "
    name = "b" * (MAX_WIDTH - len(head))
    text = f"entry e:\n{head}{name}\n"
    assert format_text(text) == text
    assert "\n        and" in format_text(text.replace(name, name + "b"))


def test_trailing_comment_keeps_its_unit_and_gets_two_spaces() -> None:
    assert format_text("param a = 1      # why one\n") == "param a = 1  # why one\n"


def test_comment_between_operands_keeps_its_place_and_breaks_the_clause() -> None:
    text = "entry e:\n    when a   # first\n      # second\n      or b\n"
    assert format_text(text) == "entry e:\n    when a  # first\n        # second\n        or b\n"


def test_comment_between_open_arguments_keeps_its_place() -> None:
    text = "entry e: open iron_condor dte 45d  # a month and a half\n delta 16delta\n"
    assert format_text(text) == (
        "entry e:\n    open iron_condor dte 45d  # a month and a half\n        delta 16delta\n"
    )


def test_long_open_clause_fills_its_lines() -> None:
    arguments = " ".join(f"width {i}pt" for i in range(14))
    lines = format_text(f"entry e: open condor {arguments}\n").splitlines()
    assert lines[1] == "    open condor " + " ".join(
        f"width {i}pt" for i in range(8)
    )  # 95 columns; one more is 105
    assert lines[2] == "        " + " ".join(f"width {i}pt" for i in range(8, 14))


def test_comment_inside_an_operand_moves_before_its_clause() -> None:
    text = "entry e:\n    when max(vix,  # the index\n      5d) > 30 or b\n"
    assert format_text(text) == "entry e:\n    # the index\n    when max(vix, 5d) > 30 or b\n"


def test_comments_keep_their_order_when_some_must_move() -> None:
    # "# one" could stay between the operands, but "# two" must move before the clause:
    # keeping the first in place would print them out of order, so both move.
    text = "entry e:\n    when a  # one\n      or max(b,  # two\n      c)\n"
    assert format_text(text) == "entry e:\n    # one\n    # two\n    when a or max(b, c)\n"


def test_indented_comment_after_last_clause_dangles_in_the_block() -> None:
    text = "entry e:\n    when a\n    # todo: add a size\nentry f:\n    when b\n"
    assert format_text(text) == (
        "entry e:\n    when a\n    # todo: add a size\n\nentry f:\n    when b\n"
    )


def test_column_one_comment_after_a_rule_leads_the_next_item() -> None:
    text = "entry e:\n    when a\n# about f\nentry f:\n    when b\n"
    assert format_text(text) == "entry e:\n    when a\n\n# about f\nentry f:\n    when b\n"


def test_file_of_comments_only() -> None:
    assert format_text("# one\n\n\n# two") == "# one\n\n# two\n"


def test_comment_text_is_kept_byte_for_byte() -> None:
    assert format_text("#no space  \t\nparam a = 1\n") == "#no space  \t\nparam a = 1\n"


def test_crlf_is_kept() -> None:
    text = "param a = 1  # one\r\nentry e:\r\n  when a\r\n"
    assert format_text(text) == "param a = 1  # one\r\n\r\nentry e:\r\n    when a\r\n"


def test_final_newline_is_added_and_extra_ones_removed() -> None:
    assert format_text("param a = 1") == "param a = 1\n"
    assert format_text("param a = 1\n\n\n\n") == "param a = 1\n"


def test_empty_file_stays_empty() -> None:
    assert format_text("") == ""
    assert format_text("\n\n  \n") == ""


def test_file_that_does_not_parse_raises() -> None:
    with pytest.raises(RulesetError) as raised:
        format_text("entry e:\n    when a >\n", "broken.alvh")
    assert [str(d.span) for d in raised.value.diagnostics] == ["broken.alvh:2:13"]


def test_syntax_errors_in_a_crlf_file_point_at_the_source_columns() -> None:
    with pytest.raises(RulesetError) as raised:
        format_text("entry e:\r\n    when a >\r\nparam x = \r\n", "broken.alvh")
    assert [str(d.span) for d in raised.value.diagnostics] == [
        "broken.alvh:2:13",
        "broken.alvh:3:11",
    ]
