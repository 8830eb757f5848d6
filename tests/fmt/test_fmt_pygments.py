"""The Pygments lexer: registered as `alvh`, lossless, and no Error token on any valid file.

Files checked: every `.alvh` under `rulesets/` and under `tests/fmt/`, plus generated
rulesets with comments anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fmt_strategies import rulesets
from hypothesis import HealthCheck, given, settings
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Error, Keyword, Name, Number, Token

from alvh_rules.fmt.pygments_lexer import AlvhLexer

REPO = Path(__file__).resolve().parents[2]
FILES = sorted({*(REPO / "rulesets").rglob("*.alvh"), *Path(__file__).parent.rglob("*.alvh")})


def _tokens(text: str) -> list[tuple[object, str]]:
    return list(AlvhLexer(stripnl=False).get_tokens(text))


def test_lexer_is_found_by_name_and_file_extension() -> None:
    # Through the `pygments.lexers` entry point declared in pyproject.toml.
    assert isinstance(get_lexer_by_name("alvh"), AlvhLexer)
    assert isinstance(get_lexer_for_filename("rules/vega.alvh"), AlvhLexer)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_token_of_a_valid_file_is_known(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tokens = _tokens(text)
    assert [value for kind, value in tokens if kind in Error] == []
    assert "".join(value for _, value in tokens) == text  # lossless


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rulesets())
def test_generated_rulesets_lex_without_errors(source: str) -> None:
    tokens = _tokens(source)
    assert [value for kind, value in tokens if kind in Error] == []


def test_token_kinds_of_the_trader_words() -> None:
    kinds = {value: kind for kind, value in _tokens("entry base: open iron_condor delta 16delta\n")}
    assert kinds["entry"] in Keyword.Declaration
    assert kinds["base"] in Name.Function
    assert kinds["16"] in Number
    assert kinds["delta"] in Keyword  # the open argument and the unit suffix alike
    kinds = {value: kind for kind, value in _tokens("roll r on e: roll forward 30d\n")}
    assert kinds["r"] in Name.Function
    assert kinds["forward"] in Keyword
    assert kinds["forward"] not in Name


def test_a_number_in_exponent_form_keeps_its_unit() -> None:
    tokens = [(kind, value) for kind, value in _tokens("capital > 1e6$\n") if value.strip()]
    assert tokens[2:] == [(Number, "1e6"), (Keyword.Type, "$")]


def test_unterminated_string_is_not_an_error() -> None:
    # A file being typed: the highlighter must not flash red on every keystroke.
    assert all(kind not in Error for kind, _ in _tokens('let title = "not closed\nlet x = 1\n'))
    assert Token.Error not in {kind for kind, _ in _tokens("let x = 1 # done\n")}
