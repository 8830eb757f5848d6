"""What a newcomer types by mistake gets a did-you-mean (issue 14, part 5): misspelt
keywords, `=` where `==` compares, `&&` and `||` from other languages."""

from __future__ import annotations

import pytest

from alvh_rules.check import check_text


@pytest.mark.parametrize(
    ("source", "code", "hint"),
    [
        ("entyr e:\n    when vix > 30vp\n", "ALVH011", "did you mean 'entry'?"),
        ("entry e:\n    wehn vix > 30vp\n", "ALVH011", "did you mean 'when'?"),
        ("entry e:\n    blok vix > 30vp\n", "ALVH011", "did you mean 'block'?"),
        ("pram x = 1\n", "ALVH011", "did you mean 'param'?"),
        ("regime a: when vix > 30vp\nregime b: otherwse\n", "ALVH016", "did you mean 'otherwise'?"),
        (
            "entry e:\n    when vix > 30vp\n    opne iron_condor\n",
            "ALVH011",
            "did you mean 'open'?",
        ),
        ("let a = not (vix = 4vp)\n", "ALVH011", "did you mean '=='?"),
        ("entry e:\n    when !(vix > 30vp)\n", "ALVH010", "did you mean `not`?"),
        ("regime r: when vix = 30vp\nregime s: otherwise\n", "ALVH011", "did you mean '=='?"),
        ("entry e:\n    when vix > 30vp && vix < 40vp\n", "ALVH010", "did you mean `and`?"),
        ("entry e:\n    when vix > 30vp || vix < 40vp\n", "ALVH010", "did you mean `or`?"),
    ],
)
def test_typo_gets_a_did_you_mean(source: str, code: str, hint: str) -> None:
    diagnostics = check_text(source, "typo.alvh").diagnostics
    assert [d.code for d in diagnostics] == [code]
    assert hint in diagnostics[0].hint


def test_an_unrelated_name_gets_no_guess() -> None:
    diagnostics = check_text("entry e:\n    zzzzqq vix > 30vp\n", "typo.alvh").diagnostics
    assert [d.code for d in diagnostics] == ["ALVH011"]
    assert diagnostics[0].hint == ""


@pytest.mark.parametrize(
    ("source", "hint"),
    [
        ("let vïx_rsi = rsi(vix, 14)\n", "names use the ASCII letters a-z and A-Z"),
        ("entry é: when vix > 20vp\n", "names use the ASCII letters a-z and A-Z"),
        ("entry e: when vix > \u221220vp\n", "a minus sign is the ASCII '-'"),
        ("entry e: when vix > \u201320vp\n", "a minus sign is the ASCII '-'"),
    ],
)
def test_a_character_that_is_not_ascii_is_named_as_such(source: str, hint: str) -> None:
    # 'é' is a letter to a trader: "names use letters" alone did not say why it was refused
    (diagnostic,) = check_text(source, "typo.alvh").diagnostics
    assert diagnostic.code == "ALVH010" and "not ASCII" in diagnostic.message
    assert hint in diagnostic.hint


@pytest.mark.parametrize(
    "source", ["entry e:\n    block within -1d of fomc\n", "let a = within -2 of cpi\n"]
)
def test_a_negative_within_window_says_what_a_window_is(source: str) -> None:
    # it read "expected a value (a number, ...), found the number -1": a number is a value
    (diagnostic,) = check_text(source, "typo.alvh").diagnostics
    assert diagnostic.code == "ALVH011"
    assert diagnostic.message.startswith("`within` needs a count of days of 0 or more, found -")
    assert "either side" in diagnostic.hint


def test_a_negative_count_elsewhere_keeps_the_general_message() -> None:
    source = 'entry e: when vix > 20vp\ntest "t":\n    expect e opens -1\n'
    (diagnostic,) = check_text(source, "typo.alvh").diagnostics
    assert "within" not in diagnostic.message + diagnostic.hint


@pytest.mark.parametrize(
    ("source", "hint"),
    [
        ("entry e: when VIX > 20vp\n", "did you mean 'vix'? case matters in names"),
        ("entry e:\n    block within 1d of FOMC\n", "did you mean 'fomc'? case matters in names"),
        ("// my rules\nentry e: when vix > 20vp\n", "comments start with `#`"),
        ("entry e: when vix > 20vp // high\n", "comments start with `#`"),
        ("entry e: when 20vp < vix < 30vp\n", "comparisons do not chain"),
        ("entry e: when vix > 20vp == true\n", "comparisons do not chain"),
        ("entry e: when vix between 20vp and 30vp\n", "write x in low .. high"),
    ],
)
def test_habits_from_other_languages_get_a_hint(source: str, hint: str) -> None:
    # each was an error without a hint (or "known events: ..."), `VIX` with none at all
    (diagnostic,) = check_text(source, "typo.alvh").diagnostics
    assert hint in diagnostic.hint


def test_an_event_the_calendar_does_not_have_lists_those_it_has() -> None:
    # days_since(earnings) got no hint at all
    source = "entry e: when days_since(earnings) < 3\n"
    (diagnostic,) = check_text(source, "typo.alvh").diagnostics
    assert diagnostic.code == "ALVH109"
    assert diagnostic.hint == "known events: fomc, cpi, ppi, vix_expiry"


def test_a_position_compared_as_a_number_is_told_to_read_a_field() -> None:
    source = (
        "entry base:\n    when vix > 20vp\n"
        "    open iron_condor dte 30d delta 16delta wings 25pt\n    size contracts 1\n"
        "entry e: when base > 0\n"
    )
    (diagnostic,) = check_text(source, "typo.alvh").diagnostics
    assert diagnostic.code == "ALVH202" and "base_condor.profit" in diagnostic.hint


def test_a_file_of_comments_alone_warns_as_an_empty_one() -> None:
    # it checked cleanly without a word, where an empty file warns ALVH006
    (diagnostic,) = check_text("# my condor rules, to write\n# later\n", "notes.alvh").diagnostics
    assert (diagnostic.code, diagnostic.severity) == ("ALVH006", "warning")
    assert diagnostic.message == "the file holds only comments"
