"""Latency of `alvh lsp`: one edit of a 2,000-line ruleset until its diagnostics arrive.

Run from the repository root:
`.venv/bin/python benchmarks/bench_lsp.py [LINES] [EDITS] [--profile]`.
Starts the server as an editor would (stdio), opens `bench_parse.generate(LINES)`, then
times didChange -> publishDiagnostics for EDITS single-character edits (target 100 ms), then
splits one edit's check into re-parse and the checker's passes (--profile: where they go).
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_parse import generate

from alvh_rules.check import check_text
from alvh_rules.lsp.incremental import IncrementalChecker
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


def split_check(text: str, path: Path, repeats: int = 5) -> dict[str, float]:
    """Median seconds, in this process, of what one edit costs the server: re-parsing the
    edited item and assembling the AST, the whole incremental check, and (for scale)
    the whole-file parse and `check_text` an editor would pay without the incremental path."""
    checker = IncrementalChecker()
    checker.check(text, path, path.parent)
    runs: dict[str, list[float]] = {"assemble": [], "incremental": [], "parse": [], "full": []}
    for index in range(repeats):
        edited = text.replace("rsi_cap = 60", f"rsi_cap = 6{index + 1}")
        runs["assemble"].append(_seconds(checker.assemble, edited, str(path)))
        runs["incremental"].append(_seconds(checker.check, edited, path, path.parent))
        runs["parse"].append(_seconds(parse, edited, str(path)))
        runs["full"].append(_seconds(check_text, edited, str(path)))
    return {name: statistics.median(times) for name, times in runs.items()}


def _seconds(action: Callable[..., object], *args: Any) -> float:
    start = time.perf_counter()
    action(*args)
    return time.perf_counter() - start


def profile_check(text: str, path: Path, top: int = 6) -> str:
    """Where an incremental check after one edit spends its time (cProfile, own time)."""
    checker = IncrementalChecker()
    checker.check(text, path, path.parent)
    edited = text.replace("rsi_cap = 60", "rsi_cap = 61")
    profiler = cProfile.Profile()
    profiler.runcall(checker.check, edited, path, path.parent)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> None:
    numbers = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
    lines = numbers[0] if numbers else 2000
    edits = numbers[1] if len(numbers) > 1 else 10
    text = generate(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.alvh"
        path.write_text(text)
        opened, latencies = edit_latencies(text, path, edits)
        parts = split_check(text, path)
        profile = profile_check(text, path) if "--profile" in sys.argv else ""
    median_ms = statistics.median(latencies) * 1000
    print(f"{COMMAND} {lines} {edits}: {len(text.splitlines())}-line ruleset, {edits} edits")
    print(f"didOpen -> publishDiagnostics      {opened * 1000:8.0f} ms")
    print(f"didChange -> publishDiagnostics    median {median_ms:6.0f} ms", end="")
    print(f"  (min {min(latencies) * 1000:.0f}, max {max(latencies) * 1000:.0f})")
    ms = {name: seconds * 1000 for name, seconds in parts.items()}
    print(f"in-process, one edit: re-parse edited item + assemble {ms['assemble']:6.0f} ms")
    print(f"                      incremental check (all of it)  {ms['incremental']:6.0f} ms")
    print("                      checker passes (the rest)      ", end="")
    print(f"{ms['incremental'] - ms['assemble']:6.0f} ms")
    print(
        f"without the incremental path: parse {ms['parse']:.0f} ms, check_text {ms['full']:.0f} ms"
    )
    print(profile, end="")
    verdict = "met" if median_ms <= TARGET_MS else "NOT met"
    print(f"target {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
