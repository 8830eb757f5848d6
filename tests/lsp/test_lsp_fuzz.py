"""The server survives any text typed into it: a document driven through random edits
(snippets, stray characters, deletions) always gets diagnostics, and requests still answer.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsp_session import ServerSession
from lsprotocol import types

from alvh_rules.lsp import server as lsp_server

START = """ruleset "fuzz"
version 1
param cap = 60 in 50 .. 70
let fast = rsi(vix, 14)
regime calm: when vix < 20
regime other: otherwise
entry core:
    when fast < cap and regime == calm
    open iron_condor dte 45d delta 16delta wings 25pt
    size risk 1% of capital
"""

SNIPPETS = [
    "param ",
    "let x = ",
    "entry ",
    "layer h on core:\n    when ",
    "roll r on core:\n    close\n",
    "open ",
    "iron_condor ",
    "position.",
    "portfolio.",
    "rsi(",
    "macd(spx).",
    ")",
    "(",
    "[",
    "]",
    "16delta",
    "45d",
    "$/vp",
    "%",
    '"',
    "#",
    "\n",
    "\r\n",
    "\t",
    "    ",
    ":",
    " and ",
    " or not ",
    "..",
    'import "nowhere.alvh"\n',
    "é",
    "😀",
    "\x00",
    "\ufeff",
    'test "t":\n    on 2024-01-02\n',
    "1e999",
    "-",
    "vix",
]

insertion = st.tuples(
    st.just("insert"),
    st.floats(0, 1),
    st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=6)),
)
deletion = st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 40))
edits = st.lists(st.one_of(insertion, deletion), min_size=1, max_size=6)


def _position(text: str, offset: int) -> types.Position:
    """LSP position (UTF-16 units) of a code-point offset."""
    before = text[:offset]
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    return types.Position(line=line, character=len(column_text.encode("utf-16-le")) // 2)


def _apply(lsp: ServerSession, uri: str, text: str, edit: tuple[str, float, object]) -> str:
    kind, where, payload = edit
    start = int(where * len(text))
    if kind == "insert":
        inserted = str(payload)
        at = _position(text, start)
        lsp.edit(uri, types.Range(start=at, end=at), inserted)
        return text[:start] + inserted + text[start:]
    end = min(len(text), start + int(str(payload)))
    span = types.Range(start=_position(text, start), end=_position(text, end))
    lsp.edit(uri, span, "")
    return text[:start] + text[end:]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=edits)
def test_random_edits_always_get_diagnostics(
    lsp: ServerSession, tmp_path: Path, steps: list[tuple[str, float, object]]
) -> None:
    uri = (tmp_path / "fuzz.alvh").as_uri()
    lsp.diagnostics(uri, lsp.open(uri, START))
    text = START
    for step in steps:
        text = _apply(lsp, uri, text, step)
    version = lsp.next_version
    lsp.diagnostics(uri, version)  # the newest text always gets its diagnostics
    middle = _position(text, len(text) // 2)
    at = {"text_document": types.TextDocumentIdentifier(uri=uri), "position": middle}
    lsp.run(lsp.client.text_document_hover_async(types.HoverParams(**at)))
    lsp.run(lsp.client.text_document_completion_async(types.CompletionParams(**at)))
    formatting = types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        options=types.FormattingOptions(tab_size=4, insert_spaces=True),
    )
    lsp.run(lsp.client.text_document_formatting_async(formatting))
    assert lsp.alive()


class _Broken:
    """Stands in for the server: every attribute access fails, as a bug in a feature would."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(f"broken {name}")


def test_handlers_log_failures_and_answer_empty() -> None:
    at = {
        "text_document": types.TextDocumentIdentifier(uri="file:///x.alvh"),
        "position": types.Position(line=0, character=0),
    }
    assert lsp_server.on_hover(_Broken(), types.HoverParams(**at)) is None
    assert lsp_server.on_completion(_Broken(), types.CompletionParams(**at)) is None
    symbols = types.DocumentSymbolParams(text_document=at["text_document"])
    assert lsp_server.on_document_symbol(_Broken(), symbols) == []


def test_fuzzed_server_logged_no_failures(lsp: ServerSession) -> None:
    # Runs after the fuzz test in this module: a handler that failed would have logged it.
    logged = [line for line in lsp.stderr_lines if "failed" in line.lower() or "Traceback" in line]
    assert not logged
