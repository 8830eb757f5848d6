"""`alvh lsp`: the language server (pygls 2, stdio) and the handlers that join its features.

Every handler catches and logs its own failures, so no text typed into a document can
stop the server. Checks run on one worker thread; an edit superseded before its check
starts is skipped, and the newest text always gets its diagnostics published.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from alvh_rules import __version__
from alvh_rules.check.symbols import Symbol
from alvh_rules.lsp import completion, editing, hover, navigation
from alvh_rules.lsp.documents import DocumentState, DocumentStore
from alvh_rules.lsp.lookup import import_at, symbol_at, word_at

logger = logging.getLogger("alvh_rules.lsp")

Handler = TypeVar("Handler", bound=Callable[..., Any])


class _AtCursor(Protocol):
    """Any request made at a position of a document (hover, definition, completion...)."""

    @property
    def text_document(self) -> types.TextDocumentIdentifier: ...

    @property
    def position(self) -> types.Position: ...


class AlvhLanguageServer(LanguageServer):
    """The pygls server plus the check results of every open document."""

    def __init__(self) -> None:
        super().__init__("alvh", __version__)
        self.store = DocumentStore()
        self.wanted_versions: dict[str, int] = {}
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alvh-check")

    def state_of(self, uri: str) -> DocumentState:
        self.store.folders = self._folders()
        return self.store.open(uri, to_fs_path(uri) if uri.startswith("file:") else None)

    def _folders(self) -> list[Path]:
        folders = [to_fs_path(f.uri) for f in self.workspace.folders.values()]
        folders.append(self.workspace.root_path)
        return [Path(f).resolve() for f in folders if f]

    def document(self, uri: str) -> TextDocument:
        return self.workspace.get_text_document(uri)


def guarded(default: Any) -> Callable[[Handler], Handler]:
    """Log any exception of a handler and answer `default` instead of failing."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def safe(*args: Any) -> Any:
            try:
                return handler(*args)
            except Exception:
                logger.exception("alvh lsp: %s failed", handler.__name__)
                return default

        return cast(Handler, safe)

    return decorate


def _diagnose(ls: AlvhLanguageServer, uri: str, version: int) -> list[types.Diagnostic] | None:
    """Check the document's current text (on the worker thread); None if a newer edit came."""
    if ls.wanted_versions.get(uri) != version:
        return None
    document = ls.document(uri)
    text = document.source
    state = ls.state_of(uri)
    try:
        found = editing.document_diagnostics(state, text)
    except Exception as error:  # a checker bug must still leave the editor an answer
        logger.exception("alvh lsp: checking %s failed", uri)
        return [editing.internal_error_diagnostic(error)]
    codec, lines = document.position_codec, document.lines
    for diagnostic in found:
        diagnostic.range = _client_range(codec, lines, diagnostic.range)
    return found


def _client_range(codec: Any, lines: Any, code_points: types.Range) -> types.Range:
    try:
        converted: types.Range = codec.range_to_client_units(lines, code_points)
        return converted
    except Exception:
        return code_points


async def refresh(ls: AlvhLanguageServer, uri: str, version: int | None) -> None:
    """Publish diagnostics for the document's newest text."""
    try:
        stamp = ls.wanted_versions.get(uri, 0) + 1
        ls.wanted_versions[uri] = stamp
        await asyncio.sleep(0)  # let edits already received supersede this one
        if ls.wanted_versions.get(uri) != stamp:
            return
        loop = asyncio.get_running_loop()
        found = await loop.run_in_executor(ls.checker, _diagnose, ls, uri, stamp)
        if found is None:
            return
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=version)
        )
    except Exception:
        logger.exception("alvh lsp: diagnostics for %s failed", uri)


def _cursor(
    ls: AlvhLanguageServer, params: _AtCursor
) -> tuple[TextDocument, DocumentState, int, int]:
    """The document, its state and the cursor as 0-based line and code-point column."""
    document = ls.document(params.text_document.uri)
    position = document.position_codec.position_from_client_units(document.lines, params.position)
    return document, ls.state_of(params.text_document.uri), position.line, position.character


def _declared_under_cursor(
    document: TextDocument, state: DocumentState, line: int, column: int
) -> Symbol | None:
    """The declared name at the cursor: by the checker's spans, else (while the text has
    moved on from the last good check) by the name itself, since a program has one namespace."""
    word = word_at(document.lines, line, column)
    ruleset = state.ruleset
    if word is None or word.after_dot or ruleset is None:
        return None
    symbol = symbol_at(ruleset, state.path, line + 1, column + 1)
    if symbol is not None and symbol.name == word.text:
        return symbol
    by_name = ruleset.program.symbols.get(word.text)
    return by_name if by_name is not None and by_name.span is not None else None


@guarded(None)
def on_hover(ls: AlvhLanguageServer, params: types.HoverParams) -> types.Hover | None:
    document, state, line, column = _cursor(ls, params)
    word = word_at(document.lines, line, column)
    if word is None:
        return None
    ruleset = state.ruleset
    symbol = _declared_under_cursor(document, state, line, column)
    text = hover.symbol_hover(ruleset, symbol) if ruleset and symbol else None
    text = text or hover.word_hover(word)
    if not text:
        return None
    contents = types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    return types.Hover(
        contents=contents, range=_client_range(document.position_codec, document.lines, word.range)
    )


@guarded(None)
def on_definition(ls: AlvhLanguageServer, params: types.DefinitionParams) -> types.Location | None:
    document, state, line, column = _cursor(ls, params)
    imported = import_at(document.lines, line, state.path)
    if imported is not None:
        return navigation.import_location(imported)
    symbol = _declared_under_cursor(document, state, line, column)
    return navigation.definition(symbol) if symbol is not None else None


@guarded(None)
def on_references(
    ls: AlvhLanguageServer, params: types.ReferenceParams
) -> list[types.Location] | None:
    document, state, line, column = _cursor(ls, params)
    symbol = _declared_under_cursor(document, state, line, column)
    if symbol is None:
        return None
    return navigation.references(symbol, params.context.include_declaration)


@guarded(None)
def on_completion(
    ls: AlvhLanguageServer, params: types.CompletionParams
) -> types.CompletionList | None:
    document, state, line, column = _cursor(ls, params)
    before = document.lines[line][:column] if line < len(document.lines) else ""
    items = completion.complete(before, state.ruleset)
    return types.CompletionList(is_incomplete=False, items=items)


@guarded([])
def on_document_symbol(
    ls: AlvhLanguageServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol]:
    state = ls.state_of(params.text_document.uri)
    ruleset = state.ruleset
    return navigation.document_symbols(ruleset, state.path) if ruleset else []


@guarded([])
def on_formatting(
    ls: AlvhLanguageServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit]:
    document = ls.document(params.text_document.uri)
    return editing.format_edits(document.source, document.lines)


def build_server() -> AlvhLanguageServer:
    """A server with every feature registered (not started)."""
    server = AlvhLanguageServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: AlvhLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        await refresh(ls, params.text_document.uri, params.text_document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: AlvhLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        await refresh(ls, params.text_document.uri, params.text_document.version)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: AlvhLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        await refresh(ls, params.text_document.uri, None)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AlvhLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.store.close(uri)
        ls.wanted_versions.pop(uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    server.feature(types.TEXT_DOCUMENT_HOVER)(on_hover)
    server.feature(types.TEXT_DOCUMENT_DEFINITION)(on_definition)
    server.feature(types.TEXT_DOCUMENT_REFERENCES)(on_references)
    server.feature(
        types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["."])
    )(on_completion)
    server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)(on_document_symbol)
    server.feature(types.TEXT_DOCUMENT_FORMATTING)(on_formatting)
    return server


def serve_stdio() -> None:
    """Run the server on standard input and output until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    build_server().start_io()
