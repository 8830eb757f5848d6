"""Bad input: every case is a diagnostic with a location, never a crash or a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alvh_rules.check import check_file, check_text, load
from alvh_rules.lang.diagnostics import RulesetError
from alvh_rules.syntax.parser import parse

VALID = """ruleset "sample"
version 1
param condor_dte = 45d in 15d .. 45d
let vix_rsi = rsi(vix, 14)
regime steward: when roe > 10%
regime promoter: otherwise
limit max_short_vega:
    portfolio.vega >= (steward: -180$/vp, promoter: -90$/vp)[regime]
entry base_condor:
    block within 1d of fomc, cpi
    when regime == steward or (vix_rsi < 60 and max(vix_rsi, 5d) >= 60)
    open iron_condor dte condor_dte delta 16delta wings 25pt
    size risk 1% of capital
roll take_profit on base_condor:
    when position.profit >= 50% of position.max_profit
    close
"""


def codes(path: Path, **kwargs: object) -> list[str]:
    return [d.code for d in check_file(path, **kwargs).diagnostics]  # type: ignore[arg-type]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_valid_sample_checks_cleanly(tmp_path: Path) -> None:
    assert codes(write(tmp_path, "ok.alvh", VALID.encode())) == []


def test_empty_file_is_a_located_warning(tmp_path: Path) -> None:
    report = check_file(write(tmp_path, "empty.alvh", b""))
    assert [(d.code, d.severity, d.span.line, d.span.column) for d in report.diagnostics] == [
        ("ALVH006", "warning", 1, 1)
    ]


def test_binary_bytes(tmp_path: Path) -> None:
    report = check_file(write(tmp_path, "bin.alvh", b"let a = 1\n\xff\xfe\x00\x01binary"))
    assert [(d.code, d.span.line, d.span.column) for d in report.diagnostics] == [("ALVH001", 2, 1)]


def test_nul_bytes_in_utf8_text(tmp_path: Path) -> None:
    report = check_file(write(tmp_path, "nul.alvh", b"let a = 1\x00\n"))
    assert [d.code for d in report.diagnostics] == ["ALVH010"]
    assert "binary" in report.diagnostics[0].message


def test_twenty_megabyte_file(tmp_path: Path) -> None:
    line = b"let a = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9  # filler\n"
    path = write(tmp_path, "big.alvh", line * (20_000_000 // len(line) + 1))
    assert os.path.getsize(path) > 20_000_000
    report = check_file(path)
    assert [(d.code, d.span.line) for d in report.diagnostics] == [("ALVH002", 1)]
    with pytest.raises(RulesetError):
        parse((line * (20_000_000 // len(line) + 1)).decode())


def test_ten_thousand_nested_parentheses() -> None:
    text = "let a = " + "(" * 10_000 + "1" + ")" * 10_000 + "\nentry e: when vix > a\n"
    report = check_text(text, "deep.alvh")
    assert report.diagnostics == []  # parentheses alone add no depth: the value is just 1
    unbalanced = check_text("let a = " + "(" * 10_000 + "1\n", "open.alvh")
    [problem] = unbalanced.diagnostics
    assert problem.code in ("ALVH011", "ALVH017") and "')'" in problem.message


def test_deeply_nested_operators_are_cut_off() -> None:
    text = "let a = " + "-" * 5_000 + "1\nentry e: when a > 0\n"
    report = check_text(text, "neg.alvh")
    assert "ALVH003" in [d.code for d in report.diagnostics]


def test_unterminated_string(tmp_path: Path) -> None:
    report = check_file(
        write(tmp_path, "s.alvh", b'ruleset "never closed\nentry e: when vix > 1\n')
    )
    assert [(d.code, d.span.line, d.span.column) for d in report.diagnostics] == [("ALVH010", 1, 9)]


def test_tabs_and_crlf(tmp_path: Path) -> None:
    text = VALID.replace("    ", "\t").replace("\n", "\r\n")
    assert codes(write(tmp_path, "crlf.alvh", text.encode())) == []
    broken = check_file(write(tmp_path, "crlf_bad.alvh", b"entry e:\r\n\twhen vixx > 1\r\n"))
    assert [(d.code, d.span.line, d.span.column) for d in broken.diagnostics] == [("ALVH101", 2, 7)]


def test_missing_import(tmp_path: Path) -> None:
    path = write(tmp_path, "main.alvh", b'import "common/nope.alvh"\nentry e: when vix > 1\n')
    assert codes(path) == ["ALVH301"]


def test_import_outside_the_root(tmp_path: Path) -> None:
    write(tmp_path, "outside.alvh", b"let x = 1\n")
    path = write(tmp_path, "root/main.alvh", b'import "../outside.alvh"\nentry e: when vix > 1\n')
    assert codes(path) == ["ALVH302"]


def test_symlink_leading_outside_the_root(tmp_path: Path) -> None:
    write(tmp_path, "secret/x.alvh", b"let x = 1\n")
    (tmp_path / "root").mkdir()
    os.symlink(tmp_path / "secret", tmp_path / "root" / "link")
    path = write(tmp_path, "root/main.alvh", b'import "link/x.alvh"\nentry e: when vix > 1\n')
    report = check_file(path)
    assert [d.code for d in report.diagnostics] == ["ALVH302"]
    assert "symlink" in report.diagnostics[0].message


def test_import_cycle_names_the_whole_chain(tmp_path: Path) -> None:
    write(tmp_path, "a.alvh", b'import "b.alvh"\nlet a = 1\n')
    write(tmp_path, "b.alvh", b'import "c.alvh"\nlet b = 1\n')
    write(tmp_path, "c.alvh", b'import "a.alvh"\nlet c = 1\n')
    main = write(tmp_path, "main.alvh", b'import "a.alvh"\nentry e: when vix > a + b + c\n')
    report = check_file(main)
    assert [d.code for d in report.diagnostics] == ["ALVH303"]
    assert (
        "a.alvh -> " in report.diagnostics[0].message
        and report.diagnostics[0].message.count("->") == 3
    )


def test_duplicate_rule_name(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.alvh", b"entry e: when vix > 1\nentry e: when vix > 2\n")
    report = check_file(path)
    assert [(d.code, d.span.line) for d in report.diagnostics] == [("ALVH102", 2)]


def test_all_syntax_errors_of_a_file_are_reported() -> None:
    text = "let a = (1\nentry b when x\nparam c 3\nlet d = 1 +\n"
    with pytest.raises(RulesetError) as caught:
        parse(text, "many.alvh")
    assert [d.span.line for d in caught.value.diagnostics] == [1, 2, 3, 4]


def test_load_raises_with_every_diagnostic(tmp_path: Path) -> None:
    path = write(tmp_path, "two.alvh", b"entry e: when vixx > 1\nentry f: when spxx > 1\n")
    with pytest.raises(RulesetError) as caught:
        load(path)
    assert [d.code for d in caught.value.diagnostics] == ["ALVH101", "ALVH101"]


fuzz_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@fuzz_settings
@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_ruleset_errors(text: str) -> None:
    try:
        parse(text, "fuzz.alvh")
    except RulesetError as error:
        assert error.diagnostics and all(
            d.span.line >= 1 and d.span.column >= 1 for d in error.diagnostics
        )
    check_text(text, "/nonexistent/fuzz.alvh")  # the checker returns diagnostics, never raises


@fuzz_settings
@given(st.data())
def test_mutated_valid_rulesets_never_crash(data: st.DataObject) -> None:
    text = VALID
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["delete", "insert", "swap"]))
        if action == "delete":
            text = text[:position] + text[position + data.draw(st.integers(1, 8)) :]
        elif action == "insert":
            text = (
                text[:position]
                + data.draw(st.sampled_from(list('()[]:,.+-*/<>=%$"#\n x1d')))
                + text[position:]
            )
        else:
            words = [
                "when",
                "open",
                "close",
                "roll",
                "entry",
                "param",
                "of",
                "within",
                "vix",
                "45d",
                "regime",
            ]
            text = text[:position] + data.draw(st.sampled_from(words)) + " " + text[position:]
    report = check_text(text, "/nonexistent/mutant.alvh")
    for diagnostic in report.diagnostics:
        assert diagnostic.code.startswith("ALVH") and diagnostic.span.line >= 1


HUGE = "9" * 5_000  # past Python's 4,300-digit limit of int()


@pytest.mark.parametrize(
    ("text", "what"),
    [
        (f'ruleset "x"\nversion {HUGE}\n', "a version"),
        (
            'ruleset "x"\nentry e:\n    when vix > 1\n    open iron_condor dte 45d delta 16delta '
            "wings 25pt\n    size contracts 1\n"
            f'test "t":\n    holding e: leg {HUGE} spx put strike 4300 expiring 2024-09-20\n',
            "a leg's quantity",
        ),
        (
            'ruleset "x"\nentry e:\n    when vix > 1\n    open iron_condor dte 45d delta 16delta '
            f'wings 25pt\n    size contracts 1\ntest "t":\n    expect e opens {HUGE}\n',
            "a number of contracts",
        ),
        (f'ruleset "x"\nversion {"9" * 10}\n', "a version"),
    ],
)
def test_a_whole_number_too_long_is_located(text: str, what: str) -> None:
    report = check_text(text, "huge.alvh")
    [problem] = [d for d in report.diagnostics if d.is_error]
    assert problem.code == "ALVH007" and f"is too large for {what}" in problem.message
    assert problem.span.line in (2, 8, 7)


def test_the_formatter_and_the_editor_report_a_huge_integer(tmp_path: Path) -> None:
    from alvh_rules.fmt.formatter import format_text
    from alvh_rules.lsp.incremental import IncrementalChecker

    with pytest.raises(RulesetError) as error:
        format_text(f'ruleset "x"\nversion {HUGE}\n')
    assert [d.code for d in error.value.diagnostics] == ["ALVH007"]
    text = f'ruleset "x"\nversion {HUGE}\n'
    checked = IncrementalChecker().check(text, tmp_path / "huge.alvh", tmp_path)
    assert "ALVH007" in [d.code for d in checked.diagnostics]


@pytest.mark.parametrize("operator", [" + ", " - ", " * ", " and ", " or "])
def test_a_flat_chain_counts_as_one_level_not_its_length(operator: str) -> None:
    terms = ["vix > 1"] * 200 if operator.strip() in ("and", "or") else ["vix"] * 200
    text = f"let a = {operator.join(terms)}\nentry e: when a\n"
    if operator.strip() not in ("and", "or"):
        text = text.replace("when a\n", "when a > 0\n")
    report = check_text(text, "chain.alvh")
    assert [d.code for d in report.diagnostics if d.is_error] == []


def test_nesting_inside_a_chain_still_counts() -> None:
    nested = "vix + " * 20 + "(vix + " * 98 + "vix" + ")" * 98  # 100 levels deep
    report = check_text(f"let a = {nested}\n", "n.alvh")
    assert "ALVH003" not in [d.code for d in report.diagnostics]
    deeper = "vix + " * 20 + "(vix + " * 99 + "vix" + ")" * 99
    report = check_text(f"let a = {deeper}\n", "n.alvh")
    assert "expression nests deeper than 100 levels" in [d.message for d in report.diagnostics]


def test_a_chain_too_long_for_the_later_phases_is_located() -> None:
    text = "let a = " + " + ".join(["vix"] * 300) + "\nentry e: when a > 0\n"
    [problem] = check_text(text, "long.alvh").diagnostics
    assert problem.code == "ALVH003" and "chain more than 250 levels tall" in problem.message
    assert (problem.span.line, problem.span.column) == (1, 9)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("rsi(vix, 14)", "sma(vix, 1e300)"), "sma() must be a constant whole number of 1 or more"),
        (("rsi(vix, 14)", "sma(vix, 50001)"), "at most 50,000"),
        (("rsi(vix, 14)", "vix[1e300]"), "a lookback must be a constant whole number of 0 or more"),
        (("dte condor_dte", "dte 99999999999999999999d"), "beyond every listed SPX expiry"),
        (("size risk 1% of capital", "size contracts 1e300"), "`contracts` is 1e+300: at most"),
    ],
)
def test_windows_lookbacks_and_orders_are_bounded(edit: tuple[str, str], message: str) -> None:
    text = VALID.replace(*edit)
    assert text != VALID
    errors = [d for d in check_text(text, "bounds.alvh").diagnostics if d.is_error]
    assert [message in d.message for d in errors] == [True], errors


def test_the_largest_window_still_evaluates() -> None:
    from alvh_rules import evaluate
    from alvh_rules.market import History

    text = VALID.replace("rsi(vix, 14)", "sma(vix, 50000)")
    report = check_text(text, "big_window.alvh")
    assert report.ruleset is not None and not [d for d in report.diagnostics if d.is_error]
    decision = evaluate(report.ruleset, History.builtin().snapshot("2024-08-09", lookback=40))
    assert decision is not None


def test_many_broken_items_parse_the_known_mistake_examples_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each broken item is described against the known-mistake examples; they are parsed once
    per process, not once per item (4,000 broken items took 55 parses each, 9.3 s)."""
    from alvh_rules.syntax import parser as parser_module

    lark = parser_module._parsers().lark
    calls: list[str] = []
    original = lark.parse

    def counting(text: str, *args: object, **kwargs: object) -> object:
        calls.append(text)
        return original(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lark, "parse", counting)
    broken = "".join(f"let a{i} = (1 +\n" for i in range(300))
    with pytest.raises(RulesetError) as error:
        parse(broken, "broken.alvh")
    assert len(error.value.diagnostics) == 300
    # 1 whole-file parse + 300 items + at most one parse of each example.
    assert len(calls) < 301 + 100, len(calls)


def test_rendering_splits_each_source_once_whatever_the_diagnostic_count() -> None:
    from alvh_rules.cli.render import render_text
    from alvh_rules.lang.diagnostics import Diagnostic, Span

    splits: list[int] = []

    class Source(str):
        def splitlines(self, keepends: bool = False) -> list[str]:
            splits.append(len(self))
            return super().splitlines(keepends)

    line = " ".join(f"let a{i} = {i}" for i in range(20_000))  # one line of 300 kB
    diagnostics = [
        Diagnostic(
            code="ALVH104",
            severity="warning",
            span=Span(file="f.alvh", line=1, column=c, end_line=1, end_column=c + 3),
            message="the let is never used",
        )
        for c in range(1, 200_000, 500)
    ]
    text = render_text(diagnostics, {"f.alvh": Source(line)})
    assert splits == [len(line)]
    assert all(len(row) < 140 for row in text.splitlines())  # a window, not the whole line


def test_hints_in_a_huge_symbol_table_compare_a_bounded_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """N unknown names against M known ones cost N x M (93 s for 6,847 x 13,700); a hint now
    compares at most HINT_POOL names, and still finds a typo of a name in the table."""
    import difflib

    from alvh_rules.lang import diagnostics

    pools: list[int] = []
    original = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], *args: object, **kwargs: object) -> object:
        pools.append(len(possibilities))
        return original(word, possibilities, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(diagnostics.difflib, "get_close_matches", counting)
    lets = "".join(f"let v{i} = 1\n" for i in range(3000))
    refs = "".join(f"let w{i} = zz{i} + 1\n" for i in range(300))
    typo = "let spread_width_1234 = 1\nlet uses = spread_width_1243 + 1\n"
    report = check_text(lets + refs + typo, "many.alvh")
    assert len(pools) >= 300 and max(pools) <= diagnostics.HINT_POOL
    [hint] = [d.hint for d in report.diagnostics if "spread_width_1243" in d.message]
    assert "'spread_width_1234'" in hint
