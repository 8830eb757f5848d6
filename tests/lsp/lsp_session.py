"""A real `alvh lsp` process driven by pygls' own LanguageClient, for synchronous tests.

The client's asyncio loop runs on a background thread; `request` and `notify` hand it
work and wait. Published diagnostics are kept per document URI with their versions.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.client import LanguageClient

Answer = TypeVar("Answer")
TIMEOUT_SECONDS = 30.0


class ServerSession:
    """One server process for a whole test session."""

    def __init__(self, root: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = LanguageClient("alvh-tests", "1")
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.changed = threading.Condition()

        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self._on_diagnostics(params)

        self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(on_diagnostics)
        command = (sys.executable, "-m", "alvh_rules.cli.main", "lsp")
        self.run(self.client.start_io(*command))
        self.stderr_lines: list[str] = []
        self.run(self._drain_stderr())
        self.capabilities = self.run(
            self.client.initialize_async(
                types.InitializeParams(
                    capabilities=types.ClientCapabilities(),
                    root_uri=root.as_uri(),
                    workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="root")],
                )
            )
        ).capabilities
        self.client.initialized(types.InitializedParams())
        self.next_version = 1

    def _on_diagnostics(self, params: types.PublishDiagnosticsParams) -> None:
        with self.changed:
            self.published.setdefault(params.uri, []).append(params)
            self.changed.notify_all()

    async def _drain_stderr(self) -> None:
        """Read the server's log as it comes, so a full pipe never blocks the server."""
        server = self.client._server
        assert server is not None and server.stderr is not None
        stream = server.stderr

        async def drain() -> None:
            while line := await stream.readline():
                self.stderr_lines.append(line.decode(errors="replace"))

        self._stderr_task = asyncio.ensure_future(drain())

    def run(self, work: Coroutine[Any, Any, Answer]) -> Answer:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(TIMEOUT_SECONDS)

    def call(self, method: Any, params: Any) -> Any:
        """Call one of the client's synchronous notification methods on the loop's thread."""
        done = threading.Event()

        def send() -> None:
            method(params)
            done.set()

        self.loop.call_soon_threadsafe(send)
        assert done.wait(TIMEOUT_SECONDS)

    def open(self, uri: str, text: str) -> int:
        version = self.bump()
        item = types.TextDocumentItem(uri=uri, language_id="alvh", version=version, text=text)
        self.call(self.client.text_document_did_open, types.DidOpenTextDocumentParams(item))
        return version

    def replace(self, uri: str, text: str) -> int:
        """Send the whole new text as one change (no range)."""
        version = self.bump()
        change = types.TextDocumentContentChangeWholeDocument(text=text)
        params = types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[change],
        )
        self.call(self.client.text_document_did_change, params)
        return version

    def edit(self, uri: str, edit_range: types.Range, new_text: str) -> int:
        version = self.bump()
        change = types.TextDocumentContentChangePartial(range=edit_range, text=new_text)
        params = types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[change],
        )
        self.call(self.client.text_document_did_change, params)
        return version

    def bump(self) -> int:
        self.next_version += 1
        return self.next_version

    def diagnostics(self, uri: str, version: int) -> types.PublishDiagnosticsParams:
        """Wait for the diagnostics published for this version of the document."""
        deadline = time.monotonic() + TIMEOUT_SECONDS
        with self.changed:
            while True:
                for params in reversed(self.published.get(uri, [])):
                    if params.version == version:
                        return params
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no diagnostics for {uri} version {version}")
                self.changed.wait(left)

    def alive(self) -> bool:
        server = self.client._server
        return server is not None and server.returncode is None

    def close(self) -> None:
        try:
            self.run(self.client.shutdown_async(None))
            self.client.exit(None)
            self.run(self.client.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
