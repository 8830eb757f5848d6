"""Latency of `alvh lsp`: one edit of a 2,000-line ruleset until its diagnostics arrive.

Run from the repository root: `.venv/bin/python benchmarks/bench_lsp.py [LINES] [EDITS]`.
Starts the server as an editor would (stdio), opens `bench_parse.generate(LINES)`, then
times didChange -> publishDiagnostics for EDITS single-character edits (target 100 ms), and
splits one check of the same text into parse and the checker's own passes.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_parse import generate

from alvh_rules.check import check_text
from alvh_rules.syntax.parser import parse

COMMAND = ".venv/bin/python benchmarks/bench_lsp.py"
TARGET_MS = 100.0


class StdioClient:
    """Just enough JSON-RPC over stdio (Content-Length framing) to drive the server."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "alvh_rules.cli.main", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode()
        stdin: IO[bytes] = self.process.stdin  # type: ignore[assignment]
        stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        stdin.flush()

    def receive(self) -> dict[str, Any]:
        stdout: IO[bytes] = self.process.stdout  # type: ignore[assignment]
        length = 0
        while line := stdout.readline().strip():
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(stdout.read(length))
        return message

    def wait_for(self, method: str | None = None, version: int | None = None) -> dict[str, Any]:
        while True:
            message = self.receive()
            if method is None and "id" in message and "method" not in message:
                return message
            params = message.get("params") or {}
            if message.get("method") == method and params.get("version") == version:
                return message

    def close(self) -> None:
        self.send("shutdown", None, request=True)
        self.wait_for()
        self.send("exit", None)
        self.process.wait(10)


def edit_latencies(text: str, path: Path, edits: int) -> tuple[float, list[float]]:
    """Seconds to the first diagnostics after didOpen, and after each one-character edit."""
    client = StdioClient()
    client.send("initialize", {"processId": None, "capabilities": {}}, request=True)
    client.wait_for()
    client.send("initialized", {})
    uri = path.as_uri()
    start = time.perf_counter()
    item = {"uri": uri, "languageId": "alvh", "version": 1, "text": text}
    client.send("textDocument/didOpen", {"textDocument": item})
    client.wait_for("textDocument/publishDiagnostics", 1)
    opened = time.perf_counter() - start
    line = text.splitlines().index("param rsi_cap = 60 in 50 .. 70")
    latencies = []
    for version in range(2, edits + 2):
        digit = str(version % 2)  # rsi_cap = 60 <-> 61: each edit changes the text
        where = {"start": {"line": line, "character": 17}, "end": {"line": line, "character": 18}}
        change = {"range": where, "text": digit}
        start = time.perf_counter()
        client.send(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        client.wait_for("textDocument/publishDiagnostics", version)
        latencies.append(time.perf_counter() - start)
    client.close()
    return opened, latencies


def split_check(text: str, path: Path, repeats: int = 3) -> tuple[float, float]:
    """Median seconds of the parse alone and of the whole check_text, in this process."""
    parses, checks = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        parse(text, str(path))
        parses.append(time.perf_counter() - start)
        start = time.perf_counter()
        check_text(text, str(path))
        checks.append(time.perf_counter() - start)
    return statistics.median(parses), statistics.median(checks)


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    text = generate(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.alvh"
        path.write_text(text)
        opened, latencies = edit_latencies(text, path, edits)
        parse_s, check_s = split_check(text, path)
    median_ms = statistics.median(latencies) * 1000
    print(f"{COMMAND} {lines} {edits}: {len(text.splitlines())}-line ruleset, {edits} edits")
    print(f"didOpen -> publishDiagnostics      {opened * 1000:8.0f} ms")
    print(f"didChange -> publishDiagnostics    median {median_ms:6.0f} ms", end="")
    print(f"  (min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f})")
    print(f"in-process: parse {parse_s * 1000:.0f} ms, check_text {check_s * 1000:.0f} ms", end="")
    print(f" (parse is {parse_s / check_s:.0%} of the check)")
    verdict = "met" if median_ms <= TARGET_MS else "NOT met"
    print(f"target {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
