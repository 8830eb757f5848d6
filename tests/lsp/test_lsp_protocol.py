"""Round trips with a real `alvh lsp` process: diagnostics with codes, hover, definition,
references, completion, document symbols and formatting, over stdio through pygls' client.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_session import ServerSession
from lsprotocol import types

LIBRARY = """ruleset "library"
version 1
param rsi_cap = 60 in 50 .. 70
"""

MAIN = """ruleset "main"
version 1

import "library.alvh"

param wing_width = 25pt in 10pt .. 50pt
let vix_rsi = rsi(vix, 14)
regime steward: when roe > 12%
regime promoter: otherwise
entry core:
    when regime == steward and vix_rsi < rsi_cap
    open iron_condor dte 45d delta 16delta wings wing_width
    size risk 1% of capital
roll take_profit on core:
    when position.profit >= 50% of position.max_profit
    close
"""


@pytest.fixture
def main_document(tmp_path: Path, lsp: ServerSession) -> tuple[str, Path]:
    (tmp_path / "library.alvh").write_text(LIBRARY)
    main = tmp_path / "main.alvh"
    main.write_text(MAIN)
    uri = main.as_uri()
    version = lsp.open(uri, MAIN)
    assert list(lsp.diagnostics(uri, version).diagnostics) == []
    return uri, tmp_path


def where(needle: str, nth: int = 0, text: str = MAIN) -> tuple[int, int]:
    """0-based (line, character) one character into the nth occurrence of `needle`."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _at(uri: str, line: int, character: int) -> dict[str, object]:
    return {
        "text_document": types.TextDocumentIdentifier(uri=uri),
        "position": types.Position(line=line, character=character),
    }


def _hover_text(lsp: ServerSession, uri: str, line: int, character: int) -> str:
    hover = lsp.run(
        lsp.client.text_document_hover_async(types.HoverParams(**_at(uri, line, character)))
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    return hover.contents.value


def test_server_announces_its_features(lsp: ServerSession) -> None:
    capabilities = lsp.capabilities
    assert capabilities.hover_provider
    assert capabilities.definition_provider
    assert capabilities.document_formatting_provider
    assert capabilities.completion_provider is not None


def test_diagnostics_carry_codes_source_and_zero_based_ranges(
    lsp: ServerSession, tmp_path: Path
) -> None:
    uri = (tmp_path / "typo.alvh").as_uri()  # never saved: checked from the buffer
    version = lsp.open(uri, 'ruleset "t"\nversion 1\nlet fast = rsi(vixx, 14)\n')
    published = lsp.diagnostics(uri, version).diagnostics
    by_code = {d.code: d for d in published}
    assert set(by_code) == {"ALVH101", "ALVH104"}
    unknown = by_code["ALVH101"]
    assert unknown.source == "alvh"
    assert unknown.severity == types.DiagnosticSeverity.Error
    assert (unknown.range.start.line, unknown.range.start.character) == (2, 15)
    assert (unknown.range.end.line, unknown.range.end.character) == (2, 19)
    assert "did you mean 'vix'" in unknown.message
    assert by_code["ALVH104"].severity == types.DiagnosticSeverity.Warning


def test_syntax_error_then_fix_publishes_each_time(lsp: ServerSession, tmp_path: Path) -> None:
    uri = (tmp_path / "typing.alvh").as_uri()
    version = lsp.open(uri, 'ruleset "t"\nversion 1\nparam x = \n')
    codes = [d.code for d in lsp.diagnostics(uri, version).diagnostics]
    assert codes and all(str(code).startswith("ALVH") for code in codes)
    version = lsp.replace(uri, 'ruleset "t"\nversion 1\nparam x = 3\nlet y = x + vix\n')
    # a param and a let decide nothing: the file has no rules (ALVH403)
    assert [d.code for d in lsp.diagnostics(uri, version).diagnostics] == ["ALVH403", "ALVH104"]


def test_errors_of_an_imported_file_are_summed_up_on_its_import_line(
    lsp: ServerSession, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.alvh"
    broken.write_text('ruleset "b"\nversion 1\nlet bad = nope + 1\n')
    uri = (tmp_path / "uses.alvh").as_uri()
    version = lsp.open(uri, 'ruleset "u"\nversion 1\nimport "broken.alvh"\n')
    (summary,) = lsp.diagnostics(uri, version).diagnostics
    assert summary.range.start.line == 2
    assert summary.code == "ALVH101" and "broken.alvh has 1 error" in summary.message
    (related,) = summary.related_information or []
    assert related.location.uri == broken.as_uri()
    assert related.location.range.start == types.Position(line=2, character=10)


def test_hover_on_param_let_function_field_and_member(
    lsp: ServerSession, main_document: tuple[str, Path]
) -> None:
    uri, _ = main_document
    param = _hover_text(lsp, uri, *where("wing_width", 1))
    assert "default `25pt`" in param and "bounds `10pt .. 50pt`" in param and "`pt`" in param
    imported = _hover_text(lsp, uri, *where("rsi_cap"))
    assert "default `60`" in imported and "`50 .. 70`" in imported
    let = _hover_text(lsp, uri, *where("vix_rsi", 1))
    assert "let vix_rsi = rsi(vix, 14)" in let
    function = _hover_text(lsp, uri, *where("rsi("))
    assert "rsi(x: series, n: count=14)" in function and "n + 1 bars" in function
    field = _hover_text(lsp, uri, *where("vix,"))
    assert "Cboe VIX close" in field and "`vp`" in field and "16:00 ET" in field
    member = _hover_text(lsp, uri, *where("profit >="))
    assert "open profit since entry" in member and "`$`" in member
    rule = _hover_text(lsp, uri, *where("take_profit"))
    assert "roll take_profit of core" in rule


def test_hover_on_days_held_gives_its_unit_and_meaning(lsp: ServerSession, tmp_path: Path) -> None:
    text = "entry base:\n    when vix > 0\nlayer later on base:\n    when base.days_held >= 17d\n"
    uri = (tmp_path / "aged.alvh").as_uri()
    assert list(lsp.diagnostics(uri, lsp.open(uri, text)).diagnostics) == []
    member = _hover_text(lsp, uri, *where("days_held", text=text))
    assert "calendar days since it opened" in member and "`d`" in member


def test_definition_of_param_rule_target_and_import(
    lsp: ServerSession, main_document: tuple[str, Path]
) -> None:
    uri, folder = main_document
    params = types.DefinitionParams(**_at(uri, *where("rsi_cap")))
    location = lsp.run(lsp.client.text_document_definition_async(params))
    assert isinstance(location, types.Location)
    assert location.uri == (folder / "library.alvh").as_uri()
    assert location.range.start == types.Position(line=2, character=6)
    target = lsp.run(
        lsp.client.text_document_definition_async(
            types.DefinitionParams(**_at(uri, *where("core:", 1)))
        )
    )
    assert isinstance(target, types.Location)
    assert (target.uri, target.range.start.line) == (uri, 9)
    imported = lsp.run(
        lsp.client.text_document_definition_async(
            types.DefinitionParams(**_at(uri, *where("library")))
        )
    )
    assert isinstance(imported, types.Location)
    assert imported.uri == (folder / "library.alvh").as_uri()


def test_references_list_every_use(lsp: ServerSession, main_document: tuple[str, Path]) -> None:
    uri, _ = main_document
    params = types.ReferenceParams(
        context=types.ReferenceContext(include_declaration=True), **_at(uri, *where("steward"))
    )
    found = lsp.run(lsp.client.text_document_references_async(params))
    assert found is not None
    assert sorted(loc.range.start.line for loc in found) == [7, 10]


def _labels(lsp: ServerSession, uri: str, line: int, character: int) -> set[str]:
    params = types.CompletionParams(**_at(uri, line, character))
    answer = lsp.run(lsp.client.text_document_completion_async(params))
    assert isinstance(answer, types.CompletionList)
    return {item.label for item in answer.items}


def test_completion_by_context(lsp: ServerSession, main_document: tuple[str, Path]) -> None:
    uri = (main_document[1] / "complete.alvh").as_uri()
    text = MAIN + "let a = position.\nentry b:\n    open \nparam c = 45\nlet d = vi\n"
    lsp.diagnostics(uri, lsp.open(uri, MAIN))  # a good check first: names come from it
    version = lsp.replace(uri, text)  # text with syntax errors, as while typing
    assert lsp.diagnostics(uri, version).diagnostics
    members = _labels(lsp, uri, 16, 17)
    assert {"delta", "vega", "max_profit", "days_held"} <= members and "capital" not in members
    assert {"iron_condor", "vix_call"} <= _labels(lsp, uri, 18, 9)
    assert {"d", "pt", "%", "$/vp"} <= _labels(lsp, uri, 19, 12)
    scope = _labels(lsp, uri, 20, 10)
    assert {"vix", "vix_rsi", "rsi_cap", "wing_width", "rsi", "sma", "steward", "when"} <= scope


def test_document_symbols_outline_the_file(
    lsp: ServerSession, main_document: tuple[str, Path]
) -> None:
    uri, _ = main_document
    params = types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    symbols = lsp.run(lsp.client.text_document_document_symbol_async(params))
    assert symbols is not None
    outline = [(s.name, s.detail) for s in symbols if isinstance(s, types.DocumentSymbol)]
    assert outline == [
        ("wing_width", "param"),
        ("vix_rsi", "let"),
        ("steward", "regime"),
        ("promoter", "regime"),
        ("core", "entry"),
        ("take_profit", "roll of core"),
    ]


def _format(lsp: ServerSession, uri: str) -> list[types.TextEdit]:
    params = types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        options=types.FormattingOptions(tab_size=4, insert_spaces=True),
    )
    return list(lsp.run(lsp.client.text_document_formatting_async(params)) or [])


def test_formatting_rewrites_the_document_or_leaves_broken_text(
    lsp: ServerSession, tmp_path: Path
) -> None:
    uri = (tmp_path / "messy.alvh").as_uri()
    lsp.open(uri, 'ruleset "m"\nversion 1\nparam   x=3\nlet y = x+vix\n')
    edits = _format(lsp, uri)
    assert len(edits) == 1
    assert edits[0].new_text == 'ruleset "m"\nversion 1\n\nparam x = 3\n\nlet y = x + vix\n'
    lsp.replace(uri, 'ruleset "m"\nparam x = (\n')
    assert _format(lsp, uri) == []


def test_navigation_serves_the_last_good_check_while_text_is_broken(
    lsp: ServerSession, main_document: tuple[str, Path]
) -> None:
    uri, folder = main_document
    shifted = "# two new lines\n\n" + MAIN + "let broken = (\n"
    version = lsp.replace(uri, shifted)
    assert lsp.diagnostics(uri, version).diagnostics  # the syntax error
    line, character = where("rsi_cap", text=shifted)
    params = types.DefinitionParams(**_at(uri, line, character))
    location = lsp.run(lsp.client.text_document_definition_async(params))
    assert isinstance(location, types.Location)
    assert location.uri == (folder / "library.alvh").as_uri()
    assert "default `25pt`" in _hover_text(lsp, uri, *where("wing_width", 1, shifted))
